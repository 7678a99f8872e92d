// Package events is Arena's one ordered event log. Every state change of every module
// appends its events with AppendTx in its own transaction, so there is no event for a
// rolled-back change and no change without its event; the feed (GET /v1/events), the live
// stream (GET /v1/events/stream) and, later, webhooks and notifications all read this one
// log. It imports no module: every module may import it.
package events

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events/internal/dbsqlc"
)

// The catalogue of event types (docs/events.md says who sees each and what it is about;
// payloads.go gives each its data).
const (
	TournamentCreated       = "tournament.created"        // a draft was made (its participants see it)
	TournamentUpdated       = "tournament.updated"        // the organizer edited it
	TournamentDeleted       = "tournament.deleted"        // a draft or cancelled tournament was deleted
	TournamentPublished     = "tournament.published"      // a draft became public
	TournamentStatusChanged = "tournament.status_changed" // any other lifecycle step
	TournamentCompleted     = "tournament.completed"      // its last match was decided, or the organizer completed it
	TournamentStaffChanged  = "tournament.staff_changed"  // a user was added to or removed from its staff

	RegistrationCreated          = "registration.created"           // an entry joined
	RegistrationPaymentSubmitted = "registration.payment_submitted" // a manual payment's reference awaits the organizer
	RegistrationPaymentRejected  = "registration.payment_rejected"  // the organizer refused it (another may be submitted)
	RegistrationConfirmed        = "registration.confirmed"         // a manual payment was approved
	RegistrationCheckedIn        = "registration.checked_in"        // an entry checked in
	RegistrationEnded            = "registration.ended"             // withdrawn, removed, disqualified, dropped or cancelled

	BracketCreated   = "bracket.created"   // the start laid the bracket
	BracketReseeded  = "bracket.reseeded"  // the organizer swapped two seeds before play
	BracketDeleted   = "bracket.deleted"   // the organizer threw the bracket away before play
	MatchReady       = "match.ready"       // both sides known: it can be played
	MatchScheduled   = "match.scheduled"   // its time was set or cleared
	MatchReported    = "match.reported"    // a side reported a result
	MatchDisputed    = "match.disputed"    // the reports disagree, or a side disputes
	MatchConfirmed   = "match.confirmed"   // the result stands (agreed, decided or forfeited)
	StandingsUpdated = "standings.updated" // a confirmed result changed the standings

	WalletTransfer    = "wallet.transfer"    // money moved in or out of the user's wallet
	WithdrawalDecided = "withdrawal.decided" // an admin approved or rejected the user's withdrawal
	PrizePaid         = "prize.paid"         // an entry's prize reached its members' wallets
	PayoutCompleted   = "payout.completed"   // every prize and the platform's fee are paid

	UserRegistered     = "user.registered"      // an account was made
	UserRolesChanged   = "user.roles_changed"   // an admin set the user's roles
	TeamCreated        = "team.created"         // a captain made a team
	TeamInvited        = "team.invited"         // the user was invited to a team
	TeamInviteDeclined = "team.invite_declined" // the invitee said no (the captain is told)
	TeamMemberJoined   = "team.member_joined"   // the user accepted an invite
	TeamMemberRemoved  = "team.member_removed"  // the user left or was removed
	GameCreated        = "game.created"         // an admin added a game
	GameUpdated        = "game.updated"         // an admin edited a game
	SeasonCreated      = "season.created"       // a game's new season
	LeaderboardUpdated = "leaderboard.updated"  // a completed tournament reached its game's ratings and season
	WebhookDisabled    = "webhook.disabled"     // the owner's endpoint was disabled: it answered 410, or failed for days
)

// Types lists the catalogue, for the API's enum.
var Types = []string{TournamentCreated, TournamentUpdated, TournamentDeleted, TournamentPublished, TournamentStatusChanged,
	TournamentCompleted, TournamentStaffChanged, RegistrationCreated, RegistrationPaymentSubmitted, RegistrationPaymentRejected,
	RegistrationConfirmed, RegistrationCheckedIn, RegistrationEnded, BracketCreated, BracketReseeded, BracketDeleted, MatchReady,
	MatchScheduled, MatchReported, MatchDisputed, MatchConfirmed, StandingsUpdated, WalletTransfer, WithdrawalDecided, PrizePaid,
	PayoutCompleted, UserRegistered, UserRolesChanged, TeamCreated, TeamInvited, TeamInviteDeclined, TeamMemberJoined,
	TeamMemberRemoved, GameCreated, GameUpdated, SeasonCreated, LeaderboardUpdated, WebhookDisabled}

// Channel is the NOTIFY channel every commit that appends events wakes (the events_notify
// trigger): readers that follow the log listen on it.
const Channel = "arena_events"

// Visibilities: who may read an event.
const (
	Public       = "public"       // anyone, signed in or not
	Participants = "participants" // the tournament's entrants, staff and organizer, and admins
	User         = "user"         // UserID alone: wallet events never reach anyone else
)

// Event is one entry of the log to append.
type Event struct {
	Type         string
	Visibility   string
	TournamentID uuid.UUID // uuid.Nil when the event belongs to no tournament
	MatchID      uuid.UUID
	// RegistrationID is the entry the event is about, when it is about one.
	RegistrationID uuid.UUID
	UserID         uuid.UUID // the user it is about; the only reader of a User event
	Payload        any       // its type's data (payloads.go), JSON-encoded
}

// AppendTx appends evs to the log in tx. In a transaction opened by db.InTx — every
// module's — the events of the whole transaction are written together in one statement
// just before it commits, so a state change adds one round trip whatever it appends and
// however many modules append to it; in any other transaction they are written at once.
// They become visible to readers when tx commits, and vanish if it rolls back.
func AppendTx(ctx context.Context, tx pgx.Tx, now time.Time, evs ...Event) error {
	for _, e := range evs {
		if err := checkPayload(e); err != nil {
			return err
		}
	}
	if len(evs) == 0 {
		return nil
	}
	v, ok := db.TxLocal(tx, bufferKey{}, func() any {
		b := &buffer{now: now}
		db.BeforeCommit(tx, func(ctx context.Context, tx pgx.Tx) error { return write(ctx, tx, b.now, b.events) })
		return b
	})
	if !ok {
		return write(ctx, tx, now, evs)
	}
	b := v.(*buffer)
	b.events = append(b.events, evs...)
	return nil
}

// bufferKey keys a transaction's events in db.TxLocal.
type bufferKey struct{}

type buffer struct {
	now    time.Time
	events []Event
}

// write inserts evs in one statement.
func write(ctx context.Context, tx pgx.Tx, now time.Time, evs []Event) error {
	p := dbsqlc.AppendEventsParams{Now: now}
	for _, e := range evs {
		payload, err := json.Marshal(e.Payload)
		if err != nil {
			return err
		}
		p.Types, p.Visibilities = append(p.Types, e.Type), append(p.Visibilities, e.Visibility)
		p.TournamentIds, p.MatchIds = append(p.TournamentIds, e.TournamentID), append(p.MatchIds, e.MatchID)
		p.RegistrationIds, p.UserIds = append(p.RegistrationIds, e.RegistrationID), append(p.UserIds, e.UserID)
		p.Payloads = append(p.Payloads, payload)
	}
	return dbsqlc.New().AppendEvents(ctx, tx, p)
}

// Config holds the module's tunables.
type Config struct {
	// Retention is how long events are kept; older ones are deleted, and a cursor from
	// before them answers 410.
	Retention time.Duration
	// Heartbeat is how often an idle stream sends a comment, so proxies keep it open.
	Heartbeat time.Duration
	Now       func() time.Time
}

// Service reads the log: the feed, the streams and retention.
type Service struct {
	pool *db.Pool
	raw  *pgxpool.Pool
	q    *dbsqlc.Queries
	cfg  Config
	hub  *hub
}

// New returns a Service on pool.
func New(pool *pgxpool.Pool, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Heartbeat == 0 {
		cfg.Heartbeat = 15 * time.Second
	}
	s := &Service{pool: db.Statements(pool), raw: pool, q: dbsqlc.New(), cfg: cfg}
	s.hub = newHub(s)
	return s
}
