package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/webhook/internal/dbsqlc"
)

// dispatchBatch is how many events one dispatch matches.
const dispatchBatch = 500

// Dispatch runs the dispatcher until ctx ends, beside the River workers of `arena serve`
// and `arena worker`: woken by each commit that appends events (and every second, for an
// event that became readable without a notification of its own), it matches the new events
// to the endpoints. Processes take turns; one matches at a time.
func (s *Service) Dispatch(ctx context.Context) {
	db.Follow(ctx, s.raw, events.Channel, time.Second, func(ctx context.Context) {
		for {
			n, err := s.dispatch(ctx)
			if err != nil && ctx.Err() == nil {
				s.cfg.Logger.Error("webhook dispatch failed", "err", err)
			}
			if err != nil || n < dispatchBatch {
				return
			}
		}
	})
}

// dispatch matches the next events to the endpoints in one transaction: it writes a
// message per endpoint and event, queues a deliver job for each endpoint that gained one
// and had none, and moves the dispatcher's place past them. It returns how many events it
// read.
func (s *Service) dispatch(ctx context.Context) (int, error) {
	var read int
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		after, err := s.q.LockDispatch(ctx, tx)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // another process has the turn
		} else if err != nil {
			return err
		}
		evs, err := s.cfg.Log.SinceTx(ctx, tx, after, dispatchBatch)
		if err != nil || len(evs) == 0 {
			return err
		}
		read = len(evs)
		endpoints, err := s.q.ActiveEndpoints(ctx, tx)
		if err != nil {
			return err
		}
		organizers, err := s.organizersOf(ctx, tx, endpoints, evs)
		if err != nil {
			return err
		}
		p := dbsqlc.InsertMessagesParams{Now: s.now()}
		var touched []uuid.UUID
		for _, e := range evs {
			var body []byte
			for _, ep := range endpoints {
				if !wants(ep, e, organizers) {
					continue
				}
				if body == nil {
					if body, err = json.Marshal(message{Type: string(e.Type), Timestamp: e.CreatedAt, Data: e}); err != nil {
						return err
					}
				}
				p.EndpointIds, p.EventIds = append(p.EndpointIds, ep.ID), append(p.EventIds, e.Cursor)
				p.EventTypes, p.Bodies = append(p.EventTypes, string(e.Type)), append(p.Bodies, body)
				if !slices.Contains(touched, ep.ID) {
					touched = append(touched, ep.ID)
				}
			}
		}
		if len(touched) > 0 {
			if err := s.q.InsertMessages(ctx, tx, p); err != nil {
				return err
			}
			if err := s.scheduleTx(ctx, tx, touched); err != nil {
				return err
			}
		}
		return s.q.SetDispatch(ctx, tx, evs[len(evs)-1].Cursor)
	})
	return read, err
}

// message is the body receivers get: the Standard Webhooks envelope around the logged event.
type message struct {
	Type      string             `json:"type"`
	Timestamp time.Time          `json:"timestamp"`
	Data      events.LoggedEvent `json:"data"`
}

// organizersOf maps the batch's tournaments to their organizers, when an organizer's
// endpoint needs them.
func (s *Service) organizersOf(ctx context.Context, tx pgx.Tx, endpoints []dbsqlc.ActiveEndpointsRow, evs []events.LoggedEvent) (map[uuid.UUID]uuid.UUID, error) {
	if !slices.ContainsFunc(endpoints, func(ep dbsqlc.ActiveEndpointsRow) bool { return ep.Scope == ScopeOrganized }) {
		return nil, nil
	}
	var ids []uuid.UUID
	for _, e := range evs {
		if e.TournamentID != nil && !slices.Contains(ids, *e.TournamentID) {
			ids = append(ids, *e.TournamentID)
		}
	}
	return s.cfg.Tournaments.OrganizersTx(ctx, tx, ids)
}

// wants reports whether endpoint ep receives event e: one of its types, of its tournament,
// within its scope, and after the log's head when the endpoint was made. Wallet and other
// users' events (visibility user) never leave Arena this way.
func wants(ep dbsqlc.ActiveEndpointsRow, e events.LoggedEvent, organizers map[uuid.UUID]uuid.UUID) bool {
	switch {
	case !events.Follows(e.Cursor, ep.After):
		return false
	case len(ep.EventTypes) > 0 && !slices.Contains(ep.EventTypes, string(e.Type)):
		return false
	case ep.TournamentID != nil && (e.TournamentID == nil || *e.TournamentID != *ep.TournamentID):
		return false
	case ep.Scope == ScopeAll:
		return e.Visibility == events.Public
	}
	return e.Visibility != events.User && e.TournamentID != nil && organizers[*e.TournamentID] == ep.OwnerID
}

// scheduleTx queues a deliver job for each endpoint that has none.
func (s *Service) scheduleTx(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) error {
	fresh, err := s.q.Schedule(ctx, tx, ids)
	if err != nil || len(fresh) == 0 {
		return err
	}
	params := make([]river.InsertManyParams, len(fresh))
	for i, id := range fresh {
		params[i] = river.InsertManyParams{Args: DeliverArgs{EndpointID: id}}
	}
	jobs, err := s.cfg.Jobs.InsertManyTx(ctx, tx, params)
	if err != nil {
		return err
	}
	set := dbsqlc.SetJobsParams{Ids: fresh}
	for _, j := range jobs {
		set.JobIds = append(set.JobIds, j.Job.ID)
	}
	return s.q.SetJobs(ctx, tx, set)
}

// wakeTx has endpoints deliver now: a job for each that has none, and the job of each that
// has one made available at once (it may be waiting for a retry's time).
func (s *Service) wakeTx(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) error {
	waiting, err := s.q.ScheduledJobs(ctx, tx, ids)
	if err != nil {
		return err
	}
	for _, job := range waiting {
		if _, err := s.cfg.Jobs.JobRetryTx(ctx, tx, job); err != nil && !errors.Is(err, river.ErrNotFound) {
			return err
		}
	}
	return s.scheduleTx(ctx, tx, ids)
}
