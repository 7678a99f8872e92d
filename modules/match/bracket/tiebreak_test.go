package bracket

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// tiebreakEvent is three Swiss rounds of five players at 3/1/0, with draws, game scores and
// one bye each for players 2, 3 and 4 (rounds 3, 2 and 1). Points: 7, 3, 4, 4, 7.
var tiebreakEvent = []Result{
	{A: 0, B: 1, Winner: 0, GamesA: 2, GamesB: 0}, {A: 2, B: 3, Winner: Draw, GamesA: 1, GamesB: 1}, {A: 4, B: -1, Winner: 4},
	{A: 0, B: 4, Winner: Draw, GamesA: 1, GamesB: 1}, {A: 1, B: 2, Winner: 1, GamesA: 2, GamesB: 1}, {A: 3, B: -1, Winner: 3},
	{A: 0, B: 3, Winner: 0, GamesA: 2, GamesB: 1}, {A: 4, B: 1, Winner: 4, GamesA: 2, GamesB: 0}, {A: 2, B: -1, Winner: 2},
}

// TestTiebreakDefinitions checks every tiebreak's value against a hand computation from its
// definition (docs/competition.md), per player 0…4:
//
//	opponents' points: 0: 3 7 4; 1: 7 4 7; 2: 4 3 (+bye); 3: 4 7 (+bye); 4: 7 3 (+bye)
//	buchholz = their sum; cut1 = less the lowest; median = less the highest and the lowest
//	sonneborn_berger = Σ points scored against an opponent × the opponent's points:
//	  0: 3·3 + 1·7 + 3·4 = 28; 1: 3·4 = 12; 2: 1·4 = 4; 3: 1·4 = 4; 4: 1·7 + 3·3 = 16
//	virtual opponent for a bye in round R of 3: own points before R, a loss, then draws:
//	  2 (R3): 1 + 0 + 0 = 1; 3 (R2): 1 + 0 + 1 = 2; 4 (R1): 0 + 0 + 2 = 2
func TestTiebreakDefinitions(t *testing.T) {
	t.Parallel()
	want := map[Tiebreak][5]int{
		TiebreakPoints:          {7, 3, 4, 4, 7},
		TiebreakBuchholz:        {14, 18, 7, 11, 10},
		TiebreakBuchholzCut1:    {11, 14, 4, 7, 7},
		TiebreakMedianBuchholz:  {4, 7, 0, 0, 0},
		TiebreakSonnebornBerger: {28, 12, 4, 4, 16},
		TiebreakGameDifference:  {3, -3, -1, -1, 2},
		TiebreakGamesWon:        {5, 2, 2, 2, 3},
		TiebreakWins:            {2, 1, 1, 1, 2},
		TiebreakSeed:            {0, -1, -2, -3, -4},
		TiebreakHeadToHead:      {1, 0, 1, 1, 1}, // after points: 0 and 4 drew, 2 and 3 drew; 1 is alone
	}
	virtual := map[Tiebreak][5]int{
		TiebreakBuchholz:       {14, 18, 8, 13, 12},
		TiebreakBuchholzCut1:   {11, 14, 7, 11, 10},
		TiebreakMedianBuchholz: {4, 7, 3, 4, 3},
	}
	for _, useVirtual := range []bool{false, true} {
		for tb, values := range want {
			if v, ok := virtual[tb]; ok && useVirtual {
				values = v
			}
			st, err := StandingsWith(5, tiebreakEvent, StandingsOptions{Tiebreaks: []Tiebreak{TiebreakPoints, tb}, VirtualOpponent: useVirtual})
			if tb == TiebreakPoints {
				st, err = StandingsWith(5, tiebreakEvent, StandingsOptions{Tiebreaks: []Tiebreak{tb}, VirtualOpponent: useVirtual})
			}
			require.NoError(t, err)
			for _, s := range st {
				require.Equal(t, values[s.Participant], s.Tiebreaks[len(s.Tiebreaks)-1], "%s (virtual %v), player %d", tb, useVirtual, s.Participant)
			}
		}
	}
	// The default order: points, head-to-head, Buchholz, game difference.
	st, err := StandingsWith(5, tiebreakEvent, StandingsOptions{})
	require.NoError(t, err)
	require.Equal(t, []int{0, 4, 3, 2, 1}, participants(st))
	require.Equal(t, []int{1, 2, 3, 4, 5}, ranks(st))
	// Sonneborn-Berger puts 0 (28) before 4 (16), and cannot separate 2 and 3, who share a rank.
	st, err = StandingsWith(5, tiebreakEvent, StandingsOptions{Tiebreaks: []Tiebreak{TiebreakPoints, TiebreakSonnebornBerger}})
	require.NoError(t, err)
	require.Equal(t, []int{0, 4, 2, 3, 1}, participants(st))
	require.Equal(t, []int{1, 2, 3, 3, 5}, ranks(st))

	_, err = StandingsWith(5, tiebreakEvent, StandingsOptions{Tiebreaks: []Tiebreak{TiebreakPoints, "coin_toss"}})
	require.ErrorIs(t, err, ErrUnknownTiebreak)
	_, err = StandingsWith(5, tiebreakEvent, StandingsOptions{Tiebreaks: []Tiebreak{TiebreakPoints, TiebreakPoints}})
	require.ErrorIs(t, err, ErrUnknownTiebreak)
}

// TestHeadToHeadIsRecursive: four teams level on 6 points whose games among themselves give
// A 6, B 6, C 3, D 3. The mini-table splits {A, B} from {C, D}; applied again to each pair,
// A (who beat B) and C (who beat D) go first, although B and D are the better seeds.
func TestHeadToHeadIsRecursive(t *testing.T) {
	t.Parallel()
	const b, a, d, c, x, y = 0, 1, 2, 3, 4, 5
	results := []Result{
		{A: a, B: b, Winner: a}, {A: a, B: c, Winner: a}, {A: d, B: a, Winner: d},
		{A: b, B: c, Winner: b}, {A: b, B: d, Winner: b}, {A: c, B: d, Winner: c},
		{A: c, B: x, Winner: c}, {A: d, B: x, Winner: d}, {A: y, B: x, Winner: y},
	}
	st, err := StandingsWith(6, results, StandingsOptions{Tiebreaks: []Tiebreak{TiebreakPoints, TiebreakHeadToHead}})
	require.NoError(t, err)
	require.Equal(t, []int{a, b, c, d, y, x}, participants(st))
	require.Equal(t, []int{1, 2, 3, 4, 5, 6}, ranks(st))
	require.Equal(t, []int{6, 6, 3, 3, 0, 0}, []int{st[0].HeadToHead, st[1].HeadToHead, st[2].HeadToHead, st[3].HeadToHead, st[4].HeadToHead, st[5].HeadToHead})
	// First in the list, head-to-head among everyone is the whole table, split and re-applied.
	st, err = StandingsWith(6, results[:6], StandingsOptions{Tiebreaks: []Tiebreak{TiebreakHeadToHead}})
	require.NoError(t, err)
	require.Equal(t, []int{a, b, c, d}, participants(st)[:4])
}

func ranks(st []Standing) []int {
	out := make([]int, len(st))
	for i, s := range st {
		out[i] = s.Rank
	}
	return out
}
