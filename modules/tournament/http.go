package tournament

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/arenaesports/arena"
)

var requireSession = []map[string][]string{{"bearer": {}}}

// GameBody is the body of create-game.
type GameBody struct {
	Slug         string         `json:"slug" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" maxLength:"40"`
	Name         string         `json:"name" minLength:"1" maxLength:"80"`
	TeamSizeMin  int32          `json:"team_size_min" minimum:"1" maximum:"32"`
	TeamSizeMax  int32          `json:"team_size_max" minimum:"1" maximum:"32"`
	Platforms    []string       `json:"platforms,omitempty" maxItems:"16"`
	ConfigSchema map[string]any `json:"config_schema,omitempty" doc:"JSON Schema for tournaments' game_settings; default: any object."`
}

// GamePatchBody is the body of update-game.
type GamePatchBody struct {
	Name         *string        `json:"name,omitempty" minLength:"1" maxLength:"80"`
	TeamSizeMin  *int32         `json:"team_size_min,omitempty" minimum:"1" maximum:"32"`
	TeamSizeMax  *int32         `json:"team_size_max,omitempty" minimum:"1" maximum:"32"`
	Platforms    []string       `json:"platforms,omitempty" maxItems:"16"`
	ConfigSchema map[string]any `json:"config_schema,omitempty"`
}

// GameOutput wraps a Game body.
type GameOutput struct{ Body *Game }

// GamePath names a game.
type GamePath struct {
	Slug string `path:"slug" maxLength:"40"`
}

// GamesOutput is a page of games.
type GamesOutput struct {
	Body struct {
		Items      []Game `json:"items"`
		NextCursor string `json:"next_cursor,omitempty"`
	}
}

// SchemaInput asks for a game's config schema, conditionally.
type SchemaInput struct {
	GamePath
	IfNoneMatch string `header:"If-None-Match" maxLength:"256"`
}

// SchemaOutput is a config schema, or 304 when the client's copy is current.
type SchemaOutput struct {
	Status       int
	ETag         string         `header:"ETag"`
	CacheControl string         `header:"Cache-Control"`
	Body         map[string]any `doc:"A JSON Schema document."`
}

// TournamentOutput wraps a Tournament body.
type TournamentOutput struct{ Body *Tournament }

// CreatedTournamentOutput is a tournament just created, and where it is.
type CreatedTournamentOutput struct {
	Location string `header:"Location" doc:"The created resource's URL path."`
	Body     *Tournament
}

// CreatedGameOutput is a game just added, and where it is.
type CreatedGameOutput struct {
	Location string `header:"Location" doc:"The created resource's URL path."`
	Body     *Game
}

// TournamentRef names a tournament by id or slug.
type TournamentRef struct {
	IDOrSlug string `path:"id_or_slug" maxLength:"80" doc:"Tournament id or slug."`
}

// TournamentID names a tournament by id.
type TournamentID struct {
	ID string `path:"id" format:"uuid"`
}

// DiscoverInput filters and pages discovery.
type DiscoverInput struct {
	Game            string    `query:"game" maxLength:"40" doc:"Game slug."`
	Status          string    `query:"status" enum:"published,registration_open,registration_closed,check_in,running,completed,cancelled"`
	ParticipantType string    `query:"participant_type" enum:"solo,team"`
	StartsAfter     time.Time `query:"starts_after" doc:"Only tournaments starting after this instant."`
	Q               string    `query:"q" maxLength:"100" doc:"Words that names must contain (prefix match)."`
	arena.Page
	IfNoneMatch string `header:"If-None-Match" maxLength:"256"`
}

// DiscoverOutput is a page of discovery, or 304 when an anonymous client's copy is current.
type DiscoverOutput struct {
	Status       int
	ETag         string `header:"ETag"`
	CacheControl string `header:"Cache-Control"`
	Body         *DiscoveryPage
}

// StatsOutput wraps OrganizerStats.
type StatsOutput struct{ Body *OrganizerStats }

// HealthOutput wraps Health.
type HealthOutput struct{ Body *Health }

// Register adds the tournament module's operations to api.
func Register(api huma.API, svc *Service) {
	games := []string{"Games"}
	huma.Register(api, huma.Operation{
		OperationID: "create-game", Method: http.MethodPost, Path: "/v1/games", Summary: "Add a game (admin)",
		Tags: games, Security: requireSession, DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusForbidden, http.StatusConflict},
	}, func(ctx context.Context, in *struct{ Body GameBody }) (*CreatedGameOutput, error) {
		b := in.Body
		g, err := svc.CreateGame(ctx, NewGame{Slug: b.Slug, Name: b.Name, TeamSizeMin: b.TeamSizeMin, TeamSizeMax: b.TeamSizeMax,
			Platforms: b.Platforms, ConfigSchema: rawJSON(b.ConfigSchema)})
		if err != nil {
			return nil, err
		}
		return &CreatedGameOutput{Location: "/v1/games/" + g.Slug, Body: g}, nil
	})
	huma.Register(api, huma.Operation{
		OperationID: "update-game", Method: http.MethodPatch, Path: "/v1/games/{slug}", Summary: "Change a game (admin)",
		Tags: games, Security: requireSession, Errors: []int{http.StatusForbidden, http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		GamePath
		Body GamePatchBody
	}) (*GameOutput, error) {
		b := in.Body
		g, err := svc.UpdateGame(ctx, in.Slug, GamePatch{Name: b.Name, TeamSizeMin: b.TeamSizeMin, TeamSizeMax: b.TeamSizeMax,
			Platforms: b.Platforms, ConfigSchema: rawJSON(b.ConfigSchema)})
		return &GameOutput{g}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "list-games", Method: http.MethodGet, Path: "/v1/games", Summary: "List games", Tags: games,
	}, func(ctx context.Context, in *arena.Page) (*GamesOutput, error) {
		items, next, err := svc.ListGames(ctx, in.Cursor, in.Limit)
		out := &GamesOutput{}
		out.Body.Items, out.Body.NextCursor = items, next
		return out, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "get-game", Method: http.MethodGet, Path: "/v1/games/{slug}", Summary: "Get a game", Tags: games,
		Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *GamePath) (*GameOutput, error) {
		g, err := svc.GetGame(ctx, in.Slug)
		return &GameOutput{g}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "get-game-config-schema", Method: http.MethodGet, Path: "/v1/games/{slug}/config-schema",
		Summary: "Get the JSON Schema of a game's tournament settings", Tags: games, Errors: []int{http.StatusNotFound},
		Description: "Cacheable: send the ETag back in If-None-Match to get 304 when it has not changed.",
	}, func(ctx context.Context, in *SchemaInput) (*SchemaOutput, error) {
		raw, etag, err := svc.ConfigSchema(ctx, in.Slug)
		if err != nil {
			return nil, err
		}
		out := &SchemaOutput{Status: http.StatusOK, ETag: etag, CacheControl: "public, max-age=60"}
		if arena.NotModified(in.IfNoneMatch, etag) {
			out.Status = http.StatusNotModified
			return out, nil
		}
		return out, json.Unmarshal(raw, &out.Body)
	})

	tournaments := []string{"Tournaments"}
	huma.Register(api, huma.Operation{
		OperationID: "create-tournament", Method: http.MethodPost, Path: "/v1/tournaments",
		Summary: "Create a tournament (organizer)", Tags: tournaments, Security: requireSession,
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusForbidden, http.StatusConflict},
	}, func(ctx context.Context, in *struct{ Body TournamentInput }) (*CreatedTournamentOutput, error) {
		t, err := svc.CreateTournament(ctx, in.Body)
		if err != nil {
			return nil, err
		}
		return &CreatedTournamentOutput{Location: "/v1/tournaments/" + t.ID.String(), Body: t}, nil
	})
	huma.Register(api, huma.Operation{
		OperationID: "get-tournament", Method: http.MethodGet, Path: "/v1/tournaments/{id_or_slug}",
		Summary: "Get a tournament", Tags: tournaments, Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *TournamentRef) (*TournamentOutput, error) {
		t, err := svc.GetTournament(ctx, in.IDOrSlug)
		return &TournamentOutput{t}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "update-tournament", Method: http.MethodPatch, Path: "/v1/tournaments/{id_or_slug}",
		Summary: "Change a tournament (organizer)", Tags: tournaments, Security: requireSession,
		Description: "Any field while draft or published; afterwards only those registrants did not sign up under " +
			"(409 names a locked field).",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *struct {
		TournamentRef
		Body TournamentPatch
	}) (*TournamentOutput, error) {
		t, err := svc.UpdateTournament(ctx, in.IDOrSlug, in.Body)
		return &TournamentOutput{t}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "delete-tournament", Method: http.MethodDelete, Path: "/v1/tournaments/{id_or_slug}",
		Summary: "Delete a draft tournament (organizer)", Tags: tournaments, Security: requireSession,
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *TournamentRef) (*struct{}, error) {
		return nil, svc.DeleteTournament(ctx, in.IDOrSlug)
	})
	lifecycle := []string{"Tournament lifecycle"}
	for _, tr := range []struct{ path, id, summary, to string }{
		{"publish", "publish-tournament", "Publish a draft", StatusPublished},
		{"open-registration", "open-tournament-registration", "Open registration", StatusRegistrationOpen},
		{"close-registration", "close-tournament-registration", "Close registration", StatusRegistrationClosed},
		{"cancel", "cancel-tournament", "Cancel the tournament", StatusCancelled},
	} {
		huma.Register(api, huma.Operation{
			OperationID: tr.id, Method: http.MethodPost, Path: "/v1/tournaments/{id}/" + tr.path,
			Summary: tr.summary + " (organizer)", Tags: lifecycle, Security: requireSession,
			Description: "409 when the lifecycle or the schedule does not allow it; the detail names the allowed next statuses. " +
				"Opening or closing registration ahead of its schedule records the window as it ran.",
			Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
		}, func(ctx context.Context, in *TournamentID) (*TournamentOutput, error) {
			t, err := svc.Transition(ctx, in.ID, tr.to)
			return &TournamentOutput{t}, err
		})
	}
	huma.Register(api, huma.Operation{
		OperationID: "open-tournament-check-in", Method: http.MethodPost, Path: "/v1/tournaments/{id}/open-check-in",
		Summary: "Open check-in now (organizer)", Tags: lifecycle, Security: requireSession,
		Description: "Any time after registration closes: ahead of the check-in window (it then opens now), inside it, or " +
			"after it or without one (send closes_at). closes_at moves the window's end; it must lie after now and by " +
			"starts_at. Entries that have not checked in when it closes are dropped and refunded.",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		TournamentID
		Body *struct {
			ClosesAt *time.Time `json:"closes_at,omitempty" doc:"When check-in closes; default: the scheduled check_in_closes_at."`
		}
	}) (*TournamentOutput, error) {
		var closes *time.Time
		if in.Body != nil {
			closes = in.Body.ClosesAt
		}
		t, err := svc.OpenCheckIn(ctx, in.ID, closes)
		return &TournamentOutput{t}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "close-tournament-check-in", Method: http.MethodPost, Path: "/v1/tournaments/{id}/close-check-in",
		Summary: "Close check-in now (organizer)", Tags: lifecycle, Security: requireSession,
		Description: "Ends the check-in window at once: entries that have not checked in are dropped and refunded by the " +
			"job this enqueues, and the tournament can start.",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *TournamentID) (*TournamentOutput, error) {
		t, err := svc.CloseCheckIn(ctx, in.ID)
		return &TournamentOutput{t}, err
	})
	registerStaff(api, svc)
	huma.Register(api, huma.Operation{
		OperationID: "discover-tournaments", Method: http.MethodGet, Path: "/v1/tournaments",
		Summary: "Discover tournaments", Tags: tournaments,
		Description: "Published tournaments, soonest start first, keyset-paginated. Anonymous responses carry an ETag " +
			"(If-None-Match → 304) and may be cached briefly.",
	}, func(ctx context.Context, in *DiscoverInput) (*DiscoverOutput, error) {
		f := DiscoveryFilter{Game: in.Game, Status: in.Status, ParticipantType: in.ParticipantType, Q: in.Q,
			Cursor: in.Cursor, Limit: in.Limit}
		if !in.StartsAfter.IsZero() {
			f.StartsAfter = &in.StartsAfter
		}
		page, etag, err := svc.Discover(ctx, f)
		if err != nil {
			return nil, err
		}
		out := &DiscoverOutput{Status: http.StatusOK, Body: page}
		if _, signedIn := arena.CallerFrom(ctx); !signedIn {
			out.ETag, out.CacheControl = etag, "public, max-age=10"
			if arena.NotModified(in.IfNoneMatch, etag) {
				out.Status, out.Body = http.StatusNotModified, nil
			}
		}
		return out, nil
	})
	huma.Register(api, huma.Operation{
		OperationID: "get-organizer-stats", Method: http.MethodGet, Path: "/v1/organizer/stats",
		Summary: "The caller's tournaments, registrations and fees", Tags: []string{"Organizer"}, Security: requireSession,
		Description: "Figures as they stand at the request. fees_collected is what the tournaments' escrows hold from entry " +
			"fees in the wallet's ledger (fees in less refunds out). Manual payments are made outside Arena: their fees " +
			"are reported apart, as manual_fees, and Arena does not see them refunded.",
	}, func(ctx context.Context, _ *struct{}) (*StatsOutput, error) {
		st, err := svc.OrganizerStats(ctx)
		return &StatsOutput{st}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "get-tournament-health", Method: http.MethodGet, Path: "/v1/tournaments/{id}/health",
		Summary:     "A tournament's fill, check-in, payments, disputes and overdue matches (organizer, staff)",
		Description: "Figures as they stand at the request, never cached.",
		Tags:        []string{"Organizer"}, Security: requireSession,
		Errors: []int{http.StatusForbidden, http.StatusNotFound},
	}, func(ctx context.Context, in *TournamentID) (*HealthOutput, error) {
		h, err := svc.TournamentHealth(ctx, in.ID)
		return &HealthOutput{h}, err
	})
}

// StaffPath names a user on a tournament's staff.
type StaffPath struct {
	TournamentID
	UserID string `path:"user_id" format:"uuid"`
}

// StaffOutput is a staff member; 201 when just added.
type StaffOutput struct {
	Status int
	Body   *StaffMember
}

// StaffListOutput is a page of a tournament's staff.
type StaffListOutput struct {
	Body struct {
		Items      []StaffMember `json:"items"`
		NextCursor string        `json:"next_cursor,omitempty"`
	}
}

// registerStaff adds the operations on a tournament's staff.
func registerStaff(api huma.API, svc *Service) {
	tags := []string{"Tournament staff"}
	huma.Register(api, huma.Operation{
		OperationID: "put-tournament-staff", Method: http.MethodPut, Path: "/v1/tournaments/{id}/staff/{user_id}",
		Summary: "Add a user to the tournament's staff (organizer)", Tags: tags, Security: requireSession,
		Description: "Staff run the matches (resolve disputes, forfeit, override, disqualify, schedule, check entrants in, " +
			"read report histories and health), never money or settings. 201 when added, 200 when already staff.",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *StaffPath) (*StaffOutput, error) {
		m, created, err := svc.PutStaff(ctx, in.ID, in.UserID)
		out := &StaffOutput{Status: http.StatusOK, Body: m}
		if created {
			out.Status = http.StatusCreated
		}
		return out, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "remove-tournament-staff", Method: http.MethodDelete, Path: "/v1/tournaments/{id}/staff/{user_id}",
		Summary: "Remove a user from the tournament's staff (organizer)", Tags: tags, Security: requireSession,
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusForbidden, http.StatusNotFound},
	}, func(ctx context.Context, in *StaffPath) (*struct{}, error) {
		return nil, svc.RemoveStaff(ctx, in.ID, in.UserID)
	})
	huma.Register(api, huma.Operation{
		OperationID: "list-tournament-staff", Method: http.MethodGet, Path: "/v1/tournaments/{id}/staff",
		Summary: "The tournament's staff, in the order they were added (organizer, staff)", Tags: tags, Security: requireSession,
		Errors: []int{http.StatusForbidden, http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		TournamentID
		arena.Page
	}) (*StaffListOutput, error) {
		items, next, err := svc.ListStaff(ctx, in.ID, in.Page)
		out := &StaffListOutput{}
		out.Body.Items, out.Body.NextCursor = items, next
		return out, err
	})
}

func rawJSON(v map[string]any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, _ := json.Marshal(v) // a decoded JSON object always re-encodes
	return b
}
