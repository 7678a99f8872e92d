package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/identity/internal/dbsqlc"
)

// Session is a login: an opaque bearer token and when it ends at the latest.
type Session struct {
	Token     string    `json:"token" doc:"Bearer token for the Authorization header. Shown once; store it securely."`
	ExpiresAt time.Time `json:"expires_at" doc:"Absolute end of the session; it ends earlier when idle."`
	User      *User     `json:"user"`
}

// LockedError is the ERATELIMITED error of a locked account; RetryAfter says when to try
// again, for the Retry-After header.
type LockedError struct {
	Err        *arena.Error
	RetryAfter time.Duration
}

// Unwrap exposes the arena.Error to arena.ErrorCode.
func (e *LockedError) Unwrap() error { return e.Err }

// Error implements error.
func (e *LockedError) Error() string { return e.Err.Error() }

// badCredentials is the one answer for an unknown account and a wrong password, so the two
// cannot be told apart.
var badCredentials = arena.Errorf(arena.EUNAUTHORIZED, "Invalid login or password.")

// Login checks a login (email or handle) and password and opens a session. After
// MaxFailures failures within FailureWindow the account is locked, whatever addresses the
// attempts came from. Errors: EUNAUTHORIZED (bad credentials), ERATELIMITED (*LockedError).
func (s *Service) Login(ctx context.Context, login, password string) (*Session, error) {
	now := s.now()
	acct, err := s.q.GetLogin(ctx, s.pool, login)
	if errors.Is(err, pgx.ErrNoRows) {
		_, _, _ = verifyPassword(password, dummyHash())
		return nil, badCredentials
	} else if err != nil {
		return nil, err
	}
	if acct.LockedUntil != nil && acct.LockedUntil.After(now) {
		return nil, s.locked(acct.LockedUntil.Sub(now))
	}
	ok, stale, err := verifyPassword(password, acct.PasswordHash)
	if err != nil {
		return nil, fmt.Errorf("verify password of %s: %w", acct.ID, err)
	}
	if !ok {
		return nil, s.recordFailure(ctx, acct.ID, now)
	}

	// Success: clear the failure record if there is one, upgrade a weak hash, and open
	// the session. Each statement stands alone; none needs the others to be atomic.
	if acct.Throttled {
		if err := s.q.ClearLoginThrottle(ctx, s.pool, acct.ID); err != nil {
			return nil, err
		}
	}
	if stale {
		if h, err := hashPassword(password); err != nil {
			return nil, err
		} else if err := s.q.SetPasswordHash(ctx, s.pool, dbsqlc.SetPasswordHashParams{PasswordHash: h, ID: acct.ID}); err != nil {
			return nil, err
		}
	}
	token, hash, err := newToken()
	if err != nil {
		return nil, err
	}
	expires := now.Add(s.cfg.SessionLifetime)
	if err := s.q.InsertSession(ctx, s.pool, dbsqlc.InsertSessionParams{TokenHash: hash, UserID: acct.ID, Now: now, ExpiresAt: expires}); err != nil {
		return nil, err
	}
	user := toUser(dbsqlc.GetUserRow{ID: acct.ID, Email: acct.Email, Handle: acct.Handle, DisplayName: acct.DisplayName,
		Country: acct.Country, Roles: acct.Roles, CreatedAt: acct.CreatedAt, UpdatedAt: acct.UpdatedAt})
	return &Session{Token: token, ExpiresAt: expires, User: user}, nil
}

// recordFailure counts a failed login and locks the account when the count reaches
// MaxFailures; the lock doubles with each lockout since the last successful login.
// The count and the lock are one transaction, so that a failure is counted once even when
// the connection is lost while it commits.
func (s *Service) recordFailure(ctx context.Context, userID uuid.UUID, now time.Time) error {
	var lock time.Duration
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.q.RecordLoginFailure(ctx, tx, dbsqlc.RecordLoginFailureParams{
			UserID: userID, Now: now, WindowStart: now.Add(-s.cfg.FailureWindow)})
		if err != nil || int(row.Failures) < s.cfg.MaxFailures {
			lock = 0
			return err
		}
		lock = s.cfg.LockoutBase
		for i := int32(0); i < row.Lockouts && lock < s.cfg.LockoutMax; i++ {
			lock *= 2
		}
		lock = min(lock, s.cfg.LockoutMax)
		return s.q.LockLogin(ctx, tx, dbsqlc.LockLoginParams{LockedUntil: ptr(now.Add(lock)), Now: now, UserID: userID})
	})
	switch {
	case err != nil:
		return err
	case lock == 0:
		return badCredentials
	}
	return s.locked(lock)
}

func (s *Service) locked(retryAfter time.Duration) error {
	return &LockedError{
		Err:        arena.Errorf(arena.ERATELIMITED, "Too many failed logins: this account is locked for now."),
		RetryAfter: retryAfter,
	}
}

// Logout ends the session of token. Ending an already-ended session is not an error.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.q.DeleteSession(ctx, s.pool, hashToken(token))
}

// touchEvery bounds how often an active session's last_seen_at is written: a request
// refreshes it only when it is older than this, so steady traffic costs no writes.
const touchEvery = time.Minute

// MinSessionIdle is the shortest idle timeout the configuration accepts. A session's
// last_seen_at moves at most once per touchEvery, so a session in steady use looks up to a
// minute idle: a timeout near that would end sessions in use, acting as a fixed lifetime.
// Five writes' worth keeps the deadline within 20% of what was asked.
const MinSessionIdle = 5 * touchEvery

// Authenticate resolves a bearer token to its caller: one primary-key lookup, plus a write
// at most once a minute per session to push its idle deadline. Errors: EUNAUTHORIZED.
func (s *Service) Authenticate(ctx context.Context, token string) (arena.Caller, error) {
	now := s.now()
	hash := hashToken(token)
	row, err := s.q.Authenticate(ctx, s.pool, dbsqlc.AuthenticateParams{TokenHash: hash, Now: now, IdleCutoff: now.Add(-s.cfg.SessionIdle)})
	if errors.Is(err, pgx.ErrNoRows) {
		return arena.Caller{}, arena.Errorf(arena.EUNAUTHORIZED, "The session is invalid, expired or revoked.")
	} else if err != nil {
		return arena.Caller{}, err
	}
	if now.Sub(row.LastSeenAt) > touchEvery {
		if err := s.q.TouchSession(ctx, s.pool, dbsqlc.TouchSessionParams{Now: now, TokenHash: hash}); err != nil {
			return arena.Caller{}, err
		}
	}
	return arena.Caller{ID: row.ID, Roles: row.Roles}, nil
}

// tokenBytes is 256 bits of randomness: unguessable, and no stretching is needed before
// storing its SHA-256.
const tokenBytes = 32

func newToken() (token string, hash []byte, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func ptr[T any](v T) *T { return &v }

// PurgeSessionsArgs is the periodic job that deletes sessions past their absolute expiry
// (idle ones are already refused by Authenticate and go at their expiry too).
type PurgeSessionsArgs struct{}

// Kind implements river.JobArgs.
func (PurgeSessionsArgs) Kind() string { return "identity.purge_sessions" }

// InsertOpts implements river.JobArgsWithInsertOpts: the job runs on db.QueueMaintenance.
func (PurgeSessionsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: db.QueueMaintenance}
}

// PurgeSessionsWorker runs PurgeSessionsArgs; running it twice is harmless.
type PurgeSessionsWorker struct {
	river.WorkerDefaults[PurgeSessionsArgs]
	Service *Service
}

// Work implements river.Worker.
func (w *PurgeSessionsWorker) Work(ctx context.Context, _ *river.Job[PurgeSessionsArgs]) error {
	_, err := w.Service.q.PurgeExpiredSessions(ctx, w.Service.pool, w.Service.now())
	return err
}

// AddWorkers registers the module's workers and periodic jobs with River.
func (s *Service) AddWorkers(workers *river.Workers) []*river.PeriodicJob {
	river.AddWorker(workers, &PurgeSessionsWorker{Service: s})
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return PurgeSessionsArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})}
}
