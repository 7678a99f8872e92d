package bracket

import (
	"cmp"
	"errors"
	"slices"
)

// Tiebreak is one criterion of a standings table. docs/competition.md defines each.
type Tiebreak string

// Tiebreaks, applied in the order a tournament lists them.
const (
	TiebreakPoints          Tiebreak = "points"           // points from the points table
	TiebreakHeadToHead      Tiebreak = "head_to_head"     // points among the tied only, re-applied to any smaller tie left
	TiebreakBuchholz        Tiebreak = "buchholz"         // sum of the opponents' points
	TiebreakBuchholzCut1    Tiebreak = "buchholz_cut1"    // Buchholz less the lowest opponent
	TiebreakMedianBuchholz  Tiebreak = "median_buchholz"  // Buchholz less the highest and the lowest
	TiebreakSonnebornBerger Tiebreak = "sonneborn_berger" // each opponent's points times the points scored against them
	TiebreakGameDifference  Tiebreak = "game_difference"  // games won minus games lost
	TiebreakGamesWon        Tiebreak = "games_won"        // games won
	TiebreakWins            Tiebreak = "wins"             // matches won (a bye is a win)
	TiebreakSeed            Tiebreak = "seed"             // the better seed
)

// AllTiebreaks lists every tiebreak.
var AllTiebreaks = []Tiebreak{TiebreakPoints, TiebreakHeadToHead, TiebreakBuchholz, TiebreakBuchholzCut1,
	TiebreakMedianBuchholz, TiebreakSonnebornBerger, TiebreakGameDifference, TiebreakGamesWon, TiebreakWins, TiebreakSeed}

// DefaultTiebreaks is the order used when a tournament chooses none.
var DefaultTiebreaks = []Tiebreak{TiebreakPoints, TiebreakHeadToHead, TiebreakBuchholz, TiebreakGameDifference}

// ErrUnknownTiebreak is returned for a tiebreak that is not one of AllTiebreaks, or one
// listed twice.
var ErrUnknownTiebreak = errors.New("bracket: unknown or repeated tiebreak")

// StandingsOptions shape a standings table.
type StandingsOptions struct {
	Points    Points     // the zero value is 3/1/0
	Tiebreaks []Tiebreak // nil is DefaultTiebreaks
	// VirtualOpponent counts a bye in the Buchholz family as a game against FIDE's virtual
	// opponent (docs/competition.md) instead of not at all.
	VirtualOpponent bool
}

// Standing is a participant's record and tiebreakers.
type Standing struct {
	Participant int
	Rank        int // 1-based; participants no listed tiebreak separates share a rank
	Played      int
	Wins        int
	Draws       int
	Losses      int
	Points      int
	HeadToHead  int // points among the participants tied with it when head-to-head applied
	Buchholz    int
	BuchholzCut1, MedianBuchholz,
	SonnebornBerger int
	GameDiff int // games won minus games lost
	GamesWon int
	// Tiebreaks holds the value of each listed tiebreak, in the list's order (seed: the
	// 0-based seed, lower is better).
	Tiebreaks []int
}

// Standings ranks n participants by the default tiebreaks with the points table pts:
// StandingsWith, kept for callers that choose nothing else.
func Standings(n int, results []Result, pts Points) []Standing {
	st, _ := StandingsWith(n, results, StandingsOptions{Points: pts, Tiebreaks: DefaultTiebreaks})
	return st
}

// StandingsWith ranks n participants by the listed tiebreaks in order; participants level
// on all of them share a rank and are listed by seed. Errors: ErrUnknownTiebreak.
func StandingsWith(n int, results []Result, opts StandingsOptions) ([]Standing, error) {
	list := opts.Tiebreaks
	if list == nil {
		list = DefaultTiebreaks
	}
	for i, tb := range list {
		if !slices.Contains(AllTiebreaks, tb) || slices.Contains(list[:i], tb) {
			return nil, ErrUnknownTiebreak
		}
	}
	pts := opts.Points.orDefault()
	games := tally(n, results, pts)
	s := make([]Standing, n)
	for i, gs := range games {
		s[i] = record0(i, gs)
	}
	rounds := 0
	for _, gs := range games {
		rounds = max(rounds, len(gs))
	}
	for i, gs := range games {
		buchholz(&s[i], gs, s, pts, rounds, opts.VirtualOpponent)
	}
	blocks := [][]int{seq0(n)}
	for _, tb := range list {
		var next [][]int
		for _, b := range blocks {
			if tb == TiebreakHeadToHead {
				next = append(next, headToHead(b, games, s, true)...)
				continue
			}
			next = append(next, splitBy(b, func(p int) int { return value(s[p], tb) })...)
		}
		blocks = next
	}
	out := make([]Standing, 0, n)
	for _, b := range blocks {
		rank := len(out) + 1
		for _, p := range b { // blocks keep seed order
			st := s[p]
			st.Rank = rank
			for _, tb := range list {
				st.Tiebreaks = append(st.Tiebreaks, value(st, tb))
			}
			out = append(out, st)
		}
	}
	return out, nil
}

// record0 sums a participant's games.
func record0(p int, gs []game) Standing {
	st := Standing{Participant: p, Played: len(gs), Points: pointsOf(gs)}
	for _, g := range gs {
		switch {
		case g.outcome > 0:
			st.Wins++
		case g.outcome < 0:
			st.Losses++
		default:
			st.Draws++
		}
		st.GameDiff += g.gamesFor - g.gamesAgainst
		st.GamesWon += g.gamesFor
	}
	return st
}

// buchholz fills the Buchholz family and Sonneborn-Berger from the opponents' final points.
// A bye is left out, or with virtual counts as a game against an opponent who had the
// participant's points before that round, lost it, and drew every round after.
func buchholz(st *Standing, gs []game, s []Standing, pts Points, rounds int, virtual bool) {
	var scores []int
	for r, g := range gs {
		switch {
		case g.opponent >= 0:
			scores = append(scores, s[g.opponent].Points)
			st.SonnebornBerger += g.points * s[g.opponent].Points
		case virtual:
			scores = append(scores, g.before+pts.Loss+pts.Draw*(rounds-r-1))
		}
	}
	slices.Sort(scores)
	for _, v := range scores {
		st.Buchholz += v
	}
	if len(scores) > 0 {
		st.BuchholzCut1 = st.Buchholz - scores[0]
	}
	if len(scores) > 1 {
		st.MedianBuchholz = st.Buchholz - scores[0] - scores[len(scores)-1]
	}
}

// value is a tiebreak's value, higher is better (seed is negated).
func value(st Standing, tb Tiebreak) int {
	switch tb {
	case TiebreakPoints:
		return st.Points
	case TiebreakHeadToHead:
		return st.HeadToHead
	case TiebreakBuchholz:
		return st.Buchholz
	case TiebreakBuchholzCut1:
		return st.BuchholzCut1
	case TiebreakMedianBuchholz:
		return st.MedianBuchholz
	case TiebreakSonnebornBerger:
		return st.SonnebornBerger
	case TiebreakGameDifference:
		return st.GameDiff
	case TiebreakGamesWon:
		return st.GamesWon
	case TiebreakWins:
		return st.Wins
	default: // seed
		return -st.Participant
	}
}

// splitBy orders a tied block by v, best first, into blocks of equal v (seed order within).
func splitBy(block []int, v func(p int) int) [][]int {
	sorted := slices.Clone(block)
	slices.SortStableFunc(sorted, func(x, y int) int { return cmp.Compare(v(y), v(x)) })
	var out [][]int
	for i, p := range sorted {
		if i == 0 || v(p) != v(sorted[i-1]) {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], p)
	}
	return out
}

// headToHead separates a tied block by a mini-table of the games among its members only;
// any smaller group still level is separated again by its own mini-table (UEFA's rule),
// and a group the mini-table cannot split is left to the next tiebreak. top records the
// first mini-table's points in the standings.
func headToHead(block []int, games [][]game, s []Standing, top bool) [][]int {
	if len(block) < 2 {
		return [][]int{block}
	}
	mini := make(map[int]int, len(block))
	for _, p := range block {
		for _, g := range games[p] {
			if g.opponent >= 0 && slices.Contains(block, g.opponent) {
				mini[p] += g.points
			}
		}
		if top {
			s[p].HeadToHead = mini[p]
		}
	}
	var out [][]int
	for _, sub := range splitBy(block, func(p int) int { return mini[p] }) {
		if len(sub) > 1 && len(sub) < len(block) {
			out = append(out, headToHead(sub, games, s, false)...)
		} else {
			out = append(out, sub)
		}
	}
	return out
}

func seq0(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
