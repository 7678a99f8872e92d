package bracket

import (
	"errors"
	"slices"
)

// Result is a played match for standings and Swiss pairing. B = -1 is a bye (a win for A).
// Winner is A, B, Draw, or BothLost; GamesA and GamesB are the game score (best-of-N).
type Result struct {
	A, B           int
	Winner         int
	GamesA, GamesB int
}

// Winners that are not a side.
const (
	Draw     = -1
	BothLost = -2 // a double forfeit: neither side played, both take a loss
)

// SwissRules end a Swiss stage: after Rounds rounds, or, with thresholds, when everyone has
// AdvanceAt wins or EliminateAt losses (3 and 3 at CS2 Majors).
type SwissRules struct {
	Rounds      int
	AdvanceAt   int
	EliminateAt int
	// RematchesWhenStuck pairs by ranking, allowing rematches, when no rematch-free pairing
	// is left (it happens in small fields late in a stage) instead of failing.
	RematchesWhenStuck bool
}

// ErrNoPairing is returned when no pairing without rematches and repeated byes exists.
var ErrNoPairing = errors.New("bracket: no pairing without a rematch or a second bye exists")

// Pairing is one Swiss round: the matches, and who gets the bye (-1 for none).
type Pairing struct {
	Matches [][2]int
	Bye     int
}

// SwissRound pairs the next round of a Swiss stage of n participants from the results so
// far. Participants still in play are ranked by standings; each is paired within its score
// group where possible, never against a previous opponent; with an odd count, the
// lowest-ranked one who has not had a bye gets it (a bye counts as a win), never twice. The
// search backtracks over the whole ranking, so a pairing is found whenever one exists.
// Withdrawn participants (disqualified) are paired no more. done reports that the stage is
// over.
func SwissRound(n int, results []Result, rules SwissRules, withdrawn ...int) (p Pairing, done bool, err error) {
	st := Standings(n, results, Points{Win: 1})
	rounds := map[int]int{}
	met := map[[2]int]bool{}
	hadBye := map[int]bool{}
	for _, r := range results {
		rounds[r.A]++
		if r.B < 0 {
			hadBye[r.A] = true
			continue
		}
		rounds[r.B]++
		met[[2]int{r.A, r.B}], met[[2]int{r.B, r.A}] = true, true
	}
	var active []int
	played := 0
	for _, s := range st {
		played = max(played, rounds[s.Participant])
		out := rules.AdvanceAt > 0 && (s.Wins >= rules.AdvanceAt || s.Losses >= rules.EliminateAt)
		if !out && !slices.Contains(withdrawn, s.Participant) {
			active = append(active, s.Participant)
		}
	}
	if (rules.Rounds > 0 && played >= rules.Rounds) || len(active) < 2 {
		return Pairing{Bye: -1}, true, nil
	}
	if p, ok := pairRound(active, met, hadBye); ok {
		return p, false, nil
	}
	if rules.RematchesWhenStuck {
		if p, ok := pairRound(active, map[[2]int]bool{}, hadBye); ok {
			return p, false, nil
		}
	}
	return Pairing{}, false, ErrNoPairing
}

// pairRound pairs the active players, with the bye (for an odd count) going as low in the
// ranking as it can.
func pairRound(active []int, met map[[2]int]bool, hadBye map[int]bool) (Pairing, bool) {
	if len(active)%2 == 0 {
		m, ok := pairAll(active, met)
		return Pairing{Matches: m, Bye: -1}, ok
	}
	for i := len(active) - 1; i >= 0; i-- {
		if hadBye[active[i]] {
			continue
		}
		rest := append(slices.Clone(active[:i]), active[i+1:]...)
		if m, ok := pairAll(rest, met); ok {
			return Pairing{Matches: m, Bye: active[i]}, true
		}
	}
	return Pairing{}, false
}

// searchBudget bounds the plain search's steps before pairAll switches to the blossom-guided
// one. Sparse fields (every realistic Swiss round) finish in about one step per pair.
const searchBudget = 20_000

// pairAll pairs ranked players, each with the best-ranked opponent it has not met that still
// leaves everyone else pairable, and reports false when no pairing exists. It first runs a
// plain backtracking search, which is exhaustive when it finishes; if that exceeds its
// budget (fields so constrained the search could go exponential), it pairs greedily with
// the blossom algorithm answering "still pairable?" exactly, which is polynomial.
func pairAll(ranked []int, met map[[2]int]bool) ([][2]int, bool) {
	budget := searchBudget
	if m, ok, finished := backtrack(ranked, met, &budget); finished {
		return m, ok
	}
	return pairGuided(ranked, met)
}

// pairGuided is the polynomial search: greedy in ranking order, keeping a pair only if the
// blossom algorithm says the others can still all be paired.
func pairGuided(ranked []int, met map[[2]int]bool) ([][2]int, bool) {
	if !perfectlyPairable(ranked, met) {
		return nil, false
	}
	var out [][2]int
	rest := slices.Clone(ranked)
	for len(rest) > 0 {
		p := rest[0]
		for j := 1; j < len(rest); j++ {
			q := rest[j]
			if met[[2]int{p, q}] {
				continue
			}
			others := make([]int, 0, len(rest)-2)
			others = append(append(others, rest[1:j]...), rest[j+1:]...)
			if perfectlyPairable(others, met) {
				out, rest = append(out, [2]int{p, q}), others
				break
			}
		}
	}
	return out, true
}

// backtrack is the plain search; finished is false when it ran out of budget.
func backtrack(ranked []int, met map[[2]int]bool, budget *int) (m [][2]int, ok, finished bool) {
	if len(ranked) == 0 {
		return nil, true, true
	}
	p := ranked[0]
	for j := 1; j < len(ranked); j++ {
		q := ranked[j]
		if met[[2]int{p, q}] {
			continue
		}
		if *budget--; *budget < 0 {
			return nil, false, false
		}
		rest := make([]int, 0, len(ranked)-2)
		rest = append(append(rest, ranked[1:j]...), ranked[j+1:]...)
		sub, ok, finished := backtrack(rest, met, budget)
		if !finished {
			return nil, false, false
		}
		if ok {
			return append([][2]int{{p, q}}, sub...), true, true
		}
	}
	return nil, false, true
}

// perfectlyPairable reports whether players can all be paired with opponents they have not met.
func perfectlyPairable(players []int, met map[[2]int]bool) bool {
	if len(players)%2 == 1 {
		return false
	}
	return 2*maxMatching(len(players), func(i, j int) bool { return !met[[2]int{players[i], players[j]}] }) == len(players)
}
