package wallet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/modules/wallet/internal/dbsqlc"
)

const (
	// keyLifetime is how long a key's first result is kept and replayed.
	keyLifetime = 24 * time.Hour
	// keyHold is how long a claimed key stays its request's without a renewal. The request
	// renews it every keyHold/3 while it runs, so a key is taken over by a retry (with the
	// same body) within keyHold of its process dying, and never while it lives. The
	// operations are idempotent in the ledger too, so running one again cannot move money
	// twice.
	keyHold = 9 * time.Second
)

// storedResult is the first result of a key: the output, or the client error it got.
type storedResult struct {
	Output  json.RawMessage `json:"output,omitempty"`
	Code    string          `json:"code,omitempty"`
	Message string          `json:"message,omitempty"`
}

// claimKey starts the request (user, key) for holder, a random id of the request, or finds
// its first result. It returns nil when the caller should run the operation. Errors: EINVALID (the key was used for a different
// request), ECONFLICT (the first request is still running).
func (s *Service) claimKey(ctx context.Context, user, holder uuid.UUID, key, op string, hash []byte) (*storedResult, error) {
	now := s.now()
	for attempt := 0; attempt < 2; attempt++ {
		_, err := s.q.ClaimKey(ctx, s.pool, dbsqlc.ClaimKeyParams{UserID: user, Key: key, Operation: op, RequestHash: hash,
			Now: now, ExpiresAt: now.Add(keyLifetime), Holder: &holder, HoldSeconds: keyHold.Seconds()})
		if err == nil {
			return nil, nil
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return nil, err
		}
		prev, err := s.q.GetKey(ctx, s.pool, dbsqlc.GetKeyParams{UserID: user, Key: key})
		if errors.Is(err, pgx.ErrNoRows) {
			continue // purged in between: claim again
		} else if err != nil {
			return nil, err
		}
		if prev.ExpiresAt.After(now) && (prev.Operation != op || !bytes.Equal(prev.RequestHash, hash)) {
			return nil, arena.Errorf(arena.EKEYREUSED, "This Idempotency-Key was already used for a different request; use a new key for a new request.")
		}
		if prev.ExpiresAt.After(now) && prev.Response != nil {
			var r storedResult
			if err := json.Unmarshal(prev.Response, &r); err != nil {
				return nil, err
			}
			return &r, nil
		}
		_, err = s.q.ReclaimKey(ctx, s.pool, dbsqlc.ReclaimKeyParams{Operation: op, RequestHash: hash, Now: now,
			ExpiresAt: now.Add(keyLifetime), UserID: user, Key: key, Holder: &holder, HoldSeconds: keyHold.Seconds()})
		if err == nil {
			return nil, nil
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return nil, err
		}
		return nil, arena.Errorf(arena.ECONFLICT, "A request with this Idempotency-Key is still being processed; retry later.")
	}
	return nil, arena.Errorf(arena.ECONFLICT, "A request with this Idempotency-Key is still being processed; retry later.")
}

// holdKey renews the hold on (user, key) every keyHold/3 until the returned function is
// called, which waits for the renewals to stop. A renewal that fails is tried again at the
// next tick; should the hold lapse all the same, a retry may run the operation a second
// time, which the ledger's own idempotency keys make harmless.
func (s *Service) holdKey(ctx context.Context, user, holder uuid.UUID, key string) (release func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(keyHold / 3)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				_ = s.q.RenewKey(ctx, s.pool, dbsqlc.RenewKeyParams{HoldSeconds: keyHold.Seconds(), UserID: user, Key: key, Holder: &holder})
			}
		}
	}()
	return func() { cancel(); <-done }
}

// saveResult keeps the first result of (user, key) for replays.
func (s *Service) saveResult(ctx context.Context, user, holder uuid.UUID, key string, r storedResult) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.q.SaveResponse(context.WithoutCancel(ctx), s.pool, dbsqlc.SaveResponseParams{Response: b, UserID: user, Key: key, Holder: &holder})
}

// releaseKey forgets a request that failed with an internal error, so it can be retried.
func (s *Service) releaseKey(ctx context.Context, user, holder uuid.UUID, key string) error {
	return s.q.ReleaseKey(context.WithoutCancel(ctx), s.pool, dbsqlc.ReleaseKeyParams{UserID: user, Key: key, Holder: &holder})
}
