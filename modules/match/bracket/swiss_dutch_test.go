package bracket

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// chess scores 1 / ½ / 0, doubled to stay whole.
var chess = Points{Win: 2, Draw: 1}

// TestDutchHandbookExample pairs a ten-player event by FIDE's Dutch system (C.04.3, the
// version approved in 2016), worked out by hand from the rules, colours aside. Players are
// numbered 1–10 by pairing number (seed 0 is player 1).
//
// Round 1: one scoregroup; the players are ordered by pairing number (A.2); MaxPairs is 5
// (B.1), S1 = 1–5 and S2 = 6–10 (B.2), paired in order: 1-6 2-7 3-8 4-9 5-10 (B.3).
//
// Results: 1 beats 6, 7 beats 2, 3 and 8 draw, 4 beats 9, 10 beats 5. Scores: 1, 4, 7, 10
// on 1; 3, 8 on ½; 2, 5, 6, 9 on 0.
//
// Round 2, bracket 1 (homogeneous, 1 point): S1 = {1, 4}, S2 = {7, 10}: 1-7, 4-10, none of
// them rematches (C.1), all paired (C.5), and the rest can be completed (C.4).
// Bracket 2 (½): S1 = {3}, S2 = {8}, but 3 and 8 have met (C.1): MaxPairs is 0, both float
// down (A.4a) — pairing them upwards is not an option: bracket 1 is already complete.
// Bracket 3 (0, heterogeneous): the MDPs 3 and 8 form S1 and meet the residents in order,
// 3-2 and 8-5 (B.2, B.3, MDP-pairing); the remainder {6, 9} is paired 6-9.
func TestDutchHandbookExample(t *testing.T) {
	t.Parallel()
	rules := SwissRules{Rounds: 5, Points: chess}
	p, done, err := SwissRound(10, nil, rules)
	require.NoError(t, err)
	require.False(t, done)
	require.Equal(t, Pairing{Matches: numbered(1, 6, 2, 7, 3, 8, 4, 9, 5, 10), Bye: -1}, p)

	results := []Result{
		{A: 0, B: 5, Winner: 0}, {A: 1, B: 6, Winner: 6}, {A: 2, B: 7, Winner: Draw},
		{A: 3, B: 8, Winner: 3}, {A: 4, B: 9, Winner: 9},
	}
	p, _, err = SwissRound(10, results, rules)
	require.NoError(t, err)
	require.Equal(t, Pairing{Matches: numbered(1, 7, 4, 10, 3, 2, 8, 5, 6, 9), Bye: -1}, p)
}

// TestDutchByeExample: five players. Round 1: S1 = {1, 2}, S2 = {3, 4, 5}: 1-3, 2-4, and 5,
// left unpaired, has the pairing-allocated bye (A.5). After 1 beats 3, 2 and 4 draw: 1 and
// 5 on 1, 2 and 4 on ½, 3 on 0. Round 2: the bye goes to the lowest-ranked player who has
// not had one (C.2) whenever the others can still be paired without a rematch: 3, and the
// rest is 1-2, 5-4 (one pair across groups either way). Here Arena departs from FIDE on
// purpose: the Dutch would complete the top bracket first (C.5: 1-5), float 2 and 4 (who
// have met) onto 3 and give the bye to a player on ½; Arena's rule is the one esports
// organizers state, "the bye to the lowest-ranked".
func TestDutchByeExample(t *testing.T) {
	t.Parallel()
	rules := SwissRules{Rounds: 4, Points: chess}
	p, _, err := SwissRound(5, nil, rules)
	require.NoError(t, err)
	require.Equal(t, Pairing{Matches: numbered(1, 3, 2, 4), Bye: 4}, p)
	results := []Result{{A: 0, B: 2, Winner: 0}, {A: 1, B: 3, Winner: Draw}, {A: 4, B: -1, Winner: 4}}
	p, _, err = SwissRound(5, results, rules)
	require.NoError(t, err)
	require.Equal(t, Pairing{Matches: numbered(1, 2, 5, 4), Bye: 2}, p)
}

// TestSwissCountsDraws: a draw scores Points.Draw in pairing, as in the standings. After 1
// and 3 draw and 2 beats 4, the groups are {2} on 3, {1, 3} on 1, {4} on 0; 1-3 would be a
// rematch, so 2 floats down to meet 1 (the top resident) and 3 floats down to 4. Counting
// wins only, 1 and 3 would be on 0 with 4.
func TestSwissCountsDraws(t *testing.T) {
	t.Parallel()
	results := []Result{{A: 0, B: 2, Winner: Draw}, {A: 1, B: 3, Winner: 1}}
	p, _, err := SwissRound(4, results, SwissRules{Rounds: 3})
	require.NoError(t, err)
	require.Equal(t, Pairing{Matches: numbered(2, 1, 3, 4), Bye: -1}, p)
}

// TestValvePairing: round 1 of 16 pairs 1-9 … 8-16; round 2 pairs each record pool
// highest against lowest (1-0: 1-16 5-12 6-11 7-10; 0-1: 2-15 3-14 4-13 8-9). In round 3
// the 1-1 pool is ordered by difficulty then seed: 1 5 7 11 (+2) 3 9 13 15 (-2); Valve's
// greedy rule ("the lowest seed available") strands 11 against 3, a rematch; the matching
// pairs the pool without one.
func TestValvePairing(t *testing.T) {
	t.Parallel()
	rules := SwissRules{AdvanceAt: 3, EliminateAt: 3, Pairing: Valve}
	p, _, err := SwissRound(16, nil, rules)
	require.NoError(t, err)
	require.Equal(t, numbered(1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15, 8, 16), p.Matches)

	var results []Result
	play := func(winnerLoser ...int) {
		for i := 0; i < len(winnerLoser); i += 2 {
			results = append(results, Result{A: winnerLoser[i] - 1, B: winnerLoser[i+1] - 1, Winner: winnerLoser[i] - 1})
		}
	}
	play(1, 9, 10, 2, 11, 3, 12, 4, 5, 13, 6, 14, 7, 15, 16, 8)
	p, _, err = SwissRound(16, results, rules)
	require.NoError(t, err)
	require.Equal(t, numbered(1, 16, 5, 12, 6, 11, 7, 10, 2, 15, 3, 14, 4, 13, 8, 9), p.Matches)

	play(16, 1, 12, 5, 10, 7, 6, 11, 3, 14, 9, 8, 13, 4, 15, 2)
	p, _, err = SwissRound(16, results, rules)
	require.NoError(t, err)
	met := map[[2]int]bool{}
	for _, r := range results {
		met[[2]int{r.A, r.B}], met[[2]int{r.B, r.A}] = true, true
	}
	pool := map[int]bool{0: true, 4: true, 6: true, 10: true, 2: true, 8: true, 12: true, 14: true}
	for _, m := range p.Matches {
		require.False(t, met[m], "rematch %v", m)
		require.Equal(t, pool[m[0]], pool[m[1]], "%v stays within its pool", m)
	}
	_, _, err = SwissRound(16, results, SwissRules{Rounds: 5, Pairing: "monrad"})
	require.ErrorIs(t, err, ErrUnknownPairing)
}

// numbered turns 1-based player numbers, in pairs, into matches of seeds.
func numbered(players ...int) [][2]int {
	var out [][2]int
	for i := 0; i < len(players); i += 2 {
		out = append(out, [2]int{players[i] - 1, players[i+1] - 1})
	}
	return out
}
