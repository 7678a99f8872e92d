package events

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/modules/events/internal/dbsqlc"
)

// LoggedEvent is an event as readers see it.
type LoggedEvent struct {
	Cursor         string     `json:"cursor" doc:"The event's position: pass it as after (feed) or Last-Event-ID (stream) to read what follows."`
	Type           Kind       `json:"type" doc:"What happened; see docs/events.md for each type's data."`
	Visibility     string     `json:"visibility" enum:"public,participants,user"`
	TournamentID   *uuid.UUID `json:"tournament_id,omitempty"`
	MatchID        *uuid.UUID `json:"match_id,omitempty"`
	RegistrationID *uuid.UUID `json:"registration_id,omitempty"`
	UserID         *uuid.UUID `json:"user_id,omitempty"`
	Data           Data       `json:"data"`
	CreatedAt      time.Time  `json:"created_at"`
}

// position is an event's place in the log: its transaction's id, then its id.
type position struct {
	Txid int64 `json:"t"`
	ID   int64 `json:"i"`
}

func (p position) cursor() string { return arena.EncodeCursor(p) }

func (p position) after(q position) bool { return p.Txid > q.Txid || (p.Txid == q.Txid && p.ID > q.ID) }

// Filter selects a feed page or a stream.
type Filter struct {
	After        string // a cursor; "" reads from the start of the log
	Type         string
	TournamentID *uuid.UUID
	Limit        int
}

// Page is a feed page. NextCursor is the last event's cursor, or After when there was none:
// polling with it never misses an event.
type Page struct {
	Items      []LoggedEvent `json:"items"`
	NextCursor string        `json:"next_cursor"`
}

// Feed reads the events after f.After that the caller (anyone, signed in or not) may see,
// in log order. Errors: EINVALID (cursor, type), EGONE (the cursor is older than the
// retention: the events after it were deleted).
func (s *Service) Feed(ctx context.Context, f Filter) (*Page, error) {
	after, err := s.start(ctx, f.After)
	if err != nil {
		return nil, err
	}
	rows, err := s.q.Feed(ctx, s.pool, s.feedParams(ctx, f, after))
	if err != nil {
		return nil, err
	}
	page := &Page{Items: make([]LoggedEvent, len(rows)), NextCursor: after.cursor()}
	for i, r := range rows {
		page.Items[i] = item(r)
	}
	if len(rows) > 0 {
		page.NextCursor = page.Items[len(rows)-1].Cursor
	}
	return page, nil
}

// SinceTx reads up to limit events after the cursor after ("" is the start of the log),
// whoever may see them, in log order: for modules that deliver the log on (webhooks,
// notifications), which filter it for their readers. The order and the guarantee are the
// feed's: nothing is ever skipped. Errors: EINVALID (cursor), EGONE (retention).
func (s *Service) SinceTx(ctx context.Context, tx pgx.Tx, after string, limit int) ([]LoggedEvent, error) {
	p, err := s.start(ctx, after)
	if err != nil {
		return nil, err
	}
	rows, err := s.q.Since(ctx, tx, dbsqlc.SinceParams{AfterTxid: p.Txid, AfterID: p.ID, MaxRows: int32(limit)})
	if err != nil {
		return nil, err
	}
	out := make([]LoggedEvent, len(rows))
	for i, r := range rows {
		out[i] = item(r)
	}
	return out, nil
}

// HeadTx is the cursor of the last event readers may see now ("" while the log is empty):
// a reader that starts from it gets what commits from then on.
func (s *Service) HeadTx(ctx context.Context, tx pgx.Tx) (string, error) {
	h, err := s.q.Head(ctx, tx)
	if err != nil || h.Txid == 0 {
		return "", err
	}
	return position{Txid: h.Txid, ID: h.ID}.cursor(), nil
}

// Follows reports whether cursor a comes after cursor b in the log; "" is before every
// event. A cursor that does not decode follows nothing.
func Follows(a, b string) bool {
	var pa, pb position
	if arena.DecodeCursor(a, &pa) != nil || (b != "" && arena.DecodeCursor(b, &pb) != nil) {
		return false
	}
	return pa.after(pb)
}

// start decodes a cursor and refuses one from before what retention deleted. No cursor
// is the start of the log: the oldest event still kept.
func (s *Service) start(ctx context.Context, cursor string) (position, error) {
	var p position
	if cursor == "" {
		return p, nil
	}
	if err := arena.DecodeCursor(cursor, &p); err != nil {
		return p, err
	}
	purged, err := s.q.Purged(ctx, s.pool)
	if err != nil {
		return p, err
	}
	oldest := position{Txid: purged.PurgedTxid, ID: purged.PurgedID}
	if oldest.after(p) {
		return p, arena.Errorf(arena.EGONE, "Events before this cursor were deleted (they are kept for %s); "+
			"read on from the oldest cursor still valid: %s", s.cfg.Retention, oldest.cursor())
	}
	return p, nil
}

func (s *Service) feedParams(ctx context.Context, f Filter, after position) dbsqlc.FeedParams {
	p := dbsqlc.FeedParams{AfterTxid: after.Txid, AfterID: after.ID, TournamentID: f.TournamentID, MaxRows: int32(f.Limit)}
	if f.Type != "" {
		p.Type = &f.Type
	}
	if c, ok := arena.CallerFrom(ctx); ok {
		p.CallerID, p.Admin = &c.ID, c.HasRole(arena.RoleAdmin)
	}
	return p
}

func item(r dbsqlc.Event) LoggedEvent {
	return LoggedEvent{Cursor: position{Txid: r.Txid, ID: r.ID}.cursor(), Type: Kind(r.Type), Visibility: r.Visibility,
		TournamentID: r.TournamentID, MatchID: r.MatchID, RegistrationID: r.RegistrationID, UserID: r.UserID,
		Data: Data(r.Payload), CreatedAt: r.CreatedAt}
}

// PurgeArgs deletes the events older than the retention (a periodic job).
type PurgeArgs struct{}

// Kind implements river.JobArgs.
func (PurgeArgs) Kind() string { return "events.purge" }

// purge deletes what the retention no longer keeps.
func (s *Service) purge(ctx context.Context) error {
	if _, err := s.q.PurgeEvents(ctx, s.pool, s.cfg.Now().Add(-s.cfg.Retention)); err != nil {
		return fmt.Errorf("purge events: %w", err)
	}
	return nil
}
