// Package leaderboard owns ratings and rankings: a Glicko-2 rating per game for every
// competitor (a player in solo play, a team in team play), updated once per completed
// tournament by an idempotent River job; season points by final placement; and boards of
// both that answer pages, neighbourhoods and ranks in about the same time wherever a
// competitor stands.
package leaderboard

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/leaderboard/glicko"
	"github.com/arenaesports/arena/modules/leaderboard/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/match"
)

// Matches is what the leaderboard needs of the match module.
type Matches interface {
	OutcomeTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (*match.Outcome, error)
}

// Config wires the module.
type Config struct {
	// Tau is Glicko-2's system constant: how fast volatility may change (default 0.5).
	Tau float64
	// IdlePeriod is how long without a rated tournament counts as one empty rating period,
	// widening a competitor's deviation (default 30 days).
	IdlePeriod time.Duration
	// CacheTTL bounds how long a board page is served from memory (default 10 s); writes
	// drop cached pages at once, in every instance.
	CacheTTL time.Duration
	// Now is the clock; tests inject one.
	Now func() time.Time
}

// Service is the leaderboard module's API.
type Service struct {
	pool        *db.Pool // statements survive a lost connection (db.Pool)
	cfg         Config
	q           *dbsqlc.Queries
	boards      *db.Cache[cachedBoard]
	competitors *db.Cache[*CompetitorRating]
}

// New returns a Service on pool.
func New(pool *pgxpool.Pool, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Tau == 0 {
		cfg.Tau = 0.5
	}
	if cfg.IdlePeriod == 0 {
		cfg.IdlePeriod = 30 * 24 * time.Hour
	}
	if cfg.CacheTTL == 0 {
		cfg.CacheTTL = 10 * time.Second
	}
	return &Service{pool: db.Statements(pool), cfg: cfg, q: dbsqlc.New(),
		boards: db.NewCache[cachedBoard](cfg.CacheTTL, 10_000), competitors: db.NewCache[*CompetitorRating](cfg.CacheTTL, 10_000)}
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// changesChannel carries "boards changed" between instances.
const changesChannel = "arena_leaderboard_changed"

func (s *Service) invalidate() {
	s.boards.Invalidate()
	s.competitors.Invalidate()
}

// Listen keeps this instance's cached boards coherent with other instances' writes until
// ctx ends.
func (s *Service) Listen(ctx context.Context) {
	db.Listen(ctx, s.pool.Pool, changesChannel, s.invalidate)
}

// AddWorkers registers the module's workers with River: the follow-up of every completed
// tournament, which reads its outcome from matches and applies its rating period and
// season points. (The match module seeds by this module's ratings, so the dependency comes
// here rather than through New.)
func (s *Service) AddWorkers(workers *river.Workers, matches Matches) {
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, job *river.Job[match.CompletedArgs]) error {
		err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			if err := s.applyTx(ctx, tx, matches, job.Args); err != nil {
				return err
			}
			_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
			return err
		})
		if err == nil {
			s.invalidate()
		}
		return err
	}))
}

// applyTx applies a completed tournament to its game's ratings and season, once: a second
// run finds the period claimed and changes nothing. One rating period covers all of a
// competitor's matches in the tournament; each is rated against its opponents' ratings as
// they stood before it, deviations widened for the time they sat idle. Only matches played
// out count (no forfeits or walkovers); competitors without one keep their rating. The
// statements are a fixed number whatever the tournament's size.
func (s *Service) applyTx(ctx context.Context, tx pgx.Tx, matches Matches, args match.CompletedArgs) error {
	out, err := matches.OutcomeTx(ctx, tx, args.TournamentID)
	if err != nil || len(out.Entrants) == 0 {
		return err
	}
	claimed, err := s.q.ClaimPeriod(ctx, tx, dbsqlc.ClaimPeriodParams{TournamentID: args.TournamentID, GameID: out.GameID,
		CompletedAt: args.CompletedAt, Now: s.now()})
	if err != nil || len(claimed) == 0 {
		return err
	}
	if err := s.q.LockGame(ctx, tx, out.GameID); err != nil {
		return err
	}
	if err := s.rateTx(ctx, tx, args, out); err != nil {
		return err
	}
	if err := s.awardTx(ctx, tx, args, out); err != nil {
		return err
	}
	if err := events.AppendTx(ctx, tx, s.now(), events.Event{Type: events.LeaderboardUpdated, Visibility: events.Public,
		TournamentID: args.TournamentID, Payload: events.LeaderboardData{Competitors: len(out.Entrants)}}); err != nil {
		return err
	}
	return db.NotifyTx(ctx, tx, changesChannel)
}

// rateTx is the tournament's rating period.
func (s *Service) rateTx(ctx context.Context, tx pgx.Tx, args match.CompletedArgs, out *match.Outcome) error {
	ids := make([]uuid.UUID, len(out.Entrants))
	for i, e := range out.Entrants {
		ids[i] = e.ID
	}
	rows, err := s.q.CompetitorRatings(ctx, tx, dbsqlc.CompetitorRatingsParams{GameID: out.GameID, CompetitorIds: ids})
	if err != nil {
		return err
	}
	stored := make(map[uuid.UUID]dbsqlc.CompetitorRatingsRow, len(rows))
	for _, r := range rows {
		stored[r.CompetitorID] = r
	}
	before := make([]glicko.Rating, len(out.Entrants))
	for i, e := range out.Entrants {
		before[i] = glicko.New()
		if r, ok := stored[e.ID]; ok {
			before[i] = glicko.Idle(glicko.Rating{Rating: r.Rating, Deviation: r.Deviation, Volatility: r.Volatility},
				r.LastRatedAt, args.CompletedAt, s.cfg.IdlePeriod)
		}
	}
	results := make([][]glicko.Result, len(out.Entrants))
	wins, losses := make([]int32, len(out.Entrants)), make([]int32, len(out.Entrants))
	for _, p := range out.Played {
		if p.Winner == match.Drawn { // half a point each (Glicko's score for a draw)
			results[p.A] = append(results[p.A], glicko.Result{Opponent: before[p.B], Score: 0.5})
			results[p.B] = append(results[p.B], glicko.Result{Opponent: before[p.A], Score: 0.5})
			continue
		}
		loser := p.A + p.B - p.Winner
		wins[p.Winner]++
		losses[loser]++
		results[p.Winner] = append(results[p.Winner], glicko.Result{Opponent: before[loser], Score: 1})
		results[loser] = append(results[loser], glicko.Result{Opponent: before[p.Winner], Score: 0})
	}
	rp := dbsqlc.UpsertRatingsParams{GameID: out.GameID, RatedAt: args.CompletedAt}
	hp := dbsqlc.InsertHistoryParams{GameID: out.GameID, TournamentID: args.TournamentID, RatedAt: args.CompletedAt}
	sp := dbsqlc.SetScoresParams{BoardID: out.GameID}
	for i, e := range out.Entrants {
		if len(results[i]) == 0 {
			continue
		}
		after := glicko.Update(before[i], results[i], s.cfg.Tau)
		rp.CompetitorIds = append(rp.CompetitorIds, e.ID)
		rp.Ratings = append(rp.Ratings, after.Rating)
		rp.Deviations = append(rp.Deviations, after.Deviation)
		rp.Volatilities = append(rp.Volatilities, after.Volatility)
		hp.Changes = append(hp.Changes, after.Rating-before[i].Rating)
		hp.Wins, hp.Losses = append(hp.Wins, wins[i]), append(hp.Losses, losses[i])
		sp.Kinds = append(sp.Kinds, e.Kind)
	}
	if len(rp.CompetitorIds) == 0 {
		return nil
	}
	hp.CompetitorIds, hp.Ratings, hp.Deviations, hp.Volatilities = rp.CompetitorIds, rp.Ratings, rp.Deviations, rp.Volatilities
	sp.CompetitorIds, sp.Scores = rp.CompetitorIds, rp.Ratings
	if err := s.q.UpsertRatings(ctx, tx, rp); err != nil {
		return err
	}
	if err := s.q.InsertHistory(ctx, tx, hp); err != nil {
		return err
	}
	return s.q.SetScores(ctx, tx, sp)
}

// awardTx adds the tournament's placement points to the season its completion falls in,
// if the game has one: points[rank-1] to each entrant (tied entrants share the better
// place's points; places past the table earn none).
func (s *Service) awardTx(ctx context.Context, tx pgx.Tx, args match.CompletedArgs, out *match.Outcome) error {
	seasons, err := s.q.SeasonAt(ctx, tx, dbsqlc.SeasonAtParams{GameID: out.GameID, At: args.CompletedAt})
	if err != nil || len(seasons) == 0 {
		return err
	}
	season := seasons[0]
	ap := dbsqlc.InsertAwardsParams{SeasonID: season.ID, TournamentID: args.TournamentID}
	sp := dbsqlc.AddScoresParams{BoardID: season.ID}
	for _, e := range out.Entrants {
		if e.Rank > len(season.Points) || season.Points[e.Rank-1] <= 0 {
			continue
		}
		points := season.Points[e.Rank-1]
		ap.CompetitorIds = append(ap.CompetitorIds, e.ID)
		ap.Placements = append(ap.Placements, int32(e.Rank))
		ap.Points = append(ap.Points, points)
		sp.Kinds, sp.Scores = append(sp.Kinds, e.Kind), append(sp.Scores, float64(points))
	}
	if len(ap.CompetitorIds) == 0 {
		return nil
	}
	sp.CompetitorIds = ap.CompetitorIds
	if err := s.q.InsertAwards(ctx, tx, ap); err != nil {
		return err
	}
	return s.q.AddScores(ctx, tx, sp)
}

// RatingsTx returns competitors' ratings in a game for seeding, in their order; the unrated
// have the initial rating. It implements match.Ratings.
func (s *Service) RatingsTx(ctx context.Context, tx pgx.Tx, gameID uuid.UUID, competitors []match.Competitor) ([]float64, error) {
	ids := make([]uuid.UUID, len(competitors))
	for i, c := range competitors {
		ids[i] = c.ID
	}
	rows, err := s.q.CompetitorRatings(ctx, tx, dbsqlc.CompetitorRatingsParams{GameID: gameID, CompetitorIds: ids})
	if err != nil {
		return nil, err
	}
	byID := make(map[uuid.UUID]float64, len(rows))
	for _, r := range rows {
		byID[r.CompetitorID] = r.Rating
	}
	out := make([]float64, len(competitors))
	for i, c := range competitors {
		out[i] = glicko.InitialRating
		if r, ok := byID[c.ID]; ok {
			out[i] = r
		}
	}
	return out, nil
}
