package payout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/payout/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/tournament"
	"github.com/arenaesports/arena/modules/wallet"
)

// PayArgs pays the next chunk of a tournament's prizes, and enqueues itself again while
// more remain; the last chunk pays the fee and the rounding too.
type PayArgs struct {
	TournamentID uuid.UUID `json:"tournament_id"`
}

// Kind implements river.JobArgs.
func (PayArgs) Kind() string { return "payout.pay" }

// InsertOpts implements river.JobArgsWithInsertOpts: the job runs on db.QueueMoney.
func (PayArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: db.QueueMoney} }

// refundsPending is how long the plan waits for refunds still owed to be paid first.
const refundsPending = 5 * time.Second

// AddWorkers registers the module's workers: the plan, enqueued by the tournament's
// completion, and the chunks.
func (s *Service) AddWorkers(workers *river.Workers) {
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, job *river.Job[tournament.CompletedArgs]) error {
		return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			if err := s.planTx(ctx, tx, job.Args.TournamentID); err != nil {
				return err
			}
			_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
			return err
		})
	}))
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, job *river.Job[PayArgs]) error {
		return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			if _, err := s.PayChunkTx(ctx, tx, job.Args.TournamentID); err != nil {
				return err
			}
			_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
			return err
		})
	}))
}

// planTx fixes a completed tournament's payout: the pool from its escrow, the split by its
// final standings, one row per member paid, and — unless an admin must review it — the
// first chunk's job. A plan that runs again finds the payout made and does nothing. While
// the escrow still owes refunds (entries dropped late), it waits for them.
func (s *Service) planTx(ctx context.Context, tx pgx.Tx, tid uuid.UUID) error {
	if _, err := s.q.LockPayout(ctx, tx, tid); err == nil {
		return nil
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	t, err := s.cfg.Tournaments.TournamentTx(ctx, tx, tid)
	if err != nil || t.Status != tournament.StatusCompleted {
		return err
	}
	owed, err := s.cfg.Registrations.FeesOwedTx(ctx, tx, tid)
	if err != nil {
		return err
	}
	if owed > 0 {
		return river.JobSnooze(refundsPending)
	}
	escrow, err := s.cfg.Wallet.BalanceTx(ctx, tx, wallet.EscrowAccount(tid), t.EntryFee.Currency)
	if err != nil {
		return err
	}
	pool := poolOf(t, escrow, 0)
	entries, err := s.entriesTx(ctx, tx, tid)
	if err != nil {
		return err
	}
	shares, rounding, places := split(pool.Total, t.PrizeDistribution, entries)
	approved := t.PayoutReview == tournament.PayoutAuto
	if err := s.q.InsertPayout(ctx, tx, dbsqlc.InsertPayoutParams{TournamentID: tid, Review: t.PayoutReview, Approved: approved,
		Currency: pool.Currency, Fees: pool.EntryFees, Fee: pool.Fee, AddedPrize: pool.AddedPrize, Pool: pool.Total,
		Rounding: rounding, Places: int32(places), Now: s.now()}); err != nil {
		return err
	}
	p := dbsqlc.InsertRecipientsParams{TournamentID: tid}
	for _, sh := range shares {
		p.RegistrationIds = append(p.RegistrationIds, sh.RegistrationID)
		p.UserIds = append(p.UserIds, sh.UserID)
		p.Places = append(p.Places, sh.Place)
		p.Shared = append(p.Shared, sh.Shared)
		p.Ranks = append(p.Ranks, sh.Rank)
		p.Seeds = append(p.Seeds, sh.Seed)
		p.EntryNames = append(p.EntryNames, sh.Name)
		p.Prizes = append(p.Prizes, sh.Prize)
		p.Amounts = append(p.Amounts, sh.Amount)
	}
	if err := s.q.InsertRecipients(ctx, tx, p); err != nil {
		return err
	}
	if !approved {
		return nil
	}
	_, err = s.cfg.Jobs.InsertTx(ctx, tx, PayArgs{TournamentID: tid}, nil)
	return err
}

// entriesTx is a completed tournament's final standings with each standing entry's members
// (two queries).
func (s *Service) entriesTx(ctx context.Context, tx pgx.Tx, tid uuid.UUID) ([]Entry, error) {
	placed, err := s.cfg.Matches.PlacementsTx(ctx, tx, tid)
	if err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, len(placed))
	for i, p := range placed {
		ids[i] = p.RegistrationID
	}
	members, err := s.cfg.Registrations.StandingMembersTx(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, len(placed))
	for i, p := range placed {
		out[i] = Entry{RegistrationID: p.RegistrationID, Seed: p.Seed, Rank: p.Rank, Name: p.Name, Members: members[p.RegistrationID]}
	}
	return out, nil
}

// PayChunkTx pays, in the caller's transaction, the members of up to Chunk entries not
// paid yet, best place first, with one batched ledger write; each transfer is keyed by
// entry and member and marked paid in the same transaction, so a chunk that runs twice pays
// nothing twice. The chunk that finds fewer entries than a full one left pays the
// platform's fee and the rounding and marks the payout paid; a full one enqueues the next.
// A payout held or waiting for review pays nothing. It returns how many members it paid.
func (s *Service) PayChunkTx(ctx context.Context, tx pgx.Tx, tid uuid.UUID) (int, error) {
	p, err := s.q.LockPayout(ctx, tx, tid)
	if err != nil || p.Status != StatusPending || !p.Approved {
		return 0, db.NotFound(err, "Payout")
	}
	due, err := s.q.NextPayouts(ctx, tx, dbsqlc.NextPayoutsParams{TournamentID: tid, MaxEntries: int32(s.cfg.Chunk)})
	if err != nil {
		return 0, err
	}
	ref := tid.String()
	var legs []wallet.Leg
	var evs []events.Event
	for i, d := range due {
		legs = append(legs, wallet.Leg{Debit: wallet.EscrowAccount(tid), Credit: wallet.UserAccount(d.UserID), Amount: d.Amount,
			Currency: p.Currency, Kind: wallet.Prize, Reference: ref, Key: d.RegistrationID.String() + "/" + d.UserID.String()})
		if i == len(due)-1 || due[i+1].RegistrationID != d.RegistrationID { // whole entries come together
			evs = append(evs, events.Event{Type: events.PrizePaid, Visibility: events.Public, TournamentID: tid,
				RegistrationID: d.RegistrationID, Payload: events.PrizeData{Place: d.Place, Shared: d.Shared, Rank: d.Rank,
					Name: d.EntryName, Amount: d.Prize, Currency: p.Currency}})
		}
	}
	last := len(evs) < s.cfg.Chunk
	if last {
		for _, extra := range []struct {
			kind   string
			amount int64
		}{{wallet.PlatformFee, p.Fee}, {wallet.PrizeRounding, p.Rounding}} {
			if extra.amount > 0 {
				legs = append(legs, wallet.Leg{Debit: wallet.EscrowAccount(tid), Credit: wallet.PlatformAccount(), Amount: extra.amount,
					Currency: p.Currency, Kind: extra.kind, Reference: ref, Key: "payout"})
			}
		}
		evs = append(evs, events.Event{Type: events.PayoutCompleted, Visibility: events.Public, TournamentID: tid,
			Payload: events.PayoutData{Currency: p.Currency}})
	}
	transfers, err := s.cfg.Wallet.TransferManyTx(ctx, tx, legs)
	if err != nil {
		return 0, fmt.Errorf("pay prizes of %s: %w", tid, err)
	}
	if len(due) > 0 {
		marked := dbsqlc.MarkPaidParams{TournamentID: tid, Now: s.now()}
		for i, d := range due {
			marked.RegistrationIds = append(marked.RegistrationIds, d.RegistrationID)
			marked.UserIds = append(marked.UserIds, d.UserID)
			marked.TransferIds = append(marked.TransferIds, transfers[i].ID)
		}
		if err := s.q.MarkPaid(ctx, tx, marked); err != nil {
			return 0, err
		}
	}
	if err := events.AppendTx(ctx, tx, s.now(), evs...); err != nil {
		return 0, err
	}
	if last {
		return len(due), s.q.FinishPayout(ctx, tx, dbsqlc.FinishPayoutParams{Now: s.now(), TournamentID: tid})
	}
	_, err = s.cfg.Jobs.InsertTx(ctx, tx, PayArgs{TournamentID: tid}, nil)
	return len(due), err
}
