package main

import (
	"log/slog"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/arenaesports/arena/modules/identity"
	"github.com/arenaesports/arena/modules/leaderboard"
	"github.com/arenaesports/arena/modules/match"
	"github.com/arenaesports/arena/modules/registration"
	"github.com/arenaesports/arena/modules/tournament"
	"github.com/arenaesports/arena/modules/wallet"
)

// app is Arena wired together: every module's service, HTTP operations and workers.
type app struct {
	api          huma.API
	handler      http.Handler
	workers      *river.Workers
	periodicJobs []*river.PeriodicJob
	identity     *identity.Service
	tournament   *tournament.Service
	wallet       *wallet.Service
	registration *registration.Service
	match        *match.Service
	leaderboard  *leaderboard.Service
}

// newApp builds every module on pool. Building performs no I/O, so `arena openapi` can
// build it with a nil pool.
func newApp(pool *pgxpool.Pool, cfg config, logger *slog.Logger) *app {
	mux := http.NewServeMux()
	api := newAPI(mux)
	a := &app{api: api, workers: river.NewWorkers()}

	identitySvc := identity.New(pool, identity.Config{SessionIdle: cfg.sessionIdle, SessionLifetime: cfg.sessionLifetime, Now: cfg.now})
	a.identity = identitySvc
	identity.UseAuthentication(api, identitySvc) // before any operation: huma binds middleware at registration

	// Services enqueue with an insert-only client; serve's River client works the jobs.
	jobs, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		panic(err) // only invalid configuration makes NewClient fail, and this one is fixed
	}
	a.tournament = tournament.New(pool, tournament.Config{Now: cfg.now, Jobs: jobs})
	a.wallet = wallet.New(pool, wallet.Config{Now: cfg.now})
	a.registration = registration.New(pool, registration.Config{Tournaments: a.tournament, Wallet: a.wallet,
		Identity: identitySvc, Jobs: jobs, Now: cfg.now})
	a.leaderboard = leaderboard.New(pool, leaderboard.Config{Tau: cfg.ratingTau, IdlePeriod: cfg.ratingIdle, Now: cfg.now})
	a.match = match.New(pool, match.Config{Tournaments: a.tournament, Registrations: a.registration, Ratings: a.leaderboard,
		Jobs: jobs, AutoConfirmAfter: cfg.autoConfirm, Now: cfg.now})

	registerHealth(api, pool)
	identity.Register(api, identitySvc, identity.NewRateLimiter(cfg.authPerMinute, 10, cfg.now))
	tournament.Register(api, a.tournament)
	wallet.Register(api, a.wallet)
	registration.Register(api, a.registration, a.wallet)
	match.Register(api, a.match)
	leaderboard.Register(api, a.leaderboard)
	a.match.AddWorkers(a.workers)
	a.leaderboard.AddWorkers(a.workers, a.match)
	a.registration.AddWorkers(a.workers)
	a.periodicJobs = append(a.periodicJobs, identitySvc.AddWorkers(a.workers)...)
	a.periodicJobs = append(a.periodicJobs, a.wallet.AddWorkers(a.workers)...)

	a.handler = middleware(routeProblems(mux), logger, cfg.trustedProxies)
	return a
}
