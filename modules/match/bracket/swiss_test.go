package bracket

import (
	"errors"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestSwissProperties plays thousands of random Swiss stages (2–64 players, either pairing
// system, fixed rounds or 3-win/3-loss thresholds, with draws and the odd double forfeit and
// disqualification) and checks
// every round: no rematch, nobody twice in a round, at most one bye and only when the count
// is odd, never a second bye, nobody disqualified paired again. When the engine finds no
// pairing, an independent brute-force search (small fields) confirms that none exists.
func TestSwissProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(2, 64).Draw(t, "players")
		rules := SwissRules{AdvanceAt: 3, EliminateAt: 3}
		if rapid.Bool().Draw(t, "fixed rounds") {
			rules = SwissRules{Rounds: rapid.IntRange(1, n).Draw(t, "rounds")}
		}
		rules.Pairing = rapid.SampledFrom(PairingSystems).Draw(t, "pairing")
		var results []Result
		met := map[[2]int]bool{}
		byes := map[int]bool{}
		var withdrawn []int
		for round := 1; ; round++ {
			p, done, err := SwissRound(n, results, rules, withdrawn...)
			if errors.Is(err, ErrNoPairing) {
				if n <= 12 && bruteForcePairable(n, results, rules, withdrawn) {
					t.Fatalf("round %d: engine found no pairing but one exists", round)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if done {
				if rules.Rounds > 0 && round <= rules.Rounds && n-len(withdrawn) > 1 {
					t.Fatalf("stage ended after %d of %d rounds", round-1, rules.Rounds)
				}
				return
			}
			seen := map[int]bool{}
			for _, m := range p.Matches {
				a, b := m[0], m[1]
				if a == b || seen[a] || seen[b] {
					t.Fatalf("round %d: %d or %d plays twice", round, a, b)
				}
				seen[a], seen[b] = true, true
				if slices.Contains(withdrawn, a) || slices.Contains(withdrawn, b) {
					t.Fatalf("round %d: %d v %d pairs a disqualified player", round, a, b)
				}
				if met[[2]int{a, b}] {
					t.Fatalf("round %d: rematch %d v %d", round, a, b)
				}
				met[[2]int{a, b}], met[[2]int{b, a}] = true, true
				w := a
				switch rapid.IntRange(0, 19).Draw(t, "outcome") {
				case 0:
					w = BothLost
				case 1:
					withdrawn = append(withdrawn, b) // disqualified: loses this match, plays no more
				case 2, 3, 4, 5, 6, 7, 8:
					w = b
				case 9:
					w = Draw
				}
				results = append(results, Result{A: a, B: b, Winner: w, GamesA: 2 * btoi(w == a), GamesB: 2 * btoi(w == b)})
			}
			if p.Bye >= 0 {
				if byes[p.Bye] || seen[p.Bye] || slices.Contains(withdrawn, p.Bye) {
					t.Fatalf("round %d: %d gets a second bye or also plays", round, p.Bye)
				}
				if (len(seen)+1)%2 != 1 {
					t.Fatalf("round %d: a bye with an even field", round)
				}
				byes[p.Bye] = true
				results = append(results, Result{A: p.Bye, B: -1, Winner: p.Bye})
			}
			if round > 4*n+10 {
				t.Fatalf("stage never ends")
			}
		}
	})
}

// bruteForcePairable searches every way to pair the active players (and to give the bye)
// with bitmasks, independently of the engine.
func bruteForcePairable(n int, results []Result, rules SwissRules, withdrawn []int) bool {
	st := Standings(n, results, Points{Win: 1})
	met := map[[2]int]bool{}
	hadBye := map[int]bool{}
	for _, r := range results {
		if r.B < 0 {
			hadBye[r.A] = true
		} else {
			met[[2]int{r.A, r.B}], met[[2]int{r.B, r.A}] = true, true
		}
	}
	var active []int
	for _, s := range st {
		if (rules.AdvanceAt == 0 || (s.Wins < rules.AdvanceAt && s.Losses < rules.EliminateAt)) && !slices.Contains(withdrawn, s.Participant) {
			active = append(active, s.Participant)
		}
	}
	var pair func(mask int) bool
	pair = func(mask int) bool {
		first := -1
		for i := range active {
			if mask&(1<<i) == 0 {
				first = i
				break
			}
		}
		if first < 0 {
			return true
		}
		for j := first + 1; j < len(active); j++ {
			if mask&(1<<j) == 0 && !met[[2]int{active[first], active[j]}] && pair(mask|1<<first|1<<j) {
				return true
			}
		}
		return false
	}
	if len(active)%2 == 0 {
		return pair(0)
	}
	for i, p := range active {
		if !hadBye[p] && pair(1<<i) {
			return true
		}
	}
	return false
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestSwissRematchesOnlyWhenStuck: four players who have all met each other cannot be
// paired without a rematch; strict rules say so, RematchesWhenStuck pairs them anyway.
func TestSwissRematchesOnlyWhenStuck(t *testing.T) {
	t.Parallel()
	var results []Result
	for _, p := range [][2]int{{0, 1}, {2, 3}, {0, 2}, {1, 3}, {0, 3}, {1, 2}} {
		results = append(results, Result{A: p[0], B: p[1], Winner: p[0]})
	}
	if _, _, err := SwissRound(4, results, SwissRules{Rounds: 5}); !errors.Is(err, ErrNoPairing) {
		t.Fatalf("strict: got %v, want ErrNoPairing", err)
	}
	p, done, err := SwissRound(4, results, SwissRules{Rounds: 5, RematchesWhenStuck: true})
	if err != nil || done || len(p.Matches) != 2 || p.Bye != -1 {
		t.Fatalf("relaxed: got %+v %v %v, want two matches", p, done, err)
	}
	// With a rematch-free pairing available, the relaxed rules still find it.
	p, _, err = SwissRound(4, results[:2], SwissRules{Rounds: 5, RematchesWhenStuck: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range p.Matches {
		if (m == [2]int{0, 1}) || (m == [2]int{1, 0}) || (m == [2]int{2, 3}) || (m == [2]int{3, 2}) {
			t.Fatalf("rematch %v although a fresh pairing exists", m)
		}
	}
}
