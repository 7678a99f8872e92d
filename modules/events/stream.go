package events

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events/internal/dbsqlc"
)

const (
	// backlog is how many events a stream may fall behind before it is dropped: a slow
	// client is told to reconnect (with its cursor, it loses nothing) rather than buffered
	// without bound.
	backlog = 1024
	// poll is how often the hub looks for events even without a notification: an event
	// committed while an older transaction still ran is readable only once that one ends,
	// and its notification has already been spent.
	poll = 250 * time.Millisecond
	// retryMillis is the reconnect delay a dropped client is told.
	retryMillis = 1000
)

// hub is a process's one reader of the log for live streams: woken by one LISTEN, it reads
// each new event once and fans it out to every stream, which filters it for its caller. A
// stream never queries per event; it queries only to catch up when it (re)connects.
type hub struct {
	s       *Service
	mu      sync.Mutex
	head    position // the last event fanned out; streams replay up to it themselves
	running bool
	ready   chan struct{} // closed once head is known
	subs    map[*subscriber]struct{}
}

type subscriber struct {
	events  chan *message
	dropped chan struct{} // closed when the stream fell too far behind
}

// message is an event the hub read, encoded once as a Server-Sent Event for every stream
// that may see it: a thousand streams cost one encoding, not a thousand.
type message struct {
	row dbsqlc.Event
	sse []byte
}

func newHub(s *Service) *hub {
	return &hub{s: s, ready: make(chan struct{}), subs: map[*subscriber]struct{}{}}
}

// Listen runs the process's stream hub until ctx ends: `arena serve` runs it beside the
// HTTP server. Streams opened before it runs wait for it.
func (s *Service) Listen(ctx context.Context) {
	h := s.hub
	for ctx.Err() == nil {
		head, err := s.q.Head(ctx, s.pool)
		if err == nil {
			h.mu.Lock()
			h.head, h.running = position{Txid: head.Txid, ID: head.ID}, true
			h.mu.Unlock()
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	close(h.ready)
	db.Follow(ctx, s.raw, Channel, poll, h.fanOut)
}

// fanOut reads the events after head and hands each to every stream.
func (h *hub) fanOut(ctx context.Context) {
	for {
		h.mu.Lock()
		head := h.head
		h.mu.Unlock()
		rows, err := h.s.q.Since(ctx, h.s.pool, dbsqlc.SinceParams{AfterTxid: head.Txid, AfterID: head.ID, MaxRows: 500})
		if err != nil || len(rows) == 0 {
			return
		}
		msgs := make([]*message, len(rows))
		for i, r := range rows {
			sse, err := encode(item(r))
			if err != nil {
				return
			}
			msgs[i] = &message{row: r, sse: sse}
		}
		h.mu.Lock()
		for _, m := range msgs {
			for sub := range h.subs {
				select {
				case sub.events <- m:
				default: // too far behind: drop it, it reconnects with its cursor
					close(sub.dropped)
					delete(h.subs, sub)
				}
			}
		}
		last := rows[len(rows)-1]
		h.head = position{Txid: last.Txid, ID: last.ID}
		h.mu.Unlock()
		if len(rows) < 500 {
			return
		}
	}
}

// subscribe registers a stream and returns the head at that moment: the stream replays up
// to it from the database, then takes what the hub hands it.
func (h *hub) subscribe(ctx context.Context) (*subscriber, position, error) {
	select {
	case <-ctx.Done():
		return nil, position{}, ctx.Err()
	case <-h.ready:
	}
	sub := &subscriber{events: make(chan *message, backlog), dropped: make(chan struct{})}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.subs[sub] = struct{}{}
	return sub, h.head, nil
}

func (h *hub) unsubscribe(sub *subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, sub)
}

// OpenStream checks f (its errors are Feed's, answered before the stream begins) and
// returns the stream: it writes Server-Sent Events to w, first every event after f.After
// the caller may see, then each new one as it commits, until ctx ends or the client falls
// too far behind (then a retry hint, and the stream ends). Each message's id is the event's
// cursor, so a client that reconnects with Last-Event-ID gets exactly what it missed. An
// idle stream sends a comment every heartbeat.
func (s *Service) OpenStream(ctx context.Context, f Filter) (func(context.Context, http.ResponseWriter), error) {
	after, err := s.start(ctx, f.After)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, w http.ResponseWriter) { s.stream(ctx, f, after, w) }, nil
}

func (s *Service) stream(ctx context.Context, f Filter, after position, w http.ResponseWriter) {
	sub, head, err := s.hub.subscribe(ctx)
	if err != nil {
		return
	}
	defer s.hub.unsubscribe(sub)
	out := &sseWriter{w: w, rc: http.NewResponseController(w), heartbeat: s.cfg.Heartbeat}
	out.start()

	// Catch up from the database to the hub's head, filtered there for the caller.
	f.Limit = 100
	for !after.after(head) && after != head {
		rows, err := s.q.Feed(ctx, s.pool, s.feedParams(ctx, f, after))
		if err != nil {
			return // the response has begun: the client reconnects with its last id
		}
		for _, r := range rows {
			p := position{Txid: r.Txid, ID: r.ID}
			if p.after(head) {
				break // the hub hands it over
			}
			sse, err := encode(item(r))
			if err != nil || out.write(sse, true) != nil {
				return
			}
		}
		if len(rows) < f.Limit {
			break
		}
		after = position{Txid: rows[len(rows)-1].Txid, ID: rows[len(rows)-1].ID}
	}
	last := head
	if after.after(last) {
		last = after
	}
	see := s.reader(ctx, f)
	beat := time.NewTicker(s.cfg.Heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-sub.dropped:
			_ = out.retry()
			return
		case <-beat.C:
			if out.comment("heartbeat") != nil {
				return
			}
		case m := <-sub.events:
			// What queued behind it goes out with it, in one flush.
			for more := true; more; {
				if p := (position{Txid: m.row.Txid, ID: m.row.ID}); p.after(last) {
					last = p
					if see(ctx, m.row) && out.write(m.sse, false) != nil {
						return
					}
				}
				select {
				case m = <-sub.events:
				default:
					more = false
				}
			}
			if out.flush() != nil {
				return
			}
		}
	}
}

// reader returns the filter of a stream's live events: f's type and tournament, and what
// the caller may see (Feed's rule, with each tournament's participation asked once).
func (s *Service) reader(ctx context.Context, f Filter) func(context.Context, dbsqlc.Event) bool {
	caller, signedIn := arena.CallerFrom(ctx)
	admin := signedIn && caller.HasRole(arena.RoleAdmin)
	participant := map[uuid.UUID]bool{}
	return func(ctx context.Context, r dbsqlc.Event) bool {
		switch {
		case f.Type != "" && r.Type != f.Type:
			return false
		case f.TournamentID != nil && (r.TournamentID == nil || *r.TournamentID != *f.TournamentID):
			return false
		case r.Visibility == Public:
			return true
		case r.Visibility == User:
			return signedIn && r.UserID != nil && *r.UserID == caller.ID
		case !signedIn || r.TournamentID == nil:
			return false
		case admin:
			return true
		}
		may, known := participant[*r.TournamentID]
		if !known {
			ok, err := s.q.MayRead(ctx, s.pool, dbsqlc.MayReadParams{TournamentID: *r.TournamentID, UserID: caller.ID})
			may = err == nil && ok.Bool
			participant[*r.TournamentID] = may
		}
		return may
	}
}

// sseWriter writes the text/event-stream format, each message flushed at once.
type sseWriter struct {
	w         http.ResponseWriter
	rc        *http.ResponseController
	heartbeat time.Duration
}

func (o *sseWriter) start() {
	o.w.Header().Set("Content-Type", "text/event-stream")
	o.w.Header().Set("Cache-Control", "no-store")
	o.w.Header().Set("X-Accel-Buffering", "no")
	o.w.WriteHeader(http.StatusOK)
	_ = o.flush()
}

// encode is an event as one Server-Sent Events message.
func encode(it LoggedEvent) ([]byte, error) {
	data, err := json.Marshal(it)
	if err != nil {
		return nil, err
	}
	return fmt.Appendf(nil, "id: %s\nevent: %s\ndata: %s\n\n", it.Cursor, it.Type, data), nil
}

func (o *sseWriter) comment(text string) error { return o.write([]byte(": "+text+"\n\n"), true) }

func (o *sseWriter) retry() error {
	return o.write(fmt.Appendf(nil, "retry: %d\n\n", retryMillis), true)
}

// write sends b, and flushes it (and whatever went before) when flush is set.
func (o *sseWriter) write(b []byte, flush bool) error {
	// The server's write timeout would end a long stream: each write gets its own.
	_ = o.rc.SetWriteDeadline(time.Now().Add(2*o.heartbeat + 10*time.Second))
	if _, err := o.w.Write(b); err != nil {
		return err
	}
	if !flush {
		return nil
	}
	return o.flush()
}

func (o *sseWriter) flush() error { return o.rc.Flush() }
