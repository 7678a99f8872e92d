package match

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/match/bracket"
	"github.com/arenaesports/arena/modules/match/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/tournament"
)

// Resolve decides a match by the organizer or staff: a dispute, or any match ready to be
// played. Errors: EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN, EINVALID (score, games), ECONFLICT
// (not open).
func (s *Service) Resolve(ctx context.Context, matchID string, res Result) error {
	return s.withRunMatch(ctx, matchID, "Only the organizer and staff resolve matches.", func(tx pgx.Tx, m dbsqlc.LockMatchRow) error {
		if !playable(m.Status) {
			return arena.Errorf(arena.ECONFLICT, "This match is %s and cannot be resolved.", m.Status)
		}
		if err := (rules{m.BestOf, m.AllowDraws}).check(res); err != nil {
			return err
		}
		return s.decide(ctx, tx, m, res, StatusResolved)
	})
}

// Override corrects a decided result: the organizer or staff may, until a match it feeds
// has been played, and not once the tournament is over. Winner and loser are placed again
// in the same transaction. Errors: EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN, EINVALID (score,
// games), ECONFLICT (not decided, a dependent match played, tournament over).
func (s *Service) Override(ctx context.Context, matchID string, res Result) error {
	return s.withRunMatch(ctx, matchID, "Only the organizer and staff override results.", func(tx pgx.Tx, m dbsqlc.LockMatchRow) error {
		if m.Status != StatusConfirmed && m.Status != StatusResolved && m.Status != StatusForfeit {
			return arena.Errorf(arena.ECONFLICT, "Only a decided match can be overridden; this one is %s.", m.Status)
		}
		if err := (rules{m.BestOf, m.AllowDraws}).check(res); err != nil {
			return err
		}
		open, err := s.q.OpenMatches(ctx, tx, m.TournamentID)
		if err != nil {
			return err
		}
		if open == 0 {
			return arena.Errorf(arena.ECONFLICT, "The tournament is over; its results are final.")
		}
		key := dbsqlc.PlayedDependentsParams{TournamentID: m.TournamentID, Number: m.Number}
		if played, err := s.q.PlayedDependents(ctx, tx, key); err != nil {
			return err
		} else if played > 0 {
			return arena.Errorf(arena.ECONFLICT, "A match this result feeds has been played; it can no longer change.")
		}
		if err := s.q.ReopenDependents(ctx, tx, dbsqlc.ReopenDependentsParams(key)); err != nil {
			return err
		}
		return s.decide(ctx, tx, m, res, StatusResolved)
	})
}

// Forfeit decides an open match against a side that does not play (organizer, staff): the other
// side wins by the games a majority needs, and the bracket advances. When both sides do not
// play (side "both"), it is a double forfeit: both lose, and in elimination both are out —
// nobody advances or drops, so the matches this one feeds are walkovers. Errors:
// EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN, EINVALID (side), ECONFLICT (not open).
func (s *Service) Forfeit(ctx context.Context, matchID, side string) error {
	return s.withRunMatch(ctx, matchID, "Only the organizer and staff declare forfeits.", func(tx pgx.Tx, m dbsqlc.LockMatchRow) error {
		if !playable(m.Status) {
			return arena.Errorf(arena.ECONFLICT, "This match is %s; only an open match can be forfeited.", m.Status)
		}
		need := m.BestOf/2 + 1
		res := Result{Score: Score{A: need}}
		switch side {
		case SideA:
			res = Result{Score: Score{B: need}}
		case SideB:
		case BothSides:
			if err := s.q.DecideMatch(ctx, tx, dbsqlc.DecideMatchParams{Status: StatusDoubleForfeit, Now: s.now(), ID: m.ID}); err != nil {
				return err
			}
			return s.advance(ctx, tx, m.TournamentID, m.Format, []placement{{m.Number, m.Stage, *m.ASeed, -1, -1}})
		default:
			return arena.Errorf(arena.EINVALID, "The forfeiting side is a, b or both.")
		}
		return s.decide(ctx, tx, m, res, StatusForfeit)
	})
}

// Disqualify takes a side of an open match out of the tournament (organizer, staff), in one
// transaction: this match and any other open match of the entrant (round robin) are decided
// for the opponents, the entrant plays no more — in double elimination it does not drop to
// the losers' bracket, in Swiss it is not paired again — and ranks last, and its registration
// is marked disqualified. Errors: EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN, EINVALID (side),
// ECONFLICT (not open).
func (s *Service) Disqualify(ctx context.Context, matchID, side string) error {
	return s.withRunMatch(ctx, matchID, "Only the organizer and staff disqualify entrants.", func(tx pgx.Tx, m dbsqlc.LockMatchRow) error {
		if !playable(m.Status) {
			return arena.Errorf(arena.ECONFLICT, "This match is %s; disqualify an entrant in its open match.", m.Status)
		}
		seed, registrationID := m.ASeed, m.ARegistration
		switch side {
		case SideA:
		case SideB:
			seed, registrationID = m.BSeed, m.BRegistration
		default:
			return arena.Errorf(arena.EINVALID, "The disqualified side is a or b.")
		}
		decided, err := s.q.DisqualifyEntrant(ctx, tx, dbsqlc.DisqualifyEntrantParams{Seed: *seed, Games: m.BestOf/2 + 1,
			Now: s.now(), TournamentID: m.TournamentID})
		if err != nil {
			return err
		}
		if err := s.cfg.Registrations.DisqualifyTx(ctx, tx, m.TournamentID, *registrationID); err != nil {
			return err
		}
		todo := make([]placement, len(decided))
		var evs []events.Event
		for i, d := range decided {
			todo[i] = placement{d.Number, d.Stage, *d.ASeed, *d.WinnerSeed, -1} // the disqualified entrant does not drop
			decidedMatch := m
			decidedMatch.ID, decidedMatch.Number = d.ID, d.Number
			evs = append(evs, matchEvent(events.MatchConfirmed, decidedMatch, events.MatchResultData{Number: d.Number,
				Status: d.Status, ScoreA: deref(d.ScoreA), ScoreB: deref(d.ScoreB), WinnerSeed: d.WinnerSeed}),
				matchEvent(events.StandingsUpdated, decidedMatch, events.MatchData{Number: d.Number}))
		}
		if err := events.AppendTx(ctx, tx, s.now(), evs...); err != nil {
			return err
		}
		return s.advance(ctx, tx, m.TournamentID, m.Format, todo)
	})
}

// withRunMatch runs fn on a locked match for whoever may run its tournament's matches (see
// tournament.MayRunMatches); anyone else is refused with denied. Staff who play in the
// match are refused too: the organizer decides it.
func (s *Service) withRunMatch(ctx context.Context, matchID, denied string, fn func(pgx.Tx, dbsqlc.LockMatchRow) error) error {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return err
	}
	return s.withMatch(ctx, matchID, c.ID, func(tx pgx.Tx, m dbsqlc.LockMatchRow) error {
		switch {
		case !tournament.MayRunMatches(c, m.OrganizerID, m.CallerIsStaff):
			return arena.Errorf(arena.EFORBIDDEN, "%s", denied)
		case m.CallerPlays && !c.CanManage(m.OrganizerID):
			return arena.Errorf(arena.EFORBIDDEN, "Staff do not decide a match they play in; the organizer does.")
		}
		return fn(tx, m)
	})
}

// withMatch runs fn on the match locked for update, in a transaction of its own; caller is
// who acts (uuid.Nil for a job), for LockMatch to tell whether they are staff.
func (s *Service) withMatch(ctx context.Context, matchID string, caller uuid.UUID, fn func(pgx.Tx, dbsqlc.LockMatchRow) error) error {
	id, err := db.ParseID(matchID, "Match")
	if err != nil {
		return err
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		m, err := s.q.LockMatch(ctx, tx, dbsqlc.LockMatchParams{ID: id, CallerID: caller})
		if err != nil {
			return db.NotFound(err, "Match")
		}
		if m.TournamentStatus != tournament.StatusRunning { // completed early, or cancelled
			return arena.Errorf(arena.ECONFLICT, "The tournament is %s: its matches are closed.", m.TournamentStatus)
		}
		return fn(tx, m)
	})
}

// decide stores a match's result and advances the bracket (see advance). A draw has no
// winner or loser: it happens only in round robin and Swiss, whose matches feed none.
func (s *Service) decide(ctx context.Context, tx pgx.Tx, m dbsqlc.LockMatchRow, res Result, status string) error {
	winner, loser := res.winner(*m.ASeed, *m.BSeed)
	if err := s.q.DecideMatch(ctx, tx, dbsqlc.DecideMatchParams{Status: status, ScoreA: &res.A, ScoreB: &res.B,
		WinnerSeed: winner, LoserSeed: loser, Games: encodeGames(res.Games), Now: s.now(), ID: m.ID}); err != nil {
		return err
	}
	placed := placement{m.Number, m.Stage, *m.ASeed, -1, -1}
	if winner != nil {
		placed.winner, placed.loser = *winner, *loser
	}
	result := events.MatchResultData{Number: m.Number, Status: status, ScoreA: res.A, ScoreB: res.B, WinnerSeed: winner}
	if err := events.AppendTx(ctx, tx, s.now(), matchEvent(events.MatchConfirmed, m, result),
		matchEvent(events.StandingsUpdated, m, events.MatchData{Number: m.Number})); err != nil {
		return err
	}
	return s.advance(ctx, tx, m.TournamentID, m.Format, []placement{placed})
}

// matchEvent is an event of match m; matches are public, so are their events (a dispute's
// reasons and evidence stay in the report history, which is not).
func matchEvent(kind string, m dbsqlc.LockMatchRow, payload any) events.Event {
	return events.Event{Type: kind, Visibility: events.Public, TournamentID: m.TournamentID, MatchID: m.ID, Payload: payload}
}

// readyEvent is the match.ready of a match that now knows both sides.
func readyEvent(tid uuid.UUID, m dbsqlc.InsertMatchesRow) events.Event {
	return events.Event{Type: events.MatchReady, Visibility: events.Public, TournamentID: tid, MatchID: m.ID,
		Payload: events.MatchReadyData{Number: m.Number, Stage: m.Stage, Round: m.Round, SeedA: *m.ASeed, SeedB: *m.BSeed,
			ScheduledAt: m.ScheduledAt}}
}

// insertMatches stores a bracket's (or a Swiss round's) matches, and the match.ready of
// each that can be played at once.
func (s *Service) insertMatches(ctx context.Context, tx pgx.Tx, tid uuid.UUID, b *bracket.Bracket) error {
	rows, err := s.q.InsertMatches(ctx, tx, matchParams(tid, b))
	if err != nil {
		return err
	}
	var ready []events.Event
	for _, r := range rows {
		if r.Status == StatusReady {
			ready = append(ready, readyEvent(tid, r))
		}
	}
	return events.AppendTx(ctx, tx, s.now(), ready...)
}

// placement is a decided match whose winner and loser go on to the matches it feeds; -1 is
// nobody (a double forfeit, a disqualified loser), which leaves a side never to be filled.
type placement struct {
	number           int32
	stage            string
	a, winner, loser int32
}

// advance places decided matches' winners and losers, in the caller's transaction and in a
// fixed number of statements whatever the bracket's size: it opens the matches that now
// know both sides, skips a grand-final reset the winners' champion made unnecessary, and
// completes the tournament (or, in Swiss, has the next round paired) when nothing is left
// to play. Only a side that will never be filled makes it go round again: the walkovers that
// decides are placed in turn.
func (s *Service) advance(ctx context.Context, tx pgx.Tx, tid uuid.UUID, format string, todo []placement) error {
	for len(todo) > 0 {
		for _, p := range todo {
			if err := s.q.Advance(ctx, tx, dbsqlc.AdvanceParams{Number: p.number, WinnerSeed: p.winner, LoserSeed: p.loser, TournamentID: tid}); err != nil {
				return err
			}
			if p.stage == string(bracket.GrandFinal) && p.winner >= 0 && p.winner == p.a {
				// The reset is laid out right after the grand final.
				if err := s.q.SkipMatch(ctx, tx, dbsqlc.SkipMatchParams{TournamentID: tid, Number: p.number + 1}); err != nil {
					return err
				}
			}
		}
		settled, err := s.q.Settle(ctx, tx, dbsqlc.SettleParams{Now: s.now(), TournamentID: tid})
		if err != nil {
			return err
		}
		todo = todo[:0]
		var ready []events.Event
		for _, r := range settled {
			if r.Status == StatusReady {
				ready = append(ready, readyEvent(tid, dbsqlc.InsertMatchesRow{ID: r.ID, Number: r.Number, Stage: r.Stage,
					Round: r.Round, Status: r.Status, ASeed: r.ASeed, BSeed: r.BSeed, ScheduledAt: r.ScheduledAt}))
			}
			switch r.Status {
			case StatusBye:
				todo = append(todo, placement{r.Number, r.Stage, *r.ASeed, *r.WinnerSeed, -1})
			case StatusSkipped:
				todo = append(todo, placement{r.Number, r.Stage, *r.ASeed, -1, -1})
			}
		}
		if err := events.AppendTx(ctx, tx, s.now(), ready...); err != nil {
			return err
		}
	}
	open, err := s.q.OpenMatches(ctx, tx, tid)
	switch {
	case err != nil || open > 0:
		return err
	case format == tournament.FormatSwiss: // the round is over: pair the next one (or end the stage)
		_, err := s.cfg.Jobs.InsertTx(ctx, tx, PairSwissRoundArgs{TournamentID: tid}, nil)
		return err
	default:
		return s.complete(ctx, tx, tid)
	}
}
