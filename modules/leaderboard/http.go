package leaderboard

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/arenaesports/arena"
)

var requireSession = []map[string][]string{{"bearer": {}}}

// GamePath names a game by slug.
type GamePath struct {
	Slug string `path:"slug" maxLength:"40"`
}

// BoardParams choose a board of a game.
type BoardParams struct {
	Board  string `query:"board" enum:"rating,season" default:"rating"`
	Season string `query:"season" maxLength:"40" doc:"Season board: the season's slug (default: the latest that has begun)."`
}

// BoardOutput is a board page, or 304 when an anonymous client's copy is current.
type BoardOutput struct {
	Status       int
	ETag         string `header:"ETag"`
	CacheControl string `header:"Cache-Control"`
	Body         *Board
}

// conditional fills a BoardOutput: anonymous callers get an ETag and a short public cache
// lifetime, and 304 when their copy is current.
func conditional(ctx context.Context, b *Board, etag, ifNoneMatch string) *BoardOutput {
	out := &BoardOutput{Status: http.StatusOK, Body: b}
	if _, signedIn := arena.CallerFrom(ctx); !signedIn {
		out.ETag, out.CacheControl = etag, "public, max-age=10"
		if arena.NotModified(ifNoneMatch, etag) {
			out.Status, out.Body = http.StatusNotModified, nil
		}
	}
	return out
}

// Register adds the leaderboard operations to api.
func Register(api huma.API, svc *Service) {
	tags := []string{"Leaderboards"}
	huma.Register(api, huma.Operation{
		OperationID: "get-leaderboard", Method: http.MethodGet, Path: "/v1/games/{slug}/leaderboard",
		Summary: "A game's leaderboard: ratings or season points", Tags: tags, Errors: []int{http.StatusNotFound},
		Description: "Best first, keyset-paginated, with ranks (equal scores share one). Anonymous responses carry an " +
			"ETag (If-None-Match → 304) and may be cached briefly.",
	}, func(ctx context.Context, in *struct {
		GamePath
		BoardParams
		arena.Page
		IfNoneMatch string `header:"If-None-Match" maxLength:"256"`
	}) (*BoardOutput, error) {
		b, etag, err := svc.Page(ctx, BoardQuery{Game: in.Slug, Board: in.Board, Season: in.Season, Page: in.Page})
		if err != nil {
			return nil, err
		}
		return conditional(ctx, b, etag, in.IfNoneMatch), nil
	})
	huma.Register(api, huma.Operation{
		OperationID: "get-leaderboard-around", Method: http.MethodGet, Path: "/v1/games/{slug}/leaderboard/around/{id}",
		Summary: "The entries around a competitor on a leaderboard", Tags: tags, Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		GamePath
		ID string `path:"id" format:"uuid" doc:"The competitor: a user (solo play) or a team."`
		BoardParams
		Radius      int    `query:"radius" minimum:"1" maximum:"50" default:"5" doc:"Entries above and below."`
		IfNoneMatch string `header:"If-None-Match" maxLength:"256"`
	}) (*BoardOutput, error) {
		b, etag, err := svc.Around(ctx, BoardQuery{Game: in.Slug, Board: in.Board, Season: in.Season}, in.ID, in.Radius)
		if err != nil {
			return nil, err
		}
		return conditional(ctx, b, etag, in.IfNoneMatch), nil
	})
	huma.Register(api, huma.Operation{
		OperationID: "get-leaderboard-competitor", Method: http.MethodGet, Path: "/v1/games/{slug}/leaderboard/competitors/{id}",
		Summary: "A competitor's rating in a game: rank, percentile, recent history", Tags: tags, Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		GamePath
		ID string `path:"id" format:"uuid" doc:"The competitor: a user (solo play) or a team."`
	}) (*struct{ Body *CompetitorRating }, error) {
		c, err := svc.Competitor(ctx, in.Slug, in.ID)
		return &struct{ Body *CompetitorRating }{c}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "create-season", Method: http.MethodPost, Path: "/v1/games/{slug}/seasons",
		Summary: "Add a season to a game (admin)", Tags: tags, Security: requireSession, DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *struct {
		GamePath
		Body Season
	}) (*struct{ Body *Season }, error) {
		season, err := svc.CreateSeason(ctx, in.Slug, in.Body)
		return &struct{ Body *Season }{season}, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "list-seasons", Method: http.MethodGet, Path: "/v1/games/{slug}/seasons",
		Summary: "A game's seasons, latest first", Tags: tags,
	}, func(ctx context.Context, in *GamePath) (*struct {
		Body struct {
			Items []Season `json:"items"`
		}
	}, error) {
		out := &struct {
			Body struct {
				Items []Season `json:"items"`
			}
		}{}
		var err error
		out.Body.Items, err = svc.Seasons(ctx, in.Slug)
		return out, err
	})
}
