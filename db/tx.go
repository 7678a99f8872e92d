package db

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// InTx runs fn in a transaction on pool, committing when fn returns nil and rolling back
// otherwise. It is the one way a module opens a transaction of its own, so that what every
// transaction needs (retrying a serialization failure or deadlock, flushing the events the
// transaction appended) lives in one place.
func InTx(ctx context.Context, pool *pgxpool.Pool, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, pool, fn)
}
