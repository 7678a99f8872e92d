// Package match owns brackets and matches: it lays a tournament's entrants out with the
// bracket engine (package bracket), takes results reported by both sides, opens disputes
// the organizer resolves, and advances winners and losers in the transaction that decides
// a match, completing the tournament when the last one is decided.
package match

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/match/internal/dbsqlc"
)

// Match statuses. A match is pending until both its sides are known, then ready; one
// side's report makes it reported, both sides' confirmed (same score) or disputed. The
// organizer decides an open match as resolved, forfeit, double_forfeit or disqualified.
// skipped is never played (a grand-final reset not needed, or no side will ever be
// filled); bye is won without playing (a Swiss bye, or a walkover).
const (
	StatusPending       = "pending"
	StatusReady         = "ready"
	StatusReported      = "reported"
	StatusDisputed      = "disputed"
	StatusConfirmed     = "confirmed"
	StatusResolved      = "resolved"
	StatusForfeit       = "forfeit"
	StatusDoubleForfeit = "double_forfeit"
	StatusDisqualified  = "disqualified"
	StatusSkipped       = "skipped"
	StatusBye           = "bye"
)

// Sides of a match: the side a report comes from, or a forfeit or disqualification is
// against.
const (
	SideA = "a"
	SideB = "b"
)

// BothSides is the forfeit of a match neither side plays (a double forfeit).
const BothSides = "both"

// Seeding methods: how entrants are ordered before the bracket is laid out.
const (
	SeedingRegistration = "registration" // registration order (the default)
	SeedingRandom       = "random"       // shuffled, reproducibly from a recorded seed
	SeedingManual       = "manual"       // the organizer's order
	SeedingRating       = "rating"       // best rated first (the leaderboard module)
)

// playable reports whether a match is open for play: both sides known, no result decided.
func playable(status string) bool {
	return status == StatusReady || status == StatusReported || status == StatusDisputed
}

// Config wires the module.
type Config struct {
	Tournaments   Tournaments
	Registrations Registrations
	// Ratings seeds by rating (the leaderboard module); without it, seeding by rating is
	// refused.
	Ratings Ratings
	// Jobs enqueues the pairing of each next Swiss round in the confirming transaction, and
	// the auto-confirmation of one-sided reports.
	Jobs JobInserter
	// AutoConfirmAfter confirms a result reported by one side only once this long has
	// passed without the other side reporting (default 24 h).
	AutoConfirmAfter time.Duration
	// Now is the clock; tests inject one.
	Now func() time.Time
}

// Service is the match module's API.
type Service struct {
	pool *db.Pool // statements survive a lost connection (db.Pool)
	cfg  Config
	q    *dbsqlc.Queries
}

// New returns a Service on pool.
func New(pool *pgxpool.Pool, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.AutoConfirmAfter == 0 {
		cfg.AutoConfirmAfter = 24 * time.Hour
	}
	return &Service{pool: db.Statements(pool), cfg: cfg, q: dbsqlc.New()}
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }
