package db

import (
	"errors"
	"net"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/arenaesports/arena"
)

// NotFound maps pgx.ErrNoRows to an ENOTFOUND error naming what was missing, and passes
// every other error through. Modules call it at their edge, after a query that expects a row.
func NotFound(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return arena.Errorf(arena.ENOTFOUND, "%s not found.", what)
	}
	return err
}

// UniqueViolation returns the name of the unique index or constraint err violates, or "".
func UniqueViolation(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return pgErr.ConstraintName
	}
	return ""
}

// NewID returns a new public id: a UUIDv7, ordered by creation and not guessable by counting.
func NewID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// ParseID reads a client-supplied id. A malformed id names nothing, so it is reported like
// a missing object: ENOTFOUND naming what.
func ParseID(id, what string) (uuid.UUID, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return uuid.Nil, arena.Errorf(arena.ENOTFOUND, "%s not found.", what)
	}
	return u, nil
}

// Unreachable reports whether err says the database could not be reached — a refused or
// lost connection, a network timeout, a server shutting down or not yet accepting
// connections — rather than that a statement failed. Such a request may succeed if tried
// again shortly, so it is answered 503, not 500.
func Unreachable(err error) bool {
	var network net.Error
	return connectionLost(err) || errors.As(err, &network)
}
