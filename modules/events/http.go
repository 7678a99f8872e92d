package events

import (
	"context"
	"net/http"
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/google/uuid"
)

// FeedInput selects what the feed and the stream read.
type FeedInput struct {
	After        string `query:"after" maxLength:"512" doc:"A cursor (an event's, or next_cursor); empty reads from the start of the log."`
	Type         Kind   `query:"type" doc:"Only events of this type."`
	TournamentID string `query:"tournament_id" format:"uuid" doc:"Only this tournament's events."`
}

func (in FeedInput) filter(limit int) Filter {
	f := Filter{After: in.After, Type: string(in.Type), Limit: limit}
	if id, err := uuid.Parse(in.TournamentID); err == nil {
		f.TournamentID = &id
	}
	return f
}

// PageInput is the feed's input.
type PageInput struct {
	FeedInput
	Limit int `query:"limit" minimum:"1" maximum:"100" default:"20" doc:"Events per page."`
}

// FeedOutput is a feed page.
type FeedOutput struct{ Body *Page }

// StreamInput is the stream's input: the feed's, and the browser's reconnect header.
type StreamInput struct {
	FeedInput
	LastEventID string `header:"Last-Event-ID" maxLength:"512" doc:"Sent by a reconnecting EventSource: the last event it received; wins over after."`
}

// Register adds the event log's operations to api. Both are open to anonymous callers, who
// see public events only.
func Register(api huma.API, svc *Service) {
	tags := []string{"Events"}
	huma.Register(api, huma.Operation{
		OperationID: "list-events", Method: http.MethodGet, Path: "/v1/events",
		Summary: "Read the event log", Tags: tags,
		Description: "Every state change in log order, replayable from the start: what the caller may see (public events; " +
			"its own wallet events; the participants' events of tournaments it enters, staffs or organizes). Poll with " +
			"next_cursor. A cursor from before the retention answers 410.",
		Errors: []int{http.StatusGone, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *PageInput) (*FeedOutput, error) {
		page, err := svc.Feed(ctx, in.filter(in.Limit))
		if err != nil {
			return nil, err
		}
		return &FeedOutput{Body: page}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "stream-events", Method: http.MethodGet, Path: "/v1/events/stream",
		Summary: "Follow the event log live (Server-Sent Events)", Tags: tags,
		Description: "The feed as Server-Sent Events: first what follows the cursor (Last-Event-ID, or after), then each " +
			"event as it commits. Each message's id is the event's cursor and its event name the type; a comment every " +
			"15 s keeps the connection open. A client that falls far behind gets a retry hint and is disconnected: " +
			"reconnecting with its last id loses nothing.",
		Errors: []int{http.StatusGone, http.StatusUnprocessableEntity},
		Responses: map[string]*huma.Response{"200": {Description: "A stream of events; each data line is an event (the list-events item).",
			Content: map[string]*huma.MediaType{"text/event-stream": {Schema: &huma.Schema{Type: "string"}}}}},
	}, func(ctx context.Context, in *StreamInput) (*huma.StreamResponse, error) {
		f := in.filter(0)
		if strings.TrimSpace(in.LastEventID) != "" {
			f.After = in.LastEventID
		}
		stream, err := svc.OpenStream(ctx, f)
		if err != nil {
			return nil, err // before the stream begins: a problem response
		}
		return &huma.StreamResponse{Body: func(hctx huma.Context) {
			_, w := humago.Unwrap(hctx)
			stream(hctx.Context(), w)
		}}, nil
	})
}

// Kind is an event's type, as the API names it: one of the catalogue.
type Kind string

// Schema implements huma.SchemaProvider: the catalogue is the enum.
func (Kind) Schema(huma.Registry) *huma.Schema {
	s := &huma.Schema{Type: huma.TypeString}
	for _, kind := range Types {
		s.Enum = append(s.Enum, kind)
	}
	return s
}

// Data is an event's payload as readers get it: its schema is any of the catalogue's.
type Data []byte

// MarshalJSON writes the payload as stored.
func (d Data) MarshalJSON() ([]byte, error) { return []byte(d), nil }

// UnmarshalJSON keeps the payload as it came, for Go readers of the log's JSON.
func (d *Data) UnmarshalJSON(b []byte) error {
	*d = append((*d)[:0], b...)
	return nil
}

// Schema implements huma.SchemaProvider: any of the payloads, each a named schema.
func (Data) Schema(r huma.Registry) *huma.Schema {
	s := &huma.Schema{Description: "The event's payload: its type says which of these (docs/events.md lists them)."}
	seen := map[reflect.Type]bool{}
	for _, kind := range Types {
		if t := dataOf[kind]; !seen[t] {
			seen[t] = true
			s.AnyOf = append(s.AnyOf, r.Schema(t, true, t.Name()))
		}
	}
	return s
}
