package tournament

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/tournament/internal/dbsqlc"
)

// Tournament statuses, in lifecycle order.
const (
	StatusDraft              = "draft"
	StatusPublished          = "published"
	StatusRegistrationOpen   = "registration_open"
	StatusRegistrationClosed = "registration_closed"
	StatusCheckIn            = "check_in"
	StatusRunning            = "running"
	StatusCompleted          = "completed"
	StatusCancelled          = "cancelled"
)

// Formats: how a tournament's bracket is laid out and played.
const (
	FormatSingleElimination = "single_elimination"
	FormatDoubleElimination = "double_elimination"
	FormatRoundRobin        = "round_robin"
	FormatSwiss             = "swiss"
)

// Participant types: who enters a tournament.
const (
	ParticipantSolo = "solo" // players enter alone
	ParticipantTeam = "team" // captains enter their teams
)

// Payment methods: how a tournament's entry fees are paid.
const (
	PaymentWallet = "wallet" // charged from every member's wallet when registering
	PaymentManual = "manual" // paid outside Arena; the organizer verifies each payment
)

// Custom field types: the kinds of answer a registration question takes.
const (
	FieldText     = "text"
	FieldNumber   = "number"
	FieldSelect   = "select" // one of the field's options
	FieldCheckbox = "checkbox"
)

// nextStatuses is the lifecycle: from each status, the statuses a transition may reach.
var nextStatuses = map[string][]string{
	StatusDraft:              {StatusPublished, StatusCancelled},
	StatusPublished:          {StatusRegistrationOpen, StatusCancelled},
	StatusRegistrationOpen:   {StatusRegistrationClosed, StatusCancelled},
	StatusRegistrationClosed: {StatusCheckIn, StatusRunning, StatusCancelled},
	StatusCheckIn:            {StatusRunning, StatusCancelled},
	StatusRunning:            {StatusCompleted, StatusCancelled},
	StatusCompleted:          {},
	StatusCancelled:          {},
}

// Money is an amount in minor units (cents) of an ISO 4217 currency.
type Money struct {
	Amount   int64  `json:"amount" minimum:"0" maximum:"1000000000000" doc:"Minor units, e.g. cents."`
	Currency string `json:"currency" pattern:"^[A-Z]{3}$" doc:"ISO 4217 code."`
}

// Sponsor is shown on a tournament's page.
type Sponsor struct {
	Name string `json:"name" minLength:"1" maxLength:"100"`
	URL  string `json:"url" format:"uri" maxLength:"2048"`
	Tier string `json:"tier,omitempty" maxLength:"32" doc:"Free text, e.g. title, gold, partner."`
}

// CustomField is a question registration asks; answers are validated against it.
type CustomField struct {
	Key      string   `json:"key" pattern:"^[a-z][a-z0-9_]{0,31}$"`
	Label    string   `json:"label" minLength:"1" maxLength:"100"`
	Type     string   `json:"type" enum:"text,number,select,checkbox"`
	Required bool     `json:"required,omitempty"`
	Options  []string `json:"options,omitempty" maxItems:"50" doc:"The choices of a select field."`
}

// GameRef names a tournament's game.
type GameRef struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// OrganizerRef names a tournament's organizer (never their email).
type OrganizerRef struct {
	ID          uuid.UUID `json:"id"`
	Handle      string    `json:"handle"`
	DisplayName string    `json:"display_name"`
}

// Tournament is the full view of a tournament.
type Tournament struct {
	ID                   uuid.UUID      `json:"id"`
	Slug                 string         `json:"slug"`
	Name                 string         `json:"name"`
	Description          string         `json:"description"`
	Status               string         `json:"status" enum:"draft,published,registration_open,registration_closed,check_in,running,completed,cancelled"`
	NextStatuses         []string       `json:"next_statuses" enum:"draft,published,registration_open,registration_closed,check_in,running,completed,cancelled" doc:"Statuses a transition can move the tournament to now."`
	Game                 GameRef        `json:"game"`
	GameID               uuid.UUID      `json:"-"` // for the modules that keep figures per game
	Organizer            OrganizerRef   `json:"organizer"`
	Format               string         `json:"format" enum:"single_elimination,double_elimination,round_robin,swiss"`
	ParticipantType      string         `json:"participant_type" enum:"solo,team"`
	Capacity             int32          `json:"capacity"`
	Registered           int32          `json:"registered" doc:"Slots taken."`
	EntryFee             Money          `json:"entry_fee"`
	PaymentMethod        string         `json:"payment_method" enum:"wallet,manual"`
	PrizeDistribution    []int32        `json:"prize_distribution" doc:"Percent of the prize pool per final place."`
	PlatformFeeBps       int32          `json:"platform_fee_bps" doc:"Platform fee in basis points of entry fees."`
	RegistrationOpensAt  time.Time      `json:"registration_opens_at"`
	RegistrationClosesAt time.Time      `json:"registration_closes_at"`
	CheckInOpensAt       *time.Time     `json:"check_in_opens_at,omitempty"`
	CheckInClosesAt      *time.Time     `json:"check_in_closes_at,omitempty"`
	StartsAt             time.Time      `json:"starts_at"`
	GameSettings         map[string]any `json:"game_settings"`
	Rules                string         `json:"rules"`
	Sponsors             []Sponsor      `json:"sponsors"`
	CustomFields         []CustomField  `json:"custom_fields"`
	CreatedAt            time.Time      `json:"created_at"`
	UpdatedAt            time.Time      `json:"updated_at"`
}

// TournamentInput creates a tournament (in draft).
type TournamentInput struct {
	Slug                 string         `json:"slug,omitempty" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" maxLength:"80" doc:"Default: made from the name."`
	Name                 string         `json:"name" minLength:"3" maxLength:"120"`
	Description          string         `json:"description,omitempty" maxLength:"10000"`
	Game                 string         `json:"game" maxLength:"40" doc:"Slug of the game."`
	Format               string         `json:"format" enum:"single_elimination,double_elimination,round_robin,swiss"`
	ParticipantType      string         `json:"participant_type" enum:"solo,team"`
	Capacity             int32          `json:"capacity" minimum:"2" maximum:"4096"`
	EntryFee             *Money         `json:"entry_fee,omitempty" doc:"Absent: free (0 USD)."`
	PaymentMethod        string         `json:"payment_method,omitempty" enum:"wallet,manual" default:"wallet"`
	PrizeDistribution    []int32        `json:"prize_distribution,omitempty" maxItems:"64" doc:"Percent per place; sums to 100."`
	PlatformFeeBps       int32          `json:"platform_fee_bps,omitempty" minimum:"0" maximum:"10000"`
	RegistrationOpensAt  time.Time      `json:"registration_opens_at"`
	RegistrationClosesAt time.Time      `json:"registration_closes_at"`
	CheckInOpensAt       *time.Time     `json:"check_in_opens_at,omitempty"`
	CheckInClosesAt      *time.Time     `json:"check_in_closes_at,omitempty"`
	StartsAt             time.Time      `json:"starts_at"`
	GameSettings         map[string]any `json:"game_settings,omitempty"`
	Rules                string         `json:"rules,omitempty" maxLength:"20000"`
	Sponsors             []Sponsor      `json:"sponsors,omitempty" maxItems:"20"`
	CustomFields         []CustomField  `json:"custom_fields,omitempty" maxItems:"30"`
}

// TournamentPatch changes the present fields of a tournament; which fields may change
// depends on its status (see editableFields).
type TournamentPatch struct {
	Name                 *string         `json:"name,omitempty" minLength:"3" maxLength:"120"`
	Description          *string         `json:"description,omitempty" maxLength:"10000"`
	Game                 *string         `json:"game,omitempty" maxLength:"40"`
	Format               *string         `json:"format,omitempty" enum:"single_elimination,double_elimination,round_robin,swiss"`
	ParticipantType      *string         `json:"participant_type,omitempty" enum:"solo,team"`
	Capacity             *int32          `json:"capacity,omitempty" minimum:"2" maximum:"4096"`
	EntryFee             *Money          `json:"entry_fee,omitempty"`
	PaymentMethod        *string         `json:"payment_method,omitempty" enum:"wallet,manual"`
	PrizeDistribution    *[]int32        `json:"prize_distribution,omitempty" maxItems:"64"`
	PlatformFeeBps       *int32          `json:"platform_fee_bps,omitempty" minimum:"0" maximum:"10000"`
	RegistrationOpensAt  *time.Time      `json:"registration_opens_at,omitempty"`
	RegistrationClosesAt *time.Time      `json:"registration_closes_at,omitempty"`
	CheckInOpensAt       *time.Time      `json:"check_in_opens_at,omitempty"`
	CheckInClosesAt      *time.Time      `json:"check_in_closes_at,omitempty"`
	StartsAt             *time.Time      `json:"starts_at,omitempty"`
	GameSettings         *map[string]any `json:"game_settings,omitempty"`
	Rules                *string         `json:"rules,omitempty" maxLength:"20000"`
	Sponsors             *[]Sponsor      `json:"sponsors,omitempty" maxItems:"20"`
	CustomFields         *[]CustomField  `json:"custom_fields,omitempty" maxItems:"30"`
}

// editableFields says which fields a PATCH may change in each status: everything until
// registration opens; then what registrants did not sign up under (no fee, format, game or
// questions changes); once running, only the presentation.
func editableFields(status string) []string {
	presentation := []string{"name", "description", "rules", "sponsors"}
	switch status {
	case StatusDraft, StatusPublished:
		return nil // nil: every field
	case StatusRegistrationOpen, StatusRegistrationClosed:
		return append(presentation, "capacity", "prize_distribution", "registration_closes_at",
			"check_in_opens_at", "check_in_closes_at", "starts_at")
	case StatusCheckIn:
		// The job that drops entries which did not check in is already scheduled for the
		// window's end, so the window no longer moves.
		return append(presentation, "prize_distribution", "starts_at")
	case StatusRunning:
		return presentation
	default:
		return []string{}
	}
}

// present lists the JSON names of the fields a patch sets.
func (p TournamentPatch) present() []string {
	var out []string
	add := func(set bool, name string) {
		if set {
			out = append(out, name)
		}
	}
	add(p.Name != nil, "name")
	add(p.Description != nil, "description")
	add(p.Game != nil, "game")
	add(p.Format != nil, "format")
	add(p.ParticipantType != nil, "participant_type")
	add(p.Capacity != nil, "capacity")
	add(p.EntryFee != nil, "entry_fee")
	add(p.PaymentMethod != nil, "payment_method")
	add(p.PrizeDistribution != nil, "prize_distribution")
	add(p.PlatformFeeBps != nil, "platform_fee_bps")
	add(p.RegistrationOpensAt != nil, "registration_opens_at")
	add(p.RegistrationClosesAt != nil, "registration_closes_at")
	add(p.CheckInOpensAt != nil, "check_in_opens_at")
	add(p.CheckInClosesAt != nil, "check_in_closes_at")
	add(p.StartsAt != nil, "starts_at")
	add(p.GameSettings != nil, "game_settings")
	add(p.Rules != nil, "rules")
	add(p.Sponsors != nil, "sponsors")
	add(p.CustomFields != nil, "custom_fields")
	return out
}

// apply returns in with the patch's fields applied.
func (p TournamentPatch) apply(in TournamentInput) TournamentInput {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&in.Name, p.Name)
	set(&in.Description, p.Description)
	set(&in.Game, p.Game)
	set(&in.Format, p.Format)
	set(&in.ParticipantType, p.ParticipantType)
	set(&in.PaymentMethod, p.PaymentMethod)
	set(&in.Rules, p.Rules)
	if p.Capacity != nil {
		in.Capacity = *p.Capacity
	}
	if p.EntryFee != nil {
		in.EntryFee = p.EntryFee
	}
	if p.PrizeDistribution != nil {
		in.PrizeDistribution = *p.PrizeDistribution
	}
	if p.PlatformFeeBps != nil {
		in.PlatformFeeBps = *p.PlatformFeeBps
	}
	if p.RegistrationOpensAt != nil {
		in.RegistrationOpensAt = *p.RegistrationOpensAt
	}
	if p.RegistrationClosesAt != nil {
		in.RegistrationClosesAt = *p.RegistrationClosesAt
	}
	if p.CheckInOpensAt != nil {
		in.CheckInOpensAt = p.CheckInOpensAt
	}
	if p.CheckInClosesAt != nil {
		in.CheckInClosesAt = p.CheckInClosesAt
	}
	if p.StartsAt != nil {
		in.StartsAt = *p.StartsAt
	}
	if p.GameSettings != nil {
		in.GameSettings = *p.GameSettings
	}
	if p.Sponsors != nil {
		in.Sponsors = *p.Sponsors
	}
	if p.CustomFields != nil {
		in.CustomFields = *p.CustomFields
	}
	return in
}

// validate checks the rules between fields that a schema cannot express. Errors: EINVALID.
func (in *TournamentInput) validate() error {
	if in.EntryFee == nil {
		in.EntryFee = &Money{Amount: 0, Currency: "USD"}
	}
	if in.PaymentMethod == "" {
		in.PaymentMethod = PaymentWallet
	}
	if !in.RegistrationOpensAt.Before(in.RegistrationClosesAt) {
		return arena.Errorf(arena.EINVALID, "registration_opens_at must be before registration_closes_at.")
	}
	if in.StartsAt.Before(in.RegistrationClosesAt) {
		return arena.Errorf(arena.EINVALID, "starts_at must not be before registration_closes_at.")
	}
	if (in.CheckInOpensAt == nil) != (in.CheckInClosesAt == nil) {
		return arena.Errorf(arena.EINVALID, "check_in_opens_at and check_in_closes_at go together.")
	}
	if in.CheckInOpensAt != nil && (in.CheckInOpensAt.Before(in.RegistrationClosesAt) ||
		!in.CheckInOpensAt.Before(*in.CheckInClosesAt) || in.CheckInClosesAt.After(in.StartsAt)) {
		return arena.Errorf(arena.EINVALID, "The check-in window must lie between registration_closes_at and starts_at.")
	}
	if len(in.PrizeDistribution) > 0 {
		sum := int32(0)
		for _, p := range in.PrizeDistribution {
			if p < 1 || p > 100 {
				return arena.Errorf(arena.EINVALID, "Each prize_distribution share must be 1 to 100 percent.")
			}
			sum += p
		}
		if sum != 100 {
			return arena.Errorf(arena.EINVALID, "prize_distribution must sum to 100 (it sums to %d).", sum)
		}
		if int32(len(in.PrizeDistribution)) > in.Capacity {
			return arena.Errorf(arena.EINVALID, "prize_distribution has more places than the tournament has slots.")
		}
	}
	for _, sp := range in.Sponsors {
		if u, err := url.Parse(sp.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return arena.Errorf(arena.EINVALID, "Sponsor %q needs an http(s) URL.", sp.Name)
		}
	}
	keys := map[string]bool{}
	for _, f := range in.CustomFields {
		if keys[f.Key] {
			return arena.Errorf(arena.EINVALID, "Custom field key %q is used twice.", f.Key)
		}
		keys[f.Key] = true
		if (f.Type == FieldSelect) != (len(f.Options) > 0) {
			return arena.Errorf(arena.EINVALID, "Custom field %q: select fields need options, other types take none.", f.Key)
		}
		for _, o := range f.Options {
			if o == "" || len(o) > 100 {
				return arena.Errorf(arena.EINVALID, "Custom field %q: options are 1 to 100 characters.", f.Key)
			}
		}
	}
	return nil
}

// CreateTournament creates a draft owned by the caller. Organizers and admins only.
// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID (rules, unknown game, game settings),
// ECONFLICT (slug taken).
func (s *Service) CreateTournament(ctx context.Context, in TournamentInput) (*Tournament, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, err
	}
	if !c.HasRole(arena.RoleOrganizer) && !c.HasRole(arena.RoleAdmin) {
		return nil, arena.Errorf(arena.EFORBIDDEN, "Creating tournaments requires the organizer role.")
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	game, settings, err := s.checkGame(ctx, s.pool, in.Game, in.GameSettings)
	if err != nil {
		return nil, err
	}
	id := db.NewID()
	if in.Slug == "" {
		in.Slug = slugify(in.Name) + "-" + id.String()[30:] // UUIDv7's tail is random
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := s.q.InsertTournament(ctx, tx, insertParams(id, c.ID, game.ID, in, settings, s.now()))
		if db.UniqueViolation(err) == "tournaments_slug_key" {
			return arena.Errorf(arena.ECONFLICT, "The slug %q is taken.", in.Slug)
		} else if err != nil {
			return err
		}
		return s.q.InsertSlots(ctx, tx, dbsqlc.InsertSlotsParams{TournamentID: id, Capacity: in.Capacity})
	})
	if err != nil {
		return nil, err
	}
	return s.getTournament(ctx, s.pool, &id, nil)
}

// GetTournament returns a tournament by id or slug (one query). Drafts exist only for
// their organizer and admins. Errors: ENOTFOUND.
func (s *Service) GetTournament(ctx context.Context, idOrSlug string) (*Tournament, error) {
	var id *uuid.UUID
	if u, err := uuid.Parse(idOrSlug); err == nil {
		id = &u
	}
	t, err := s.getTournament(ctx, s.pool, id, &idOrSlug)
	if err != nil {
		return nil, err
	}
	if t.Status == StatusDraft {
		c, _ := arena.CallerFrom(ctx)
		if !c.CanManage(t.Organizer.ID) {
			return nil, arena.Errorf(arena.ENOTFOUND, "Tournament not found.")
		}
	}
	return t, nil
}

func (s *Service) getTournament(ctx context.Context, conn dbsqlc.DBTX, id *uuid.UUID, slug *string) (*Tournament, error) {
	r, err := s.q.GetTournament(ctx, conn, dbsqlc.GetTournamentParams{ID: id, Slug: slug})
	if err != nil {
		return nil, db.NotFound(err, "Tournament")
	}
	t := &Tournament{ID: r.ID, Slug: r.Slug, Name: r.Name, Description: r.Description, Status: r.Status,
		NextStatuses: nextStatuses[r.Status],
		Game:         GameRef{Slug: r.GameSlug, Name: r.GameName}, GameID: r.GameID,
		Organizer: OrganizerRef{ID: r.OrganizerID, Handle: r.OrganizerHandle, DisplayName: r.OrganizerDisplayName},
		Format:    r.Format, ParticipantType: r.ParticipantType, Capacity: r.Capacity, Registered: r.Taken,
		EntryFee: Money{Amount: r.EntryFee, Currency: r.Currency}, PaymentMethod: r.PaymentMethod,
		PrizeDistribution: r.PrizeDistribution, PlatformFeeBps: r.PlatformFeeBps,
		RegistrationOpensAt: r.RegistrationOpensAt, RegistrationClosesAt: r.RegistrationClosesAt,
		CheckInOpensAt: r.CheckInOpensAt, CheckInClosesAt: r.CheckInClosesAt, StartsAt: r.StartsAt,
		Rules: r.Rules, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	for dst, src := range map[any][]byte{&t.GameSettings: r.GameSettings, &t.Sponsors: r.Sponsors, &t.CustomFields: r.CustomFields} {
		if err := json.Unmarshal(src, dst); err != nil {
			return nil, fmt.Errorf("decode tournament %s: %w", r.ID, err)
		}
	}
	return t, nil
}

// UpdateTournament applies a patch. Only the organizer (or an admin) may, and only the
// fields editableFields allows in the current status. Errors: EUNAUTHORIZED, EFORBIDDEN,
// ENOTFOUND, EINVALID, ECONFLICT (field locked in this status, capacity below registrations).
func (s *Service) UpdateTournament(ctx context.Context, idOrSlug string, p TournamentPatch) (*Tournament, error) {
	var out *Tournament
	err := s.change(ctx, idOrSlug, func(tx pgx.Tx, locked dbsqlc.LockTournamentRow, now time.Time) error {
		if allowed := editableFields(locked.Status); allowed != nil {
			for _, f := range p.present() {
				if !slices.Contains(allowed, f) {
					return arena.Errorf(arena.ECONFLICT, "%s cannot change while the tournament is %s.", f, locked.Status)
				}
			}
		}
		cur, err := s.getTournament(ctx, tx, &locked.ID, nil)
		if err != nil {
			return err
		}
		in := p.apply(inputOf(cur))
		if err := in.validate(); err != nil {
			return err
		}
		game, settings, err := s.checkGame(ctx, tx, in.Game, in.GameSettings)
		if err != nil {
			return err
		}
		if err := s.q.UpdateTournament(ctx, tx, updateParams(locked.ID, game.ID, in, settings, now)); err != nil {
			return err
		}
		if in.Capacity != locked.Capacity {
			n, err := s.q.SetSlotCapacity(ctx, tx, dbsqlc.SetSlotCapacityParams{Capacity: in.Capacity, TournamentID: locked.ID})
			if err != nil {
				return err
			}
			if n == 0 {
				return arena.Errorf(arena.ECONFLICT, "Capacity cannot go below the %d registrations already taken.", cur.Registered)
			}
		}
		out, err = s.getTournament(ctx, tx, &locked.ID, nil)
		return err
	})
	return out, err
}

// DeleteTournament removes a draft (soft delete; its slug is freed). Errors: EUNAUTHORIZED,
// EFORBIDDEN, ENOTFOUND, ECONFLICT (not a draft: cancel it instead).
func (s *Service) DeleteTournament(ctx context.Context, idOrSlug string) error {
	return s.change(ctx, idOrSlug, func(tx pgx.Tx, locked dbsqlc.LockTournamentRow, now time.Time) error {
		if locked.Status != StatusDraft {
			return arena.Errorf(arena.ECONFLICT, "Only drafts can be deleted; a %s tournament can be cancelled.", locked.Status)
		}
		return s.q.SoftDeleteTournament(ctx, tx, dbsqlc.SoftDeleteTournamentParams{Now: now, ID: locked.ID})
	})
}

// Transition moves a tournament to status `to` if the lifecycle allows it from its current
// status and the clock agrees. Organizer or admin only. Errors: EUNAUTHORIZED, EFORBIDDEN,
// ENOTFOUND, ECONFLICT (illegal transition, naming the allowed next statuses; wrong time).
func (s *Service) Transition(ctx context.Context, tournamentID, to string) (*Tournament, error) {
	var out *Tournament
	err := s.change(ctx, tournamentID, func(tx pgx.Tx, t dbsqlc.LockTournamentRow, now time.Time) error {
		var err error
		out, err = s.transition(ctx, tx, t, to, now)
		return err
	})
	return out, err
}

// StartTx is the start transition in the caller's transaction, so that the bracket built in
// it commits with the running status or not at all. Errors: as Transition.
func (s *Service) StartTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) (*Tournament, error) {
	var out *Tournament
	err := s.changeTx(ctx, tx, tournamentID.String(), func(tx pgx.Tx, t dbsqlc.LockTournamentRow, now time.Time) error {
		var err error
		out, err = s.transition(ctx, tx, t, StatusRunning, now)
		return err
	})
	return out, err
}

// CompleteTx marks a running tournament completed in the caller's transaction. It is the
// match module's to call when the last match is decided — whoever reported it — so it
// checks the lifecycle but not the caller. Errors: ENOTFOUND, ECONFLICT.
func (s *Service) CompleteTx(ctx context.Context, tx pgx.Tx, tournamentID uuid.UUID) error {
	t, err := s.q.LockTournament(ctx, tx, dbsqlc.LockTournamentParams{ID: &tournamentID})
	if err != nil {
		return db.NotFound(err, "Tournament")
	}
	if _, err := s.transition(ctx, tx, t, StatusCompleted, s.now()); err != nil {
		return err
	}
	return s.changedTx(ctx, tx)
}

func (s *Service) transition(ctx context.Context, tx pgx.Tx, t dbsqlc.LockTournamentRow, to string, now time.Time) (*Tournament, error) {
	allowed := nextStatuses[t.Status]
	if !slices.Contains(allowed, to) {
		next := "none: the tournament is over"
		if len(allowed) > 0 {
			next = strings.Join(allowed, ", ")
		}
		return nil, arena.Errorf(arena.ECONFLICT, "A %s tournament cannot move to %s; allowed next: %s.", t.Status, to, next)
	}
	if err := clockAllows(t, to, now); err != nil {
		return nil, err
	}
	if err := s.q.SetTournamentStatus(ctx, tx, dbsqlc.SetTournamentStatusParams{Status: to, Now: now, ID: t.ID}); err != nil {
		return nil, err
	}
	var err error
	switch to {
	case StatusCancelled:
		_, err = s.cfg.Jobs.InsertTx(ctx, tx, CancelledArgs{TournamentID: t.ID}, nil)
	case StatusCheckIn:
		_, err = s.cfg.Jobs.InsertTx(ctx, tx, CheckInClosedArgs{TournamentID: t.ID}, &river.InsertOpts{ScheduledAt: *t.CheckInClosesAt})
	}
	if err != nil {
		return nil, err
	}
	return s.getTournament(ctx, tx, &t.ID, nil)
}

// clockAllows checks a transition against the tournament's schedule.
func clockAllows(t dbsqlc.LockTournamentRow, to string, now time.Time) error {
	switch {
	case (to == StatusPublished || to == StatusRegistrationOpen) && !now.Before(t.RegistrationClosesAt):
		return arena.Errorf(arena.ECONFLICT, "Registration was scheduled to close at %s; move registration_closes_at first.", t.RegistrationClosesAt.Format(time.RFC3339))
	case to == StatusCheckIn && t.CheckInOpensAt == nil:
		return arena.Errorf(arena.ECONFLICT, "The tournament has no check-in window.")
	case to == StatusCheckIn && now.Before(*t.CheckInOpensAt):
		return arena.Errorf(arena.ECONFLICT, "Check-in opens at %s.", t.CheckInOpensAt.Format(time.RFC3339))
	case to == StatusCheckIn && !now.Before(*t.CheckInClosesAt):
		return arena.Errorf(arena.ECONFLICT, "The check-in window closed at %s.", t.CheckInClosesAt.Format(time.RFC3339))
	case to == StatusRunning && t.Status == StatusRegistrationClosed && t.CheckInOpensAt != nil:
		return arena.Errorf(arena.ECONFLICT, "The tournament has a check-in window: open check-in before starting.")
	case to == StatusRunning && t.Status == StatusCheckIn && now.Before(*t.CheckInClosesAt):
		return arena.Errorf(arena.ECONFLICT, "Check-in is open until %s.", t.CheckInClosesAt.Format(time.RFC3339))
	}
	return nil
}

// change runs fn on a tournament (by id or slug) locked for update in a transaction of its
// own, and drops this process's caches once it commits.
func (s *Service) change(ctx context.Context, idOrSlug string, fn func(pgx.Tx, dbsqlc.LockTournamentRow, time.Time) error) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return s.changeTx(ctx, tx, idOrSlug, fn) })
	if err == nil {
		s.invalidate()
	}
	return err
}

// changeTx locks the tournament in the caller's transaction, checks that the caller
// organizes it (or is an admin), runs fn, and announces the change (delivered on commit).
func (s *Service) changeTx(ctx context.Context, tx pgx.Tx, idOrSlug string, fn func(pgx.Tx, dbsqlc.LockTournamentRow, time.Time) error) error {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return err
	}
	var key dbsqlc.LockTournamentParams
	if id, err := uuid.Parse(idOrSlug); err == nil {
		key.ID = &id
	} else {
		key.Slug = &idOrSlug
	}
	t, err := s.q.LockTournament(ctx, tx, key)
	if err != nil {
		return db.NotFound(err, "Tournament")
	}
	if !c.CanManage(t.OrganizerID) {
		if t.Status == StatusDraft {
			return arena.Errorf(arena.ENOTFOUND, "Tournament not found.")
		}
		return arena.Errorf(arena.EFORBIDDEN, "Only the tournament's organizer can change it.")
	}
	if err := fn(tx, t, s.now()); err != nil {
		return err
	}
	return s.changedTx(ctx, tx)
}

// checkGame resolves the game slug and validates the settings against its schema.
func (s *Service) checkGame(ctx context.Context, conn dbsqlc.DBTX, slug string, settings map[string]any) (dbsqlc.Game, []byte, error) {
	g, err := s.q.GetGameBySlug(ctx, conn, slug)
	if err != nil {
		if db.NotFound(err, "") != err {
			return g, nil, arena.Errorf(arena.EINVALID, "Unknown game %q.", slug)
		}
		return g, nil, err
	}
	if settings == nil {
		settings = map[string]any{}
	}
	raw, err := json.Marshal(settings)
	if err != nil {
		return g, nil, arena.Errorf(arena.EINVALID, "Game settings are not valid JSON.")
	}
	if err := s.validateSettings(dbsqlc.Game(g), raw); err != nil {
		return g, nil, err
	}
	return dbsqlc.Game(g), raw, nil
}

func insertParams(id, organizer, game uuid.UUID, in TournamentInput, settings []byte, now time.Time) dbsqlc.InsertTournamentParams {
	sponsors, _ := json.Marshal(orEmpty(in.Sponsors))
	fields, _ := json.Marshal(orEmpty(in.CustomFields))
	return dbsqlc.InsertTournamentParams{ID: id, Slug: in.Slug, Name: in.Name, Description: in.Description,
		GameID: game, OrganizerID: organizer, Format: in.Format, ParticipantType: in.ParticipantType,
		Capacity: in.Capacity, EntryFee: in.EntryFee.Amount, Currency: in.EntryFee.Currency,
		PaymentMethod: in.PaymentMethod, PrizeDistribution: orEmpty(in.PrizeDistribution), PlatformFeeBps: in.PlatformFeeBps,
		RegistrationOpensAt: in.RegistrationOpensAt, RegistrationClosesAt: in.RegistrationClosesAt,
		CheckInOpensAt: in.CheckInOpensAt, CheckInClosesAt: in.CheckInClosesAt, StartsAt: in.StartsAt,
		GameSettings: settings, Rules: in.Rules, Sponsors: sponsors, CustomFields: fields, Now: now}
}

func updateParams(id, game uuid.UUID, in TournamentInput, settings []byte, now time.Time) dbsqlc.UpdateTournamentParams {
	p := insertParams(id, uuid.Nil, game, in, settings, now)
	return dbsqlc.UpdateTournamentParams{Name: p.Name, Description: p.Description, GameID: p.GameID, Format: p.Format,
		ParticipantType: p.ParticipantType, Capacity: p.Capacity, EntryFee: p.EntryFee, Currency: p.Currency,
		PaymentMethod: p.PaymentMethod, PrizeDistribution: p.PrizeDistribution, PlatformFeeBps: p.PlatformFeeBps,
		RegistrationOpensAt: p.RegistrationOpensAt, RegistrationClosesAt: p.RegistrationClosesAt,
		CheckInOpensAt: p.CheckInOpensAt, CheckInClosesAt: p.CheckInClosesAt, StartsAt: p.StartsAt,
		GameSettings: p.GameSettings, Rules: p.Rules, Sponsors: p.Sponsors, CustomFields: p.CustomFields, Now: now, ID: id}
}

// inputOf is the input that would recreate t; a patch is applied to it and re-validated.
func inputOf(t *Tournament) TournamentInput {
	fee := t.EntryFee
	return TournamentInput{Slug: t.Slug, Name: t.Name, Description: t.Description, Game: t.Game.Slug,
		Format: t.Format, ParticipantType: t.ParticipantType, Capacity: t.Capacity, EntryFee: &fee,
		PaymentMethod: t.PaymentMethod, PrizeDistribution: t.PrizeDistribution, PlatformFeeBps: t.PlatformFeeBps,
		RegistrationOpensAt: t.RegistrationOpensAt, RegistrationClosesAt: t.RegistrationClosesAt,
		CheckInOpensAt: t.CheckInOpensAt, CheckInClosesAt: t.CheckInClosesAt, StartsAt: t.StartsAt,
		GameSettings: t.GameSettings, Rules: t.Rules, Sponsors: t.Sponsors, CustomFields: t.CustomFields}
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slugify turns a name into slug words: lower-case ASCII letters and digits joined by '-'.
func slugify(name string) string {
	s := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "-")
	}
	if s == "" {
		s = "tournament"
	}
	return s
}
