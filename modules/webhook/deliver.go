package webhook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/webhook/internal/dbsqlc"
)

// DeliverArgs sends an endpoint's pending messages in order. An endpoint has one such job
// at a time (webhook_endpoints.scheduled), so its messages never race each other.
type DeliverArgs struct {
	EndpointID uuid.UUID `json:"endpoint_id"`
}

// Kind implements river.JobArgs.
func (DeliverArgs) Kind() string { return "webhook.deliver" }

// InsertOpts implements river.JobArgsWithInsertOpts: deliveries have their own queue, and a
// failed run (the database was gone) is tried again for as long as it takes.
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: db.QueueWebhooks, MaxAttempts: 1000}
}

// slice is how long a deliver job sends before it yields its worker to other endpoints
// (it is queued again at once); one send takes at most sendTimeout, so a job stays within
// its timeout, and that within db.RescueStuckJobsAfter.
const slice = time.Second

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	s *Service
}

// Timeout implements river.Worker: one send's ten seconds and the bookkeeping around it.
func (deliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration {
	return sendTimeout + 2*time.Second
}

// AddWorkers registers the deliver worker.
func (s *Service) AddWorkers(workers *river.Workers) {
	river.AddWorker(workers, &deliverWorker{s: s})
}

// Work sends the endpoint's pending messages, oldest first, each until it succeeds or its
// retries are spent; it waits (snoozes) for a retry's time, and ends once nothing is
// pending. Every attempt is recorded with its message's new state in one transaction.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	s := w.s
	start := time.Now()
	for {
		ep, err := s.q.GetEndpoint(ctx, s.pool, job.Args.EndpointID)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // deleted
		} else if err != nil {
			return err
		}
		m, err := s.q.NextMessage(ctx, s.pool, ep.ID)
		switch {
		case ep.DisabledAt != nil || errors.Is(err, pgx.ErrNoRows):
			done, err := s.unschedule(ctx, ep.ID)
			if err != nil || done {
				return err
			}
			continue // a message came in meanwhile
		case err != nil:
			return err
		case time.Until(m.NextAttemptAt) >= slice:
			return river.JobSnooze(time.Until(m.NextAttemptAt)) // River's scheduler wakes it
		case time.Since(start) > slice:
			return river.JobSnooze(0)
		case time.Until(m.NextAttemptAt) > 0:
			time.Sleep(time.Until(m.NextAttemptAt)) // shorter than a trip through River's scheduler
		}
		out := s.send(ctx, ep.Url, m.EventID, m.Body, s.secrets(ep))
		if err := s.record(ctx, ep, m, out); err != nil {
			return err
		}
	}
}

// unschedule ends the endpoint's job if nothing is pending, under the endpoint's row lock
// (see the Unschedule query); it reports whether it did.
func (s *Service) unschedule(ctx context.Context, id uuid.UUID) (bool, error) {
	done := false
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := s.q.LockEndpoint(ctx, tx, id); errors.Is(err, pgx.ErrNoRows) {
			done = true // deleted meanwhile
			return nil
		} else if err != nil {
			return err
		}
		_, err := s.q.Unschedule(ctx, tx, id)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // a message is pending: the job goes on
		}
		done = err == nil
		return err
	})
	return done && err == nil, err
}

// record stores an attempt at message m and what follows from it: delivered; retried after
// the schedule's next wait, or given up once it is spent; the endpoint failing since its
// first failure, and disabled — its owner told — after a 410 or FailureWindow of failures.
func (s *Service) record(ctx context.Context, ep dbsqlc.WebhookEndpoint, m dbsqlc.NextMessageRow, out outcome) error {
	// Retry times are River's — real — time, like the job's own schedule; the failure
	// window is the application's clock.
	now, real := s.now(), time.Now()
	attempt := m.Attempts + 1
	status, next := "delivered", real
	var retryAt *time.Time
	failingSince, disabledAt, reason := (*time.Time)(nil), (*time.Time)(nil), (*string)(nil)
	if !out.ok {
		status = "failed"
		if int(attempt) <= len(s.cfg.Retries) {
			status, next = "pending", real.Add(s.cfg.Retries[attempt-1])
			retryAt = &next
		}
		failingSince = &now
		if ep.FailingSince != nil {
			failingSince = ep.FailingSince
		}
		switch {
		case out.status != nil && *out.status == http.StatusGone:
			disabledAt, reason = &now, new("the endpoint answered 410 Gone")
		case now.Sub(*failingSince) >= s.cfg.FailureWindow:
			disabledAt, reason = &now, new(fmt.Sprintf("every attempt failed for %.0f days", s.cfg.FailureWindow.Hours()/24))
		}
		if disabledAt != nil && status == "pending" {
			retryAt = nil // it waits for the endpoint to be resumed
		}
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := s.q.InsertAttempt(ctx, tx, dbsqlc.InsertAttemptParams{ID: db.NewID(), EndpointID: ep.ID,
			MessageSeq: &m.Seq, EventID: m.EventID, EventType: m.EventType, Attempt: attempt, Succeeded: out.ok,
			StatusCode: out.status, LatencyMs: int32(out.latency.Milliseconds()), Error: errorText(out.err),
			Response: out.response, NextRetryAt: retryAt, Now: now}); err != nil {
			return err
		}
		if err := s.q.SetMessage(ctx, tx, dbsqlc.SetMessageParams{Seq: m.Seq, Status: status, Attempts: attempt,
			NextAttemptAt: next}); err != nil {
			return err
		}
		if out.ok && ep.FailingSince == nil {
			return nil // the endpoint was well and stays so
		}
		if err := s.q.SetFailing(ctx, tx, dbsqlc.SetFailingParams{ID: ep.ID, FailingSince: failingSince,
			DisabledAt: disabledAt, DisabledReason: reason}); err != nil {
			return err
		}
		if disabledAt == nil {
			return nil
		}
		return events.AppendTx(ctx, tx, now, events.Event{Type: events.WebhookDisabled, Visibility: events.User,
			UserID: ep.OwnerID, Payload: events.WebhookData{WebhookID: ep.ID, URL: ep.Url, Reason: *reason}})
	})
}

func errorText(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
