package leaderboard

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/leaderboard/internal/dbsqlc"
)

// Season is a period of a game whose tournaments award points by final placement.
type Season struct {
	Slug     string    `json:"slug" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" maxLength:"40"`
	Name     string    `json:"name" minLength:"1" maxLength:"80"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at" doc:"Exclusive: a tournament completed at this instant counts for the next season."`
	Points   []int32   `json:"points" minItems:"1" maxItems:"256" doc:"Points by final placement: the first for the winner, the second for the runner-up, …; tied entrants share the better place's points."`
}

// CreateSeason adds a season to a game (admins). Seasons of a game do not overlap, so each
// completed tournament counts for at most one. Errors: EUNAUTHORIZED, EFORBIDDEN,
// ENOTFOUND (game), EINVALID (dates, points), ECONFLICT (overlap or slug taken).
func (s *Service) CreateSeason(ctx context.Context, game string, in Season) (*Season, error) {
	if _, err := arena.RequireRole(ctx, arena.RoleAdmin); err != nil {
		return nil, err
	}
	if !in.EndsAt.After(in.StartsAt) {
		return nil, arena.Errorf(arena.EINVALID, "A season ends after it starts.")
	}
	for i, p := range in.Points {
		if p < 0 || p > 1_000_000 {
			return nil, arena.Errorf(arena.EINVALID, "points[%d] is %d; points are 0 to 1000000.", i, p)
		}
	}
	gameID, err := s.q.GameID(ctx, s.pool, game)
	if err != nil {
		return nil, db.NotFound(err, "Game")
	}
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		ids, err := s.q.InsertSeason(ctx, tx, dbsqlc.InsertSeasonParams{ID: db.NewID(), GameID: gameID, Slug: in.Slug,
			Name: in.Name, StartsAt: in.StartsAt.UTC(), EndsAt: in.EndsAt.UTC(), Points: in.Points, Now: s.now()})
		switch {
		case db.UniqueViolation(err) != "":
			return arena.Errorf(arena.ECONFLICT, "This game already has a season %q.", in.Slug)
		case err != nil:
			return err
		case len(ids) == 0:
			return arena.Errorf(arena.ECONFLICT, "The season overlaps another season of this game.")
		}
		if err := events.AppendTx(ctx, tx, s.now(), events.Event{Type: events.SeasonCreated, Visibility: events.Public,
			Payload: events.SeasonData{Game: game, Slug: in.Slug, Name: in.Name, StartsAt: in.StartsAt.UTC(), EndsAt: in.EndsAt.UTC()}}); err != nil {
			return err
		}
		// The default season of the game's boards may have changed, in every instance.
		return db.NotifyTx(ctx, tx, changesChannel)
	})
	if err != nil {
		return nil, err
	}
	s.invalidate()
	return &in, nil
}

// Seasons lists a game's seasons, latest first (at most 100).
func (s *Service) Seasons(ctx context.Context, game string) ([]Season, error) {
	rows, err := s.q.ListSeasons(ctx, s.pool, game)
	if err != nil {
		return nil, err
	}
	out := make([]Season, len(rows))
	for i, r := range rows {
		out[i] = Season{Slug: r.Slug, Name: r.Name, StartsAt: r.StartsAt, EndsAt: r.EndsAt, Points: r.Points}
	}
	return out, nil
}
