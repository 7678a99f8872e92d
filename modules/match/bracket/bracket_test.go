package bracket

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// simulate plays a bracket with random winners and returns, per participant, the losses
// and the number of matches played. A reset match is played only if the losers' champion
// (side B) won the grand final.
func simulate(t *testing.T, b *Bracket, r *rand.Rand) (losses []int, played int) {
	t.Helper()
	o := newOutcomes(b)
	winner, loser, resolve := o.winner, o.loser, o.resolve
	losses = make([]int, b.Participants)
	for i, m := range b.Matches {
		require.Less(t, sourceMatch(m.A), i, "sources come from earlier matches")
		require.Less(t, sourceMatch(m.B), i, "sources come from earlier matches")
		a, bb := resolve(m.A), resolve(m.B)
		if m.Stage == GrandFinalReset && winner[m.A.Index] == resolve(b.Matches[m.A.Index].A) {
			winner[i], loser[i] = a, bb // not played: the winners' champion already won
			continue
		}
		require.NotEqual(t, a, bb, "match #%d pits %d against itself", i, a)
		if r.IntN(2) == 0 {
			a, bb = bb, a
		}
		winner[i], loser[i] = a, bb
		losses[bb]++
		played++
	}
	return losses, played
}

// outcomes records who won and lost each match while a test plays a bracket.
type outcomes struct{ winner, loser []int }

func newOutcomes(b *Bracket) *outcomes {
	return &outcomes{make([]int, len(b.Matches)), make([]int, len(b.Matches))}
}

// resolve is who fills a side, given the matches decided so far.
func (o *outcomes) resolve(s Source) int {
	switch s.Kind {
	case FromSeed:
		return s.Index
	case FromWinner:
		return o.winner[s.Index]
	default:
		return o.loser[s.Index]
	}
}

func sourceMatch(s Source) int {
	if s.Kind == FromSeed {
		return -1
	}
	return s.Index
}

// seedsUnder lists the seeds that can reach a source.
func seedsUnder(b *Bracket, s Source) []int {
	if s.Kind == FromSeed {
		return []int{s.Index}
	}
	m := b.Matches[s.Index]
	return append(seedsUnder(b, m.A), seedsUnder(b, m.B)...)
}

func TestSingleElimination(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for n := 2; n <= 64; n++ {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			b, err := SingleElimination(n, true)
			require.NoError(t, err)
			var main []Match
			for _, m := range b.Matches {
				if m.Stage == Winners {
					main = append(main, m)
				}
			}
			require.Len(t, main, n-1, "n-1 matches")
			final := main[len(main)-1]
			top, bottom := seedsUnder(b, final.A), seedsUnder(b, final.B)
			require.ElementsMatch(t, seq(n), append(slices.Clone(top), bottom...), "everyone is in the bracket once")
			require.True(t, slices.Contains(top, 0) != slices.Contains(bottom, 0) && slices.Contains(top, 1) != slices.Contains(bottom, 1) &&
				slices.Contains(top, 0) != slices.Contains(top, 1), "seeds 1 and 2 are in opposite halves")
			if n >= 4 { // seeds 1–4 are in four different quarters
				quarters := [][]int{}
				for _, side := range []Source{final.A, final.B} {
					semi := b.Matches[side.Index]
					quarters = append(quarters, seedsUnder(b, semi.A), seedsUnder(b, semi.B))
				}
				for s := 0; s < 4; s++ {
					require.Equal(t, 1, countContaining(quarters, s), "seed %d", s+1)
				}
				for q := range quarters {
					require.Equal(t, 1, countAmong(quarters[q], 0, 1, 2, 3), "one top-4 seed per quarter")
				}
			}
			// Byes go to the top seeds: exactly nextPow2(n)-n of them, seeds 1, 2, ….
			byes := nextPow2(n) - n
			for s := 0; s < n; s++ {
				require.Equal(t, s < byes, firstRound(b, s) > 1, "seed %d bye", s+1)
			}
			losses, _ := simulate(t, b, r)
			out := 0
			for _, l := range losses {
				out += min(l, 1)
			}
			require.GreaterOrEqual(t, out, n-1, "everyone but the champion lost")
		})
	}
}

func TestDoubleElimination(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	for n := 2; n <= 64; n++ {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			for _, mode := range GrandFinalModes {
				b, err := DoubleEliminationWith(n, DoubleOptions{GrandFinal: mode})
				require.NoError(t, err)
				want := map[GrandFinalMode][]int{GrandFinalDouble: {2*n - 2, 2*n - 1}, GrandFinalSimple: {2*n - 2}, GrandFinalNone: {2*n - 3}}[mode]
				for trial := 0; trial < 20; trial++ {
					losses, played := simulate(t, b, r)
					require.Contains(t, want, played, "%s", mode)
					champions := 0
					for p, l := range losses {
						if l < 2 {
							champions++
							require.LessOrEqual(t, l, 1, "participant %d", p)
						} else {
							require.Equal(t, 2, l, "participant %d is out after exactly two losses", p)
						}
					}
					// No grand final: one champion per bracket. A simple one won by the
					// losers' champion leaves both finalists on one loss.
					wantChampions := map[GrandFinalMode][]int{GrandFinalDouble: {1}, GrandFinalSimple: {1, 2}, GrandFinalNone: {2}}[mode]
					require.Contains(t, wantChampions, champions, "%s", mode)
				}
			}
		})
	}
}

// TestRoundRobin: for every size, grouping, schedule and cycle count, every pair of a group
// meets once per cycle (sides swapped in the second), nobody plays twice in a round.
func TestRoundRobin(t *testing.T) {
	t.Parallel()
	for n := 2; n <= 64; n++ {
		for _, groups := range []int{1, 2, 4} {
			for _, opts := range []RoundRobinOptions{{Schedule: Berger}, {Schedule: Circle}, {Double: true}} {
				opts.Groups = groups
				t.Run(fmt.Sprintf("%d/%d/%s/%v", n, groups, opts.Schedule, opts.Double), func(t *testing.T) {
					b, err := RoundRobinWith(n, opts)
					require.NoError(t, err)
					met := map[[2]int]int{}   // ordered: A, B
					busy := map[[3]int]bool{} // group, round, participant
					groupOf := map[int]int{}
					for _, m := range b.Matches {
						met[[2]int{m.A.Index, m.B.Index}]++
						for _, p := range []int{m.A.Index, m.B.Index} {
							require.False(t, busy[[3]int{m.Group, m.Round, p}], "%d plays twice in round %d", p, m.Round)
							busy[[3]int{m.Group, m.Round, p}] = true
							if g, seen := groupOf[p]; seen {
								require.Equal(t, g, m.Group)
							}
							groupOf[p] = m.Group
						}
					}
					sizes := map[int]int{}
					for _, g := range groupOf {
						sizes[g]++
					}
					pairs := 0
					for _, s := range sizes {
						pairs += s * (s - 1) / 2
					}
					for pair, k := range met {
						require.Equal(t, 1, k, "pair %v meets once this way round", pair)
						require.Equal(t, opts.Double, met[[2]int{pair[1], pair[0]}] == 1, "pair %v meets the other way round", pair)
					}
					if opts.Double {
						pairs *= 2
					}
					require.Len(t, met, pairs, "every pair within a group meets")
				})
			}
		}
	}
}

func TestStandings(t *testing.T) {
	t.Parallel()
	// 0 beats 1, 1 beats 2, 2 beats 0 (a cycle), 3 loses to everyone. Points, head-to-head
	// and Buchholz are level for 0, 1 and 2; game differential (+3, 0, +1) breaks the tie.
	results := []Result{
		{A: 0, B: 1, Winner: 0, GamesA: 2, GamesB: 0}, {A: 1, B: 2, Winner: 1, GamesA: 2, GamesB: 1},
		{A: 2, B: 0, Winner: 2, GamesA: 2, GamesB: 1}, {A: 0, B: 3, Winner: 0, GamesA: 2, GamesB: 0},
		{A: 1, B: 3, Winner: 1, GamesA: 2, GamesB: 1}, {A: 2, B: 3, Winner: 2, GamesA: 2, GamesB: 1},
	}
	st := Standings(4, results, Points{Win: 3, Draw: 1})
	require.Equal(t, []int{0, 2, 1, 3}, participants(st))
	require.Equal(t, 6, st[0].Points)
	require.Equal(t, 3, st[0].GameDiff)
	require.Equal(t, 12, st[0].Buchholz)
	require.Equal(t, 4, st[3].Rank)

	// A head-to-head win separates two players level on points.
	st = Standings(3, []Result{{A: 0, B: 2, Winner: 0}, {A: 1, B: 2, Winner: 1}, {A: 1, B: 0, Winner: 1}, {A: 2, B: -1, Winner: 2}}, Points{Win: 1})
	require.Equal(t, 1, st[0].Participant, "1 won the head-to-head")
	// Level records with nothing to separate them share a rank.
	st = Standings(2, nil, Points{Win: 1})
	require.Equal(t, []int{1, 1}, []int{st[0].Rank, st[1].Rank})

	// A double forfeit is a loss for both sides, and no head-to-head for either.
	st = Standings(3, []Result{{A: 0, B: 1, Winner: BothLost}, {A: 2, B: -1, Winner: 2}}, Points{Win: 3, Loss: 0})
	require.Equal(t, 2, st[0].Participant)
	for _, x := range st[1:] {
		require.Equal(t, [3]int{0, 1, 0}, [3]int{x.Wins, x.Losses, x.Points})
		require.Equal(t, 0, x.HeadToHead)
	}
	require.Equal(t, st[1].Rank, st[2].Rank)
}

func participants(st []Standing) []int {
	out := make([]int, len(st))
	for i, s := range st {
		out[i] = s.Participant
	}
	return out
}

func firstRound(b *Bracket, seed int) int {
	for _, m := range b.Matches {
		if (m.A == Source{FromSeed, seed}) || (m.B == Source{FromSeed, seed}) {
			return m.Round
		}
	}
	return 0
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func countContaining(groups [][]int, x int) int {
	n := 0
	for _, g := range groups {
		if slices.Contains(g, x) {
			n++
		}
	}
	return n
}

func countAmong(g []int, xs ...int) int {
	n := 0
	for _, x := range xs {
		if slices.Contains(g, x) {
			n++
		}
	}
	return n
}
