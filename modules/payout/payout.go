// Package payout pays a completed tournament's prizes out of its escrow: the pool (entry
// fees kept, less the platform's fee, plus the organizer's added prize), split by final
// placement, paid in chunks by River jobs exactly once, with the fee and the rounding, so
// that the escrow ends at zero. It also answers what the prizes are and what was paid.
package payout

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/payout/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/tournament"
)

// Payout statuses.
const (
	StatusPending = "pending" // being paid, or waiting for an admin's approval
	StatusHeld    = "held"    // an admin holds it, with a reason
	StatusPaid    = "paid"    // every prize, the fee and the rounding are paid: the escrow is empty
)

// DefaultChunk is how many entries one payout job pays.
const DefaultChunk = 100

// Config wires the module; every dependency is required.
type Config struct {
	Tournaments   Tournaments
	Matches       Matches
	Registrations Registrations
	Wallet        Wallet
	Jobs          JobInserter
	// Chunk is how many entries one job pays (default DefaultChunk).
	Chunk int
	// Now is the clock; tests inject one.
	Now func() time.Time
}

// Service is the payout module's API.
type Service struct {
	pool *db.Pool
	cfg  Config
	q    *dbsqlc.Queries
}

// New returns a Service on pool.
func New(pool *pgxpool.Pool, cfg Config) *Service {
	if cfg.Chunk <= 0 {
		cfg.Chunk = DefaultChunk
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{pool: db.Statements(pool), cfg: cfg, q: dbsqlc.New()}
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// Pool is a tournament's prize money.
type Pool struct {
	Currency   string
	EntryFees  int64 // entry fees collected through the wallet and kept (net of refunds)
	Fee        int64 // the platform's: platform_fee_bps of EntryFees, rounded down
	AddedPrize int64 // the organizer's
	Total      int64 // EntryFees − Fee + AddedPrize
}

// poolOf is t's pool given what its escrow holds and still owes in refunds. Until
// publication the added prize is promised, not yet in escrow; a cancelled tournament's
// money all goes back, so its pool is empty.
func poolOf(t *tournament.Tournament, escrow, owed int64) Pool {
	p := Pool{Currency: t.EntryFee.Currency}
	if t.Status == tournament.StatusCancelled {
		return p
	}
	p.AddedPrize = t.AddedPrize.Amount
	funded := p.AddedPrize
	if t.Status == tournament.StatusDraft {
		funded = 0
	}
	p.EntryFees = max(escrow-owed-funded, 0)
	p.Fee = mulDiv(p.EntryFees, int64(t.PlatformFeeBps), 10_000)
	p.Total = p.EntryFees - p.Fee + p.AddedPrize
	return p
}
