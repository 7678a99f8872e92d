// Package tournament owns games, tournaments and their lifecycle, sponsors and custom
// registration fields, the slot counters registration takes, and public discovery.
package tournament

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/tournament/internal/dbsqlc"
)

// Config holds the module's tunables; zero fields take defaults.
type Config struct {
	// DiscoveryTTL bounds how long a cached discovery page is served; writes invalidate
	// sooner (in this process at once, in others through LISTEN/NOTIFY).
	DiscoveryTTL time.Duration
	// Now is the clock; tests inject one.
	Now func() time.Time
	// Jobs enqueues the lifecycle's background work in the transition's transaction.
	// Required.
	Jobs JobInserter
	// Escrow moves an added prize into the tournament's escrow at publication and back at
	// cancellation, in the transition's transaction. Required.
	Escrow Escrow
}

// Escrow holds the prize an organizer adds to a tournament; the wallet implements it.
type Escrow interface {
	// AddPrizeTx moves amount from the organizer's wallet into the tournament's escrow, once
	// per tournament. Errors: ECONFLICT (the wallet holds less).
	AddPrizeTx(ctx context.Context, tx pgx.Tx, tournamentID, organizerID uuid.UUID, amount int64, currency string) error
	// ReturnPrizeTx moves it back, once per tournament.
	ReturnPrizeTx(ctx context.Context, tx pgx.Tx, tournamentID, organizerID uuid.UUID, amount int64, currency string) error
}

// JobInserter enqueues River jobs in a transaction; a *river.Client satisfies it.
type JobInserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// Service is the tournament module's API for its HTTP handlers and other modules.
type Service struct {
	pool      *db.Pool // statements survive a lost connection (db.Pool)
	cfg       Config
	q         *dbsqlc.Queries
	schemas   *schemaCache
	discovery *db.Cache[discoveryPage]
}

// New returns a Service on pool. It panics without cfg.Jobs or cfg.Escrow: a lifecycle that
// silently skipped its refunds or its prize money would be worse than no service.
func New(pool *pgxpool.Pool, cfg Config) *Service {
	if cfg.Jobs == nil || cfg.Escrow == nil {
		panic("tournament: Config.Jobs and Config.Escrow are required")
	}
	if cfg.DiscoveryTTL == 0 {
		cfg.DiscoveryTTL = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{
		pool: db.Statements(pool), cfg: cfg, q: dbsqlc.New(), schemas: newSchemaCache(),
		discovery: db.NewCache[discoveryPage](cfg.DiscoveryTTL, 1000),
	}
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// changesChannel carries "tournaments changed" between instances, so each drops its
// cached discovery pages.
const changesChannel = "arena_tournaments_changed"

// changedTx announces a change of listed data to every instance (on commit).
func (s *Service) changedTx(ctx context.Context, tx pgx.Tx) error {
	return db.NotifyTx(ctx, tx, changesChannel)
}

// invalidate drops this process's cached pages at once (other processes hear the NOTIFY).
func (s *Service) invalidate() {
	s.discovery.Invalidate()
}

// Listen keeps this instance's caches coherent with writes made by other instances until
// ctx ends.
func (s *Service) Listen(ctx context.Context) {
	db.Listen(ctx, s.pool.Pool, changesChannel, s.invalidate)
}
