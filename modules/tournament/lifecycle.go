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
	"github.com/arenaesports/arena/modules/events"
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
// status and the clock agrees. Organizer or admin only. A tournament starts only with its
// bracket and completes only with its final standings (the match module's start and
// complete, through StartTx and CompleteTx), so Transition refuses running and completed.
// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, ECONFLICT (illegal transition, naming the
// allowed next statuses; wrong time; running).
func (s *Service) Transition(ctx context.Context, tournamentID, to string) (*Tournament, error) {
	switch to {
	case StatusRunning:
		return nil, arena.Errorf(arena.ECONFLICT, "A tournament starts with its bracket: POST /v1/tournaments/{id}/start lays it.")
	case StatusCompleted:
		return nil, arena.Errorf(arena.ECONFLICT, "A tournament completes with its final standings: POST /v1/tournaments/{id}/complete.")
	}
	var out *Tournament
	err := s.change(ctx, tournamentID, func(tx pgx.Tx, t dbsqlc.LockTournamentRow, now time.Time) error {
		var err error
		out, err = s.transition(ctx, tx, t, to, now, nil)
		return err
	})
	return out, err
}

// OpenCheckIn opens check-in now, whenever registration has closed: ahead of its window (the
// window then opens now), inside it, or once it has passed or when there is none (closesAt is
// then required). closesAt, when given, moves the window's end; it must lie after now and no
// later than starts_at. The job that drops entries which did not check in is scheduled for
// the window's end. Organizer or admin only. Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND,
// EINVALID (closesAt), ECONFLICT (not registration_closed).
func (s *Service) OpenCheckIn(ctx context.Context, tournamentID string, closesAt *time.Time) (*Tournament, error) {
	var out *Tournament
	err := s.change(ctx, tournamentID, func(tx pgx.Tx, t dbsqlc.LockTournamentRow, now time.Time) error {
		var err error
		out, err = s.transition(ctx, tx, t, StatusCheckIn, now, closesAt)
		return err
	})
	return out, err
}

// CloseCheckIn ends check-in at once: the window closes now, and the job that drops (and
// refunds) the entries which did not check in is enqueued to run now. The job scheduled for
// the window's old end finds nothing left to drop when it runs. Organizer or admin only.
// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, ECONFLICT (check-in not open).
func (s *Service) CloseCheckIn(ctx context.Context, tournamentID string) (*Tournament, error) {
	var out *Tournament
	err := s.change(ctx, tournamentID, func(tx pgx.Tx, t dbsqlc.LockTournamentRow, now time.Time) error {
		switch {
		case t.Status != StatusCheckIn:
			return arena.Errorf(arena.ECONFLICT, "Check-in is not open: the tournament is %s.", t.Status)
		case !now.Before(*t.CheckInClosesAt):
			return arena.Errorf(arena.ECONFLICT, "Check-in closed at %s.", t.CheckInClosesAt.Format(time.RFC3339))
		case !now.After(*t.CheckInOpensAt):
			return arena.Errorf(arena.ECONFLICT, "Check-in opened at %s; it cannot close at the same instant.", t.CheckInOpensAt.Format(time.RFC3339))
		}
		w := windowsOf(t)
		w.CheckInClosesAt = &now
		if err := s.q.SetWindows(ctx, tx, w); err != nil {
			return err
		}
		if _, err := s.cfg.Jobs.InsertTx(ctx, tx, CheckInClosedArgs{TournamentID: t.ID}, nil); err != nil {
			return err
		}
		var err error
		out, err = s.getTournament(ctx, tx, &t.ID, nil)
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
		out, err = s.transition(ctx, tx, t, StatusRunning, now, nil)
		return err
	})
	return out, err
}

// UnstartTx takes a running tournament back to the status it started from (check_in when it
// had a check-in, registration_closed otherwise), in the caller's transaction: the match
// module throws the bracket away in it, so the tournament is never running without one.
// Organizer or admin only. Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, ECONFLICT (not
// running).
func (s *Service) UnstartTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (*Tournament, error) {
	var out *Tournament
	err := s.changeTx(ctx, tx, tournamentID.String(), func(tx pgx.Tx, t dbsqlc.LockTournamentRow, now time.Time) error {
		if t.Status != StatusRunning {
			return arena.Errorf(arena.ECONFLICT, "Only a running tournament can go back before its start; this one is %s.", t.Status)
		}
		back := StatusRegistrationClosed
		if t.CheckInOpensAt != nil {
			back = StatusCheckIn
		}
		if err := s.q.SetTournamentStatus(ctx, tx, dbsqlc.SetTournamentStatusParams{Status: back, Now: now, ID: t.ID}); err != nil {
			return err
		}
		if err := events.AppendTx(ctx, tx, now, statusEvent(t, back)); err != nil {
			return err
		}
		var err error
		out, err = s.getTournament(ctx, tx, &t.ID, nil)
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
	if _, err := s.transition(ctx, tx, t, StatusCompleted, s.now(), nil); err != nil {
		return err
	}
	return s.changedTx(ctx, tx)
}

// EndTx is CompleteTx on the organizer's word (or an admin's): the match module's complete
// calls it when the organizer ends a tournament before its last match. Errors:
// EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, ECONFLICT.
func (s *Service) EndTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (*Tournament, error) {
	var out *Tournament
	err := s.changeTx(ctx, tx, tournamentID.String(), func(tx pgx.Tx, t dbsqlc.LockTournamentRow, now time.Time) error {
		var err error
		out, err = s.transition(ctx, tx, t, StatusCompleted, now, nil)
		return err
	})
	return out, err
}

// transition moves t to `to`: it checks the lifecycle and the clock, records the windows as
// they actually ran (see windowsFor), and enqueues the follow-up work of the new status.
// checkInCloses is the end of check-in when it opens now (nil: the scheduled one).
func (s *Service) transition(ctx context.Context, tx pgx.Tx, t dbsqlc.LockTournamentRow, to string, now time.Time, checkInCloses *time.Time) (*Tournament, error) {
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
	w, err := windowsFor(t, to, now, checkInCloses)
	if err != nil {
		return nil, err
	}
	if w != windowsOf(t) {
		if err := s.q.SetWindows(ctx, tx, w); err != nil {
			return nil, err
		}
	}
	if err := s.q.SetTournamentStatus(ctx, tx, dbsqlc.SetTournamentStatusParams{Status: to, Now: now, ID: t.ID}); err != nil {
		return nil, err
	}
	if err := events.AppendTx(ctx, tx, now, statusEvent(t, to)); err != nil {
		return nil, err
	}
	if err := s.movePrizeTx(ctx, tx, t, to); err != nil {
		return nil, err
	}
	switch to {
	case StatusCancelled:
		_, err = s.cfg.Jobs.InsertTx(ctx, tx, CancelledArgs{TournamentID: t.ID}, nil)
	case StatusCompleted:
		_, err = s.cfg.Jobs.InsertTx(ctx, tx, CompletedArgs{TournamentID: t.ID}, nil)
	case StatusCheckIn:
		_, err = s.cfg.Jobs.InsertTx(ctx, tx, CheckInClosedArgs{TournamentID: t.ID}, &river.InsertOpts{ScheduledAt: *w.CheckInClosesAt})
	}
	if err != nil {
		return nil, err
	}
	return s.getTournament(ctx, tx, &t.ID, nil)
}

// movePrizeTx funds the added prize from the organizer's wallet when t is published, and
// gives it back when t is cancelled after that. Errors: ECONFLICT (the wallet lacks it).
func (s *Service) movePrizeTx(ctx context.Context, tx pgx.Tx, t dbsqlc.LockTournamentRow, to string) error {
	switch {
	case t.AddedPrize == 0:
		return nil
	case to == StatusPublished:
		err := s.cfg.Escrow.AddPrizeTx(ctx, tx, t.ID, t.OrganizerID, t.AddedPrize, t.Currency)
		if arena.ErrorCode(err) == arena.ECONFLICT {
			return arena.Errorf(arena.ECONFLICT, "The organizer's wallet holds less than the added prize (%d %s in minor units): deposit it before publishing.",
				t.AddedPrize, t.Currency)
		}
		return err
	case to == StatusCancelled && t.Status != StatusDraft:
		return s.cfg.Escrow.ReturnPrizeTx(ctx, tx, t.ID, t.OrganizerID, t.AddedPrize, t.Currency)
	}
	return nil
}

// statusEvent is the event of t's move to `to`. A draft's moves (its publication aside) are
// its organizer's business: they stay with the tournament's participants.
func statusEvent(t dbsqlc.LockTournamentRow, to string) events.Event {
	kind, visibility := events.TournamentStatusChanged, events.Public
	switch {
	case to == StatusPublished:
		kind = events.TournamentPublished
	case to == StatusCompleted:
		kind = events.TournamentCompleted
	case t.Status == StatusDraft:
		visibility = events.Participants
	}
	return events.Event{Type: kind, Visibility: visibility, TournamentID: t.ID,
		Payload: events.TournamentStatusData{Status: to, PreviousStatus: t.Status}}
}

// clockAllows checks a transition against the tournament's schedule.
func clockAllows(t dbsqlc.LockTournamentRow, to string, now time.Time) error {
	switch {
	case (to == StatusPublished || to == StatusRegistrationOpen) && !now.Before(t.RegistrationClosesAt):
		return arena.Errorf(arena.ECONFLICT, "Registration was scheduled to close at %s; move registration_closes_at first.", t.RegistrationClosesAt.Format(time.RFC3339))
	case to == StatusRunning && t.Status == StatusRegistrationClosed && t.CheckInOpensAt != nil:
		return arena.Errorf(arena.ECONFLICT, "The tournament has a check-in window: open check-in before starting.")
	case to == StatusRunning && t.Status == StatusCheckIn && now.Before(*t.CheckInClosesAt):
		return arena.Errorf(arena.ECONFLICT, "Check-in is open until %s (close it early with close-check-in).", t.CheckInClosesAt.Format(time.RFC3339))
	}
	return nil
}

// windowsOf is a tournament's registration and check-in windows as stored.
func windowsOf(t dbsqlc.LockTournamentRow) dbsqlc.SetWindowsParams {
	return dbsqlc.SetWindowsParams{ID: t.ID, RegistrationOpensAt: t.RegistrationOpensAt, RegistrationClosesAt: t.RegistrationClosesAt,
		CheckInOpensAt: t.CheckInOpensAt, CheckInClosesAt: t.CheckInClosesAt}
}

// windowsFor is the windows once t moves to `to` at now. A window opened or closed by the
// organizer ahead of its schedule is recorded as it ran: registration opened early opens now
// and closed early closes now, and check-in opened outside its window opens now, closing at
// checkInCloses or else at its scheduled end. So the stored schedule stays in order
// (registration, then check-in, then the start) whatever the organizer did. Errors:
// EINVALID (no end for check-in, or one out of order), ECONFLICT (a window opened and closed
// in the same instant).
func windowsFor(t dbsqlc.LockTournamentRow, to string, now time.Time, checkInCloses *time.Time) (dbsqlc.SetWindowsParams, error) {
	w := windowsOf(t)
	switch to {
	case StatusRegistrationOpen:
		if now.Before(w.RegistrationOpensAt) {
			w.RegistrationOpensAt = now
		}
	case StatusRegistrationClosed:
		if now.Before(w.RegistrationClosesAt) {
			if !now.After(w.RegistrationOpensAt) {
				return w, arena.Errorf(arena.ECONFLICT, "Registration opened at %s; it cannot close at the same instant.", w.RegistrationOpensAt.Format(time.RFC3339))
			}
			w.RegistrationClosesAt = now
		}
	case StatusCheckIn:
		scheduled := w.CheckInOpensAt != nil && !now.Before(*w.CheckInOpensAt) && now.Before(*w.CheckInClosesAt)
		if !scheduled {
			w.CheckInOpensAt = &now
			if w.CheckInClosesAt != nil && !now.Before(*w.CheckInClosesAt) {
				w.CheckInClosesAt = nil // the scheduled window is over
			}
		}
		if checkInCloses != nil {
			w.CheckInClosesAt = checkInCloses
		}
		switch {
		case w.CheckInClosesAt == nil:
			return w, arena.Errorf(arena.EINVALID, "The tournament has no check-in window ahead: send closes_at.")
		case !w.CheckInClosesAt.After(now):
			return w, arena.Errorf(arena.EINVALID, "closes_at must be after now.")
		case w.CheckInClosesAt.After(t.StartsAt):
			return w, arena.Errorf(arena.EINVALID, "Check-in must close by starts_at (%s); move starts_at first.", t.StartsAt.Format(time.RFC3339))
		}
		if w.RegistrationClosesAt.After(*w.CheckInOpensAt) { // closed early before the close was recorded
			w.RegistrationClosesAt = *w.CheckInOpensAt
		}
	}
	return w, nil
}

// change runs fn on a tournament (by id or slug) locked for update in a transaction of its
// own, and drops this process's caches once it commits.
func (s *Service) change(ctx context.Context, idOrSlug string, fn func(pgx.Tx, dbsqlc.LockTournamentRow, time.Time) error) error {
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error { return s.changeTx(ctx, tx, idOrSlug, fn) })
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
