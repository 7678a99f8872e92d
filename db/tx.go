package db

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// MaxTxAttempts bounds how often InTx runs a transaction (and Pool a statement) that keeps
// failing for a reason that a new attempt can cure (a deadlock, a serialization failure, a
// lost connection). With the pauses between them (pause) the attempts span about a second:
// enough to ride out a burst of terminated backends, short of a client's timeout.
const MaxTxAttempts = 10

// InTx runs fn in a transaction on pool, committing when fn returns nil and rolling back
// otherwise. It is the one way a module opens a transaction of its own, so that what every
// transaction needs lives in one place:
//
//   - A transaction that fails because Postgres chose it as a deadlock victim or could not
//     serialize it (40P01, 40001), or because its connection was lost or its backend
//     terminated before it committed, is run again from the start in a new transaction, up
//     to MaxTxAttempts times with a short jittered pause. fn must therefore be safe to run
//     more than once: it may read and assign variables of its caller, but everything it
//     writes goes through tx, which a failed attempt rolls back.
//   - A connection lost during COMMIT leaves the outcome unknown to the client. InTx reads
//     the transaction's id just before committing and, when the commit's answer is lost,
//     asks Postgres (pg_xact_status) on another connection whether it committed: committed
//     is success, aborted is retried. Reading the id costs every transaction one round trip
//     (it is null, and nothing is asked, for one that wrote nothing).
func InTx(ctx context.Context, pool TxPool, fn func(tx pgx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := attemptTx(ctx, pool, fn)
		if err == nil || attempt == MaxTxAttempts || !Retryable(err) || !pause(ctx, attempt) {
			return err
		}
	}
}

// TxPool is what InTx needs of a pool: a *Pool or a *pgxpool.Pool.
type TxPool interface {
	Begin(ctx context.Context) (pgx.Tx, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// attemptTx is one attempt of InTx.
func attemptTx(ctx context.Context, pool TxPool, fn func(tx pgx.Tx) error) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(ctx) }() // a no-op once committed
	state := &txState{}
	open.Store(tx, state)
	defer open.Delete(tx)
	if err := fn(tx); err != nil {
		return err
	}
	for _, hook := range state.hooks {
		if err := hook(ctx, tx); err != nil {
			return err
		}
	}
	var xid pgtype.Text // xid8 as text: null when the transaction wrote nothing
	if err := tx.QueryRow(ctx, "SELECT pg_current_xact_id_if_assigned()::text").Scan(&xid); err != nil {
		return err
	}
	err = tx.Commit(ctx)
	if err == nil || !xid.Valid || !connectionLost(err) {
		return err
	}
	return commitOutcome(ctx, pool, xid.String, err)
}

// open holds what each transaction InTx opened keeps until it ends: the work to do just
// before its COMMIT, and values its participants share. A transaction belongs to one
// goroutine at a time, so its state needs no lock.
var open sync.Map // pgx.Tx → *txState

type txState struct {
	hooks  []func(context.Context, pgx.Tx) error
	values map[any]any
}

// BeforeCommit has InTx run fn in tx just before committing it, and reports true; it reports
// false for a transaction InTx did not open, whose caller must do the work itself.
func BeforeCommit(tx pgx.Tx, fn func(context.Context, pgx.Tx) error) bool {
	st, ok := open.Load(tx)
	if ok {
		st.(*txState).hooks = append(st.(*txState).hooks, fn)
	}
	return ok
}

// TxLocal returns the value tx holds under key, made by create on first use, and true; for
// a transaction InTx did not open, nil and false. The value lives as long as the
// transaction: the event log keeps a transaction's events in it until BeforeCommit writes
// them in one statement.
func TxLocal(tx pgx.Tx, key any, create func() any) (any, bool) {
	st, ok := open.Load(tx)
	if !ok {
		return nil, false
	}
	state := st.(*txState)
	if state.values == nil {
		state.values = map[any]any{}
	}
	v, made := state.values[key]
	if !made {
		v = create()
		state.values[key] = v
	}
	return v, true
}

// commitOutcome finds out whether the transaction xid, whose COMMIT lost its connection,
// committed. The backend may still be finishing it, so "in progress" is asked again
// briefly; an outcome that stays unknown is returned as commitErr, not retried.
func commitOutcome(ctx context.Context, pool TxPool, xid string, commitErr error) error {
	for range 50 {
		var status pgtype.Text
		err := pool.QueryRow(ctx, "SELECT pg_xact_status($1::text::xid8)", xid).Scan(&status)
		switch {
		case err != nil:
			return fmt.Errorf("commit outcome of %s unknown: %w (checking: %v)", xid, commitErr, err)
		case status.String == "committed":
			return nil
		case status.String == "aborted":
			return commitErr // retryable: connectionLost
		}
		select {
		case <-ctx.Done():
			return commitErr
		case <-time.After(10 * time.Millisecond):
		}
	}
	return fmt.Errorf("commit outcome of %s unknown after 500 ms: %w", xid, commitErr)
}

// Retryable reports whether err ended a transaction in a way that a new attempt of the same
// work can cure: a deadlock or serialization failure, or the loss of the connection or of
// its backend (terminated by an administrator, a crash or a restart) before a commit.
func Retryable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "40001", "40P01":
			return true
		}
	}
	return connectionLost(err)
}

// connectionLost reports whether err means the session is gone: its backend was terminated
// (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now), the connection
// failed (class 08) or closed under the client, or nothing was sent at all.
func connectionLost(err error) bool {
	if pgconn.SafeToRetry(err) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03" || pgErr.Code[:2] == "08"
	}
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		return true
	}
	// A connection closed under a running statement surfaces as an unexpected EOF or a
	// network error, wrapped by pgconn; afterwards every use of the conn is ErrConnClosed.
	var netErr net.Error
	return errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF) || (errors.As(err, &netErr) && !netErr.Timeout())
}
