// Package webhook delivers the event log to HTTP endpoints that organizers and admins
// register, signed by the Standard Webhooks scheme: at least once, in log order per
// endpoint, retried with backoff, each endpoint on its own so that a slow or dead one delays
// no other. A dispatcher matches new events to endpoints and writes one message per
// endpoint and event in the transaction that advances its place in the log; a River job per
// endpoint sends them.
package webhook

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/webhook/internal/dbsqlc"
)

// Scopes: which events an endpoint may receive, fixed by its owner's role at creation.
const (
	ScopeAll       = "all"       // an admin's: every public event
	ScopeOrganized = "organized" // an organizer's: the public and participants' events of the tournaments they organize
)

// AllTypes in event_types subscribes to every type.
const AllTypes = "*"

// DefaultRetries is the Standard Webhooks schedule: the waits before each retry.
var DefaultRetries = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour,
	10 * time.Hour, 10 * time.Hour}

// Config wires the module.
type Config struct {
	Log         Log
	Tournaments Tournaments
	Jobs        JobInserter
	// AllowPrivate lets endpoints be plain http and on loopback or private addresses:
	// development and tests only (ARENA_WEBHOOK_ALLOW_PRIVATE).
	AllowPrivate bool
	// Retries is the waits before each retry of a failed message (default DefaultRetries);
	// once spent, the message is given up and the endpoint goes on with the next.
	Retries []time.Duration
	// FailureWindow is how long an endpoint may fail every attempt before it is disabled
	// (default five days).
	FailureWindow time.Duration
	// SecretOverlap is how long a rotated-out secret keeps signing (default 24 h).
	SecretOverlap time.Duration
	// Logger receives the dispatcher's failures (default slog.Default()).
	Logger *slog.Logger
	Now    func() time.Time
}

// Service is the webhook module's API.
type Service struct {
	pool   *db.Pool
	raw    *pgxpool.Pool
	q      *dbsqlc.Queries
	cfg    Config
	client *http.Client
}

// New returns a Service on pool.
func New(pool *pgxpool.Pool, cfg Config) *Service {
	if cfg.Retries == nil {
		cfg.Retries = DefaultRetries
	}
	if cfg.FailureWindow == 0 {
		cfg.FailureWindow = 5 * 24 * time.Hour
	}
	if cfg.SecretOverlap == 0 {
		cfg.SecretOverlap = 24 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Service{pool: db.Statements(pool), raw: pool, q: dbsqlc.New(), cfg: cfg, client: newClient(cfg.AllowPrivate)}
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// Endpoint is a registered receiver.
type Endpoint struct {
	ID             uuid.UUID  `json:"id"`
	URL            string     `json:"url"`
	EventTypes     []Selector `json:"event_types" doc:"The types delivered; [\"*\"]: all."`
	TournamentID   *uuid.UUID `json:"tournament_id,omitempty" doc:"Only this tournament's events."`
	Description    string     `json:"description"`
	Scope          string     `json:"scope" enum:"all,organized" doc:"all: every public event (an admin's endpoint); organized: the public and participants' events of the owner's tournaments."`
	Disabled       bool       `json:"disabled"`
	DisabledReason *string    `json:"disabled_reason,omitempty"`
	FailingSince   *time.Time `json:"failing_since,omitempty" doc:"Since when every attempt failed; after five days the endpoint is disabled."`
	Secret         string     `json:"secret,omitempty" doc:"The signing secret (whsec_…): only in the answers to create and rotate-secret."`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

func endpointOf(r dbsqlc.WebhookEndpoint) *Endpoint {
	types := []Selector{AllTypes}
	if len(r.EventTypes) > 0 {
		types = selectors(r.EventTypes)
	}
	return &Endpoint{ID: r.ID, URL: r.Url, EventTypes: types, TournamentID: r.TournamentID, Description: r.Description,
		Scope: r.Scope, Disabled: r.DisabledAt != nil, DisabledReason: r.DisabledReason, FailingSince: r.FailingSince,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// EndpointInput is an endpoint to create, or the whole of one to change.
type EndpointInput struct {
	URL          string     `json:"url" minLength:"1" maxLength:"2048" doc:"https only; the address it resolves to must be public."`
	EventTypes   []Selector `json:"event_types,omitempty" maxItems:"64" doc:"Types to deliver; omitted or [\"*\"]: all."`
	TournamentID string     `json:"tournament_id,omitempty" format:"uuid" doc:"Only this tournament's events (one the owner organizes)."`
	Description  string     `json:"description,omitempty" maxLength:"500"`
}

// checkInput validates in for the caller and returns the stored types and tournament.
func (s *Service) checkInput(ctx context.Context, c arena.Caller, in EndpointInput) ([]string, *uuid.UUID, error) {
	if err := checkURL(in.URL, s.cfg.AllowPrivate); err != nil {
		return nil, nil, err
	}
	types := []string{}
	for _, t := range in.EventTypes {
		switch {
		case t == AllTypes && len(in.EventTypes) == 1:
		case !slices.Contains(events.Types, string(t)):
			return nil, nil, arena.Errorf(arena.EINVALID, "%q is not an event type (docs/events.md), nor \"*\" alone.", t)
		case slices.Contains(types, string(t)):
			return nil, nil, arena.Errorf(arena.EINVALID, "%q is listed twice.", t)
		default:
			types = append(types, string(t))
		}
	}
	if in.TournamentID == "" {
		return types, nil, nil
	}
	t, err := s.cfg.Tournaments.GetTournament(ctx, in.TournamentID)
	if err != nil {
		return nil, nil, err
	}
	if !c.CanManage(t.Organizer.ID) {
		return nil, nil, arena.Errorf(arena.EFORBIDDEN, "Only the tournament's organizer subscribes to its events.")
	}
	return types, &t.ID, nil
}

// Create registers an endpoint for the caller (an organizer or an admin) and returns it with
// its secret, shown this once. Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID, ENOTFOUND
// (tournament).
func (s *Service) Create(ctx context.Context, in EndpointInput) (*Endpoint, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, err
	}
	scope := ScopeOrganized
	switch {
	case c.HasRole(arena.RoleAdmin):
		scope = ScopeAll
	case !c.HasRole(arena.RoleOrganizer):
		return nil, arena.Errorf(arena.EFORBIDDEN, "Webhooks are for organizers and admins.")
	}
	types, tid, err := s.checkInput(ctx, c, in)
	if err != nil {
		return nil, err
	}
	secret := newSecret()
	var row dbsqlc.WebhookEndpoint
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		head, err := s.cfg.Log.HeadTx(ctx, tx)
		if err != nil {
			return err
		}
		row, err = s.q.InsertEndpoint(ctx, tx, dbsqlc.InsertEndpointParams{ID: db.NewID(), OwnerID: c.ID, Scope: scope,
			Url: in.URL, EventTypes: types, TournamentID: tid, After: head, Description: in.Description, Secret: secret, Now: s.now()})
		return err
	})
	if err != nil {
		return nil, err
	}
	e := endpointOf(row)
	e.Secret = secret
	return e, nil
}

// mine returns the caller's endpoint id, locked in tx when tx is not nil. Someone else's
// does not exist. Errors: EUNAUTHORIZED, ENOTFOUND.
func (s *Service) mine(ctx context.Context, tx pgx.Tx, endpointID string) (dbsqlc.WebhookEndpoint, arena.Caller, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return dbsqlc.WebhookEndpoint{}, c, err
	}
	id, err := db.ParseID(endpointID, "Webhook")
	if err != nil {
		return dbsqlc.WebhookEndpoint{}, c, err
	}
	var row dbsqlc.WebhookEndpoint
	if tx != nil {
		row, err = s.q.LockEndpoint(ctx, tx, id)
	} else {
		row, err = s.q.GetEndpoint(ctx, s.pool, id)
	}
	if err != nil || row.OwnerID != c.ID {
		return row, c, arena.Errorf(arena.ENOTFOUND, "Webhook not found.")
	}
	return row, c, nil
}

// Get returns one of the caller's endpoints. Errors: EUNAUTHORIZED, ENOTFOUND.
func (s *Service) Get(ctx context.Context, endpointID string) (*Endpoint, error) {
	row, _, err := s.mine(ctx, nil, endpointID)
	if err != nil {
		return nil, err
	}
	return endpointOf(row), nil
}

type endpointCursor struct {
	CreatedAt time.Time `json:"t"`
	ID        uuid.UUID `json:"id"`
}

// List pages through the caller's endpoints, oldest first. Errors: EUNAUTHORIZED, EINVALID
// (cursor).
func (s *Service) List(ctx context.Context, page arena.Page) ([]Endpoint, string, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, "", err
	}
	var cur endpointCursor
	if page.Cursor != "" {
		if err := arena.DecodeCursor(page.Cursor, &cur); err != nil {
			return nil, "", err
		}
	}
	rows, err := s.q.ListEndpoints(ctx, s.pool, dbsqlc.ListEndpointsParams{OwnerID: c.ID, AfterCreatedAt: cur.CreatedAt,
		AfterID: cur.ID, MaxRows: int32(page.Limit) + 1})
	if err != nil {
		return nil, "", err
	}
	rows, next := arena.TrimPage(rows, page.Limit, func(r dbsqlc.WebhookEndpoint) any { return endpointCursor{r.CreatedAt, r.ID} })
	out := make([]Endpoint, len(rows))
	for i, r := range rows {
		out[i] = *endpointOf(r)
	}
	return out, next, nil
}

// EndpointPatch changes an endpoint: the fields given replace the stored ones.
type EndpointPatch struct {
	URL          *string     `json:"url,omitempty" minLength:"1" maxLength:"2048"`
	EventTypes   *[]Selector `json:"event_types,omitempty" maxItems:"64"`
	TournamentID *string     `json:"tournament_id,omitempty" doc:"A tournament's id, or \"\" for every tournament of the scope."`
	Description  *string     `json:"description,omitempty" maxLength:"500"`
	Disabled     *bool       `json:"disabled,omitempty" doc:"true pauses deliveries; false resumes them (and forgets past failures)."`
}

// Update changes one of the caller's endpoints. Errors: EUNAUTHORIZED, ENOTFOUND,
// EFORBIDDEN, EINVALID.
func (s *Service) Update(ctx context.Context, endpointID string, p EndpointPatch) (*Endpoint, error) {
	var out dbsqlc.WebhookEndpoint
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, c, err := s.mine(ctx, tx, endpointID)
		if err != nil {
			return err
		}
		in := EndpointInput{URL: row.Url, EventTypes: selectors(row.EventTypes), Description: row.Description}
		if row.TournamentID != nil {
			in.TournamentID = row.TournamentID.String()
		}
		if p.URL != nil {
			in.URL = *p.URL
		}
		if p.EventTypes != nil {
			in.EventTypes = *p.EventTypes
		}
		if p.TournamentID != nil {
			in.TournamentID = *p.TournamentID
		}
		if p.Description != nil {
			in.Description = *p.Description
		}
		types, tid, err := s.checkInput(ctx, c, in)
		if err != nil {
			return err
		}
		params := dbsqlc.UpdateEndpointParams{ID: row.ID, Url: in.URL, EventTypes: types, TournamentID: tid,
			Description: in.Description, DisabledAt: row.DisabledAt, DisabledReason: row.DisabledReason,
			FailingSince: row.FailingSince, Now: s.now()}
		if p.Disabled != nil {
			switch {
			case *p.Disabled && row.DisabledAt == nil:
				now, reason := s.now(), "disabled by its owner"
				params.DisabledAt, params.DisabledReason = &now, &reason
			case !*p.Disabled:
				params.DisabledAt, params.DisabledReason, params.FailingSince = nil, nil, nil
			}
		}
		if out, err = s.q.UpdateEndpoint(ctx, tx, params); err != nil {
			return err
		}
		if out.DisabledAt == nil && row.DisabledAt != nil { // resumed: what piled up is sent
			return s.wakeTx(ctx, tx, []uuid.UUID{out.ID})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return endpointOf(out), nil
}

// Delete removes one of the caller's endpoints with its messages and attempts. Errors:
// EUNAUTHORIZED, ENOTFOUND.
func (s *Service) Delete(ctx context.Context, endpointID string) error {
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, _, err := s.mine(ctx, tx, endpointID)
		if err != nil {
			return err
		}
		return s.q.DeleteEndpoint(ctx, tx, row.ID)
	})
}

// RotateSecret gives an endpoint a new secret and returns it (shown this once); the old
// one keeps signing beside it for SecretOverlap, so receivers can switch without losing a
// message. Errors: EUNAUTHORIZED, ENOTFOUND.
func (s *Service) RotateSecret(ctx context.Context, endpointID string) (*Endpoint, error) {
	secret := newSecret()
	var out dbsqlc.WebhookEndpoint
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, _, err := s.mine(ctx, tx, endpointID)
		if err != nil {
			return err
		}
		out, err = s.q.RotateSecret(ctx, tx, dbsqlc.RotateSecretParams{ID: row.ID, Secret: secret,
			PreviousUntil: new(s.now().Add(s.cfg.SecretOverlap)), Now: s.now()})
		return err
	})
	if err != nil {
		return nil, err
	}
	e := endpointOf(out)
	e.Secret = secret
	return e, nil
}

// secrets are the secrets that sign an endpoint's messages now.
func (s *Service) secrets(r dbsqlc.WebhookEndpoint) []string {
	out := []string{r.Secret}
	if r.PreviousSecret != nil && r.PreviousUntil != nil && s.now().Before(*r.PreviousUntil) {
		out = append(out, *r.PreviousSecret)
	}
	return out
}
