package match

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/match/bracket"
	"github.com/arenaesports/arena/modules/match/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/tournament"
)

// undecided reports whether a match still waits for its result (its sides may not be known
// yet): the matches that can be scheduled, and that fall overdue.
func undecided(status string) bool { return status == StatusPending || playable(status) }

// ScheduleMatch sets when an undecided match is to be played, or clears it (at nil). The
// organizer and staff only. Errors: EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN, ECONFLICT
// (decided).
func (s *Service) ScheduleMatch(ctx context.Context, matchID string, at *time.Time) (*MatchView, error) {
	err := s.withRunMatch(ctx, matchID, "Only the organizer and staff schedule matches.", func(tx pgx.Tx, m dbsqlc.LockMatchRow) error {
		if !undecided(m.Status) {
			return arena.Errorf(arena.ECONFLICT, "This match is %s: only an undecided match is scheduled.", m.Status)
		}
		r, err := s.q.ScheduleMatch(ctx, tx, dbsqlc.ScheduleMatchParams{ID: m.ID, ScheduledAt: at})
		if err != nil {
			return err
		}
		return events.AppendTx(ctx, tx, s.now(), scheduledEvent(m.TournamentID, r.ID, r.Number, r.ScheduledAt))
	})
	if err != nil {
		return nil, err
	}
	return s.GetMatch(ctx, matchID)
}

// scheduledEvent is the public event of a match's time set or cleared.
func scheduledEvent(tid, matchID uuid.UUID, number int32, at *time.Time) events.Event {
	return events.Event{Type: events.MatchScheduled, Visibility: events.Public, TournamentID: tid, MatchID: matchID,
		Payload: events.MatchScheduleData{Number: number, ScheduledAt: at}}
}

// RoundTime is the planned start of a round.
type RoundTime struct {
	Stage    string    `json:"stage,omitempty" enum:"winners,losers,grand_final,grand_final_reset,third_place,round_robin,swiss" doc:"Default: the format's main stage (winners, round_robin or swiss)."`
	Round    int32     `json:"round" minimum:"1" maximum:"1000" doc:"1-based, within the stage (and, in round robin, the same round of every group)."`
	StartsAt time.Time `json:"starts_at"`
}

// mainStage is the stage a format's rounds are numbered in when none is named.
func mainStage(format string) string {
	switch format {
	case tournament.FormatRoundRobin:
		return string(bracket.RoundRobinStage)
	case tournament.FormatSwiss:
		return string(bracket.SwissStage)
	}
	return string(bracket.Winners)
}

// ScheduleRounds plans the start of rounds in one call: every undecided match of each round
// takes the round's time, in one statement, and matches laid out later (Swiss rounds paired
// as the stage goes, or a bracket laid again after a re-seed) take it when they are. A
// match's own time (ScheduleMatch) can still change afterwards. It returns the tournament's
// whole plan and how many matches it scheduled. The organizer and staff only. Errors:
// EUNAUTHORIZED, ENOTFOUND (no bracket), EFORBIDDEN, EINVALID (a stage the bracket does not
// have, a round beyond it, a round twice), ECONFLICT (not running).
func (s *Service) ScheduleRounds(ctx context.Context, tournamentID string, plan []RoundTime) ([]RoundTime, int32, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, 0, err
	}
	tid, err := db.ParseID(tournamentID, "Tournament")
	if err != nil {
		return nil, 0, err
	}
	var scheduled int32
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		b, err := s.lockBracket(ctx, tx, tid, c.ID)
		if err != nil {
			return err
		}
		if !tournament.MayRunMatches(c, b.OrganizerID, b.CallerIsStaff) {
			return arena.Errorf(arena.EFORBIDDEN, "Only the organizer and staff schedule matches.")
		}
		if b.TournamentStatus != tournament.StatusRunning {
			return arena.Errorf(arena.ECONFLICT, "The tournament is %s: only a running tournament's rounds are scheduled.", b.TournamentStatus)
		}
		stages, err := s.q.Rounds(ctx, tx, tid)
		if err != nil {
			return err
		}
		last := map[string]int32{}
		for _, st := range stages {
			last[st.Stage] = st.Rounds
		}
		p := dbsqlc.SetRoundTimesParams{TournamentID: tid}
		seen := map[[2]any]bool{}
		for _, r := range plan {
			stage := r.Stage
			if stage == "" {
				stage = mainStage(b.Format)
			}
			rounds, has := last[stage]
			switch {
			case !has:
				return arena.Errorf(arena.EINVALID, "This bracket has no %s stage.", stage)
			case r.Round > rounds && stage != string(bracket.SwissStage): // Swiss rounds are paired as the stage goes
				return arena.Errorf(arena.EINVALID, "The %s stage has %d rounds; there is no round %d.", stage, rounds, r.Round)
			case seen[[2]any{stage, r.Round}]:
				return arena.Errorf(arena.EINVALID, "Round %d of %s is planned twice.", r.Round, stage)
			}
			seen[[2]any{stage, r.Round}] = true
			p.Stages, p.Rounds, p.Starts = append(p.Stages, stage), append(p.Rounds, r.Round), append(p.Starts, r.StartsAt)
		}
		rows, err := s.q.SetRoundTimes(ctx, tx, p)
		if err != nil {
			return err
		}
		scheduled = int32(len(rows))
		evs := make([]events.Event, len(rows))
		for i, r := range rows {
			evs[i] = scheduledEvent(tid, r.ID, r.Number, r.ScheduledAt)
		}
		return events.AppendTx(ctx, tx, s.now(), evs...)
	})
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.q.ListRoundTimes(ctx, s.pool, tid)
	if err != nil {
		return nil, 0, err
	}
	out := make([]RoundTime, len(rows))
	for i, r := range rows {
		out[i] = RoundTime{Stage: r.Stage, Round: r.Round, StartsAt: r.StartsAt}
	}
	return out, scheduled, nil
}

// lockBracket locks a tournament's bracket row (see LockBracket); none is ENOTFOUND.
func (s *Service) lockBracket(ctx context.Context, tx pgx.Tx, tid, caller uuid.UUID) (dbsqlc.LockBracketRow, error) {
	b, err := s.q.LockBracket(ctx, tx, dbsqlc.LockBracketParams{TournamentID: tid, CallerID: caller})
	if errors.Is(err, pgx.ErrNoRows) {
		return b, arena.Errorf(arena.ENOTFOUND, "This tournament has no bracket yet.")
	}
	return b, err
}
