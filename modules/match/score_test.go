package match

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/modules/match/internal/dbsqlc"
)

func reportRow(a, b int32, games []byte) dbsqlc.GetReportsRow {
	return dbsqlc.GetReportsRow{ScoreA: a, ScoreB: b, Games: games}
}

func TestResultRules(t *testing.T) {
	t.Parallel()
	g := func(a, b int32) GameScore { return GameScore{A: a, B: b} }
	for name, tc := range map[string]struct {
		rules rules
		res   Result
		ok    bool
	}{
		"BestOf3Win":              {rules{3, false}, Result{Score: Score{2, 1}}, true},
		"BestOf3Sweep":            {rules{3, false}, Result{Score: Score{0, 2}}, true},
		"BestOf3Short":            {rules{3, false}, Result{Score: Score{1, 0}}, false},
		"BestOf3Level":            {rules{3, false}, Result{Score: Score{1, 1}}, false},
		"BestOf3LevelWithDraws":   {rules{3, true}, Result{Score: Score{1, 1}}, true},
		"BestOf1Nil":              {rules{1, true}, Result{Score: Score{0, 0}}, true},
		"BestOf2Level":            {rules{2, true}, Result{Score: Score{1, 1}}, true},
		"BestOf2Sweep":            {rules{2, true}, Result{Score: Score{2, 0}}, true},
		"BestOf2TooManyGames":     {rules{2, true}, Result{Score: Score{2, 1}}, false},
		"BestOf2LevelPastBestOf":  {rules{2, true}, Result{Score: Score{2, 2}}, false},
		"GamesAddUp":              {rules{3, false}, Result{Score{2, 1}, []GameScore{g(16, 10), g(8, 16), g(16, 14)}}, true},
		"GamesDoNotAddUp":         {rules{3, false}, Result{Score{2, 0}, []GameScore{g(16, 10), g(8, 16), g(16, 14)}}, false},
		"GameAfterTheDecider":     {rules{3, false}, Result{Score{2, 0}, []GameScore{g(16, 10), g(16, 8), g(3, 16)}}, false},
		"LevelGameWithoutDraws":   {rules{3, false}, Result{Score{1, 0}, []GameScore{g(15, 15), g(16, 3)}}, false},
		"LevelGameWithDraws":      {rules{3, true}, Result{Score{2, 0}, []GameScore{g(15, 15), g(16, 3), g(16, 2)}}, true},
		"DrawnSeriesOfLevelGames": {rules{2, true}, Result{Score{0, 0}, []GameScore{g(1, 1), g(2, 2)}}, true},
		"EmptyGames":              {rules{3, false}, Result{Score{2, 0}, []GameScore{}}, false},
		"MoreGamesThanBestOf":     {rules{1, false}, Result{Score{1, 0}, []GameScore{g(1, 0), g(1, 0)}}, false},
	} {
		t.Run(name, func(t *testing.T) {
			err := tc.rules.check(tc.res)
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.Equal(t, arena.EINVALID, arena.ErrorCode(err))
			}
		})
	}
}

func TestAgreement(t *testing.T) {
	t.Parallel()
	two := encodeGames([]GameScore{{A: 13, B: 5}, {A: 13, B: 9}})
	other := encodeGames([]GameScore{{A: 13, B: 5}, {A: 13, B: 11}})
	for name, tc := range map[string]struct {
		x, y  []byte
		agree bool
		games int
	}{
		"NoGames":       {nil, nil, true, 0},
		"OneSideGames":  {nil, two, true, 2},
		"SameGames":     {two, two, true, 2},
		"OtherGames":    {two, other, false, 2},
		"GamesFromLeft": {two, nil, true, 2},
	} {
		t.Run(name, func(t *testing.T) {
			res, ok, err := agreement(reportRow(2, 0, tc.x), reportRow(2, 0, tc.y))
			require.NoError(t, err)
			require.Equal(t, tc.agree, ok)
			require.Len(t, res.Games, tc.games)
		})
	}
	_, ok, err := agreement(reportRow(2, 0, nil), reportRow(0, 2, nil))
	require.NoError(t, err)
	require.False(t, ok, "different scores")
}
