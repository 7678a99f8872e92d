package webhook

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/webhook/internal/dbsqlc"
)

// pingType is the type of a ping's message (not an event of the log).
const pingType = "webhook.ping"

// Delivery is one attempt to deliver a message (or a ping) to an endpoint.
type Delivery struct {
	ID          uuid.UUID     `json:"id"`
	WebhookID   string        `json:"webhook_id" doc:"The message's webhook-id header: the event's cursor (ping_… for a ping)."`
	EventType   DeliveredType `json:"event_type"`
	Attempt     int32         `json:"attempt" doc:"1 for the first try of this message, then each retry."`
	Succeeded   bool          `json:"succeeded"`
	StatusCode  *int32        `json:"status_code,omitempty" doc:"The receiver's answer; absent when there was none."`
	LatencyMs   int32         `json:"latency_ms"`
	Error       *string       `json:"error,omitempty" doc:"Why there was no answer (timeout, refused address, …)."`
	Response    string        `json:"response" doc:"The first 256 bytes of the answer's body."`
	NextRetryAt *time.Time    `json:"next_retry_at,omitempty" doc:"When the message is tried again; absent when it was delivered or given up."`
	CreatedAt   time.Time     `json:"created_at"`
}

func deliveryOf(r dbsqlc.WebhookAttempt) Delivery {
	return Delivery{ID: r.ID, WebhookID: r.EventID, EventType: DeliveredType(r.EventType), Attempt: r.Attempt, Succeeded: r.Succeeded,
		StatusCode: r.StatusCode, LatencyMs: r.LatencyMs, Error: r.Error, Response: r.Response, NextRetryAt: r.NextRetryAt,
		CreatedAt: r.CreatedAt}
}

// Deliveries pages through one of the caller's endpoints' attempts, newest first. Errors:
// EUNAUTHORIZED, ENOTFOUND, EINVALID (cursor).
func (s *Service) Deliveries(ctx context.Context, endpointID string, page arena.Page) ([]Delivery, string, error) {
	ep, _, err := s.mine(ctx, nil, endpointID)
	if err != nil {
		return nil, "", err
	}
	cur := endpointCursor{CreatedAt: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), ID: uuid.Max}
	if page.Cursor != "" {
		if err := arena.DecodeCursor(page.Cursor, &cur); err != nil {
			return nil, "", err
		}
	}
	rows, err := s.q.ListAttempts(ctx, s.pool, dbsqlc.ListAttemptsParams{EndpointID: ep.ID, BeforeCreatedAt: cur.CreatedAt,
		BeforeID: cur.ID, MaxRows: int32(page.Limit) + 1})
	if err != nil {
		return nil, "", err
	}
	rows, next := arena.TrimPage(rows, page.Limit, func(r dbsqlc.WebhookAttempt) any { return endpointCursor{r.CreatedAt, r.ID} })
	out := make([]Delivery, len(rows))
	for i, r := range rows {
		out[i] = deliveryOf(r)
	}
	return out, next, nil
}

// Retry sends an attempt's message again, now and out of order (it was delivered, or given
// up): a manual redelivery, with the same webhook-id. Errors: EUNAUTHORIZED, ENOTFOUND,
// EINVALID (a ping), ECONFLICT (the endpoint is disabled).
func (s *Service) Retry(ctx context.Context, endpointID, deliveryID string) error {
	id, err := db.ParseID(deliveryID, "Delivery")
	if err != nil {
		return err
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		ep, _, err := s.mine(ctx, tx, endpointID)
		if err != nil {
			return err
		}
		a, err := s.q.GetAttempt(ctx, tx, dbsqlc.GetAttemptParams{ID: id, EndpointID: ep.ID})
		switch {
		case err != nil:
			return db.NotFound(err, "Delivery")
		case a.MessageSeq == nil:
			return arena.Errorf(arena.EINVALID, "A ping is not retried: ping again.")
		case ep.DisabledAt != nil:
			return arena.Errorf(arena.ECONFLICT, "The webhook is disabled (%s); resume it first.", *ep.DisabledReason)
		}
		if err := s.q.Redeliver(ctx, tx, dbsqlc.RedeliverParams{Seq: *a.MessageSeq, Now: s.now()}); err != nil {
			return err
		}
		return s.wakeTx(ctx, tx, []uuid.UUID{ep.ID})
	})
}

// Ping sends a webhook.ping message to one of the caller's endpoints at once, disabled or
// not, and returns the attempt. Errors: EUNAUTHORIZED, ENOTFOUND.
func (s *Service) Ping(ctx context.Context, endpointID string) (*Delivery, error) {
	ep, _, err := s.mine(ctx, nil, endpointID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	body, err := json.Marshal(map[string]any{"type": pingType, "timestamp": now, "data": map[string]any{"webhook_id": ep.ID}})
	if err != nil {
		return nil, err
	}
	id := "ping_" + db.NewID().String()
	out := s.send(ctx, ep.Url, id, body, s.secrets(ep))
	var row dbsqlc.WebhookAttempt
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) (err error) {
		row, err = s.q.InsertAttempt(ctx, tx, dbsqlc.InsertAttemptParams{ID: db.NewID(), EndpointID: ep.ID, EventID: id,
			EventType: pingType, Attempt: 1, Succeeded: out.ok, StatusCode: out.status,
			LatencyMs: int32(out.latency.Milliseconds()), Error: errorText(out.err), Response: out.response, Now: now})
		return err
	})
	if err != nil {
		return nil, err
	}
	d := deliveryOf(row)
	return &d, nil
}
