package bracket

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDutchSimulation plays 200 random Dutch events (8–64 players, 4–9 rounds, a fifth of
// the games drawn, rematches allowed when stuck) and checks every round against an
// independent exact oracle built on the cardinality blossom algorithm (maxMatching, itself
// checked against brute force), never on the engine's weighted matcher:
//
//   - rematches: a round of k players cannot avoid k/2 - ν(G) of them, G the graph of pairs
//     that have not met; for an odd field, the least over every player who may have the
//     bye. The engine makes exactly that many;
//   - the bye goes to the lowest-ranked player who may have it and leaves that least;
//   - pairs across score groups: with the bye fixed, k/2 - ν(H), H the same-group pairs
//     allowed, is a lower bound, and so is half the number of odd groups (each needs a
//     floater). When the engine makes more, an exhaustive search pruned by these bounds
//     must prove that no pairing with as few rematches and fewer cross-group pairs exists.
//
// So no round has an avoidable rematch or an avoidable cross-group pairing, and in
// particular none pairs across groups when a same-group pairing exists.
func TestDutchSimulation(t *testing.T) {
	t.Parallel()
	var rounds, stuck, loose int
	for event := 0; event < 200; event++ {
		r := rand.New(rand.NewPCG(11, uint64(event)))
		n := 8 + r.IntN(57)
		rules := SwissRules{Rounds: min(n-1, 4+r.IntN(6)), RematchesWhenStuck: true}
		var results []Result
		for round := 1; ; round++ {
			p, done, err := SwissRound(n, results, rules)
			require.NoError(t, err)
			if done {
				break
			}
			rounds++
			o := newOracle(n, results)
			rematches, byeWant, least := o.rematchesAndBye(t, p)
			require.Equal(t, least, rematches, "event %d round %d: avoidable rematches", event, round)
			require.Equal(t, byeWant, p.Bye, "event %d round %d: the bye", event, round)
			stuck += min(least, 1)
			cross, bound := o.crossAndBound(p, least)
			if cross > bound {
				loose++
				budget := searchNodes
				found := o.fewerCross(o.pairedPlayers(p), least, cross-1, &budget)
				require.False(t, found, "event %d round %d: %d cross-group pairs where fewer would do", event, round, cross)
				require.GreaterOrEqual(t, budget, 0, "event %d round %d: the search did not finish", event, round)
			}
			require.GreaterOrEqual(t, cross, bound)
			for _, m := range p.Matches {
				w := m[r.IntN(2)]
				if r.IntN(5) == 0 {
					w = Draw
				}
				results = append(results, Result{A: m[0], B: m[1], Winner: w, GamesA: r.IntN(3), GamesB: r.IntN(3)})
			}
			if p.Bye >= 0 {
				results = append(results, Result{A: p.Bye, B: -1, Winner: p.Bye})
			}
		}
	}
	t.Logf("%d rounds; %d needed a rematch; %d beat the cross-group lower bound only by search", rounds, stuck, loose)
}

// searchNodes bounds the exhaustive search of one round; the test fails if it is not enough.
const searchNodes = 20_000

// oracle is a round's constraint graph, computed from the results on its own.
type oracle struct {
	points []int
	met    map[[2]int]bool
	hadBye map[int]bool
	ranked []int // points, then seed
}

func newOracle(n int, results []Result) *oracle {
	o := &oracle{points: make([]int, n), met: map[[2]int]bool{}, hadBye: map[int]bool{}}
	for _, r := range results {
		switch {
		case r.B < 0:
			o.points[r.A] += 3
			o.hadBye[r.A] = true
			continue
		case r.Winner == Draw:
			o.points[r.A]++
			o.points[r.B]++
		default:
			o.points[r.Winner] += 3
		}
		o.met[[2]int{r.A, r.B}], o.met[[2]int{r.B, r.A}] = true, true
	}
	o.ranked = seq(n)
	slices.SortStableFunc(o.ranked, func(a, b int) int { return cmp.Compare(o.points[b], o.points[a]) })
	return o
}

func (o *oracle) fresh(a, b int) bool { return !o.met[[2]int{a, b}] }
func (o *oracle) same(a, b int) bool  { return o.points[a] == o.points[b] }

// matched is ν of the graph on players whose edges edge allows.
func matched(players []int, edge func(a, b int) bool) int {
	return maxMatching(len(players), func(i, j int) bool { return edge(players[i], players[j]) })
}

// rematchesAndBye counts the pairing's rematches and gives the least possible and the bye
// the rules call for.
func (o *oracle) rematchesAndBye(t *testing.T, p Pairing) (rematches, bye, least int) {
	seen := map[int]bool{}
	for _, m := range p.Matches {
		require.False(t, seen[m[0]] || seen[m[1]] || m[0] == m[1], "someone plays twice")
		seen[m[0]], seen[m[1]] = true, true
		if o.met[m] {
			rematches++
		}
	}
	n := len(o.ranked)
	if n%2 == 0 {
		require.Equal(t, -1, p.Bye)
		return rematches, -1, n/2 - matched(o.ranked, o.fresh)
	}
	least, bye = n, -1
	for i := n - 1; i >= 0; i-- { // lowest-ranked first: ties keep the lowest
		b := o.ranked[i]
		if o.hadBye[b] {
			continue
		}
		rest := slices.Delete(slices.Clone(o.ranked), i, i+1)
		if l := (n-1)/2 - matched(rest, o.fresh); l < least {
			least, bye = l, b
		}
	}
	return rematches, bye, least
}

// pairedPlayers is the field less the bye.
func (o *oracle) pairedPlayers(p Pairing) []int {
	return slices.DeleteFunc(slices.Clone(o.ranked), func(x int) bool { return x == p.Bye })
}

// crossAndBound counts the pairing's cross-group pairs and the lower bound k/2 - ν(H).
func (o *oracle) crossAndBound(p Pairing, rematches int) (cross, bound int) {
	for _, m := range p.Matches {
		if !o.same(m[0], m[1]) {
			cross++
		}
	}
	players := o.pairedPlayers(p)
	return cross, max(len(players)/2-matched(players, o.allowedSame(rematches)), len(o.oddGroups(players))/2)
}

// groupsOf splits players into score groups, in ranking order.
func (o *oracle) groupsOf(players []int) [][]int {
	var groups [][]int
	for i, p := range players {
		if i == 0 || o.points[p] != o.points[players[i-1]] {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], p)
	}
	return groups
}

// oddGroups lists the score groups of players with an odd count, smallest first.
func (o *oracle) oddGroups(players []int) [][]int {
	var odd [][]int
	for _, g := range o.groupsOf(players) {
		if len(g)%2 == 1 {
			odd = append(odd, g)
		}
	}
	slices.SortFunc(odd, func(a, b []int) int { return cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a[0], b[0])) })
	return odd
}

func (o *oracle) allowedSame(rematches int) func(a, b int) bool {
	return func(a, b int) bool { return o.same(a, b) && (rematches > 0 || o.fresh(a, b)) }
}

// fewerCross searches for a perfect matching of players with at most rematches rematches
// and at most cross cross-group pairs, pruning with the lower bounds. It branches over the
// players of a group that must float someone: the smallest odd group, or without one (and
// without rematches to spend) the smallest group that cannot pair among itself. With no odd
// group the cross pairs come in twos (one alone would leave two groups odd).
func (o *oracle) fewerCross(players []int, rematches, cross int, budget *int) bool {
	if len(players) == 0 {
		return true
	}
	if *budget--; *budget < 0 {
		return false
	}
	odd := o.oddGroups(players)
	if len(odd) == 0 {
		cross -= cross % 2
	}
	if len(players)/2-matched(players, o.fresh) > rematches || len(odd)/2 > cross ||
		len(players)/2-matched(players, o.allowedSame(rematches)) > cross {
		return false
	}
	floaters, mustFloat := players[:1], true // by default: the first player, with anyone
	switch {
	case len(odd) > 0:
		floaters = odd[0]
	case rematches == 0:
		floaters = nil
		for _, g := range o.groupsOf(players) {
			if 2*matched(g, o.fresh) < len(g) && (floaters == nil || len(g) < len(floaters)) {
				floaters = g
			}
		}
		if floaters == nil {
			return true // every group pairs among itself
		}
	default:
		mustFloat = false
	}
	for _, p := range floaters {
		for _, q := range players {
			r, x := btoi(!o.fresh(p, q)), btoi(!o.same(p, q))
			if p == q || r > rematches || x > cross || (mustFloat && x == 0) {
				continue
			}
			rest := slices.DeleteFunc(slices.Clone(players), func(v int) bool { return v == p || v == q })
			if o.fewerCross(rest, rematches-r, cross-x, budget) {
				return true
			}
		}
	}
	return false
}
