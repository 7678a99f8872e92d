package match

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/match/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/tournament"
)

// Side is one side of a match.
type Side struct {
	Seed *int32  `json:"seed,omitempty" doc:"0-based seed; absent until the side is known."`
	Name *string `json:"name,omitempty"`
}

// MatchView is a match as the bracket shows it.
type MatchView struct {
	ID     uuid.UUID `json:"id"`
	Number int32     `json:"number"`
	Stage  string    `json:"stage" enum:"winners,losers,grand_final,grand_final_reset,third_place,round_robin,swiss"`
	Group  int32     `json:"group"`
	Round  int32     `json:"round"`
	Order  int32     `json:"order"`
	Status string    `json:"status" enum:"pending,ready,reported,disputed,confirmed,resolved,forfeit,double_forfeit,disqualified,skipped,bye" doc:"bye: won without playing (a Swiss bye, or a walkover when the other side will never be filled)."`
	A      Side      `json:"a"`
	B      Side      `json:"b"`
	ScoreA *int32    `json:"score_a,omitempty"`
	ScoreB *int32    `json:"score_b,omitempty"`
	Winner *int32    `json:"winner_seed,omitempty" doc:"Absent while undecided, and for a draw."`
	// ScheduledAt is when the match is to be played, if the organizer said.
	ScheduledAt *time.Time  `json:"scheduled_at,omitempty" doc:"When the match is to be played; overdue once undecided past it by the tournament's report_window."`
	Games       []GameScore `json:"games,omitempty" doc:"The games of the decided result, when they were reported."`
}

// Bracket is a tournament's matches in number order.
type Bracket struct {
	Format     string `json:"format" enum:"single_elimination,double_elimination,round_robin,swiss"`
	BestOf     int32  `json:"best_of"`
	AllowDraws bool   `json:"allow_draws" doc:"A match may end level (round robin and Swiss)."`
	Seeding    string `json:"seeding" enum:"registration,random,manual,rating" doc:"How the entrants were seeded; manual once two were swapped."`
	RandomSeed *int64 `json:"random_seed,omitempty" doc:"The seed of a random seeding, to reproduce it."`
	// Play is the bracket's own copy, taken at the start: later changes cannot reach it.
	Play    tournament.Play `json:"play" doc:"The rules of play the bracket was laid out under and is paired and ranked by."`
	Matches []MatchView     `json:"matches"`
}

// GetBracket returns a tournament's bracket, entrants' names embedded, in one round trip.
// Errors: ENOTFOUND (no bracket yet).
func (s *Service) GetBracket(ctx context.Context, tournamentID string) (*Bracket, error) {
	_, rows, err := s.bracketOf(ctx, tournamentID)
	if err != nil {
		return nil, err
	}
	out := &Bracket{Format: rows[0].Format, BestOf: rows[0].BestOf, AllowDraws: rows[0].AllowDraws, Seeding: rows[0].Seeding,
		RandomSeed: rows[0].RandomSeed, Play: playOf(rows[0]), Matches: make([]MatchView, len(rows))}
	for i, r := range rows {
		if out.Matches[i], err = viewOf(dbsqlc.ListMatchesRow{ID: r.ID, Number: r.Number, Stage: r.Stage, Grp: r.Grp, Round: r.Round,
			Ord: r.Ord, Status: r.Status, ASeed: r.ASeed, BSeed: r.BSeed, AName: r.AName, BName: r.BName, ScoreA: r.ScoreA,
			ScoreB: r.ScoreB, WinnerSeed: r.WinnerSeed, ScheduledAt: r.ScheduledAt, Games: r.Games}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// bracketOf reads the bracket of a tournament named by its id's text (see bracketRows).
func (s *Service) bracketOf(ctx context.Context, tournamentID string) (uuid.UUID, []dbsqlc.GetBracketRow, error) {
	tid, err := db.ParseID(tournamentID, "Bracket")
	if err != nil {
		return tid, nil, err
	}
	rows, err := s.bracketRows(ctx, s.pool, tid)
	return tid, rows, err
}

// bracketRows reads a bracket's matches with names (one query); no bracket is ENOTFOUND.
func (s *Service) bracketRows(ctx context.Context, conn dbsqlc.DBTX, tid uuid.UUID) ([]dbsqlc.GetBracketRow, error) {
	rows, err := s.q.GetBracket(ctx, conn, tid)
	if err == nil && len(rows) == 0 {
		err = arena.Errorf(arena.ENOTFOUND, "This tournament has no bracket yet.")
	}
	return rows, err
}

// GetMatch returns a match with its entrants' names (one query). Errors: ENOTFOUND.
func (s *Service) GetMatch(ctx context.Context, matchID string) (*MatchView, error) {
	id, err := db.ParseID(matchID, "Match")
	if err != nil {
		return nil, err
	}
	r, err := s.q.GetMatch(ctx, s.pool, id)
	if err != nil {
		return nil, db.NotFound(err, "Match")
	}
	v, err := viewOf(dbsqlc.ListMatchesRow(r))
	return &v, err
}

// MatchFilter selects matches of a tournament; zero fields do not filter.
type MatchFilter struct {
	Round  int32
	Status string
	// Overdue keeps only matches still undecided longer than the tournament's report window
	// after their scheduled time.
	Overdue bool
	arena.Page
}

// ListMatches pages through a tournament's matches in play order (one query).
// Errors: EINVALID (cursor).
func (s *Service) ListMatches(ctx context.Context, tournamentID string, f MatchFilter) ([]MatchView, string, error) {
	tid, err := db.ParseID(tournamentID, "Tournament")
	if err != nil {
		return nil, "", err
	}
	p := dbsqlc.ListMatchesParams{TournamentID: tid, AfterNumber: -1, Overdue: f.Overdue, Now: s.now(), MaxRows: int32(f.Limit) + 1}
	if f.Cursor != "" {
		if err := arena.DecodeCursor(f.Cursor, &p.AfterNumber); err != nil {
			return nil, "", err
		}
	}
	if f.Round > 0 {
		p.Round = &f.Round
	}
	if f.Status != "" {
		p.Status = &f.Status
	}
	rows, err := s.q.ListMatches(ctx, s.pool, p)
	if err != nil {
		return nil, "", err
	}
	rows, next := arena.TrimPage(rows, f.Limit, func(r dbsqlc.ListMatchesRow) any { return r.Number })
	out := make([]MatchView, len(rows))
	for i, r := range rows {
		if out[i], err = viewOf(r); err != nil {
			return nil, "", err
		}
	}
	return out, next, nil
}

func viewOf(r dbsqlc.ListMatchesRow) (MatchView, error) {
	games, err := decodeGames(r.Games)
	return MatchView{ID: r.ID, Number: r.Number, Stage: r.Stage, Group: r.Grp, Round: r.Round, Order: r.Ord, Status: r.Status,
		A: Side{Seed: known(r.ASeed), Name: r.AName}, B: Side{Seed: known(r.BSeed), Name: r.BName}, ScoreA: r.ScoreA, ScoreB: r.ScoreB,
		Winner: r.WinnerSeed, ScheduledAt: r.ScheduledAt, Games: games}, err
}

// known hides the seed of a side that will never be filled (-1): to clients it is empty.
func known(seed *int32) *int32 {
	if seed != nil && *seed < 0 {
		return nil
	}
	return seed
}
