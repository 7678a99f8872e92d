package db

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Pool is the pool a module runs its statements on: a pgxpool.Pool whose single statements
// (those run outside a transaction) are run again when their connection was lost — its
// backend terminated by an administrator or a failover, the network cut — up to
// MaxTxAttempts times. Pooled connections die with their backend, so without it every
// terminated backend would surface as one request's 500.
//
// Running a statement again is safe only if running it twice does what running it once
// does. Reads are; so are the writes modules run on the pool (upserts, updates to a value,
// deletes, inserts that ignore their own duplicate). A write that must happen exactly once
// and cannot tell its own duplicate runs in InTx, which finds out whether a lost commit
// committed instead of running again blindly.
type Pool struct{ *pgxpool.Pool }

// Statements wraps pool for a module's statements.
func Statements(pool *pgxpool.Pool) *Pool { return &Pool{Pool: pool} }

// Exec runs sql, again if its connection was lost.
func (p *Pool) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	for attempt := 1; ; attempt++ {
		tag, err := p.Pool.Exec(ctx, sql, args...)
		if err == nil || !again(ctx, attempt, err) {
			return tag, err
		}
	}
}

// Query runs sql, again if its connection was lost before the first row arrived (the
// first row is read here to know). A connection lost in the middle of the rows is
// reported by Rows.Err, as pgx does.
func (p *Pool) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	for attempt := 1; ; attempt++ {
		rows, err := p.Pool.Query(ctx, sql, args...)
		if err != nil {
			if again(ctx, attempt, err) {
				continue
			}
			return nil, err
		}
		if rows.Next() {
			return &peekedRows{Rows: rows, peeked: true}, nil
		}
		rows.Close()
		if err := rows.Err(); err != nil && again(ctx, attempt, err) {
			continue
		}
		return rows, nil
	}
}

// QueryRow runs sql when the row is scanned, again if its connection was lost.
func (p *Pool) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return retriedRow{ctx: ctx, pool: p.Pool, sql: sql, args: args}
}

type retriedRow struct {
	ctx  context.Context
	pool *pgxpool.Pool
	sql  string
	args []any
}

func (r retriedRow) Scan(dest ...any) error {
	for attempt := 1; ; attempt++ {
		err := r.pool.QueryRow(r.ctx, r.sql, r.args...).Scan(dest...)
		if err == nil || !again(r.ctx, attempt, err) {
			return err
		}
	}
}

// peekedRows are rows whose first row Query has already read.
type peekedRows struct {
	pgx.Rows
	peeked bool
}

func (r *peekedRows) Next() bool {
	if r.peeked {
		r.peeked = false
		return true
	}
	return r.Rows.Next()
}

// again reports whether the attempt that failed with err is worth another, after pausing.
func again(ctx context.Context, attempt int, err error) bool {
	if attempt >= MaxTxAttempts || !connectionLost(err) {
		return false
	}
	return pause(ctx, attempt)
}

// pause waits before attempt+1: 2 ms doubling to at most 200 ms, jittered so that the
// transactions a deadlock or a lost backend set back do not meet again; false if ctx ended
// first.
func pause(ctx context.Context, attempt int) bool {
	wait := min(time.Duration(1<<attempt)*time.Millisecond, 200*time.Millisecond)
	select {
	case <-ctx.Done():
		return false
	case <-time.After(wait + rand.N(wait/2+time.Millisecond)):
		return true
	}
}
