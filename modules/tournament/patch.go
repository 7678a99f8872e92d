package tournament

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/tournament/internal/dbsqlc"
)

// TournamentPatch changes the present fields of a tournament; which fields may change
// depends on its status (see fields).
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
	AddedPrize           *Money          `json:"added_prize,omitempty" doc:"Drafts only: it is funded when the tournament is published."`
	PayoutReview         *string         `json:"payout_review,omitempty" enum:"auto,manual"`
	RegistrationOpensAt  *time.Time      `json:"registration_opens_at,omitempty"`
	RegistrationClosesAt *time.Time      `json:"registration_closes_at,omitempty"`
	CheckInOpensAt       *time.Time      `json:"check_in_opens_at,omitempty"`
	CheckInClosesAt      *time.Time      `json:"check_in_closes_at,omitempty"`
	StartsAt             *time.Time      `json:"starts_at,omitempty"`
	GameSettings         *map[string]any `json:"game_settings,omitempty"`
	AllowDraws           *bool           `json:"allow_draws,omitempty"`
	Points               *Points         `json:"points,omitempty"`
	Play                 *Play           `json:"play,omitempty" doc:"Replaces the rules of play as a whole: {} restores the format's defaults."`
	ReportWindow         *int32          `json:"report_window,omitempty" minimum:"1" maximum:"10080"`
	Rules                *string         `json:"rules,omitempty" maxLength:"20000"`
	Sponsors             *[]Sponsor      `json:"sponsors,omitempty" maxItems:"20"`
	CustomFields         *[]CustomField  `json:"custom_fields,omitempty" maxItems:"30"`
}

// patchField is one field a patch can set: its JSON name, the last status of the lifecycle
// in which it may still change, whether this patch sets it, and how it lands on an input.
type patchField struct {
	name  string
	until string
	set   bool
	apply func(*TournamentInput)
}

// field is the patchField of a patch's value v (nil: not set), applied by set.
func field[T any](name, until string, v *T, set func(*TournamentInput, T)) patchField {
	return patchField{name: name, until: until, set: v != nil, apply: func(in *TournamentInput) { set(in, *v) }}
}

// fields is the one list of what a patch can change, in TournamentPatch's order. Until
// registration opens everything may (but the added prize, funded at publication); then only
// what registrants did not sign up under (never the fee, format, game or questions), the
// prize split and the platform's fee until the start; once check-in opens its window no longer
// moves, as the job that drops entries which did not check in is scheduled for its end;
// the rules of play (draws, points, play) hold until the bracket is laid, which keeps its own copy;
// the report window may change while matches are played; once running, only the
// presentation and the report window; once over, nothing.
func (p TournamentPatch) fields() []patchField {
	return []patchField{
		field("name", StatusRunning, p.Name, func(in *TournamentInput, v string) { in.Name = v }),
		field("description", StatusRunning, p.Description, func(in *TournamentInput, v string) { in.Description = v }),
		field("game", StatusPublished, p.Game, func(in *TournamentInput, v string) { in.Game = v }),
		field("format", StatusPublished, p.Format, func(in *TournamentInput, v string) { in.Format = v }),
		field("participant_type", StatusPublished, p.ParticipantType, func(in *TournamentInput, v string) { in.ParticipantType = v }),
		field("capacity", StatusRegistrationClosed, p.Capacity, func(in *TournamentInput, v int32) { in.Capacity = v }),
		field("entry_fee", StatusPublished, p.EntryFee, func(in *TournamentInput, v Money) { in.EntryFee = &v }),
		field("payment_method", StatusPublished, p.PaymentMethod, func(in *TournamentInput, v string) { in.PaymentMethod = v }),
		field("prize_distribution", StatusCheckIn, p.PrizeDistribution, func(in *TournamentInput, v []int32) { in.PrizeDistribution = v }),
		field("platform_fee_bps", StatusCheckIn, p.PlatformFeeBps, func(in *TournamentInput, v int32) { in.PlatformFeeBps = v }),
		field("added_prize", StatusDraft, p.AddedPrize, func(in *TournamentInput, v Money) { in.AddedPrize = &v }),
		field("payout_review", StatusRunning, p.PayoutReview, func(in *TournamentInput, v string) { in.PayoutReview = v }),
		field("registration_opens_at", StatusPublished, p.RegistrationOpensAt, func(in *TournamentInput, v time.Time) { in.RegistrationOpensAt = v }),
		field("registration_closes_at", StatusRegistrationClosed, p.RegistrationClosesAt, func(in *TournamentInput, v time.Time) { in.RegistrationClosesAt = v }),
		field("check_in_opens_at", StatusRegistrationClosed, p.CheckInOpensAt, func(in *TournamentInput, v time.Time) { in.CheckInOpensAt = &v }),
		field("check_in_closes_at", StatusRegistrationClosed, p.CheckInClosesAt, func(in *TournamentInput, v time.Time) { in.CheckInClosesAt = &v }),
		field("starts_at", StatusCheckIn, p.StartsAt, func(in *TournamentInput, v time.Time) { in.StartsAt = v }),
		field("game_settings", StatusPublished, p.GameSettings, func(in *TournamentInput, v map[string]any) { in.GameSettings = v }),
		field("allow_draws", StatusCheckIn, p.AllowDraws, func(in *TournamentInput, v bool) { in.AllowDraws = v }),
		field("points", StatusCheckIn, p.Points, func(in *TournamentInput, v Points) { in.Points = &v }),
		field("play", StatusCheckIn, p.Play, func(in *TournamentInput, v Play) { in.Play = v }),
		field("report_window", StatusRunning, p.ReportWindow, func(in *TournamentInput, v int32) { in.ReportWindow = v }),
		field("rules", StatusRunning, p.Rules, func(in *TournamentInput, v string) { in.Rules = v }),
		field("sponsors", StatusRunning, p.Sponsors, func(in *TournamentInput, v []Sponsor) { in.Sponsors = v }),
		field("custom_fields", StatusPublished, p.CustomFields, func(in *TournamentInput, v []CustomField) { in.CustomFields = v }),
	}
}

// lifecycleOrder is the statuses in the order a tournament passes them; a cancellation can
// end it from any of them, so nothing is editable once cancelled either.
var lifecycleOrder = []string{StatusDraft, StatusPublished, StatusRegistrationOpen, StatusRegistrationClosed,
	StatusCheckIn, StatusRunning, StatusCompleted, StatusCancelled}

// editableIn reports whether the field may change while the tournament is in status.
func (f patchField) editableIn(status string) bool {
	i := slices.Index(lifecycleOrder, status)
	return i >= 0 && i <= slices.Index(lifecycleOrder, f.until)
}

// UpdateTournament applies a patch. Only the organizer (or an admin) may, and only the
// fields its status allows (see fields) in the current status. Errors: EUNAUTHORIZED, EFORBIDDEN,
// ENOTFOUND, EINVALID, ECONFLICT (field locked in this status, capacity below registrations).
func (s *Service) UpdateTournament(ctx context.Context, idOrSlug string, p TournamentPatch) (*Tournament, error) {
	var out *Tournament
	err := s.change(ctx, idOrSlug, func(tx pgx.Tx, locked dbsqlc.LockTournamentRow, now time.Time) error {
		fields := p.fields()
		for _, f := range fields {
			if f.set && !f.editableIn(locked.Status) {
				return arena.Errorf(arena.ECONFLICT, "%s cannot change while the tournament is %s.", f.name, locked.Status)
			}
		}
		cur, err := s.getTournament(ctx, tx, &locked.ID, nil)
		if err != nil {
			return err
		}
		in := inputOf(cur)
		for _, f := range fields {
			if f.set {
				f.apply(&in)
			}
		}
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
		if out, err = s.getTournament(ctx, tx, &locked.ID, nil); err != nil {
			return err
		}
		changed := []string{}
		for _, f := range fields {
			if f.set {
				changed = append(changed, f.name)
			}
		}
		return events.AppendTx(ctx, tx, now, editEvent(events.TournamentUpdated, out.ID, locked.Status, out.Name, out.Slug, changed))
	})
	return out, err
}

func updateParams(id, game uuid.UUID, in TournamentInput, settings []byte, now time.Time) dbsqlc.UpdateTournamentParams {
	p := insertParams(id, uuid.Nil, game, in, settings, now)
	return dbsqlc.UpdateTournamentParams{Name: p.Name, Description: p.Description, GameID: p.GameID, Format: p.Format,
		ParticipantType: p.ParticipantType, Capacity: p.Capacity, EntryFee: p.EntryFee, Currency: p.Currency,
		PaymentMethod: p.PaymentMethod, PrizeDistribution: p.PrizeDistribution, PlatformFeeBps: p.PlatformFeeBps,
		AddedPrize: p.AddedPrize, PayoutReview: p.PayoutReview,
		RegistrationOpensAt: p.RegistrationOpensAt, RegistrationClosesAt: p.RegistrationClosesAt,
		CheckInOpensAt: p.CheckInOpensAt, CheckInClosesAt: p.CheckInClosesAt, StartsAt: p.StartsAt,
		GameSettings: p.GameSettings, AllowDraws: p.AllowDraws, PointsWin: p.PointsWin, PointsDraw: p.PointsDraw,
		PointsLoss: p.PointsLoss, Pairing: p.Pairing, GrandFinal: p.GrandFinal, Schedule: p.Schedule,
		DoubleRoundRobin: p.DoubleRoundRobin, Tiebreaks: p.Tiebreaks, BuchholzVirtualOpponent: p.BuchholzVirtualOpponent,
		ReportWindowMinutes: p.ReportWindowMinutes,
		Rules:               p.Rules, Sponsors: p.Sponsors, CustomFields: p.CustomFields, Now: now, ID: id}
}

// inputOf is the input that would recreate t; a patch is applied to it and re-validated.
func inputOf(t *Tournament) TournamentInput {
	fee, added, points := t.EntryFee, t.AddedPrize, t.Points
	return TournamentInput{Slug: t.Slug, Name: t.Name, Description: t.Description, Game: t.Game.Slug,
		Format: t.Format, ParticipantType: t.ParticipantType, Capacity: t.Capacity, EntryFee: &fee,
		PaymentMethod: t.PaymentMethod, PrizeDistribution: t.PrizeDistribution, PlatformFeeBps: t.PlatformFeeBps,
		AddedPrize: &added, PayoutReview: t.PayoutReview, RegistrationOpensAt: t.RegistrationOpensAt, RegistrationClosesAt: t.RegistrationClosesAt,
		CheckInOpensAt: t.CheckInOpensAt, CheckInClosesAt: t.CheckInClosesAt, StartsAt: t.StartsAt,
		GameSettings: t.GameSettings, AllowDraws: t.AllowDraws, Points: &points, Play: t.chosen, ReportWindow: t.ReportWindow,
		Rules: t.Rules, Sponsors: t.Sponsors, CustomFields: t.CustomFields}
}
