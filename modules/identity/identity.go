// Package identity owns users, sessions, roles, teams and their rosters. It authenticates
// requests (one indexed query per request) and locks accounts after repeated failed logins
// without costing anything on the request path.
package identity

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/identity/internal/dbsqlc"
)

// Config holds the identity module's tunables; zero fields take the defaults of
// DefaultConfig.
type Config struct {
	// SessionIdle ends a session not used for this long, give or take the minute by which
	// last_seen_at moves; the configuration refuses less than MinSessionIdle.
	SessionIdle time.Duration
	// SessionLifetime ends every session this long after login, used or not.
	SessionLifetime time.Duration
	// MaxFailures failed logins within FailureWindow lock the account for LockoutBase,
	// doubled for each lockout since the last successful login (at most LockoutMax).
	MaxFailures   int
	FailureWindow time.Duration
	LockoutBase   time.Duration
	LockoutMax    time.Duration
	// Now is the clock; tests inject one.
	Now func() time.Time
}

// DefaultConfig returns the production defaults.
func DefaultConfig() Config {
	return Config{
		SessionIdle:     7 * 24 * time.Hour,
		SessionLifetime: 30 * 24 * time.Hour,
		MaxFailures:     5,
		FailureWindow:   15 * time.Minute,
		LockoutBase:     15 * time.Minute,
		LockoutMax:      24 * time.Hour,
		Now:             time.Now,
	}
}

// Service is the identity module's API for HTTP handlers, the CLI and other modules.
type Service struct {
	pool *db.Pool // statements survive a lost connection (db.Pool)
	cfg  Config
	q    *dbsqlc.Queries
}

// New returns a Service on pool; cfg's zero fields take DefaultConfig's values.
func New(pool *pgxpool.Pool, cfg Config) *Service {
	d := DefaultConfig()
	if cfg.SessionIdle == 0 {
		cfg.SessionIdle = d.SessionIdle
	}
	if cfg.SessionLifetime == 0 {
		cfg.SessionLifetime = d.SessionLifetime
	}
	if cfg.MaxFailures == 0 {
		cfg.MaxFailures = d.MaxFailures
	}
	if cfg.FailureWindow == 0 {
		cfg.FailureWindow = d.FailureWindow
	}
	if cfg.LockoutBase == 0 {
		cfg.LockoutBase = d.LockoutBase
	}
	if cfg.LockoutMax == 0 {
		cfg.LockoutMax = d.LockoutMax
	}
	if cfg.Now == nil {
		cfg.Now = d.Now
	}
	return &Service{pool: db.Statements(pool), cfg: cfg, q: dbsqlc.New()}
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }
