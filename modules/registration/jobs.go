package registration

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/registration/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/tournament"
	"github.com/arenaesports/arena/modules/wallet"
)

// NoticeArgs records a notice for a member (delivery comes with the notify module).
type NoticeArgs struct {
	RegistrationID uuid.UUID `json:"registration_id"`
	UserID         uuid.UUID `json:"user_id"`
	Notice         string    `json:"notice"`
}

// Kind implements river.JobArgs.
func (NoticeArgs) Kind() string { return "registration.notice" }

// InsertOpts implements river.JobArgsWithInsertOpts: the job runs on db.QueueNotices.
func (NoticeArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: db.QueueNotices} }

// RefundArgs pays back the next chunk of fees due in a tournament, and enqueues itself
// again while more remain.
type RefundArgs struct {
	TournamentID uuid.UUID `json:"tournament_id"`
}

// Kind implements river.JobArgs.
func (RefundArgs) Kind() string { return "registration.refund" }

// InsertOpts implements river.JobArgsWithInsertOpts: the job runs on db.QueueMoney.
func (RefundArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: db.QueueMoney} }

// AddWorkers registers the module's workers with River, including those for the
// tournament lifecycle's jobs.
func (s *Service) AddWorkers(workers *river.Workers) {
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, job *river.Job[NoticeArgs]) error {
		a := job.Args
		return s.q.InsertNotice(ctx, s.pool, dbsqlc.InsertNoticeParams{RegistrationID: a.RegistrationID, UserID: a.UserID,
			Kind: a.Notice, Now: s.now()})
	}))
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, job *river.Job[tournament.CancelledArgs]) error {
		return endEntries(ctx, s, job, job.Args.TournamentID, StatusCancelled, []string{StatusPendingPayment, StatusConfirmed, StatusCheckedIn})
	}))
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, job *river.Job[tournament.CheckInClosedArgs]) error {
		return endEntries(ctx, s, job, job.Args.TournamentID, StatusDropped, []string{StatusPendingPayment, StatusConfirmed})
	}))
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, job *river.Job[RefundArgs]) error {
		return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			if _, err := s.RefundChunkTx(ctx, tx, job.Args.TournamentID); err != nil {
				return err
			}
			_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
			return err
		})
	}))
}

// endEntries ends every entry of a tournament in one of statuses (the cancellation, or the
// close of check-in for those who did not check in), frees their slots, and enqueues the
// refunds, all in one transaction that also completes the job: running it again finds
// nothing left to end.
func endEntries[T river.JobArgs](ctx context.Context, s *Service, job *river.Job[T], tournamentID uuid.UUID, status string, statuses []string) error {
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		ended, err := s.q.EndTournamentEntries(ctx, tx, dbsqlc.EndTournamentEntriesParams{NewStatus: status, Now: s.now(),
			TournamentID: tournamentID, Statuses: statuses})
		if err != nil {
			return err
		}
		if len(ended) > 0 {
			evs := make([]events.Event, len(ended))
			for i, e := range ended {
				evs[i] = entryEvent(events.RegistrationEnded, tournamentID, e.ID, status)
			}
			if err := events.AppendTx(ctx, tx, s.now(), evs...); err != nil {
				return err
			}
			counters := tournament.Counters{Taken: -int32(len(ended))}
			if status == StatusCancelled {
				counters.Taken = 0 // a cancelled tournament keeps its fill figures for the record
			}
			if err := s.cfg.Tournaments.AdjustCountersTx(ctx, tx, tournamentID, counters); err != nil {
				return err
			}
			if _, err := s.cfg.Jobs.InsertTx(ctx, tx, RefundArgs{TournamentID: tournamentID}, nil); err != nil {
				return err
			}
		}
		_, err = river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
}

// RefundChunkTx pays back, in the caller's transaction, up to RefundChunk members whose
// fees are due (their entry ended), with one batched ledger write; it enqueues the next
// chunk when this one was full. Each refund is keyed by entry and member, and members are
// marked refunded in the same transaction, so a chunk that runs twice refunds nothing
// twice. It returns how many members it refunded.
func (s *Service) RefundChunkTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (int, error) {
	due, err := s.q.NextRefunds(ctx, tx, dbsqlc.NextRefundsParams{TournamentID: tournamentID, MaxRows: int32(s.cfg.RefundChunk)})
	if err != nil || len(due) == 0 {
		return 0, err
	}
	legs := make([]wallet.Leg, len(due))
	marked := dbsqlc.MarkRefundedParams{Now: s.now()}
	for i, d := range due {
		legs[i] = refundLeg(d.RegistrationID, d.UserID, tournamentID, d.EntryFee, d.Currency)
		marked.RegistrationIds = append(marked.RegistrationIds, d.RegistrationID)
		marked.UserIds = append(marked.UserIds, d.UserID)
	}
	if _, err := s.cfg.Wallet.TransferManyTx(ctx, tx, legs); err != nil {
		return 0, err
	}
	if err := s.q.MarkRefunded(ctx, tx, marked); err != nil {
		return 0, err
	}
	if len(due) == s.cfg.RefundChunk {
		if _, err := s.cfg.Jobs.InsertTx(ctx, tx, RefundArgs{TournamentID: tournamentID}, nil); err != nil {
			return 0, err
		}
	}
	return len(due), nil
}
