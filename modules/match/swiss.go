package match

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/match/bracket"
	"github.com/arenaesports/arena/modules/match/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/tournament"
)

// JobInserter enqueues River jobs in a transaction; a *river.Client satisfies it.
type JobInserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// PairSwissRoundArgs pairs the next round of a Swiss stage whose round just ended, or
// completes the tournament when the stage is over.
type PairSwissRoundArgs struct {
	TournamentID uuid.UUID `json:"tournament_id"`
}

// Kind implements river.JobArgs.
func (PairSwissRoundArgs) Kind() string { return "match.pair_swiss_round" }

// InsertOpts implements river.JobArgsWithInsertOpts: the job runs on db.QueueMatches.
func (PairSwissRoundArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: db.QueueMatches}
}

// AutoConfirmArgs confirms a one-sided report once the other side has let its time pass.
// ReportID is the report it was scheduled for: a side that changed its report since has
// scheduled another job, and this one leaves the match to it.
type AutoConfirmArgs struct {
	MatchID  uuid.UUID `json:"match_id"`
	ReportID uuid.UUID `json:"report_id"`
}

// Kind implements river.JobArgs.
func (AutoConfirmArgs) Kind() string { return "match.auto_confirm" }

// InsertOpts implements river.JobArgsWithInsertOpts: the job runs on db.QueueMatches.
func (AutoConfirmArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: db.QueueMatches} }

// AddWorkers registers the module's workers with River.
func (s *Service) AddWorkers(workers *river.Workers) {
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, job *river.Job[AutoConfirmArgs]) error {
		return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			m, err := s.q.LockMatch(ctx, tx, dbsqlc.LockMatchParams{ID: job.Args.MatchID})
			if err != nil {
				return err
			}
			reports, err := s.q.GetReports(ctx, tx, m.ID)
			if err != nil {
				return err
			}
			// Still the one report this job was scheduled for: its result stands. Anything
			// else (confirmed, disputed, resolved, or a changed report with a job of its
			// own) was settled meanwhile, and a second run finds that too.
			// A tournament completed early or cancelled has closed its matches.
			if m.TournamentStatus == tournament.StatusRunning && m.Status == StatusReported && len(reports) == 1 &&
				reports[0].ID == job.Args.ReportID {
				games, err := decodeGames(reports[0].Games)
				if err != nil {
					return err
				}
				res := Result{Score: Score{A: reports[0].ScoreA, B: reports[0].ScoreB}, Games: games}
				if err := s.decide(ctx, tx, m, res, StatusConfirmed); err != nil {
					return err
				}
			}
			_, err = river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
			return err
		})
	}))
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, job *river.Job[PairSwissRoundArgs]) error {
		return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			open, err := s.q.OpenMatches(ctx, tx, job.Args.TournamentID)
			if err != nil {
				return err
			}
			if open == 0 { // a job that runs twice finds the round already paired
				if err := s.pairSwissRound(ctx, tx, job.Args.TournamentID); err != nil {
					return err
				}
			}
			_, err = river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
			return err
		})
	}))
}

// pairSwissRound pairs the next Swiss round from the results so far (read in one round
// trip, the bracket row locked so two pairings cannot race) and stores its matches and bye,
// or completes the tournament when the stage is over.
func (s *Service) pairSwissRound(ctx context.Context, tx pgx.Tx, tid uuid.UUID) error {
	rows, err := s.q.SwissState(ctx, tx, tid)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return arena.Errorf(arena.ENOTFOUND, "This tournament has no bracket.")
	}
	first := rows[0]
	var results []bracket.Result
	var withdrawn []int
	for _, r := range rows {
		if r.Status == nil {
			continue // no decided match yet (the outer join's empty row)
		}
		res, ok := resultOf(*r.Status, r.ASeed, r.BSeed, r.WinnerSeed, r.ScoreA, r.ScoreB)
		if !ok {
			continue
		}
		results = append(results, res)
		if *r.Status == StatusDisqualified {
			withdrawn = append(withdrawn, res.A+res.B-res.Winner) // the side that did not win
		}
	}
	rules := bracket.SwissRules{Rounds: int(first.SwissRounds), AdvanceAt: int(first.SwissAdvanceAt),
		EliminateAt: int(first.SwissEliminateAt), RematchesWhenStuck: true, Pairing: bracket.PairingSystem(deref(first.Pairing)),
		Points: bracket.Points{Win: int(first.PointsWin), Draw: int(first.PointsDraw), Loss: int(first.PointsLoss)}}
	p, done, err := bracket.SwissRound(int(first.Entrants), results, rules, withdrawn...)
	if err != nil {
		return err // with rematches allowed, only a field where every player had a bye
	}
	if done {
		return s.complete(ctx, tx, tid)
	}
	round, number := first.LastRound+1, first.LastNumber+1
	b := &bracket.Bracket{Participants: int(first.Entrants)}
	for i, m := range p.Matches {
		b.Matches = append(b.Matches, bracket.Match{Index: int(number) + i, Stage: bracket.SwissStage, Round: int(round), Order: i,
			A: bracket.Source{Kind: bracket.FromSeed, Index: m[0]}, B: bracket.Source{Kind: bracket.FromSeed, Index: m[1]}})
	}
	if err := s.insertMatches(ctx, tx, tid, b); err != nil {
		return err
	}
	if p.Bye < 0 {
		return nil
	}
	return s.q.InsertBye(ctx, tx, dbsqlc.InsertByeParams{ID: db.NewID(), TournamentID: tid, Number: number + int32(len(p.Matches)),
		Round: round, Ord: int32(len(p.Matches)), Seed: int32(p.Bye), Now: s.now()})
}
