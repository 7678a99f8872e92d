package bracket

import (
	"cmp"
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

// PairingSystem is how a Swiss round pairs the players of a score group.
type PairingSystem string

// Pairing systems. See docs/competition.md for the rules of each.
const (
	// Dutch is the FIDE Dutch system (C.04.3) without colours: in each score group the top
	// half meets the bottom half (1 v 5, 2 v 6, … in a group of 8), the lowest-ranked player
	// of an odd group floats down to meet the highest of the next group.
	Dutch PairingSystem = "dutch"
	// Valve is Valve's CS2 Major Swiss: round 1 by seed, top half v bottom half (1 v 9 …
	// for 16); later rounds by record, each pool ordered by difficulty (Buchholz: the
	// opponents' wins minus losses) then seed, the highest meeting the lowest.
	Valve PairingSystem = "valve"
)

// PairingSystems lists the valid pairing systems, the default first.
var PairingSystems = []PairingSystem{Dutch, Valve}

// SwissRules end a Swiss stage: after Rounds rounds, or, with thresholds, when everyone has
// AdvanceAt wins or EliminateAt losses (3 and 3 at CS2 Majors). Pairing is the pairing
// system ("" is Dutch); Points scores results for the score groups (the zero value is
// 3/1/0).
type SwissRules struct {
	Rounds      int
	AdvanceAt   int
	EliminateAt int
	// RematchesWhenStuck pairs with as few rematches as possible when no rematch-free
	// pairing is left (it happens in small fields late in a stage) instead of failing.
	RematchesWhenStuck bool
	Pairing            PairingSystem
	Points             Points
}

// ErrNoPairing is returned when no pairing without rematches and repeated byes exists.
var ErrNoPairing = errors.New("bracket: no pairing without a rematch or a second bye exists")

// ErrUnknownPairing is returned for a pairing system that is not one of PairingSystems.
var ErrUnknownPairing = errors.New("bracket: unknown Swiss pairing system")

// Pairing is one Swiss round: the matches, and who gets the bye (-1 for none). Each match
// lists the higher-ranked player first; matches are in ranking order.
type Pairing struct {
	Matches [][2]int
	Bye     int
}

// record is what pairing needs to know of a participant.
type record struct {
	points, wins, losses int
	played               int
	opponents            []int
	hadBye               bool
	float                int // the previous round's float: +1 down (or a bye), -1 up, 0 none
	difficulty           int // Valve's: the opponents' wins minus losses
}

// records sums each participant's games: score from the points table, opponents, byes, and
// the last float (a float is playing someone on fewer points, FIDE C.04.3 A.4).
func records(n int, results []Result, pts Points) []record {
	games := tally(n, results, pts)
	rec := make([]record, n)
	for i, gs := range games {
		r := &rec[i]
		r.points, r.played = pointsOf(gs), len(gs)
		for _, g := range gs {
			switch {
			case g.opponent < 0:
				r.hadBye = true
			default:
				r.opponents = append(r.opponents, g.opponent)
			}
			switch g.outcome {
			case 1:
				r.wins++
			case -1:
				r.losses++
			}
		}
		if len(gs) > 0 {
			last := gs[len(gs)-1]
			r.float = cmp.Compare(last.before, last.theirs)
		}
	}
	for i := range rec {
		for _, o := range rec[i].opponents {
			rec[i].difficulty += rec[o].wins - rec[o].losses
		}
	}
	return rec
}

// SwissRound pairs the next round of a Swiss stage of n participants from the results so
// far, by the rules' pairing system. Every round is the cheapest perfect matching of the
// players still in play (minCostPerfectMatching), whose cost ranks, in order: rematches
// (none unless RematchesWhenStuck, then as few as possible), the bye (the lowest-ranked
// player who has not had one; never a second), pairs across score groups (as few as
// possible), then the system's preferences (pairing.go). Withdrawn participants
// (disqualified) are paired no more. done reports that the stage is over. Errors:
// ErrNoPairing, ErrUnknownPairing.
func SwissRound(n int, results []Result, rules SwissRules, withdrawn ...int) (p Pairing, done bool, err error) {
	system, err := choose(rules.Pairing, PairingSystems, ErrUnknownPairing)
	if err != nil {
		return Pairing{}, false, err
	}
	rec := records(n, results, rules.Points.orDefault())
	var active []int
	played := 0
	for i, r := range rec {
		played = max(played, r.played)
		out := rules.AdvanceAt > 0 && (r.wins >= rules.AdvanceAt || r.losses >= rules.EliminateAt)
		if !out && !slices.Contains(withdrawn, i) {
			active = append(active, i)
		}
	}
	if (rules.Rounds > 0 && played >= rules.Rounds) || len(active) < 2 {
		return Pairing{Bye: -1}, true, nil
	}
	slices.SortStableFunc(active, func(x, y int) int {
		if c := cmp.Compare(rec[y].points, rec[x].points); c != 0 {
			return c
		}
		if system == Valve {
			return cmp.Compare(rec[y].difficulty, rec[x].difficulty)
		}
		return 0 // Dutch: score, then pairing number (A.2)
	})
	p, ok := pairField(&field{rec: rec, ranked: active, system: system, rematches: rules.RematchesWhenStuck, firstRound: played == 0})
	if !ok {
		return Pairing{}, false, ErrNoPairing
	}
	return p, false, nil
}
