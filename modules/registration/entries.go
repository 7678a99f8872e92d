package registration

import (
	"context"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/registration/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/tournament"
	"github.com/arenaesports/arena/modules/wallet"
)

// entry is a locked registration with its tournament's terms and the caller's standing.
type entry struct {
	reg       dbsqlc.LockRegistrationRow
	terms     tournament.Terms
	caller    arena.Caller
	organizer bool // the caller organizes the tournament, or is an admin
}

// withEntry locks a registration and runs fn in the same transaction. With
// holdTournament, the tournament's row is held (shared) first, so that the tournament
// cannot start meanwhile: a change to who plays (a removal, a disqualification, a payment
// approved) then lands before the bracket is laid, or is refused once it is.
func (s *Service) withEntry(ctx context.Context, registrationID string, holdTournament bool, fn func(tx pgx.Tx, e entry) error) error {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return err
	}
	id, err := db.ParseID(registrationID, "Registration")
	if err != nil {
		return err
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var terms tournament.Terms
		if holdTournament {
			tid, err := s.q.RegistrationTournament(ctx, tx, id)
			if err != nil {
				return db.NotFound(err, "Registration")
			}
			if terms, err = s.cfg.Tournaments.HoldTermsTx(ctx, tx, tid); err != nil {
				return err
			}
		}
		reg, err := s.q.LockRegistration(ctx, tx, id)
		if err != nil {
			return db.NotFound(err, "Registration")
		}
		if !holdTournament {
			if terms, err = s.cfg.Tournaments.TermsTx(ctx, tx, reg.TournamentID); err != nil {
				return err
			}
		}
		return fn(tx, entry{reg: reg, terms: terms, caller: c,
			organizer: c.CanManage(terms.OrganizerID)})
	})
}

// requireEntrant allows the player who registered the entry, or the organizer; to anyone
// else the registration does not exist.
func (e entry) requireEntrant() error {
	if e.reg.RegisteredBy != e.caller.ID && !e.organizer {
		return arena.Errorf(arena.ENOTFOUND, "Registration not found.")
	}
	return nil
}

// Withdraw ends an entry before registration closes: the slot is freed and every member's
// fee refunded in the same transaction. Withdrawing twice is a no-op. Only the player who
// registered may. Errors: EUNAUTHORIZED, ENOTFOUND, ECONFLICT (registration closed).
func (s *Service) Withdraw(ctx context.Context, registrationID string) error {
	return s.withEntry(ctx, registrationID, false, func(tx pgx.Tx, e entry) error {
		if e.reg.RegisteredBy != e.caller.ID {
			return arena.Errorf(arena.ENOTFOUND, "Registration not found.")
		}
		if e.reg.Status == StatusWithdrawn {
			return nil
		}
		if !slices.Contains([]string{StatusPendingPayment, StatusConfirmed}, e.reg.Status) {
			return arena.Errorf(arena.ECONFLICT, "A %s registration cannot be withdrawn.", e.reg.Status)
		}
		if e.terms.Status != tournament.StatusRegistrationOpen || !s.now().Before(e.terms.RegistrationClosesAt) {
			return arena.Errorf(arena.ECONFLICT, "Registration has closed; ask the organizer to remove the entry.")
		}
		return s.end(ctx, tx, e, StatusWithdrawn, true, nil)
	})
}

// Disqualify ends an entry on the organizer's decision: the slot is freed, no fee is
// refunded. Errors: EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN, ECONFLICT (already ended).
func (s *Service) Disqualify(ctx context.Context, registrationID string) error {
	return s.withEntry(ctx, registrationID, true, func(tx pgx.Tx, e entry) error {
		if err := e.requireEntrant(); err != nil {
			return err
		}
		if !e.organizer {
			return arena.Errorf(arena.EFORBIDDEN, "Only the organizer can disqualify an entry.")
		}
		if !slices.Contains([]string{StatusPendingPayment, StatusConfirmed, StatusCheckedIn}, e.reg.Status) {
			return arena.Errorf(arena.ECONFLICT, "A %s registration cannot be disqualified.", e.reg.Status)
		}
		if e.terms.Status == tournament.StatusRunning {
			return arena.Errorf(arena.ECONFLICT, "The bracket has started: disqualify the entry in its open match instead.")
		}
		return s.end(ctx, tx, e, StatusDisqualified, false, nil)
	})
}

// DisqualifyTx marks a playing entry disqualified in the caller's transaction, for the match
// module when the organizer disqualifies a side during the bracket. Unlike Disqualify it
// frees no slot — the bracket is laid out — and, as there, refunds nothing.
func (s *Service) DisqualifyTx(ctx context.Context, tx pgx.Tx, tournamentID, registrationID uuid.UUID) error {
	if err := events.AppendTx(ctx, tx, s.now(), entryEvent(events.RegistrationEnded, tournamentID, registrationID, StatusDisqualified)); err != nil {
		return err
	}
	return s.q.SetRegistrationStatus(ctx, tx, dbsqlc.SetRegistrationStatusParams{Status: StatusDisqualified, Now: s.now(), ID: registrationID})
}

// entryEvent is the event of an entry's change of status. Entrants are public (the
// tournament's list of registrations is), so are their events.
func entryEvent(kind string, tournamentID, registrationID uuid.UUID, status string) events.Event {
	return events.Event{Type: kind, Visibility: events.Public, TournamentID: tournamentID, RegistrationID: registrationID,
		Payload: events.EntryData{Status: status}}
}

// end takes an entry out of the tournament with status (and the organizer's reason, for a
// removal), freeing its slot, and refunds the members whose wallets paid when refund is set.
func (s *Service) end(ctx context.Context, tx pgx.Tx, e entry, status string, refund bool, reason *string) error {
	members, err := s.q.EndEntry(ctx, tx, e.reg.ID)
	if err != nil {
		return err
	}
	counters := tournament.Counters{Taken: -1}
	if e.reg.Status == StatusCheckedIn {
		counters.CheckedIn = -1
	}
	// The slot row before the accounts: the order every path takes (docs/architecture.md,
	// "Lock order"); the paid join holds the slot while it charges.
	if err := s.cfg.Tournaments.AdjustCountersTx(ctx, tx, e.reg.TournamentID, counters); err != nil {
		return err
	}
	var legs []wallet.Leg
	var refunded dbsqlc.MarkRefundedParams
	for _, m := range members {
		if !m.Charged || !refund {
			continue
		}
		legs = append(legs, refundLeg(e.reg.ID, m.UserID, e.reg.TournamentID, e.reg.EntryFee, e.reg.Currency))
		refunded.RegistrationIds = append(refunded.RegistrationIds, e.reg.ID)
		refunded.UserIds = append(refunded.UserIds, m.UserID)
	}
	if len(legs) > 0 {
		if _, err := s.cfg.Wallet.TransferManyTx(ctx, tx, legs); err != nil {
			return err
		}
		refunded.Now = s.now()
		if err := s.q.MarkRefunded(ctx, tx, refunded); err != nil {
			return err
		}
	}
	if err := events.AppendTx(ctx, tx, s.now(), entryEvent(events.RegistrationEnded, e.reg.TournamentID, e.reg.ID, status)); err != nil {
		return err
	}
	return s.q.SetRegistrationStatus(ctx, tx, dbsqlc.SetRegistrationStatusParams{Status: status, Now: s.now(),
		RemovalReason: reason, ID: e.reg.ID})
}

// refundLeg pays a member's fee back from escrow; keyed by entry and member, it is applied
// once however often a refund is retried.
func refundLeg(registrationID, userID, tournamentID uuid.UUID, fee int64, currency string) wallet.Leg {
	return wallet.Leg{Debit: wallet.EscrowAccount(tournamentID), Credit: wallet.UserAccount(userID), Amount: fee,
		Currency: currency, Kind: wallet.Refund, Reference: registrationID.String(), Key: userID.String()}
}

// CheckIn confirms an entry's presence during the check-in window: any member of the entry,
// the organizer or the tournament's staff may. Checking in twice is a no-op. Errors:
// EUNAUTHORIZED, ENOTFOUND, ECONFLICT (outside the window, entry not confirmed).
func (s *Service) CheckIn(ctx context.Context, registrationID string) (string, error) {
	var status string
	err := s.withEntry(ctx, registrationID, false, func(tx pgx.Tx, e entry) error {
		member, err := s.q.IsActiveMember(ctx, tx, dbsqlc.IsActiveMemberParams{RegistrationID: e.reg.ID, UserID: e.caller.ID})
		if err != nil {
			return err
		}
		// The player who registered still sees the entry once it is dropped (a check-in
		// that came too late is refused for that, not answered as unknown).
		if !member && e.reg.RegisteredBy != e.caller.ID && !e.organizer {
			staff, err := s.cfg.Tournaments.IsStaffTx(ctx, tx, e.reg.TournamentID, e.caller.ID)
			if err != nil {
				return err
			}
			if !tournament.MayRunMatches(e.caller, e.terms.OrganizerID, staff) {
				return arena.Errorf(arena.ENOTFOUND, "Registration not found.")
			}
		}
		status = e.reg.Status
		if status == StatusCheckedIn {
			return nil
		}
		now := s.now()
		if e.terms.Status != tournament.StatusCheckIn || e.terms.CheckInClosesAt == nil || !now.Before(*e.terms.CheckInClosesAt) {
			return arena.Errorf(arena.ECONFLICT, "Check-in is not open for this tournament.")
		}
		if status != StatusConfirmed {
			return arena.Errorf(arena.ECONFLICT, "A %s registration cannot check in.", status)
		}
		status = StatusCheckedIn
		if err := s.cfg.Tournaments.AdjustCountersTx(ctx, tx, e.reg.TournamentID, tournament.Counters{CheckedIn: 1}); err != nil {
			return err
		}
		if err := events.AppendTx(ctx, tx, now, entryEvent(events.RegistrationCheckedIn, e.reg.TournamentID, e.reg.ID, status)); err != nil {
			return err
		}
		return s.q.SetRegistrationStatus(ctx, tx, dbsqlc.SetRegistrationStatusParams{Status: status, Now: now, ID: e.reg.ID})
	})
	return status, err
}

// SubmitPayment records the reference of a manual payment for the organizer to verify.
// Only the player who registered may. Errors: EUNAUTHORIZED, ENOTFOUND, ECONFLICT (not
// awaiting payment, a verification already pending).
func (s *Service) SubmitPayment(ctx context.Context, registrationID, reference string) error {
	return s.withEntry(ctx, registrationID, false, func(tx pgx.Tx, e entry) error {
		if e.reg.RegisteredBy != e.caller.ID {
			return arena.Errorf(arena.ENOTFOUND, "Registration not found.")
		}
		if e.reg.Status != StatusPendingPayment {
			return arena.Errorf(arena.ECONFLICT, "This registration is not awaiting payment.")
		}
		if _, err := s.q.LockPendingVerification(ctx, tx, e.reg.ID); err == nil {
			return arena.Errorf(arena.ECONFLICT, "A payment reference is already awaiting verification.")
		} else if db.NotFound(err, "") == err {
			return err
		}
		if err := s.q.InsertVerification(ctx, tx, dbsqlc.InsertVerificationParams{ID: db.NewID(), RegistrationID: e.reg.ID,
			Reference: reference, Now: s.now()}); err != nil {
			return err
		}
		// For the organizer to verify: the tournament's participants see it, not the public.
		submitted := entryEvent(events.RegistrationPaymentSubmitted, e.reg.TournamentID, e.reg.ID, e.reg.Status)
		submitted.Visibility, submitted.UserID = events.Participants, e.reg.RegisteredBy
		return events.AppendTx(ctx, tx, s.now(), submitted)
	})
}

// DecidePayment approves (the entry is confirmed) or rejects (the player may submit another
// reference) the pending manual payment of an entry that still awaits it. Organizer only.
// Errors: EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN, ECONFLICT (nothing pending, the entry ended).
func (s *Service) DecidePayment(ctx context.Context, registrationID string, approve bool) (string, error) {
	var status string
	err := s.withEntry(ctx, registrationID, true, func(tx pgx.Tx, e entry) error {
		if err := e.requireEntrant(); err != nil {
			return err
		}
		if !e.organizer {
			return arena.Errorf(arena.EFORBIDDEN, "Only the organizer verifies payments.")
		}
		if e.reg.Status != StatusPendingPayment {
			return arena.Errorf(arena.ECONFLICT, "This registration is %s, not awaiting payment.", e.reg.Status)
		}
		v, err := s.q.LockPendingVerification(ctx, tx, e.reg.ID)
		if db.NotFound(err, "") != err {
			return arena.Errorf(arena.ECONFLICT, "No payment is awaiting verification for this registration.")
		} else if err != nil {
			return err
		}
		now, decision := s.now(), VerificationRejected
		status = e.reg.Status
		if approve {
			decision, status = VerificationApproved, StatusConfirmed
			if err := s.q.SetRegistrationStatus(ctx, tx, dbsqlc.SetRegistrationStatusParams{Status: status, Now: now, ID: e.reg.ID}); err != nil {
				return err
			}
			if err := events.AppendTx(ctx, tx, now, entryEvent(events.RegistrationConfirmed, e.reg.TournamentID, e.reg.ID, status)); err != nil {
				return err
			}
		} else {
			// Between the organizer and the player who paid: the player alone is told.
			rejected := entryEvent(events.RegistrationPaymentRejected, e.reg.TournamentID, e.reg.ID, status)
			rejected.Visibility, rejected.UserID = events.User, e.reg.RegisteredBy
			if err := events.AppendTx(ctx, tx, now, rejected); err != nil {
				return err
			}
		}
		return s.q.DecideVerification(ctx, tx, dbsqlc.DecideVerificationParams{Status: decision, Now: now,
			DecidedBy: e.caller.ID, ID: v.ID})
	})
	return status, err
}
