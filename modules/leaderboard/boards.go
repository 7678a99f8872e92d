package leaderboard

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/google/uuid"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/leaderboard/glicko"
	"github.com/arenaesports/arena/modules/leaderboard/internal/dbsqlc"
)

// Boards.
const (
	BoardRating = "rating" // a game's Glicko-2 ratings
	BoardSeason = "season" // a season's points
)

// CompetitorRef names a competitor on a board.
type CompetitorRef struct {
	ID     uuid.UUID `json:"id"`
	Kind   string    `json:"kind" enum:"user,team"`
	Name   string    `json:"name" doc:"The team's name, or the player's display name."`
	Handle string    `json:"handle,omitempty" doc:"Players only."`
}

// Entry is a competitor's line on a board.
type Entry struct {
	Rank       int64         `json:"rank" doc:"1 + the number of competitors scoring more: equal scores share a rank."`
	Competitor CompetitorRef `json:"competitor"`
	Rating     *float64      `json:"rating,omitempty" doc:"Rating board."`
	Deviation  *float64      `json:"deviation,omitempty" doc:"Rating board: the rating's uncertainty, widened by time idle."`
	Points     *int64        `json:"points,omitempty" doc:"Season board."`
}

// SeasonRef names a season.
type SeasonRef struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// Board is a page of a board.
type Board struct {
	Board      string     `json:"board" enum:"rating,season"`
	Season     *SeasonRef `json:"season,omitempty"`
	Items      []Entry    `json:"items"`
	NextCursor string     `json:"next_cursor,omitempty"`
}

// BoardQuery selects a board of a game and a page of it.
type BoardQuery struct {
	Game   string // slug
	Board  string // BoardRating (default) or BoardSeason
	Season string // season slug; by default the latest that has begun
	arena.Page
}

type boardCursor struct {
	Score float64   `json:"s"`
	ID    uuid.UUID `json:"i"`
}

type cachedBoard struct {
	board *Board
	etag  string
}

// Page returns a page of a board, best first, keyset-paginated, competitors' names embedded:
// one round trip, or none when cached. It returns the page and its ETag. Errors: ENOTFOUND
// (game, season), EINVALID (cursor).
func (s *Service) Page(ctx context.Context, q BoardQuery) (*Board, string, error) {
	key := fmt.Sprintf("page|%s|%s|%s|%s|%d", q.Game, q.Board, q.Season, q.Cursor, q.Limit)
	return s.cachedBoard(key, func(now time.Time) (*Board, error) {
		p := q.params(now)
		p.AfterScore, p.MaxRows = math.Inf(1), int32(q.Limit)+1
		if q.Cursor != "" {
			var c boardCursor
			if err := arena.DecodeCursor(q.Cursor, &c); err != nil {
				return nil, err
			}
			p.AfterScore, p.AfterID = c.Score, c.ID
		}
		rows, err := s.q.Board(ctx, s.pool, p)
		if err != nil {
			return nil, err
		}
		b, err := s.board(q.Board, rows, now)
		if err != nil {
			return nil, err
		}
		if len(b.Items) > q.Limit {
			last := b.Items[q.Limit-1]
			b.Items = b.Items[:q.Limit]
			b.NextCursor = arena.EncodeCursor(boardCursor{Score: rows[q.Limit-1].Score, ID: last.Competitor.ID})
		}
		return b, nil
	})
}

// Around returns a competitor's neighbourhood on a board: up to radius entries above it,
// itself, and up to radius below, in one round trip (none when cached). Errors: ENOTFOUND
// (game, season, or the competitor is not on the board).
func (s *Service) Around(ctx context.Context, q BoardQuery, competitorID string, radius int) (*Board, string, error) {
	id, err := db.ParseID(competitorID, "Competitor")
	if err != nil {
		return nil, "", err
	}
	key := fmt.Sprintf("around|%s|%s|%s|%s|%d", q.Game, q.Board, q.Season, id, radius)
	return s.cachedBoard(key, func(now time.Time) (*Board, error) {
		p := q.params(now)
		p.Around, p.CompetitorID, p.MaxRows = true, id, int32(radius)
		rows, err := s.q.Board(ctx, s.pool, p)
		if err != nil {
			return nil, err
		}
		b, err := s.board(q.Board, rows, now)
		if err == nil && len(b.Items) == 0 {
			err = arena.Errorf(arena.ENOTFOUND, "This competitor is not on the board.")
		}
		return b, err
	})
}

// params selects the board of q (the part of it is the caller's to add).
func (q BoardQuery) params(now time.Time) dbsqlc.BoardParams {
	return dbsqlc.BoardParams{SeasonBoard: q.Board == BoardSeason, Season: q.Season, Now: now, Game: q.Game}
}

// cachedBoard serves key from the cache, or reads it with read and caches it with its ETag.
func (s *Service) cachedBoard(key string, read func(now time.Time) (*Board, error)) (*Board, string, error) {
	now := s.now()
	c, ok, gen := s.boards.Get(key, now)
	if ok {
		return c.board, c.etag, nil
	}
	b, err := read(now)
	if err != nil {
		return nil, "", err
	}
	etag := arena.ETag(b)
	s.boards.Put(key, cachedBoard{board: b, etag: etag}, gen, now)
	return b, etag, nil
}

// board turns rows into a board: no row is an unknown game, a nil board an unknown season.
// Ranks follow from the first row's rank and the entries tied with it before the page: a
// row scoring less than the one before it is ranked by its position.
func (s *Service) board(kind string, rows []dbsqlc.BoardRow, now time.Time) (*Board, error) {
	if len(rows) == 0 {
		return nil, arena.Errorf(arena.ENOTFOUND, "Game not found.")
	}
	if rows[0].BoardID == uuid.Nil {
		return nil, arena.Errorf(arena.ENOTFOUND, "This game has no such season.")
	}
	b := &Board{Board: kind, Items: []Entry{}}
	if kind == BoardSeason {
		b.Season = &SeasonRef{Slug: rows[0].SeasonSlug, Name: rows[0].SeasonName}
	}
	first, tied := rows[0].FirstRank, rows[0].TiedBefore
	for i, r := range rows {
		if r.CompetitorID == nil {
			break // an empty page
		}
		e := Entry{Rank: first, Competitor: CompetitorRef{ID: *r.CompetitorID, Kind: *r.CompetitorKind, Name: r.Name, Handle: deref(r.Handle)}}
		if i > 0 {
			e.Rank = b.Items[i-1].Rank
			if r.Score < rows[i-1].Score {
				e.Rank = first + tied + int64(i)
			}
		}
		if kind == BoardSeason {
			points := int64(r.Score)
			e.Points = &points
		} else {
			rating, deviation := s.display(glicko.Rating{Rating: r.Score, Deviation: r.Deviation.Float64, Volatility: r.Volatility.Float64},
				r.LastRatedAt, now)
			e.Rating, e.Deviation = &rating, &deviation
		}
		b.Items = append(b.Items, e)
	}
	return b, nil
}

// display rounds a rating for showing, its deviation widened for the time since it was
// last rated.
func (s *Service) display(r glicko.Rating, last *time.Time, now time.Time) (float64, float64) {
	if last != nil {
		r = glicko.Idle(r, *last, now, s.cfg.IdlePeriod)
	}
	return round2(r.Rating), round2(r.Deviation)
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// CompetitorRating is a competitor's standing in a game's ratings.
type CompetitorRating struct {
	Competitor    CompetitorRef `json:"competitor"`
	Rating        float64       `json:"rating"`
	Deviation     float64       `json:"deviation" doc:"Widened by time idle."`
	Volatility    float64       `json:"volatility"`
	Rank          int64         `json:"rank"`
	Percentile    float64       `json:"percentile" doc:"Share of rated competitors at or below this one, in percent (100 for the best)."`
	RatedOn       int64         `json:"rated_competitors" doc:"How many competitors the game has rated."`
	Tournaments   int32         `json:"tournaments" doc:"Rated tournaments played."`
	LastRatedAt   time.Time     `json:"last_rated_at"`
	RecentHistory []Period      `json:"recent_history" doc:"The latest rating periods, newest first (at most 10)."`
}

// Period is the rating after one tournament.
type Period struct {
	TournamentID   uuid.UUID `json:"tournament_id"`
	TournamentSlug string    `json:"tournament_slug,omitempty"`
	TournamentName string    `json:"tournament_name,omitempty"`
	Rating         float64   `json:"rating"`
	Deviation      float64   `json:"deviation"`
	Change         float64   `json:"change"`
	Wins           int       `json:"wins"`
	Losses         int       `json:"losses"`
	RatedAt        time.Time `json:"rated_at"`
}

// Competitor returns a competitor's rating in a game with rank, percentile and recent
// history, in one round trip (none when cached). Errors: ENOTFOUND (game, or not rated).
func (s *Service) Competitor(ctx context.Context, game, competitorID string) (*CompetitorRating, error) {
	id, err := db.ParseID(competitorID, "Competitor")
	if err != nil {
		return nil, err
	}
	key := game + "|" + id.String()
	now := s.now()
	c, ok, gen := s.competitors.Get(key, now)
	if ok {
		return c, nil
	}
	r, err := s.q.Competitor(ctx, s.pool, dbsqlc.CompetitorParams{CompetitorID: id, Game: game})
	if err != nil {
		return nil, db.NotFound(err, "Rated competitor")
	}
	out := &CompetitorRating{Competitor: CompetitorRef{ID: id, Kind: r.CompetitorKind, Name: r.Name, Handle: deref(r.Handle)},
		Volatility: r.Volatility, Rank: r.Rank, RatedOn: r.Total, Tournaments: r.Tournaments, LastRatedAt: r.LastRatedAt}
	out.Rating, out.Deviation = s.display(glicko.Rating{Rating: r.Rating, Deviation: r.Deviation, Volatility: r.Volatility},
		&r.LastRatedAt, now)
	if r.Total > 0 {
		out.Percentile = round2(100 * float64(r.Total-r.Rank+1) / float64(r.Total))
	}
	if err := json.Unmarshal(r.History, &out.RecentHistory); err != nil {
		return nil, err
	}
	for i := range out.RecentHistory {
		h := &out.RecentHistory[i]
		h.Rating, h.Deviation, h.Change = round2(h.Rating), round2(h.Deviation), round2(h.Change)
	}
	s.competitors.Put(key, out, gen, now)
	return out, nil
}
