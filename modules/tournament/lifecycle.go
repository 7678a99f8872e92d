package tournament

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/tournament/internal/dbsqlc"
)

// nextStatuses is the lifecycle: from each status, the statuses a transition may reach.
var nextStatuses = map[string][]string{
	StatusDraft:              {StatusPublished, StatusCancelled},
	StatusPublished:          {StatusRegistrationOpen, StatusCancelled},
	StatusRegistrationOpen:   {StatusRegistrationClosed, StatusCancelled},
	StatusRegistrationClosed: {StatusCheckIn, StatusRunning, StatusCancelled},
	StatusCheckIn:            {StatusRunning, StatusCancelled},
	StatusRunning:            {StatusCompleted, StatusCancelled},
	StatusCompleted:          {},
	StatusCancelled:          {},
}

// Transition moves a tournament to status `to` if the lifecycle allows it from its current
// status and the clock agrees. Organizer or admin only. Errors: EUNAUTHORIZED, EFORBIDDEN,
// ENOTFOUND, ECONFLICT (illegal transition, naming the allowed next statuses; wrong time).
func (s *Service) Transition(ctx context.Context, tournamentID, to string) (*Tournament, error) {
	var out *Tournament
	err := s.change(ctx, tournamentID, func(tx pgx.Tx, t dbsqlc.LockTournamentRow, now time.Time) error {
		var err error
		out, err = s.transition(ctx, tx, t, to, now)
		return err
	})
	return out, err
}

// StartTx is the start transition in the caller's transaction, so that the bracket built in
// it commits with the running status or not at all. Errors: as Transition.
func (s *Service) StartTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (*Tournament, error) {
	var out *Tournament
	err := s.changeTx(ctx, tx, tournamentID.String(), func(tx pgx.Tx, t dbsqlc.LockTournamentRow, now time.Time) error {
		var err error
		out, err = s.transition(ctx, tx, t, StatusRunning, now)
		return err
	})
	return out, err
}

// CompleteTx marks a running tournament completed in the caller's transaction. It is the
// match module's to call when the last match is decided — whoever reported it — so it
// checks the lifecycle but not the caller. Errors: ENOTFOUND, ECONFLICT.
func (s *Service) CompleteTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) error {
	t, err := s.q.LockTournament(ctx, tx, dbsqlc.LockTournamentParams{ID: &tournamentID})
	if err != nil {
		return db.NotFound(err, "Tournament")
	}
	if _, err := s.transition(ctx, tx, t, StatusCompleted, s.now()); err != nil {
		return err
	}
	return s.changedTx(ctx, tx)
}

func (s *Service) transition(ctx context.Context, tx pgx.Tx, t dbsqlc.LockTournamentRow, to string, now time.Time) (*Tournament, error) {
	allowed := nextStatuses[t.Status]
	if !slices.Contains(allowed, to) {
		next := "none: the tournament is over"
		if len(allowed) > 0 {
			next = strings.Join(allowed, ", ")
		}
		return nil, arena.Errorf(arena.ECONFLICT, "A %s tournament cannot move to %s; allowed next: %s.", t.Status, to, next)
	}
	if err := clockAllows(t, to, now); err != nil {
		return nil, err
	}
	if err := s.q.SetTournamentStatus(ctx, tx, dbsqlc.SetTournamentStatusParams{Status: to, Now: now, ID: t.ID}); err != nil {
		return nil, err
	}
	var err error
	switch to {
	case StatusCancelled:
		_, err = s.cfg.Jobs.InsertTx(ctx, tx, CancelledArgs{TournamentID: t.ID}, nil)
	case StatusCheckIn:
		_, err = s.cfg.Jobs.InsertTx(ctx, tx, CheckInClosedArgs{TournamentID: t.ID}, &river.InsertOpts{ScheduledAt: *t.CheckInClosesAt})
	}
	if err != nil {
		return nil, err
	}
	return s.getTournament(ctx, tx, &t.ID, nil)
}

// clockAllows checks a transition against the tournament's schedule.
func clockAllows(t dbsqlc.LockTournamentRow, to string, now time.Time) error {
	switch {
	case (to == StatusPublished || to == StatusRegistrationOpen) && !now.Before(t.RegistrationClosesAt):
		return arena.Errorf(arena.ECONFLICT, "Registration was scheduled to close at %s; move registration_closes_at first.", t.RegistrationClosesAt.Format(time.RFC3339))
	case to == StatusCheckIn && t.CheckInOpensAt == nil:
		return arena.Errorf(arena.ECONFLICT, "The tournament has no check-in window.")
	case to == StatusCheckIn && now.Before(*t.CheckInOpensAt):
		return arena.Errorf(arena.ECONFLICT, "Check-in opens at %s.", t.CheckInOpensAt.Format(time.RFC3339))
	case to == StatusCheckIn && !now.Before(*t.CheckInClosesAt):
		return arena.Errorf(arena.ECONFLICT, "The check-in window closed at %s.", t.CheckInClosesAt.Format(time.RFC3339))
	case to == StatusRunning && t.Status == StatusRegistrationClosed && t.CheckInOpensAt != nil:
		return arena.Errorf(arena.ECONFLICT, "The tournament has a check-in window: open check-in before starting.")
	case to == StatusRunning && t.Status == StatusCheckIn && now.Before(*t.CheckInClosesAt):
		return arena.Errorf(arena.ECONFLICT, "Check-in is open until %s.", t.CheckInClosesAt.Format(time.RFC3339))
	}
	return nil
}

// change runs fn on a tournament (by id or slug) locked for update in a transaction of its
// own, and drops this process's caches once it commits.
func (s *Service) change(ctx context.Context, idOrSlug string, fn func(pgx.Tx, dbsqlc.LockTournamentRow, time.Time) error) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return s.changeTx(ctx, tx, idOrSlug, fn) })
	if err == nil {
		s.invalidate()
	}
	return err
}

// changeTx locks the tournament in the caller's transaction, checks that the caller
// organizes it (or is an admin), runs fn, and announces the change (delivered on commit).
func (s *Service) changeTx(ctx context.Context, tx pgx.Tx, idOrSlug string, fn func(pgx.Tx, dbsqlc.LockTournamentRow, time.Time) error) error {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return err
	}
	var key dbsqlc.LockTournamentParams
	if id, err := uuid.Parse(idOrSlug); err == nil {
		key.ID = &id
	} else {
		key.Slug = &idOrSlug
	}
	t, err := s.q.LockTournament(ctx, tx, key)
	if err != nil {
		return db.NotFound(err, "Tournament")
	}
	if !c.CanManage(t.OrganizerID) {
		if t.Status == StatusDraft {
			return arena.Errorf(arena.ENOTFOUND, "Tournament not found.")
		}
		return arena.Errorf(arena.EFORBIDDEN, "Only the tournament's organizer can change it.")
	}
	if err := fn(tx, t, s.now()); err != nil {
		return err
	}
	return s.changedTx(ctx, tx)
}
