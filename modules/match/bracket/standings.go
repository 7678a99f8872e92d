package bracket

import (
	"cmp"
	"slices"
)

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

// Standing is a participant's record and tiebreakers.
type Standing struct {
	Participant int
	Rank        int // 1-based; equal records that no tiebreaker separates share a rank
	Played      int
	Wins        int
	Draws       int
	Losses      int
	Points      int
	HeadToHead  int // points against the participants on the same points
	Buchholz    int // sum of the opponents' points (Swiss strength of schedule)
	GameDiff    int // games won minus games lost
}

// Standings ranks n participants by points, then head-to-head among those level on
// points, then Buchholz, then game differential, then seed.
func Standings(n int, results []Result, pts Points) []Standing {
	s := make([]Standing, n)
	for i := range s {
		s[i].Participant = i
	}
	opponents := make([][]int, n)
	for _, r := range results {
		a := &s[r.A]
		a.Played++
		if r.B < 0 {
			a.Wins++
			a.Points += pts.Win
			continue
		}
		b := &s[r.B]
		b.Played++
		opponents[r.A], opponents[r.B] = append(opponents[r.A], r.B), append(opponents[r.B], r.A)
		a.GameDiff += r.GamesA - r.GamesB
		b.GameDiff += r.GamesB - r.GamesA
		switch r.Winner {
		case r.A:
			a.Wins, b.Losses, a.Points, b.Points = a.Wins+1, b.Losses+1, a.Points+pts.Win, b.Points+pts.Loss
		case r.B:
			b.Wins, a.Losses, b.Points, a.Points = b.Wins+1, a.Losses+1, b.Points+pts.Win, a.Points+pts.Loss
		case BothLost:
			a.Losses, b.Losses, a.Points, b.Points = a.Losses+1, b.Losses+1, a.Points+pts.Loss, b.Points+pts.Loss
		default:
			a.Draws, b.Draws, a.Points, b.Points = a.Draws+1, b.Draws+1, a.Points+pts.Draw, b.Points+pts.Draw
		}
	}
	for i := range s {
		for _, o := range opponents[i] {
			s[i].Buchholz += s[o].Points
		}
	}
	for _, r := range results {
		if r.B < 0 || s[r.A].Points != s[r.B].Points {
			continue
		}
		switch r.Winner {
		case r.A:
			s[r.A].HeadToHead += pts.Win
		case r.B:
			s[r.B].HeadToHead += pts.Win
		case BothLost:
		default:
			s[r.A].HeadToHead += pts.Draw
			s[r.B].HeadToHead += pts.Draw
		}
	}
	key := func(x Standing) [4]int { return [4]int{x.Points, x.HeadToHead, x.Buchholz, x.GameDiff} }
	slices.SortStableFunc(s, func(x, y Standing) int {
		kx, ky := key(x), key(y)
		for i := range kx {
			if c := cmp.Compare(ky[i], kx[i]); c != 0 {
				return c
			}
		}
		return cmp.Compare(x.Participant, y.Participant)
	})
	for i := range s {
		s[i].Rank = i + 1
		if i > 0 && key(s[i]) == key(s[i-1]) {
			s[i].Rank = s[i-1].Rank
		}
	}
	return s
}
