package payout

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/arenaesports/arena/modules/match"
	"github.com/arenaesports/arena/modules/tournament"
	"github.com/arenaesports/arena/modules/wallet"
)

// Tournaments is what payouts need of the tournament module.
type Tournaments interface {
	GetTournament(ctx context.Context, idOrSlug string) (*tournament.Tournament, error)
	TournamentTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (*tournament.Tournament, error)
}

// Matches is what payouts need of the match module: the final standings.
type Matches interface {
	PlacementsTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) ([]match.Placement, error)
}

// Registrations is what payouts need of the registration module: who stands in each entry,
// and the refunds the escrow still owes.
type Registrations interface {
	FeesOwedTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (int64, error)
	StandingMembersTx(ctx context.Context, tx pgx.Tx, registrationIDs []uuid.UUID) (map[uuid.UUID][]uuid.UUID, error)
}

// Wallet is what payouts need of the wallet.
type Wallet interface {
	BalanceTx(ctx context.Context, tx pgx.Tx, a wallet.Account, currency string) (int64, error)
	TransferManyTx(ctx context.Context, tx pgx.Tx, legs []wallet.Leg) ([]wallet.Transfer, error)
}

// JobInserter enqueues River jobs in a transaction; a *river.Client satisfies it.
type JobInserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}
