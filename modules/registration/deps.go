package registration

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/arenaesports/arena/modules/identity"
	"github.com/arenaesports/arena/modules/tournament"
	"github.com/arenaesports/arena/modules/wallet"
)

// Tournaments is what registration needs of the tournament module.
type Tournaments interface {
	TakeSlotTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (tournament.Terms, error)
	TermsTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (tournament.Terms, error)
	HoldTermsTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (tournament.Terms, error)
	IsStaffTx(ctx context.Context, tx pgx.Tx, tournamentID, userID uuid.UUID) (bool, error)
	Terms(ctx context.Context, tournamentID uuid.UUID) (tournament.Terms, error)
	AdjustCountersTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID, c tournament.Counters) error
}

// Wallet is what registration needs of the wallet module.
type Wallet interface {
	TransferManyTx(ctx context.Context, tx pgx.Tx, legs []wallet.Leg) ([]wallet.Transfer, error)
}

// Identity is what registration needs of the identity module.
type Identity interface {
	RosterTx(ctx context.Context, tx pgx.Tx, teamID, captainID uuid.UUID) (identity.Roster, error)
	PlayerTx(ctx context.Context, tx pgx.Tx, userID uuid.UUID) (identity.PublicUser, error)
}

// JobInserter enqueues River jobs in a transaction; a *river.Client satisfies it.
type JobInserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertManyTx(ctx context.Context, tx pgx.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}
