package app

import (
	"context"
	"net/http"
	"sync/atomic"

	"github.com/danielgtaylor/huma/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
)

// HealthOutput is the body of the health and readiness probes.
type HealthOutput struct {
	Body struct {
		Status string `json:"status" enum:"ok,ready" doc:"ok: the process is up; ready: it can serve requests."`
	}
}

// registerHealth adds the liveness probe (the process answers) and the readiness probe (the
// database answers and its schema is current), for load balancers and orchestrators.
func registerHealth(api huma.API, pool *pgxpool.Pool, draining *atomic.Bool) {
	huma.Register(api, huma.Operation{
		OperationID: "get-health",
		Method:      http.MethodGet,
		Path:        "/healthz",
		Summary:     "Liveness probe",
		Description: "Answers 200 while the process is up; it does not touch the database.",
		Tags:        []string{"System"},
	}, func(ctx context.Context, _ *struct{}) (*HealthOutput, error) {
		out := &HealthOutput{}
		out.Body.Status = "ok"
		return out, nil
	})
	huma.Register(api, huma.Operation{
		OperationID: "get-readiness",
		Method:      http.MethodGet,
		Path:        "/readyz",
		Summary:     "Readiness probe",
		Description: "Answers 200 when the database is reachable and every migration is applied, 503 otherwise " +
			"and while the process drains on shutdown.",
		Tags:   []string{"System"},
		Errors: []int{http.StatusServiceUnavailable},
	}, func(ctx context.Context, _ *struct{}) (*HealthOutput, error) {
		if draining.Load() {
			return nil, arena.Errorf(arena.EUNAVAILABLE, "The server is shutting down.")
		}
		pending, err := db.Pending(ctx, pool)
		if err != nil {
			requestLogger(ctx).Warn("readiness check failed", "err", err)
			return nil, arena.Errorf(arena.EUNAVAILABLE, "The database is not reachable.")
		}
		if pending {
			return nil, arena.Errorf(arena.EUNAVAILABLE, "Database migrations are pending.")
		}
		out := &HealthOutput{}
		out.Body.Status = "ready"
		return out, nil
	})
}
