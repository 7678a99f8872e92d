package match

import (
	"context"
	"fmt"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/modules/match/bracket"
	"github.com/arenaesports/arena/modules/match/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/tournament"
)

// BracketsModel is the JSON data model of the open-source brackets-viewer.js (the
// brackets-model package): one stage, its groups and rounds, matches, participants.
type BracketsModel struct {
	Stage       []ModelStage       `json:"stage"`
	Group       []ModelGroup       `json:"group"`
	Round       []ModelRound       `json:"round"`
	Match       []ModelMatch       `json:"match"`
	MatchGame   []ModelMatchGame   `json:"match_game"`
	Participant []ModelParticipant `json:"participant"`
}

// ModelStage is brackets-model's stage.
type ModelStage struct {
	ID           int            `json:"id"`
	TournamentID string         `json:"tournament_id"`
	Name         string         `json:"name"`
	Type         string         `json:"type" enum:"single_elimination,double_elimination,round_robin"`
	Number       int            `json:"number"`
	Settings     map[string]any `json:"settings"`
}

// ModelGroup is brackets-model's group (winner bracket, loser bracket, final; or a pool).
type ModelGroup struct {
	ID      int `json:"id"`
	StageID int `json:"stage_id"`
	Number  int `json:"number"`
}

// ModelRound is brackets-model's round.
type ModelRound struct {
	ID      int `json:"id"`
	StageID int `json:"stage_id"`
	GroupID int `json:"group_id"`
	Number  int `json:"number"`
}

// ModelOpponent is one side of a brackets-model match; null when unknown.
type ModelOpponent struct {
	ID     *int32 `json:"id"`
	Score  *int32 `json:"score,omitempty"`
	Result string `json:"result,omitempty" enum:"win,loss,draw"`
}

// brackets-model's results of an opponent.
const (
	modelWin  = "win"
	modelLoss = "loss"
	modelDraw = "draw"
)

// ModelMatch is brackets-model's match. Status: 0 locked, 1 waiting, 2 ready, 3 running,
// 4 completed.
type ModelMatch struct {
	ID         int32          `json:"id"`
	StageID    int            `json:"stage_id"`
	GroupID    int            `json:"group_id"`
	RoundID    int            `json:"round_id"`
	Number     int32          `json:"number"`
	ChildCount int            `json:"child_count"`
	Status     int            `json:"status"`
	Opponent1  *ModelOpponent `json:"opponent1"`
	Opponent2  *ModelOpponent `json:"opponent2"`
}

// ModelMatchGame is brackets-model's match_game: one game of a match (parent_id), as
// reported.
type ModelMatchGame struct {
	ID        int            `json:"id"`
	StageID   int            `json:"stage_id"`
	ParentID  int32          `json:"parent_id"`
	Number    int            `json:"number"`
	Status    int            `json:"status"`
	Opponent1 *ModelOpponent `json:"opponent1"`
	Opponent2 *ModelOpponent `json:"opponent2"`
}

// ModelParticipant is brackets-model's participant; ids are seeds.
type ModelParticipant struct {
	ID           int32  `json:"id"`
	TournamentID string `json:"tournament_id"`
	Name         string `json:"name"`
}

// Export returns a bracket in brackets-model's data model (two queries: the matches, the
// entrants). Swiss stages have no brackets-model equivalent. Errors: ENOTFOUND, EINVALID.
func (s *Service) Export(ctx context.Context, tournamentID string) (*BracketsModel, error) {
	tid, rows, err := s.bracketOf(ctx, tournamentID)
	if err != nil {
		return nil, err
	}
	format := rows[0].Format
	if format == tournament.FormatSwiss {
		return nil, arena.Errorf(arena.EINVALID, "brackets-model has no Swiss stage.")
	}
	entrants, err := s.q.ListEntrants(ctx, s.pool, tid)
	if err != nil {
		return nil, err
	}
	out := &BracketsModel{MatchGame: []ModelMatchGame{},
		Stage: []ModelStage{{ID: 0, TournamentID: tid.String(), Name: "Main stage", Type: format, Number: 1,
			Settings: map[string]any{"size": len(entrants)}}}}
	if format == tournament.FormatDoubleElimination {
		out.Stage[0].Settings["grandFinal"] = deref(rows[0].GrandFinal)
	}
	for _, e := range entrants {
		out.Participant = append(out.Participant, ModelParticipant{ID: e.Seed, TournamentID: tid.String(), Name: e.Name})
	}
	groupIDs, roundIDs := map[int]int{}, map[string]int{}
	for _, r := range rows {
		g := modelGroup(r)
		if _, ok := groupIDs[g]; !ok {
			groupIDs[g] = len(out.Group)
			out.Group = append(out.Group, ModelGroup{ID: len(out.Group), StageID: 0, Number: g})
		}
		rk := fmt.Sprintf("%d/%d", g, modelRound(r))
		if _, ok := roundIDs[rk]; !ok {
			roundIDs[rk] = len(out.Round)
			out.Round = append(out.Round, ModelRound{ID: len(out.Round), StageID: 0, GroupID: groupIDs[g], Number: modelRound(r)})
		}
		drawn := decidedByResult(r.Status) && r.WinnerSeed == nil
		games, err := decodeGames(r.Games)
		if err != nil {
			return nil, err
		}
		out.Match = append(out.Match, ModelMatch{ID: r.Number, StageID: 0, GroupID: groupIDs[g], RoundID: roundIDs[rk],
			Number: r.Ord + 1, Status: modelStatus(r), ChildCount: len(games), Opponent1: opponent(r.ASeed, r.ScoreA, r.WinnerSeed, drawn),
			Opponent2: opponent(r.BSeed, r.ScoreB, r.WinnerSeed, drawn)})
		for i, gm := range games {
			a, b := gm.A, gm.B
			winner, _ := (Score{A: a, B: b}).winner(*r.ASeed, *r.BSeed)
			out.MatchGame = append(out.MatchGame, ModelMatchGame{ID: len(out.MatchGame), StageID: 0, ParentID: r.Number,
				Number: i + 1, Status: 4, Opponent1: opponent(r.ASeed, &a, winner, winner == nil),
				Opponent2: opponent(r.BSeed, &b, winner, winner == nil)})
		}
	}
	return out, nil
}

// modelGroup numbers brackets-model's groups: winner bracket 1, loser bracket 2, final 3
// (double elimination); main 1 and consolation final 2 (single); pools 1… (round robin).
func modelGroup(r dbsqlc.GetBracketRow) int {
	switch r.Stage {
	case string(bracket.Losers), string(bracket.ThirdPlace):
		return 2
	case string(bracket.GrandFinal), string(bracket.GrandFinalReset):
		return 3
	case string(bracket.RoundRobinStage):
		return int(r.Grp) + 1
	}
	return 1
}

func modelRound(r dbsqlc.GetBracketRow) int {
	if r.Stage == string(bracket.GrandFinalReset) {
		return 2
	}
	return int(r.Round)
}

func modelStatus(r dbsqlc.GetBracketRow) int {
	switch r.Status {
	case StatusConfirmed, StatusResolved, StatusForfeit, StatusDoubleForfeit, StatusDisqualified, StatusSkipped, StatusBye:
		return 4
	case StatusReported, StatusDisputed:
		return 3
	case StatusReady:
		return 2
	}
	if r.ASeed != nil || r.BSeed != nil {
		return 1
	}
	return 0
}

// opponent is a side in brackets-model; an empty one (unknown yet, or never to be filled)
// is null, which brackets-viewer.js draws as a bye once the match is decided. drawn marks a
// decided match (or game) that ended level.
func opponent(seed, score, winner *int32, drawn bool) *ModelOpponent {
	if seed == nil || *seed < 0 {
		return nil
	}
	o := &ModelOpponent{ID: seed, Score: score}
	switch {
	case drawn:
		o.Result = modelDraw
	case winner != nil && *winner == *seed:
		o.Result = modelWin
	case winner != nil:
		o.Result = modelLoss
	}
	return o
}
