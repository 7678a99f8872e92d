package payout

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/payout/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/tournament"
	"github.com/arenaesports/arena/modules/wallet"
)

// Prizes is a tournament's prize money and what each place would be paid.
type Prizes struct {
	Currency       string  `json:"currency"`
	EntryFees      int64   `json:"entry_fees" doc:"Entry fees collected through the wallet and kept (net of refunds), minor units."`
	PlatformFeeBps int32   `json:"platform_fee_bps"`
	PlatformFee    int64   `json:"platform_fee" doc:"platform_fee_bps of entry_fees, rounded down."`
	AddedPrize     int64   `json:"added_prize" doc:"The organizer's added prize (in escrow from publication)."`
	Pool           int64   `json:"pool" doc:"entry_fees − platform_fee + added_prize."`
	Final          bool    `json:"final" doc:"true once the tournament completed: the pool and places are those paid."`
	Places         []Place `json:"places"`
}

// Place is the amount one place is paid, before ties share it.
type Place struct {
	Place   int32 `json:"place"`
	Percent int32 `json:"percent" doc:"Its share of prize_distribution."`
	Amount  int64 `json:"amount"`
}

// Prizes returns a tournament's pool now and the amount per place as it would be paid if
// the tournament ended now: the places its entries fill (every place while it has none),
// the pool divided over them. After completion, the pool fixed then. Drafts exist only for
// their organizer. Errors: ENOTFOUND.
func (s *Service) Prizes(ctx context.Context, tournamentID string) (*Prizes, error) {
	t, err := s.cfg.Tournaments.GetTournament(ctx, tournamentID)
	if err != nil {
		return nil, err
	}
	var pool Pool
	filled := int(t.Registered)
	final := false
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if p, err := s.q.GetPayout(ctx, tx, t.ID); err == nil {
			pool = Pool{Currency: p.Currency, EntryFees: p.Fees, Fee: p.Fee, AddedPrize: p.AddedPrize, Total: p.Pool}
			filled, final = int(p.Places), true
			return nil
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		escrow, err := s.cfg.Wallet.BalanceTx(ctx, tx, wallet.EscrowAccount(t.ID), t.EntryFee.Currency)
		if err != nil {
			return err
		}
		owed, err := s.cfg.Registrations.FeesOwedTx(ctx, tx, t.ID)
		pool = poolOf(t, escrow, owed)
		return err
	})
	if err != nil {
		return nil, err
	}
	dist := orWinnerTakesAll(t.PrizeDistribution)
	if filled == 0 && !final {
		filled = len(dist)
	}
	out := &Prizes{Currency: pool.Currency, EntryFees: pool.EntryFees, PlatformFeeBps: t.PlatformFeeBps, PlatformFee: pool.Fee,
		AddedPrize: pool.AddedPrize, Pool: pool.Total, Final: final, Places: []Place{}}
	amounts := placeAmounts(pool.Total, dist, filled)
	for i, p := range dist {
		out.Places = append(out.Places, Place{Place: int32(i + 1), Percent: p, Amount: amounts[i]})
	}
	return out, nil
}

// Statement is what a completed tournament's payout pays, to whom, and how far it got.
type Statement struct {
	TournamentID uuid.UUID `json:"tournament_id"`
	Status       string    `json:"status" enum:"pending,held,paid"`
	Review       string    `json:"review" enum:"auto,manual"`
	Approved     bool      `json:"approved" doc:"Auto review is approved from the start; manual once an admin approves."`
	Currency     string    `json:"currency"`
	Pool         int64     `json:"pool"`
	AddedPrize   int64     `json:"added_prize"`
	// The organizer's and admins' view adds where the rest of the escrow went.
	EntryFees   *int64     `json:"entry_fees,omitempty" doc:"Organizer and admins: entry fees kept."`
	PlatformFee *int64     `json:"platform_fee,omitempty" doc:"Organizer and admins: the platform's fee."`
	Rounding    *int64     `json:"rounding,omitempty" doc:"Organizer and admins: cents no split could divide, paid to the platform."`
	HoldReason  *string    `json:"hold_reason,omitempty" doc:"Organizer and admins: why an admin holds the payout."`
	Places      []Prize    `json:"places" doc:"Entries paid, best place first."`
	CreatedAt   time.Time  `json:"created_at"`
	PaidAt      *time.Time `json:"paid_at,omitempty"`
}

// Prize is an entry's prize in a statement.
type Prize struct {
	Place          int32       `json:"place" doc:"The first of the places the entry's rank covers."`
	Shared         int32       `json:"shared" doc:"Entries sharing those places (1: none)."`
	Rank           int32       `json:"rank"`
	RegistrationID uuid.UUID   `json:"registration_id"`
	Name           string      `json:"name"`
	Amount         int64       `json:"amount"`
	Status         string      `json:"status" enum:"pending,held,paid"`
	Recipients     []Recipient `json:"recipients"`
}

// Recipient is a member's part of an entry's prize.
type Recipient struct {
	UserID     uuid.UUID  `json:"user_id"`
	Handle     string     `json:"handle"`
	Amount     int64      `json:"amount"`
	TransferID *uuid.UUID `json:"transfer_id,omitempty" doc:"The wallet transfer that paid it."`
	PaidAt     *time.Time `json:"paid_at,omitempty"`
}

// Statement returns a tournament's payout statement (two queries after the tournament's).
// Errors: ENOTFOUND (no such tournament, or no payout yet: it is made when the tournament
// completes).
func (s *Service) Statement(ctx context.Context, tournamentID string) (*Statement, error) {
	t, err := s.cfg.Tournaments.GetTournament(ctx, tournamentID)
	if err != nil {
		return nil, err
	}
	var out *Statement
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		out, err = s.statementTx(ctx, tx, t)
		return err
	})
	return out, err
}

func (s *Service) statementTx(ctx context.Context, tx pgx.Tx, t *tournament.Tournament) (*Statement, error) {
	p, err := s.q.GetPayout(ctx, tx, t.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, arena.Errorf(arena.ENOTFOUND, "No payout yet: prizes are paid when the tournament completes (see its prizes for the amounts).")
	} else if err != nil {
		return nil, err
	}
	rows, err := s.q.Statement(ctx, tx, t.ID)
	if err != nil {
		return nil, err
	}
	out := &Statement{TournamentID: t.ID, Status: p.Status, Review: p.Review, Approved: p.Approved, Currency: p.Currency,
		Pool: p.Pool, AddedPrize: p.AddedPrize, Places: []Prize{}, CreatedAt: p.CreatedAt, PaidAt: p.PaidAt}
	if c, _ := arena.CallerFrom(ctx); c.CanManage(t.Organizer.ID) {
		out.EntryFees, out.PlatformFee, out.Rounding, out.HoldReason = &p.Fees, &p.Fee, &p.Rounding, p.HoldReason
	}
	for _, r := range rows {
		n := len(out.Places)
		if n == 0 || out.Places[n-1].RegistrationID != r.RegistrationID {
			out.Places = append(out.Places, Prize{Place: r.Place, Shared: r.Shared, Rank: r.Rank, RegistrationID: r.RegistrationID,
				Name: r.EntryName, Amount: r.Prize, Status: StatusPaid, Recipients: []Recipient{}})
			n++
		}
		e := &out.Places[n-1]
		e.Recipients = append(e.Recipients, Recipient{UserID: r.UserID, Handle: r.Handle, Amount: r.Amount, TransferID: r.TransferID, PaidAt: r.PaidAt})
		if r.PaidAt == nil {
			e.Status = StatusPending
			if p.Status == StatusHeld {
				e.Status = StatusHeld
			}
		}
	}
	return out, nil
}

// Approve lets a payout waiting for review (or held) be paid: its first chunk is enqueued
// in the same transaction. Admins only. Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND,
// ECONFLICT (paid already).
func (s *Service) Approve(ctx context.Context, tournamentID string) (*Statement, error) {
	return s.review(ctx, tournamentID, func(tx pgx.Tx, c arena.Caller, p dbsqlc.LockPayoutRow) error {
		if p.Status == StatusPending && p.Approved {
			return nil // approved before: the chunks are running
		}
		err := s.q.SetReview(ctx, tx, dbsqlc.SetReviewParams{Status: StatusPending, Approved: true, DecidedBy: c.ID, Now: s.now(),
			TournamentID: p.TournamentID})
		if err != nil {
			return err
		}
		_, err = s.cfg.Jobs.InsertTx(ctx, tx, PayArgs{TournamentID: p.TournamentID}, nil)
		return err
	})
}

// Hold stops a payout not yet paid in full: chunks that run while it is held pay nothing,
// and Approve resumes it. Admins only. Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND,
// EINVALID (reason), ECONFLICT (paid already).
func (s *Service) Hold(ctx context.Context, tournamentID, reason string) (*Statement, error) {
	if reason == "" || len(reason) > 500 {
		return nil, arena.Errorf(arena.EINVALID, "A hold needs a reason of 1 to 500 bytes.")
	}
	return s.review(ctx, tournamentID, func(tx pgx.Tx, c arena.Caller, p dbsqlc.LockPayoutRow) error {
		return s.q.SetReview(ctx, tx, dbsqlc.SetReviewParams{Status: StatusHeld, Approved: false, HoldReason: &reason,
			DecidedBy: c.ID, Now: s.now(), TournamentID: p.TournamentID})
	})
}

// review runs an admin's decision on a locked payout not yet paid, and returns the
// statement after it.
func (s *Service) review(ctx context.Context, tournamentID string, decide func(pgx.Tx, arena.Caller, dbsqlc.LockPayoutRow) error) (*Statement, error) {
	c, err := arena.RequireRole(ctx, arena.RoleAdmin)
	if err != nil {
		return nil, err
	}
	t, err := s.cfg.Tournaments.GetTournament(ctx, tournamentID)
	if err != nil {
		return nil, err
	}
	var out *Statement
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		p, err := s.q.LockPayout(ctx, tx, t.ID)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return arena.Errorf(arena.ENOTFOUND, "No payout yet: it is made when the tournament completes.")
		case err != nil:
			return err
		case p.Status == StatusPaid:
			return arena.Errorf(arena.ECONFLICT, "This payout is paid in full.")
		}
		if err := decide(tx, c, p); err != nil {
			return err
		}
		out, err = s.statementTx(ctx, tx, t)
		return err
	})
	return out, err
}
