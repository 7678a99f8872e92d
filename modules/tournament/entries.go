package tournament

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/tournament/internal/dbsqlc"
)

// Terms are the conditions registrations for a tournament are made under.
type Terms struct {
	TournamentID         uuid.UUID
	OrganizerID          uuid.UUID
	Status               string
	ParticipantType      string
	PaymentMethod        string
	EntryFee             int64 // per member, minor units
	Currency             string
	CustomFields         []CustomField
	TeamSizeMin          int32
	TeamSizeMax          int32
	RegistrationClosesAt time.Time
	CheckInOpensAt       *time.Time
	CheckInClosesAt      *time.Time
	Taken                int32
	Capacity             int32
}

// TakeSlotTx takes one slot of a tournament whose registration is open, in the caller's
// transaction, with one statement that cannot over-fill under any concurrency. It returns
// the registration terms. Errors: ENOTFOUND, ECONFLICT (registration not open, or full).
func (s *Service) TakeSlotTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (Terms, error) {
	r, err := s.q.TakeSlot(ctx, tx, dbsqlc.TakeSlotParams{ID: tournamentID, Now: s.now()})
	if errors.Is(err, pgx.ErrNoRows) {
		t, err := s.TermsTx(ctx, tx, tournamentID)
		switch {
		case err != nil:
			return Terms{}, err
		case t.Status != StatusRegistrationOpen || !s.now().Before(t.RegistrationClosesAt):
			return Terms{}, arena.Errorf(arena.ECONFLICT, "Registration is not open for this tournament.")
		default:
			return Terms{}, arena.Errorf(arena.ECONFLICT, "The tournament is full (%d slots).", t.Capacity)
		}
	} else if err != nil {
		return Terms{}, err
	}
	return termsOf(dbsqlc.GetTermsRow(r))
}

// TermsTx reads a tournament's registration terms in the caller's transaction. Drafts are
// not found. Errors: ENOTFOUND.
func (s *Service) TermsTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (Terms, error) {
	return s.terms(ctx, tx, tournamentID)
}

// HoldTermsTx is TermsTx holding the tournament's row (shared) until the caller's
// transaction ends, so that the tournament cannot start (StartTx locks the row) before a
// change to its entries commits. Errors: ENOTFOUND.
func (s *Service) HoldTermsTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (Terms, error) {
	r, err := s.q.HoldTerms(ctx, tx, tournamentID)
	return found(dbsqlc.GetTermsRow(r), err)
}

// Terms is TermsTx outside a transaction (one query).
func (s *Service) Terms(ctx context.Context, tournamentID uuid.UUID) (Terms, error) {
	return s.terms(ctx, s.pool, tournamentID)
}

func (s *Service) terms(ctx context.Context, conn dbsqlc.DBTX, tournamentID uuid.UUID) (Terms, error) {
	return found(s.q.GetTerms(ctx, conn, tournamentID))
}

// found is the terms read, a draft being not found.
func found(r dbsqlc.GetTermsRow, err error) (Terms, error) {
	if err == nil && r.Status == StatusDraft {
		err = pgx.ErrNoRows
	}
	if err != nil {
		return Terms{}, db.NotFound(err, "Tournament")
	}
	return termsOf(r)
}

func termsOf(r dbsqlc.GetTermsRow) (Terms, error) {
	t := Terms{TournamentID: r.ID, OrganizerID: r.OrganizerID, Status: r.Status, ParticipantType: r.ParticipantType,
		PaymentMethod: r.PaymentMethod, EntryFee: r.EntryFee, Currency: r.Currency, TeamSizeMin: r.TeamSizeMin,
		TeamSizeMax: r.TeamSizeMax, RegistrationClosesAt: r.RegistrationClosesAt, CheckInOpensAt: r.CheckInOpensAt,
		CheckInClosesAt: r.CheckInClosesAt, Taken: r.Taken, Capacity: r.Capacity}
	if err := json.Unmarshal(r.CustomFields, &t.CustomFields); err != nil {
		return t, fmt.Errorf("decode custom fields of %s: %w", r.ID, err)
	}
	return t, nil
}

// Counters are changes to a tournament's fill counters (slots taken, entries checked in),
// kept by the registration module in the transactions that change them. Taken releases
// slots when negative (TakeSlotTx takes them).
type Counters struct {
	Taken     int32
	CheckedIn int32
}

// AdjustCountersTx applies counter changes in the caller's transaction.
func (s *Service) AdjustCountersTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID, c Counters) error {
	return s.q.AdjustCounters(ctx, tx, dbsqlc.AdjustCountersParams{Taken: c.Taken, CheckedIn: c.CheckedIn, ID: tournamentID})
}

// CancelledArgs is enqueued in the transaction that cancels a tournament; the registration
// module works it (refunds).
type CancelledArgs struct {
	TournamentID uuid.UUID `json:"tournament_id"`
}

// Kind implements river.JobArgs.
func (CancelledArgs) Kind() string { return "tournament.cancelled" }

// InsertOpts implements river.JobArgsWithInsertOpts: the job runs on db.QueueMoney.
func (CancelledArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: db.QueueMoney} }

// CompletedArgs is enqueued in the transaction that completes a tournament; the payout
// module works it (it plans the prizes and pays them).
type CompletedArgs struct {
	TournamentID uuid.UUID `json:"tournament_id"`
}

// Kind implements river.JobArgs.
func (CompletedArgs) Kind() string { return "tournament.completed" }

// InsertOpts implements river.JobArgsWithInsertOpts: the job runs on db.QueueMoney.
func (CompletedArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: db.QueueMoney} }

// CheckInClosedArgs is enqueued when check-in opens, scheduled for the window's end; the
// registration module works it (drops and refunds registrations that did not check in).
type CheckInClosedArgs struct {
	TournamentID uuid.UUID `json:"tournament_id"`
}

// Kind implements river.JobArgs.
func (CheckInClosedArgs) Kind() string { return "tournament.check_in_closed" }

// InsertOpts implements river.JobArgsWithInsertOpts: the job runs on db.QueueMoney.
func (CheckInClosedArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: db.QueueMoney} }
