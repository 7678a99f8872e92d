package match

import (
	"cmp"
	"context"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/match/bracket"
	"github.com/arenaesports/arena/modules/match/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/tournament"
)

// Standing is an entrant's place.
type Standing struct {
	Rank     int    `json:"rank" doc:"1-based; entrants no result separates share a rank. Round robin with groups: within the group."`
	Group    *int32 `json:"group,omitempty" doc:"Round robin: the entrant's group (0-based), which it is ranked within."`
	Seed     int32  `json:"seed"`
	Name     string `json:"name"`
	Wins     int    `json:"wins"`
	Losses   int    `json:"losses"`
	Draws    int    `json:"draws,omitempty"`
	Points   *int   `json:"points,omitempty" doc:"Round robin and Swiss: from the tournament's points table."`
	Buchholz int    `json:"buchholz,omitempty" doc:"Swiss: sum of opponents' points."`
	GameDiff int    `json:"game_diff"`
	// Tiebreaks shows why entrants level on points are ordered as they are.
	Tiebreaks []int `json:"tiebreaks,omitempty" doc:"Round robin and Swiss: the value of each of the bracket's play.tiebreaks, in that order, higher first (seed: the 0-based seed negated)."`
}

// Standings ranks a tournament's entrants from its decided matches (one query): round robin
// and Swiss by the bracket's points table and its ordered tiebreaks (play.tiebreaks) — a
// round robin with groups ranks each group apart; elimination formats by
// placement — the champion, the runner-up, the third-place match, then by the round each
// entrant went out in. Errors: ENOTFOUND (no bracket).
func (s *Service) Standings(ctx context.Context, tournamentID string) ([]Standing, error) {
	tid, err := db.ParseID(tournamentID, "Bracket")
	if err != nil {
		return nil, err
	}
	return s.standings(ctx, s.pool, tid)
}

// standings computes the standings on conn (the pool, or the completing transaction).
func (s *Service) standings(ctx context.Context, conn dbsqlc.DBTX, tid uuid.UUID) ([]Standing, error) {
	rows, err := s.bracketRows(ctx, conn, tid)
	if err != nil {
		return nil, err
	}
	names := map[int32]string{}
	groups := map[int32][]int32{} // round robin: each group's members
	var results []bracket.Result
	disqualified := map[int32]bool{}
	for _, r := range rows {
		for _, side := range []struct {
			seed *int32
			name *string
		}{{r.ASeed, r.AName}, {r.BSeed, r.BName}} {
			if side.seed == nil || side.name == nil {
				continue
			}
			if _, seen := names[*side.seed]; !seen && r.Stage == string(bracket.RoundRobinStage) {
				groups[r.Grp] = append(groups[r.Grp], *side.seed)
			}
			names[*side.seed] = *side.name
		}
		if res, ok := resultOf(r.Status, r.ASeed, r.BSeed, r.WinnerSeed, r.ScoreA, r.ScoreB); ok {
			results = append(results, res)
		}
		if r.Status == StatusDisqualified {
			disqualified[other(&r)] = true
		}
	}
	opts := standingsOptions(rows[0])
	all := make([]int32, len(names))
	for i := range all {
		all[i] = int32(i)
	}
	switch rows[0].Format {
	case tournament.FormatRoundRobin:
		var out []Standing
		for g := int32(0); g < int32(len(groups)); g++ {
			table := ranked(groups[g], names, results, opts)
			for i := range table {
				table[i].Group = &g
			}
			out = append(out, disqualifiedLast(table, disqualified)...)
		}
		return out, nil
	case tournament.FormatSingleElimination, tournament.FormatDoubleElimination:
		table := ranked(all, names, results, opts)
		for i := range table {
			table[i].Points = nil // placement ranks elimination, not points
		}
		placeByElimination(table, rows)
		return disqualifiedLast(table, disqualified), nil
	default:
		return disqualifiedLast(ranked(all, names, results, opts), disqualified), nil
	}
}

// ranked is the standings table of the entrants at seeds (in seed order), from the results
// among them, scored and ordered by opts.
func ranked(seeds []int32, names map[int32]string, results []bracket.Result, opts bracket.StandingsOptions) []Standing {
	slices.Sort(seeds)
	local := make(map[int]int, len(seeds))
	for i, sd := range seeds {
		local[int(sd)] = i
	}
	var among []bracket.Result
	for _, r := range results {
		a, inA := local[r.A]
		if !inA {
			continue
		}
		x := bracket.Result{A: a, B: -1, Winner: r.Winner, GamesA: r.GamesA, GamesB: r.GamesB}
		if r.B >= 0 {
			x.B = local[r.B]
		}
		switch r.Winner {
		case r.A:
			x.Winner = x.A
		case r.B:
			x.Winner = x.B
		}
		among = append(among, x)
	}
	table, _ := bracket.StandingsWith(len(seeds), among, opts) // the bracket's CHECK admits only known tiebreaks
	out := make([]Standing, len(table))
	for i, st := range table {
		seed := seeds[st.Participant]
		points := st.Points
		out[i] = Standing{Rank: st.Rank, Seed: seed, Name: names[seed], Wins: st.Wins, Losses: st.Losses, Draws: st.Draws,
			Points: &points, Buchholz: st.Buchholz, GameDiff: st.GameDiff, Tiebreaks: st.Tiebreaks}
	}
	return out
}

// resultOf reads a match as a result for the engine's standings and pairing; ok is false
// for a match not (yet) decided by play or forfeit: open, skipped, or a walkover. A match
// decided without a winner is a draw.
func resultOf(status string, a, b, winner, scoreA, scoreB *int32) (res bracket.Result, ok bool) {
	switch {
	case status == StatusSkipped || a == nil || *a < 0 || (b != nil && *b < 0):
		return res, false
	case b == nil: // a Swiss bye
		return bracket.Result{A: int(*a), B: -1, Winner: int(*a)}, winner != nil
	case status == StatusDoubleForfeit:
		return bracket.Result{A: int(*a), B: int(*b), Winner: bracket.BothLost}, true
	case !decidedByResult(status):
		return res, false
	}
	res = bracket.Result{A: int(*a), B: int(*b), Winner: bracket.Draw, GamesA: int(deref(scoreA)), GamesB: int(deref(scoreB))}
	if winner != nil {
		res.Winner = int(*winner)
	}
	return res, true
}

// decidedByResult reports whether a match with two real sides was decided with a score
// (played, resolved, forfeited or a side disqualified), which a winner or a draw settles.
func decidedByResult(status string) bool {
	return slices.Contains([]string{StatusConfirmed, StatusResolved, StatusForfeit, StatusDisqualified}, status)
}

// disqualifiedLast moves disqualified entrants below everyone else, sharing the last rank.
func disqualifiedLast(st []Standing, disqualified map[int32]bool) []Standing {
	if len(disqualified) == 0 {
		return st
	}
	out := slices.DeleteFunc(slices.Clone(st), func(x Standing) bool { return disqualified[x.Seed] })
	last := len(out) + 1
	for _, x := range st {
		if disqualified[x.Seed] {
			x.Rank = last
			out = append(out, x)
		}
	}
	return out
}

// Complete ends a running tournament on its organizer's word, before its last match is
// decided: the standings as they stand become final, and the matches still open close. It
// completes the tournament as the last match would (final standings, follow-up jobs, the
// payout). Organizer or admin only. Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND,
// ECONFLICT (not running).
func (s *Service) Complete(ctx context.Context, tournamentID string) (*tournament.Tournament, error) {
	tid, err := db.ParseID(tournamentID, "Tournament")
	if err != nil {
		return nil, err
	}
	var out *tournament.Tournament
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := s.lockBracket(ctx, tx, tid, uuid.Nil); err != nil && arena.ErrorCode(err) != arena.ENOTFOUND {
			return err // the lock order: the bracket before the tournament
		}
		t, err := s.cfg.Tournaments.EndTx(ctx, tx, tid)
		if err != nil {
			return err
		}
		out = t
		return s.finish(ctx, tx, tid)
	})
	return out, err
}

// Placement is an entry's place in a completed tournament's final standings.
type Placement struct {
	RegistrationID uuid.UUID
	Seed           int32
	Rank           int32 // 1 is the winner; entries no result separates share a rank
	Name           string
}

// PlacementsTx lists a completed tournament's final standings by rank, then seed (one
// query). A round robin in groups ranks within each group, so its group winners share
// rank 1. None before completion.
func (s *Service) PlacementsTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) ([]Placement, error) {
	rows, err := s.q.FinalPlacements(ctx, tx, tournamentID)
	out := make([]Placement, len(rows))
	for i, r := range rows {
		out[i] = Placement{RegistrationID: r.RegistrationID, Seed: r.Seed, Rank: r.Rank, Name: r.Name}
	}
	return out, err
}

// complete stores the final standings, marks the tournament completed and enqueues its
// follow-up, in the caller's transaction.
func (s *Service) complete(ctx context.Context, tx pgx.Tx, tid uuid.UUID) error {
	if err := s.cfg.Tournaments.CompleteTx(ctx, tx, tid); err != nil {
		return err
	}
	return s.finish(ctx, tx, tid)
}

// finish stores the final standings of a tournament completed in tx and enqueues its
// follow-up.
func (s *Service) finish(ctx context.Context, tx pgx.Tx, tid uuid.UUID) error {
	st, err := s.standings(ctx, tx, tid)
	if err != nil {
		return err
	}
	p := dbsqlc.InsertFinalStandingsParams{TournamentID: tid}
	for _, x := range st {
		p.Seeds = append(p.Seeds, x.Seed)
		p.Ranks = append(p.Ranks, int32(x.Rank))
		p.Wins = append(p.Wins, int32(x.Wins))
		p.Losses = append(p.Losses, int32(x.Losses))
		p.Draws = append(p.Draws, int32(x.Draws))
	}
	if err := s.q.InsertFinalStandings(ctx, tx, p); err != nil {
		return err
	}
	return s.completedTx(ctx, tx, tid)
}

// placeByElimination ranks an elimination bracket's entrants once it is decided, in steps:
// the final's winner and loser (the grand final's, or its reset's when played), the
// third-place match's winner and loser, then everyone else by how late they went out —
// entrants out in the same stage and round share a rank. Entrants still in come first.
func placeByElimination(st []Standing, rows []dbsqlc.GetBracketRow) {
	type when struct{ stage, round int } // later is better
	stageOrder := map[string]int{string(bracket.Winners): 1, string(bracket.Losers): 1, string(bracket.GrandFinal): 2, string(bracket.GrandFinalReset): 3}
	elimination := 1
	if rows[0].Format == tournament.FormatDoubleElimination {
		elimination = 2
	}
	var final, third *dbsqlc.GetBracketRow
	complete := true
	losses := map[int32]int{}
	outAt := map[int32]when{}
	for i := range rows {
		r := &rows[i]
		if r.Status == StatusPending || playable(r.Status) {
			complete = false
		}
		at := when{stageOrder[r.Stage], int(r.Round)}
		switch {
		case r.Status == StatusDoubleForfeit: // both out, whatever their losses
			outAt[*r.ASeed], outAt[*r.BSeed] = at, at
			continue
		case r.WinnerSeed == nil || r.Status == StatusSkipped:
			continue
		case r.Stage == string(bracket.ThirdPlace):
			third = r
			continue
		}
		if final == nil || r.Number > final.Number { // numbered in play order
			final = r
		}
		loser := other(r)
		switch {
		case loser < 0: // a walkover
		case r.Status == StatusDisqualified:
			outAt[loser] = at
		default:
			if losses[loser]++; losses[loser] == elimination {
				outAt[loser] = at
			}
		}
	}
	podium := map[int32]int{} // seed → place, once the bracket is decided
	if complete && final != nil {
		if _, championOut := outAt[*final.WinnerSeed]; !championOut { // else a double forfeit ended it
			podium[*final.WinnerSeed] = 1
			if runnerUp := other(final); runnerUp >= 0 {
				podium[runnerUp] = 2
			}
		}
		if third != nil {
			podium[*third.WinnerSeed], podium[other(third)] = 3, 4
		}
	}
	rank := func(s Standing) (int, when) {
		if p, ok := podium[s.Seed]; ok {
			return p, when{}
		}
		if w, isOut := outAt[s.Seed]; isOut {
			return 10, w
		}
		return 0, when{} // still in
	}
	slices.SortStableFunc(st, func(a, b Standing) int {
		pa, wa := rank(a)
		pb, wb := rank(b)
		return cmp.Or(cmp.Compare(pa, pb), cmp.Compare(wb.stage, wa.stage), cmp.Compare(wb.round, wa.round), cmp.Compare(a.Seed, b.Seed))
	})
	for i := range st {
		st[i].Rank = i + 1
		if i > 0 {
			pa, wa := rank(st[i-1])
			pb, wb := rank(st[i])
			if pa == pb && wa == wb && pa >= 10 { // out in the same stage and round
				st[i].Rank = st[i-1].Rank
			}
		}
	}
}

// other is the loser of a decided match (-1 for a walkover's empty side).
func other(r *dbsqlc.GetBracketRow) int32 {
	if *r.WinnerSeed == *r.ASeed {
		return *r.BSeed
	}
	return *r.ASeed
}
