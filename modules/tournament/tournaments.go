package tournament

import (
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/arenaesports/arena"
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

// Payout reviews: whether a completed tournament's prizes are paid at once.
const (
	PayoutAuto   = "auto"   // paid when the tournament completes
	PayoutManual = "manual" // paid once an admin approves
)

// Custom field types: the kinds of answer a registration question takes.
const (
	FieldText     = "text"
	FieldNumber   = "number"
	FieldSelect   = "select" // one of the field's options
	FieldCheckbox = "checkbox"
)

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

// Points scores a match for round robin and Swiss standings (and Swiss pairing).
type Points struct {
	Win  int32 `json:"win" minimum:"0" maximum:"100"`
	Draw int32 `json:"draw" minimum:"0" maximum:"100"`
	Loss int32 `json:"loss" minimum:"0" maximum:"100"`
}

// DefaultPoints is 3 for a win, 1 for a draw, 0 for a loss.
var DefaultPoints = Points{Win: 3, Draw: 1, Loss: 0}

// DefaultReportWindow is how many minutes after its scheduled time an undecided match
// becomes overdue when the tournament sets no report_window.
const DefaultReportWindow = 30

// eliminationFormat reports whether a format decides every match for one side.
func eliminationFormat(format string) bool {
	return format == FormatSingleElimination || format == FormatDoubleElimination
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
	AddedPrize           Money          `json:"added_prize" doc:"Prize money the organizer adds to the pool, from their wallet when the tournament is published."`
	PayoutReview         string         `json:"payout_review" enum:"auto,manual" doc:"manual: prizes wait for an admin's approval."`
	RegistrationOpensAt  time.Time      `json:"registration_opens_at"`
	RegistrationClosesAt time.Time      `json:"registration_closes_at"`
	CheckInOpensAt       *time.Time     `json:"check_in_opens_at,omitempty"`
	CheckInClosesAt      *time.Time     `json:"check_in_closes_at,omitempty"`
	StartsAt             time.Time      `json:"starts_at"`
	GameSettings         map[string]any `json:"game_settings"`
	AllowDraws           bool           `json:"allow_draws" doc:"Round robin and Swiss: a match may end level."`
	Points               Points         `json:"points" doc:"Round robin and Swiss: points per win, draw and loss, for standings and Swiss pairing."`
	Play                 Play           `json:"play" doc:"How matches are laid out, paired and ranked, with the format's defaults filled in."`
	ReportWindow         int32          `json:"report_window" doc:"Minutes after a match's scheduled_at after which it is overdue while undecided."`
	Rules                string         `json:"rules"`
	Sponsors             []Sponsor      `json:"sponsors"`
	CustomFields         []CustomField  `json:"custom_fields"`
	CreatedAt            time.Time      `json:"created_at"`
	UpdatedAt            time.Time      `json:"updated_at"`
	chosen               Play           // Play as the organizer set it: what a patch starts from
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
	PlatformFeeBps       int32          `json:"platform_fee_bps,omitempty" minimum:"0" maximum:"10000" doc:"Taken from the entry fees collected through the wallet, rounded down."`
	AddedPrize           *Money         `json:"added_prize,omitempty" doc:"Prize money the organizer guarantees, in the entry fee's currency: it moves from their wallet into the tournament's escrow when the tournament is published (409 if the wallet lacks it) and back if it is cancelled."`
	PayoutReview         string         `json:"payout_review,omitempty" enum:"auto,manual" default:"auto" doc:"manual: prizes are paid once an admin approves them."`
	RegistrationOpensAt  time.Time      `json:"registration_opens_at"`
	RegistrationClosesAt time.Time      `json:"registration_closes_at"`
	CheckInOpensAt       *time.Time     `json:"check_in_opens_at,omitempty"`
	CheckInClosesAt      *time.Time     `json:"check_in_closes_at,omitempty"`
	StartsAt             time.Time      `json:"starts_at"`
	GameSettings         map[string]any `json:"game_settings,omitempty"`
	AllowDraws           bool           `json:"allow_draws,omitempty" doc:"Round robin and Swiss only: a match may end level (e.g. 1-1 in a best of 2, or 0-0); best_of may then be even."`
	Points               *Points        `json:"points,omitempty" doc:"Round robin and Swiss only. Default 3/1/0."`
	Play                 Play           `json:"play,omitempty" doc:"How matches are laid out, paired and ranked; each setting applies to the formats it names."`
	ReportWindow         int32          `json:"report_window,omitempty" minimum:"1" maximum:"10080" doc:"Minutes (default 30): a match still undecided this long after its scheduled_at is overdue."`
	Rules                string         `json:"rules,omitempty" maxLength:"20000"`
	Sponsors             []Sponsor      `json:"sponsors,omitempty" maxItems:"20"`
	CustomFields         []CustomField  `json:"custom_fields,omitempty" maxItems:"30"`
}

// validate checks the rules between fields that a schema cannot express. Errors: EINVALID.
func (in *TournamentInput) validate() error {
	if in.EntryFee == nil {
		in.EntryFee = &Money{Amount: 0, Currency: "USD"}
		if in.AddedPrize != nil {
			in.EntryFee.Currency = in.AddedPrize.Currency // the tournament's one currency
		}
	}
	if in.AddedPrize == nil {
		in.AddedPrize = &Money{Amount: 0, Currency: in.EntryFee.Currency}
	}
	if in.AddedPrize.Amount > 0 && in.AddedPrize.Currency != in.EntryFee.Currency {
		return arena.Errorf(arena.EINVALID, "added_prize must be in the entry fee's currency (%s).", in.EntryFee.Currency)
	}
	in.AddedPrize.Currency = in.EntryFee.Currency
	if in.PayoutReview == "" {
		in.PayoutReview = PayoutAuto
	}
	if in.PaymentMethod == "" {
		in.PaymentMethod = PaymentWallet
	}
	if in.Points == nil {
		p := DefaultPoints
		in.Points = &p
	}
	if in.ReportWindow == 0 {
		in.ReportWindow = DefaultReportWindow
	}
	if err := in.checkScoring(); err != nil {
		return err
	}
	if err := in.Play.check(in.Format); err != nil {
		return err
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

// checkScoring checks draws and the points table against the format. Errors: EINVALID.
func (in *TournamentInput) checkScoring() error {
	p := *in.Points
	switch {
	case eliminationFormat(in.Format) && in.AllowDraws:
		return arena.Errorf(arena.EINVALID, "allow_draws is for round robin and Swiss: an elimination match needs a winner.")
	case eliminationFormat(in.Format) && p != DefaultPoints:
		return arena.Errorf(arena.EINVALID, "points apply to round robin and Swiss standings; elimination ranks by placement.")
	case p.Win <= p.Loss || p.Draw < p.Loss || p.Draw > p.Win:
		return arena.Errorf(arena.EINVALID, "points: a win must score more than a loss, and a draw from a loss to a win.")
	}
	return nil
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
