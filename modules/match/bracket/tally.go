package bracket

import "slices"

// Points scores a result; a bye counts as a win. The zero value stands for the usual 3/1/0
// where a rule takes it as a setting (SwissRules.Points).
type Points struct {
	Win, Draw, Loss int
}

// DefaultPoints is 3 for a win, 1 for a draw, 0 for a loss.
var DefaultPoints = Points{Win: 3, Draw: 1}

func (p Points) orDefault() Points {
	if p == (Points{}) {
		return DefaultPoints
	}
	return p
}

// game is one result as one side saw it. A participant's k-th game is its round k.
type game struct {
	opponent       int // -1: a bye
	outcome        int // +1 won, 0 drew, -1 lost
	points         int // scored in this game
	gamesFor       int
	gamesAgainst   int
	before, theirs int // own and the opponent's points before the game (a bye: own - 1)
}

// tally reads results, in order, into each participant's games: the one place results are
// scored, for standings and for Swiss pairing alike.
func tally(n int, results []Result, pts Points) [][]game {
	games := make([][]game, n)
	total := make([]int, n)
	for _, r := range results {
		if r.B < 0 {
			games[r.A] = append(games[r.A], game{opponent: -1, outcome: 1, points: pts.Win, before: total[r.A], theirs: total[r.A] - 1})
			total[r.A] += pts.Win
			continue
		}
		oa, ob := 0, 0 // a draw
		switch r.Winner {
		case r.A:
			oa, ob = 1, -1
		case r.B:
			oa, ob = -1, 1
		case BothLost:
			oa, ob = -1, -1
		}
		score := func(o int) int { return [3]int{pts.Loss, pts.Draw, pts.Win}[o+1] }
		games[r.A] = append(games[r.A], game{r.B, oa, score(oa), r.GamesA, r.GamesB, total[r.A], total[r.B]})
		games[r.B] = append(games[r.B], game{r.A, ob, score(ob), r.GamesB, r.GamesA, total[r.B], total[r.A]})
		total[r.A] += score(oa)
		total[r.B] += score(ob)
	}
	return games
}

// pointsOf adds up a participant's points.
func pointsOf(gs []game) int {
	p := 0
	for _, g := range gs {
		p += g.points
	}
	return p
}

// choose returns v, or the default (valid[0]) for the zero value; err when v is not valid.
func choose[T comparable](v T, valid []T, err error) (T, error) {
	var zero T
	if v == zero {
		return valid[0], nil
	}
	if !slices.Contains(valid, v) {
		return zero, err
	}
	return v, nil
}
