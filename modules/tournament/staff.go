package tournament

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/tournament/internal/dbsqlc"
)

// MayRunMatches is the one rule for who may run a tournament's matches — decide and correct
// results, forfeit and disqualify sides, schedule matches, check entrants in, read report
// histories and health: its organizer, an admin, or one of its staff (staff tells whether
// the caller is, as the caller's module read it through public_tournament_staff). Money and
// settings stay the organizer's (Caller.CanManage), and staff never decide a match they play
// in (the match module checks that). Nobody signed in runs anything.
func MayRunMatches(c arena.Caller, organizerID uuid.UUID, staff bool) bool {
	return c.CanManage(organizerID) || (staff && c.ID != uuid.Nil)
}

// StaffMember is a user who runs a tournament's matches for its organizer.
type StaffMember struct {
	User    OrganizerRef `json:"user"`
	AddedAt time.Time    `json:"added_at"`
}

// IsStaffTx reports whether userID is staff of the tournament, in the caller's transaction.
func (s *Service) IsStaffTx(ctx context.Context, tx pgx.Tx, tournamentID, userID uuid.UUID) (bool, error) {
	return s.q.IsStaff(ctx, tx, dbsqlc.IsStaffParams{TournamentID: tournamentID, UserID: userID})
}

// PutStaff makes a user staff of a tournament; making them staff again changes nothing
// (created is false then). The organizer or an admin only. Errors: EUNAUTHORIZED,
// EFORBIDDEN, ENOTFOUND (tournament, user), EINVALID (the organizer).
func (s *Service) PutStaff(ctx context.Context, tournamentID, userID string) (member *StaffMember, created bool, err error) {
	uid, err := db.ParseID(userID, "User")
	if err != nil {
		return nil, false, err
	}
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, false, err
	}
	err = s.change(ctx, tournamentID, func(tx pgx.Tx, t dbsqlc.LockTournamentRow, now time.Time) error {
		if uid == t.OrganizerID {
			return arena.Errorf(arena.EINVALID, "The organizer runs the tournament already.")
		}
		r, err := s.q.PutStaff(ctx, tx, dbsqlc.PutStaffParams{TournamentID: t.ID, UserID: uid, AddedBy: c.ID, Now: now})
		if err != nil {
			return db.NotFound(err, "User")
		}
		member = &StaffMember{User: OrganizerRef{ID: uid, Handle: r.Handle, DisplayName: r.DisplayName}, AddedAt: r.CreatedAt}
		if created = r.Created; !created {
			return nil
		}
		return events.AppendTx(ctx, tx, now, staffEvent(t.ID, uid, true))
	})
	return member, created, err
}

// RemoveStaff ends a user's staff role in a tournament; removing someone who is not staff
// changes nothing. The organizer or an admin only. Errors: EUNAUTHORIZED, EFORBIDDEN,
// ENOTFOUND (tournament).
func (s *Service) RemoveStaff(ctx context.Context, tournamentID, userID string) error {
	uid, err := db.ParseID(userID, "User")
	if err != nil {
		return err
	}
	return s.change(ctx, tournamentID, func(tx pgx.Tx, t dbsqlc.LockTournamentRow, now time.Time) error {
		n, err := s.q.RemoveStaff(ctx, tx, dbsqlc.RemoveStaffParams{TournamentID: t.ID, UserID: uid})
		if err != nil || n == 0 {
			return err
		}
		return events.AppendTx(ctx, tx, now, staffEvent(t.ID, uid, false))
	})
}

// staffEvent tells the tournament's participants, and the user, that the user's staff role
// began or ended.
func staffEvent(tid, uid uuid.UUID, staff bool) events.Event {
	return events.Event{Type: events.TournamentStaffChanged, Visibility: events.Participants, TournamentID: tid, UserID: uid,
		Payload: events.StaffData{Staff: staff}}
}

type staffCursor struct {
	AddedAt time.Time `json:"t"`
	UserID  uuid.UUID `json:"u"`
}

// ListStaff pages through a tournament's staff in the order they were added, names
// embedded (one query). Its organizer, staff and admins only. Errors: EUNAUTHORIZED,
// EFORBIDDEN, ENOTFOUND, EINVALID (cursor).
func (s *Service) ListStaff(ctx context.Context, tournamentID string, page arena.Page) ([]StaffMember, string, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, "", err
	}
	tid, err := db.ParseID(tournamentID, "Tournament")
	if err != nil {
		return nil, "", err
	}
	p := dbsqlc.ListStaffParams{TournamentID: tid, CallerID: c.ID, MaxRows: int32(page.Limit) + 1}
	if page.Cursor != "" {
		var cur staffCursor
		if err := arena.DecodeCursor(page.Cursor, &cur); err != nil {
			return nil, "", err
		}
		p.AfterCreatedAt, p.AfterUserID = &cur.AddedAt, &cur.UserID
	}
	rows, err := s.q.ListStaff(ctx, s.pool, p)
	if err != nil {
		return nil, "", err
	}
	if len(rows) == 0 || !MayRunMatches(c, rows[0].OrganizerID, rows[0].CallerIsStaff) {
		if len(rows) == 0 || rows[0].Status == StatusDraft {
			return nil, "", arena.Errorf(arena.ENOTFOUND, "Tournament not found.")
		}
		return nil, "", arena.Errorf(arena.EFORBIDDEN, "Only the tournament's organizer and staff see its staff.")
	}
	if rows[0].UserID == nil { // the tournament's row alone: no staff
		rows = rows[:0]
	}
	rows, next := arena.TrimPage(rows, page.Limit, func(r dbsqlc.ListStaffRow) any {
		return staffCursor{AddedAt: *r.CreatedAt, UserID: *r.UserID}
	})
	out := make([]StaffMember, len(rows))
	for i, r := range rows {
		out[i] = StaffMember{User: OrganizerRef{ID: *r.UserID, Handle: *r.Handle, DisplayName: *r.DisplayName}, AddedAt: *r.CreatedAt}
	}
	return out, next, nil
}

// OrganizersTx maps each of the tournaments to its organizer (one query), for modules that
// route a tournament's events to its organizer.
func (s *Service) OrganizersTx(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) (map[uuid.UUID]uuid.UUID, error) {
	rows, err := s.q.Organizers(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]uuid.UUID, len(rows))
	for _, r := range rows {
		out[r.ID] = r.OrganizerID
	}
	return out, nil
}
