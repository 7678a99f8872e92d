// Package app is Arena's composition root: it wires every module's service, HTTP
// operations and River workers on one database, maps errors to problem responses, and runs
// the HTTP server and the workers. cmd/arena parses the command line and opens the
// database around it; the end-to-end suites in tests/ build it in-process.
package app

import (
	"log/slog"
	"net/http"
	"sync/atomic"

	"github.com/danielgtaylor/huma/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/identity"
	"github.com/arenaesports/arena/modules/leaderboard"
	"github.com/arenaesports/arena/modules/match"
	"github.com/arenaesports/arena/modules/payout"
	"github.com/arenaesports/arena/modules/registration"
	"github.com/arenaesports/arena/modules/tournament"
	"github.com/arenaesports/arena/modules/wallet"
	"github.com/arenaesports/arena/modules/webhook"
)

// App is Arena wired together: every module's service, HTTP operations and workers.
type App struct {
	// Handler serves the whole API: every operation behind the request middleware
	// (request id, access log, panic recovery, body limit) and the problem mapping.
	Handler http.Handler
	// Workers holds every module's River workers, for a River client that works the
	// jobs the services enqueue (Serve makes one; tests may make their own).
	Workers *river.Workers

	// The modules' services, for tests and commands that act below HTTP.
	Identity     *identity.Service
	Tournament   *tournament.Service
	Wallet       *wallet.Service
	Events       *events.Service
	Registration *registration.Service
	Match        *match.Service
	Leaderboard  *leaderboard.Service
	Payout       *payout.Service
	Webhooks     *webhook.Service

	api          huma.API
	periodicJobs []*river.PeriodicJob
	pool         *pgxpool.Pool
	cfg          Config
	logger       *slog.Logger
	draining     atomic.Bool // set on shutdown: readiness fails while the listener stays open
}

// New builds every module on pool with cfg; logger receives the request and job logs.
// Building performs no I/O, so the OpenAPI document can be built with a nil pool.
func New(pool *pgxpool.Pool, cfg Config, logger *slog.Logger) *App {
	mux := http.NewServeMux()
	api := newAPI(mux)
	a := &App{api: api, Workers: river.NewWorkers(), pool: pool, cfg: cfg, logger: logger}

	a.Identity = identity.New(pool, identity.Config{SessionIdle: cfg.SessionIdle, SessionLifetime: cfg.SessionLifetime, Now: cfg.Now})
	identity.UseAuthentication(api, a.Identity) // before any operation: huma binds middleware at registration

	// Services enqueue with an insert-only client; Serve's River client works the jobs.
	jobs, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		panic(err) // only invalid configuration makes NewClient fail, and this one is fixed
	}
	a.Events = events.New(pool, events.Config{Retention: cfg.EventRetention, Now: cfg.Now})
	a.Wallet = wallet.New(pool, wallet.Config{Now: cfg.Now})
	a.Tournament = tournament.New(pool, tournament.Config{Now: cfg.Now, Jobs: jobs, Escrow: a.Wallet})
	a.Registration = registration.New(pool, registration.Config{Tournaments: a.Tournament, Wallet: a.Wallet,
		Identity: a.Identity, Jobs: jobs, Now: cfg.Now})
	a.Leaderboard = leaderboard.New(pool, leaderboard.Config{Tau: cfg.RatingTau, IdlePeriod: cfg.RatingIdlePeriod, Now: cfg.Now})
	a.Match = match.New(pool, match.Config{Tournaments: a.Tournament, Registrations: a.Registration, Ratings: a.Leaderboard,
		Jobs: jobs, AutoConfirmAfter: cfg.MatchAutoConfirm, Now: cfg.Now})
	a.Payout = payout.New(pool, payout.Config{Tournaments: a.Tournament, Matches: a.Match, Registrations: a.Registration,
		Wallet: a.Wallet, Jobs: jobs, Chunk: cfg.PayoutChunk, Now: cfg.Now})

	a.Webhooks = webhook.New(pool, webhook.Config{Log: a.Events, Tournaments: a.Tournament, Jobs: jobs,
		AllowPrivate: cfg.WebhookAllowPrivate, Retries: cfg.WebhookRetries, Logger: logger, Now: cfg.Now})

	registerHealth(api, pool, &a.draining)
	identity.Register(api, a.Identity, identity.NewRateLimiter(cfg.AuthRateLimit, 10, cfg.Now))
	tournament.Register(api, a.Tournament)
	wallet.Register(api, a.Wallet)
	registration.Register(api, a.Registration, a.Wallet)
	match.Register(api, a.Match)
	leaderboard.Register(api, a.Leaderboard)
	events.Register(api, a.Events)
	payout.Register(api, a.Payout)
	webhook.Register(api, a.Webhooks)
	a.Match.AddWorkers(a.Workers)
	a.Leaderboard.AddWorkers(a.Workers, a.Match)
	a.Registration.AddWorkers(a.Workers)
	a.Payout.AddWorkers(a.Workers)
	a.Webhooks.AddWorkers(a.Workers)
	a.periodicJobs = append(a.periodicJobs, a.Identity.AddWorkers(a.Workers)...)
	a.periodicJobs = append(a.periodicJobs, a.Wallet.AddWorkers(a.Workers)...)
	a.periodicJobs = append(a.periodicJobs, a.Events.AddWorkers(a.Workers)...)

	completeDocument(api.OpenAPI())
	a.Handler = middleware(routeProblems(mux), logger, cfg.TrustedProxies, headerParams(api))
	return a
}
