package match

import (
	"time"

	"github.com/arenaesports/arena/modules/match/bracket"
	"github.com/arenaesports/arena/modules/match/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/tournament"
)

// The tournament module publishes its rules of play (tournament.Play) in the engine's own
// vocabulary: tests/enums_test.go holds both const blocks to one set of values, so they are
// converted here by type alone.

// layoutOf lays out the n seeds of an elimination or round robin bracket by the
// tournament's rules of play (groups and the third-place match are start options).
// Errors: the engine's (an unknown mode cannot pass the tournament's validation).
func layoutOf(t *tournament.Tournament, n int, opts BracketOptions) (*bracket.Bracket, error) {
	switch t.Format {
	case tournament.FormatSingleElimination:
		return bracket.SingleElimination(n, opts.ThirdPlace)
	case tournament.FormatDoubleElimination:
		return bracket.DoubleEliminationWith(n, bracket.DoubleOptions{GrandFinal: bracket.GrandFinalMode(t.Play.GrandFinal)})
	default: // round robin
		return bracket.RoundRobinWith(n, bracket.RoundRobinOptions{Groups: max(opts.Groups, 1),
			Schedule: bracket.Schedule(t.Play.Schedule), Double: t.Play.DoubleRoundRobin})
	}
}

// insertBracketParams is the bracket row of t: its rules, with its own copy of the rules of
// play (tiebreaks never NULL: none for elimination).
func insertBracketParams(t *tournament.Tournament, games int32, sd Seeding, randomSeed *int64, now time.Time) dbsqlc.InsertBracketParams {
	p := t.Play
	return dbsqlc.InsertBracketParams{TournamentID: t.ID, OrganizerID: t.Organizer.ID, GameID: t.GameID,
		Format: t.Format, BestOf: games, Seeding: sd.Method, RandomSeed: randomSeed, AllowDraws: t.AllowDraws,
		PointsWin: t.Points.Win, PointsDraw: t.Points.Draw, PointsLoss: t.Points.Loss,
		Pairing: orNull(p.Pairing), GrandFinal: orNull(p.GrandFinal), Schedule: orNull(p.Schedule),
		DoubleRoundRobin: p.DoubleRoundRobin, Tiebreaks: append([]string{}, p.Tiebreaks...),
		BuchholzVirtualOpponent: p.VirtualOpponent, Now: now}
}

// playOf is the rules of play a bracket keeps.
func playOf(r dbsqlc.GetBracketRow) tournament.Play {
	return tournament.Play{Pairing: deref(r.Pairing), GrandFinal: deref(r.GrandFinal), Schedule: deref(r.Schedule),
		DoubleRoundRobin: r.DoubleRoundRobin, Tiebreaks: r.Tiebreaks, VirtualOpponent: r.BuchholzVirtualOpponent}
}

// standingsOptions ranks a bracket's table by its points table and its rules of play.
func standingsOptions(r dbsqlc.GetBracketRow) bracket.StandingsOptions {
	opts := bracket.StandingsOptions{Points: bracket.Points{Win: int(r.PointsWin), Draw: int(r.PointsDraw), Loss: int(r.PointsLoss)},
		VirtualOpponent: r.BuchholzVirtualOpponent, Tiebreaks: []bracket.Tiebreak{}}
	for _, tb := range r.Tiebreaks {
		opts.Tiebreaks = append(opts.Tiebreaks, bracket.Tiebreak(tb))
	}
	return opts
}

func orNull(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

// deref is *p, or the zero value for nil.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
