package match

import (
	"context"

	"github.com/google/uuid"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/modules/match/internal/dbsqlc"
)

// When a match of the caller's stands, as GET /v1/me/matches groups them.
const (
	WhenLive     = "live"     // open for play: both sides known, no result decided
	WhenUpcoming = "upcoming" // a side is not known yet
	WhenRecent   = "recent"   // decided
)

// whenOf names ListMyMatches' buckets, in their order.
var whenOf = []string{WhenLive, WhenUpcoming, WhenRecent}

// MatchTournament names a match's tournament.
type MatchTournament struct {
	ID   uuid.UUID `json:"id"`
	Slug string    `json:"slug"`
	Name string    `json:"name"`
}

// MyMatch is a match of one of the caller's entries, with its tournament and the caller's
// side.
type MyMatch struct {
	MatchView
	When       string          `json:"when" enum:"live,upcoming,recent"`
	Side       string          `json:"side" enum:"a,b" doc:"The caller's side."`
	Tournament MatchTournament `json:"tournament"`
}

type myCursor struct {
	Bucket int32     `json:"b"`
	Key    float64   `json:"k"`
	ID     uuid.UUID `json:"i"`
}

// MyMatches pages through the matches of every entry the caller is a member of, solo or in
// a team, across tournaments: live ones first, then upcoming, each soonest scheduled first
// (unscheduled last), then recent ones, latest decided first. Undecided matches of
// tournaments that stopped running are left out. One query, names embedded. Errors:
// EUNAUTHORIZED, EINVALID (cursor).
func (s *Service) MyMatches(ctx context.Context, page arena.Page) ([]MyMatch, string, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, "", err
	}
	p := dbsqlc.ListMyMatchesParams{UserID: c.ID, MaxRows: int32(page.Limit) + 1}
	if page.Cursor != "" {
		var cur myCursor
		if err := arena.DecodeCursor(page.Cursor, &cur); err != nil {
			return nil, "", err
		}
		p.Paged, p.AfterBucket, p.AfterKey, p.AfterID = true, cur.Bucket, cur.Key, cur.ID
	}
	rows, err := s.q.ListMyMatches(ctx, s.pool, p)
	if err != nil {
		return nil, "", err
	}
	rows, next := arena.TrimPage(rows, page.Limit, func(r dbsqlc.ListMyMatchesRow) any { return myCursor{r.Bucket, r.SortKey, r.ID} })
	out := make([]MyMatch, len(rows))
	for i, r := range rows {
		side := SideA
		if r.ASeed == nil || *r.ASeed != r.MySeed {
			side = SideB
		}
		out[i] = MyMatch{When: whenOf[r.Bucket], Side: side,
			Tournament: MatchTournament{ID: r.TournamentID, Slug: r.TournamentSlug, Name: r.TournamentName},
			MatchView: MatchView{ID: r.ID, Number: r.Number, Stage: r.Stage, Group: r.Grp, Round: r.Round, Order: r.Ord,
				Status: r.Status, A: Side{Seed: known(r.ASeed), Name: r.AName}, B: Side{Seed: known(r.BSeed), Name: r.BName},
				ScoreA: r.ScoreA, ScoreB: r.ScoreB, Winner: r.WinnerSeed, ScheduledAt: r.ScheduledAt}}
	}
	return out, next, nil
}
