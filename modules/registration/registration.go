// Package registration owns entries into tournaments: atomic paid solo and team joins,
// manual payment verification, withdrawal, check-in, and the refunds that follow a
// cancellation or a missed check-in.
package registration

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/identity"
	"github.com/arenaesports/arena/modules/registration/internal/dbsqlc"
	"github.com/arenaesports/arena/modules/tournament"
	"github.com/arenaesports/arena/modules/wallet"
)

// Registration statuses.
const (
	StatusPendingPayment = "pending_payment"
	StatusConfirmed      = "confirmed"
	StatusCheckedIn      = "checked_in"
	StatusWithdrawn      = "withdrawn"
	StatusDisqualified   = "disqualified"
	StatusDropped        = "dropped"
	StatusRemoved        = "removed" // by the organizer after registration closed, with or without a refund
	StatusCancelled      = "cancelled"
)

// Payment kinds: how an entry's fee was paid.
const (
	PaymentFree   = "free"   // no entry fee
	PaymentWallet = "wallet" // charged from the members' wallets into escrow
	PaymentManual = "manual" // paid outside Arena, awaiting or past the organizer's verification
)

// Verification statuses of a manual payment reference.
const (
	VerificationPending  = "pending"
	VerificationApproved = "approved"
	VerificationRejected = "rejected"
)

// NoticeRegistered tells a member their entry was made.
const NoticeRegistered = "registered"

// Config wires the module to the services it depends on.
type Config struct {
	Tournaments Tournaments
	Wallet      Wallet
	Identity    Identity
	Jobs        JobInserter
	// RefundChunk is how many members one refund job pays back (default 500).
	RefundChunk int
	// Now is the clock; tests inject one.
	Now func() time.Time
}

// Service is the registration module's API.
type Service struct {
	pool *db.Pool // statements survive a lost connection (db.Pool)
	cfg  Config
	q    *dbsqlc.Queries
}

// New returns a Service on pool.
func New(pool *pgxpool.Pool, cfg Config) *Service {
	if cfg.RefundChunk == 0 {
		cfg.RefundChunk = 500
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{pool: db.Statements(pool), cfg: cfg, q: dbsqlc.New()}
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// Player names a user.
type Player struct {
	ID          uuid.UUID `json:"id"`
	Handle      string    `json:"handle"`
	DisplayName string    `json:"display_name"`
}

// Payment is how an entry's fee is paid; only the organizer and the entrant see it.
type Payment struct {
	Method       string           `json:"method" enum:"free,wallet,manual"`
	EntryFee     tournament.Money `json:"entry_fee" doc:"Per member."`
	Verification string           `json:"verification,omitempty" enum:"pending,approved,rejected" doc:"Latest manual payment verification."`
}

// Registration is an entry in a tournament.
type Registration struct {
	ID           uuid.UUID         `json:"id"`
	TournamentID uuid.UUID         `json:"tournament_id"`
	Status       string            `json:"status" enum:"pending_payment,confirmed,checked_in,withdrawn,disqualified,dropped,removed,cancelled"`
	Team         *identity.TeamRef `json:"team,omitempty"`
	RegisteredBy Player            `json:"registered_by"`
	Members      int32             `json:"members"`
	Payment      *Payment          `json:"payment,omitempty"`
	Answers      map[string]any    `json:"answers,omitempty"`
	// RemovalReason is the organizer's reason for a removal, shown to the organizer.
	RemovalReason *string   `json:"removal_reason,omitempty" doc:"Why the organizer removed the entry (organizer's view)."`
	CreatedAt     time.Time `json:"created_at"`
}

// NewRegistration is the input of Register.
type NewRegistration struct {
	TeamID  *uuid.UUID
	Answers map[string]any
}

// Register enters the caller (solo) or a team the caller captains into a tournament, in
// one transaction with a constant number of round trips whatever the team size: read the
// roster, take a slot (never over-filling), check the roster against the game's limits and
// the answers against the tournament's fields, charge every member's wallet into escrow,
// record the entry, and enqueue a notice for every member. Any failure rolls all of it
// back: nobody charged, no slot taken, no job. Errors: EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN
// (not the captain), EINVALID (answers, solo/team mismatch), ECONFLICT (closed, full, roster
// size, a member already entered or short of funds — named, balances never shown).
func (s *Service) Register(ctx context.Context, tournamentID string, in NewRegistration) (*Registration, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, err
	}
	tid, err := db.ParseID(tournamentID, "Tournament")
	if err != nil {
		return nil, err
	}
	caller := c.ID
	var out *Registration
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var members []identity.PublicUser
		var team *identity.TeamRef
		if in.TeamID != nil {
			roster, err := s.cfg.Identity.RosterTx(ctx, tx, *in.TeamID, caller)
			if err != nil {
				return err
			}
			members, team = roster.Members, &roster.Team
		} else {
			player, err := s.cfg.Identity.PlayerTx(ctx, tx, caller)
			if err != nil {
				return err
			}
			members = []identity.PublicUser{player}
		}
		terms, err := s.cfg.Tournaments.TakeSlotTx(ctx, tx, tid)
		if err != nil {
			return err
		}
		switch {
		case terms.ParticipantType == tournament.ParticipantSolo && in.TeamID != nil:
			return arena.Errorf(arena.EINVALID, "This tournament is for solo players; do not send a team_id.")
		case terms.ParticipantType == tournament.ParticipantTeam && in.TeamID == nil:
			return arena.Errorf(arena.EINVALID, "This tournament is for teams; send the team_id of a team you captain.")
		case in.TeamID != nil && (int32(len(members)) < terms.TeamSizeMin || int32(len(members)) > terms.TeamSizeMax):
			return arena.Errorf(arena.ECONFLICT, "The team has %d members; this game needs %d to %d.", len(members), terms.TeamSizeMin, terms.TeamSizeMax)
		}
		if err := checkAnswers(terms.CustomFields, in.Answers); err != nil {
			return err
		}

		id := db.NewID()
		status, payment, charged := StatusConfirmed, PaymentFree, false
		switch {
		case terms.EntryFee > 0 && terms.PaymentMethod == tournament.PaymentManual:
			status, payment = StatusPendingPayment, PaymentManual
		case terms.EntryFee > 0:
			payment, charged = PaymentWallet, true
			if err := s.charge(ctx, tx, id, terms, members); err != nil {
				return err
			}
		}
		answers, _ := json.Marshal(orEmpty(in.Answers))
		ids := make([]uuid.UUID, len(members))
		for i, m := range members {
			ids[i] = m.ID
		}
		entered, err := s.q.InsertRegistration(ctx, tx, dbsqlc.InsertRegistrationParams{Charged: charged, UserIds: ids, ID: id,
			TournamentID: tid, TeamID: in.TeamID, RegisteredBy: caller, Status: status, Payment: payment,
			EntryFee: terms.EntryFee, Currency: terms.Currency, Answers: answers, Now: s.now()})
		if err != nil {
			return err
		}
		if len(entered) < len(members) {
			return alreadyEntered(members, entered)
		}
		if err := events.AppendTx(ctx, tx, s.now(), entryEvent(events.RegistrationCreated, tid, id, status)); err != nil {
			return err
		}
		notices := make([]river.InsertManyParams, len(members))
		for i, m := range members {
			notices[i] = river.InsertManyParams{Args: NoticeArgs{RegistrationID: id, UserID: m.ID, Notice: NoticeRegistered}}
		}
		if _, err := s.cfg.Jobs.InsertManyTx(ctx, tx, notices); err != nil {
			return err
		}
		out = &Registration{ID: id, TournamentID: tid, Status: status, Members: int32(len(members)), Team: team,
			RegisteredBy: registrant(members, caller),
			Payment:      &Payment{Method: payment, EntryFee: tournament.Money{Amount: terms.EntryFee, Currency: terms.Currency}},
			Answers:      in.Answers, CreatedAt: s.now()}
		return nil
	})
	return out, err
}

// registrant finds the caller among the members (a captain is always on the roster).
func registrant(members []identity.PublicUser, caller uuid.UUID) Player {
	for _, m := range members {
		if m.ID == caller {
			return Player{ID: m.ID, Handle: m.Handle, DisplayName: m.DisplayName}
		}
	}
	return Player{ID: caller}
}

// charge moves the entry fee of every member into the tournament's escrow, as one batch.
func (s *Service) charge(ctx context.Context, tx pgx.Tx, registrationID uuid.UUID, terms tournament.Terms, members []identity.PublicUser) error {
	legs := make([]wallet.Leg, len(members))
	for i, m := range members {
		legs[i] = wallet.Leg{Debit: wallet.UserAccount(m.ID), Credit: wallet.EscrowAccount(terms.TournamentID),
			Amount: terms.EntryFee, Currency: terms.Currency, Kind: wallet.EntryFee,
			Reference: registrationID.String(), Key: m.ID.String()}
	}
	_, err := s.cfg.Wallet.TransferManyTx(ctx, tx, legs)
	var short *wallet.InsufficientFundsError
	if !errors.As(err, &short) {
		return err
	}
	if len(members) == 1 {
		return arena.Errorf(arena.ECONFLICT, "Your %s wallet does not hold the entry fee.", terms.Currency)
	}
	var names []string
	for _, a := range short.Accounts {
		if i := slices.IndexFunc(members, func(m identity.PublicUser) bool { return m.ID == a.OwnerID }); i >= 0 {
			names = append(names, "@"+members[i].Handle)
		}
	}
	return arena.Errorf(arena.ECONFLICT, "Not enough %s for the entry fee: %s.", terms.Currency, strings.Join(names, ", "))
}

func alreadyEntered(members []identity.PublicUser, entered []uuid.UUID) error {
	if len(members) == 1 {
		return arena.Errorf(arena.ECONFLICT, "You are already registered in this tournament.")
	}
	var names []string
	for _, m := range members {
		if !slices.Contains(entered, m.ID) {
			names = append(names, "@"+m.Handle)
		}
	}
	return arena.Errorf(arena.ECONFLICT, "Already registered in this tournament: %s.", strings.Join(names, ", "))
}

// checkAnswers validates registration answers against the tournament's custom fields.
func checkAnswers(fields []tournament.CustomField, answers map[string]any) error {
	for key := range answers {
		if !slices.ContainsFunc(fields, func(f tournament.CustomField) bool { return f.Key == key }) {
			return arena.Errorf(arena.EINVALID, "answers.%s: this tournament asks no such question.", key)
		}
	}
	for _, f := range fields {
		v, given := answers[f.Key]
		if !given || v == nil {
			if f.Required {
				return arena.Errorf(arena.EINVALID, "answers.%s: %q is required.", f.Key, f.Label)
			}
			continue
		}
		ok := false
		switch f.Type {
		case tournament.FieldText:
			str, isStr := v.(string)
			ok = isStr && len(str) <= 500 && (!f.Required || strings.TrimSpace(str) != "")
		case tournament.FieldNumber:
			n, isNum := v.(float64)
			ok = isNum && !math.IsInf(n, 0) && !math.IsNaN(n)
		case tournament.FieldSelect:
			str, isStr := v.(string)
			ok = isStr && slices.Contains(f.Options, str)
		case tournament.FieldCheckbox:
			b, isBool := v.(bool)
			ok = isBool && (b || !f.Required) // a required checkbox must be ticked
		}
		if !ok {
			return arena.Errorf(arena.EINVALID, "answers.%s: not a valid answer for %q (%s).", f.Key, f.Label, f.Type)
		}
	}
	return nil
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
