package match

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/match/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/tournament"
)

// Re-seeding is allowed until a result exists: while every match is open and unreported, or
// a bye the bracket was laid with (a Swiss round's bye decides nothing players did). Once a
// side has reported or a match is decided, the bracket stands.

// SwapSeeds exchanges the entrants at two seeds of a running tournament's bracket before any
// result exists: each takes the other's place in every match (and, in round robin, group),
// and the bracket's seeding becomes manual. The organizer only. Errors: EUNAUTHORIZED,
// ENOTFOUND (no bracket), EFORBIDDEN, EINVALID (the same seed twice, a seed with no
// entrant), ECONFLICT (not running, a result exists).
func (s *Service) SwapSeeds(ctx context.Context, tournamentID string, a, b int32) (*Bracket, error) {
	if a == b {
		return nil, arena.Errorf(arena.EINVALID, "Swap two different seeds.")
	}
	err := s.reseed(ctx, tournamentID, func(tx pgx.Tx, tid uuid.UUID) error {
		n, err := s.q.SwapEntrants(ctx, tx, dbsqlc.SwapEntrantsParams{TournamentID: tid, SeedA: a, SeedB: b})
		if err == nil && n == 0 {
			err = arena.Errorf(arena.EINVALID, "Seeds %d and %d are not both in the bracket.", a, b)
		}
		if err != nil {
			return err
		}
		return events.AppendTx(ctx, tx, s.now(), events.Event{Type: events.BracketReseeded, Visibility: events.Public,
			TournamentID: tid, Payload: events.SeedSwapData{SeedA: a, SeedB: b}})
	})
	if err != nil {
		return nil, err
	}
	return s.GetBracket(ctx, tournamentID)
}

// DeleteBracket throws a running tournament's bracket away before any result exists, and
// takes the tournament back to the status it started from (check_in when it had a check-in,
// registration_closed otherwise) in the same transaction, so it is never running without a
// bracket: the organizer starts it again (start or POST …/bracket) with other options or
// seeding. Round times planned with ScheduleRounds are kept for the next bracket. The
// organizer only. Errors: EUNAUTHORIZED, ENOTFOUND (no bracket), EFORBIDDEN, ECONFLICT (not
// running, a result exists).
func (s *Service) DeleteBracket(ctx context.Context, tournamentID string) error {
	return s.reseed(ctx, tournamentID, func(tx pgx.Tx, tid uuid.UUID) error {
		gone, err := s.q.DeleteBracket(ctx, tx, tid)
		if err != nil {
			return err
		}
		if err := events.AppendTx(ctx, tx, s.now(), events.Event{Type: events.BracketDeleted, Visibility: events.Public,
			TournamentID: tid, Payload: events.BracketData{Format: gone.Format, Entrants: int(gone.Entrants)}}); err != nil {
			return err
		}
		_, err = s.cfg.Tournaments.UnstartTx(ctx, tx, tid)
		return err
	})
}

// reseed runs fn on a running tournament's bracket with no result yet, for its organizer.
// It locks the bracket row, then every match (so that no report lands meanwhile), in the
// order the Swiss pairing and the completion of a tournament take them: bracket, matches,
// then — in fn — the tournament.
func (s *Service) reseed(ctx context.Context, tournamentID string, fn func(pgx.Tx, uuid.UUID) error) error {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return err
	}
	tid, err := db.ParseID(tournamentID, "Tournament")
	if err != nil {
		return err
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		b, err := s.lockBracket(ctx, tx, tid, c.ID)
		if err != nil {
			return err
		}
		if !c.CanManage(b.OrganizerID) {
			return arena.Errorf(arena.EFORBIDDEN, "Only the organizer re-seeds the bracket.")
		}
		if b.TournamentStatus != tournament.StatusRunning {
			return arena.Errorf(arena.ECONFLICT, "The tournament is %s; its bracket stands.", b.TournamentStatus)
		}
		played, err := s.q.PlayedMatches(ctx, tx, tid)
		if err != nil {
			return err
		}
		if played > 0 {
			return arena.Errorf(arena.ECONFLICT, "A result has been reported or decided; the bracket can no longer be re-seeded.")
		}
		return fn(tx, tid)
	})
}
