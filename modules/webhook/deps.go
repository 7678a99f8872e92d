package webhook

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/tournament"
)

// Log is what webhooks need of the event log: every event in order.
type Log interface {
	SinceTx(ctx context.Context, tx pgx.Tx, after string, limit int) ([]events.LoggedEvent, error)
	HeadTx(ctx context.Context, tx pgx.Tx) (string, error)
}

// Tournaments is what webhooks need of the tournament module: who organizes what.
type Tournaments interface {
	GetTournament(ctx context.Context, idOrSlug string) (*tournament.Tournament, error)
	OrganizersTx(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) (map[uuid.UUID]uuid.UUID, error)
}

// JobInserter enqueues River jobs in a transaction, and makes a waiting one available at
// once; a *river.Client satisfies it.
type JobInserter interface {
	InsertManyTx(ctx context.Context, tx pgx.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	JobRetryTx(ctx context.Context, tx pgx.Tx, id int64) (*rivertype.JobRow, error)
}
