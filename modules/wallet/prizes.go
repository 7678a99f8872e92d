package wallet

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// AddPrizeTx moves the prize an organizer adds to a tournament from their wallet into the
// tournament's escrow, in the caller's transaction; once per tournament, however often it
// runs. Errors: ECONFLICT (*InsufficientFundsError).
func (s *Service) AddPrizeTx(ctx context.Context, tx pgx.Tx, tournamentID, organizerID uuid.UUID, amount int64, currency string) error {
	_, err := s.TransferTx(ctx, tx, Leg{Debit: UserAccount(organizerID), Credit: EscrowAccount(tournamentID), Amount: amount,
		Currency: currency, Kind: AddedPrize, Reference: tournamentID.String(), Key: "added"})
	return err
}

// ReturnPrizeTx moves an added prize back from the escrow to the organizer (the tournament
// was cancelled), in the caller's transaction; once per tournament.
func (s *Service) ReturnPrizeTx(ctx context.Context, tx pgx.Tx, tournamentID, organizerID uuid.UUID, amount int64, currency string) error {
	_, err := s.TransferTx(ctx, tx, Leg{Debit: EscrowAccount(tournamentID), Credit: UserAccount(organizerID), Amount: amount,
		Currency: currency, Kind: AddedPrizeReturn, Reference: tournamentID.String(), Key: "returned"})
	return err
}
