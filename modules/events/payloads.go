package events

import (
	"fmt"
	"reflect"
	"time"

	"github.com/google/uuid"
)

// The payloads of the catalogue: each type's data is exactly one of these (AppendTx refuses
// any other), so the OpenAPI document's schema of data is the truth, and a client decodes
// it by the event's type.

// TournamentStatusData is the data of a tournament's lifecycle step.
type TournamentStatusData struct {
	Status         string `json:"status" enum:"draft,published,registration_open,registration_closed,check_in,running,completed,cancelled"`
	PreviousStatus string `json:"previous_status" enum:"draft,published,registration_open,registration_closed,check_in,running,completed,cancelled"`
}

// TournamentData is the data of a tournament created, edited or deleted.
type TournamentData struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
	// Changed names the fields an edit set (empty at creation and deletion).
	Changed []string `json:"changed" doc:"The fields an edit changed (empty when created or deleted)."`
}

// StaffData is the data of a user added to or removed from a tournament's staff.
type StaffData struct {
	Staff bool `json:"staff" doc:"Whether the user (the event's user_id) is staff now."`
}

// EntryData is the data of an entry's change of status.
type EntryData struct {
	Status string `json:"status" enum:"pending_payment,confirmed,checked_in,withdrawn,disqualified,dropped,removed,cancelled"`
}

// BracketData is the data of a bracket laid or thrown away.
type BracketData struct {
	Format   string `json:"format" enum:"single_elimination,double_elimination,round_robin,swiss"`
	Entrants int    `json:"entrants"`
}

// SeedSwapData is the data of two seeds swapped before play.
type SeedSwapData struct {
	SeedA int32 `json:"seed_a"`
	SeedB int32 `json:"seed_b"`
}

// MatchReadyData is the data of a match whose sides are both known.
type MatchReadyData struct {
	Number      int32      `json:"number"`
	Stage       string     `json:"stage" enum:"winners,losers,grand_final,grand_final_reset,third_place,round_robin,swiss"`
	Round       int32      `json:"round"`
	SeedA       int32      `json:"seed_a" doc:"The entrants' seeds (the bracket's entrants list names them)."`
	SeedB       int32      `json:"seed_b"`
	ScheduledAt *time.Time `json:"scheduled_at,omitempty"`
}

// MatchReportData is the data of one side's report.
type MatchReportData struct {
	Number int32  `json:"number"`
	Side   string `json:"side" enum:"a,b"`
	ScoreA int32  `json:"score_a"`
	ScoreB int32  `json:"score_b"`
}

// MatchData is the data of an event that only names its match (a dispute, the standings
// it changed).
type MatchData struct {
	Number int32 `json:"number"`
}

// MatchResultData is the data of a result that stands.
type MatchResultData struct {
	Number     int32  `json:"number"`
	Status     string `json:"status" enum:"confirmed,resolved,forfeit,double_forfeit,disqualified"`
	ScoreA     int32  `json:"score_a"`
	ScoreB     int32  `json:"score_b"`
	WinnerSeed *int32 `json:"winner_seed" doc:"Null for a draw or a double forfeit."`
}

// MatchScheduleData is the data of a match's time set or cleared.
type MatchScheduleData struct {
	Number      int32      `json:"number"`
	ScheduledAt *time.Time `json:"scheduled_at" doc:"Null when the time was cleared."`
}

// A transfer's direction, seen from the wallet.
const (
	DirectionIn  = "in"
	DirectionOut = "out"
)

// TransferData is the data of money moving in or out of a user's wallet.
type TransferData struct {
	TransferID uuid.UUID `json:"transfer_id"`
	Kind       string    `json:"kind" enum:"deposit,withdrawal,withdrawal_release,entry_fee,refund,prize,platform_fee,adjustment,added_prize,added_prize_return,prize_rounding"`
	Direction  string    `json:"direction" enum:"in,out"`
	Amount     int64     `json:"amount"`
	Currency   string    `json:"currency"`
}

// WithdrawalData is the data of a withdrawal approved or rejected.
type WithdrawalData struct {
	WithdrawalID uuid.UUID `json:"withdrawal_id"`
	Status       string    `json:"status" enum:"approved,rejected"`
	Amount       int64     `json:"amount"`
	Currency     string    `json:"currency"`
}

// PrizeData is the data of an entry's prize paid.
type PrizeData struct {
	Place    int32  `json:"place"`
	Shared   int32  `json:"shared" doc:"How many entries share the place."`
	Rank     int32  `json:"rank"`
	Name     string `json:"name"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// PayoutData is the data of a tournament's payout finished.
type PayoutData struct {
	Currency string `json:"currency"`
}

// AccountData is the data of a user's account created or its roles changed.
type AccountData struct {
	Handle string   `json:"handle"`
	Roles  []string `json:"roles" enum:"player,organizer,admin"`
}

// TeamData is the data of a team's creation and of a member joining or leaving.
type TeamData struct {
	TeamID   uuid.UUID `json:"team_id"`
	TeamName string    `json:"team_name"`
}

// InviteData is the data of an invite sent (to the invitee) or declined (to the inviter).
type InviteData struct {
	InviteID uuid.UUID `json:"invite_id"`
	TeamID   uuid.UUID `json:"team_id"`
	TeamName string    `json:"team_name"`
}

// GameData is the data of a game added or edited.
type GameData struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// SeasonData is the data of a game's new season.
type SeasonData struct {
	Game     string    `json:"game"`
	Slug     string    `json:"slug"`
	Name     string    `json:"name"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
}

// LeaderboardData is the data of a completed tournament applied to its game's ratings and
// season standings.
type LeaderboardData struct {
	Competitors int `json:"competitors" doc:"The tournament's competitors; those with no match played out keep their rating."`
}

// WebhookData is the data of an endpoint disabled.
type WebhookData struct {
	WebhookID uuid.UUID `json:"webhook_id"`
	URL       string    `json:"url"`
	Reason    string    `json:"reason"`
}

// dataOf maps each type of the catalogue to its payload's Go type.
var dataOf = map[string]reflect.Type{}

func init() {
	for kind, data := range map[string]any{
		TournamentCreated: TournamentData{}, TournamentUpdated: TournamentData{}, TournamentDeleted: TournamentData{},
		TournamentPublished: TournamentStatusData{}, TournamentStatusChanged: TournamentStatusData{}, TournamentCompleted: TournamentStatusData{},
		TournamentStaffChanged: StaffData{},
		RegistrationCreated:    EntryData{}, RegistrationConfirmed: EntryData{}, RegistrationCheckedIn: EntryData{},
		RegistrationEnded: EntryData{}, RegistrationPaymentSubmitted: EntryData{}, RegistrationPaymentRejected: EntryData{},
		BracketCreated: BracketData{}, BracketReseeded: SeedSwapData{}, BracketDeleted: BracketData{},
		MatchReady: MatchReadyData{}, MatchReported: MatchReportData{}, MatchDisputed: MatchData{}, MatchConfirmed: MatchResultData{},
		MatchScheduled: MatchScheduleData{}, StandingsUpdated: MatchData{},
		WalletTransfer: TransferData{}, WithdrawalDecided: WithdrawalData{}, PrizePaid: PrizeData{}, PayoutCompleted: PayoutData{},
		UserRegistered: AccountData{}, UserRolesChanged: AccountData{},
		TeamCreated: TeamData{}, TeamMemberJoined: TeamData{}, TeamMemberRemoved: TeamData{},
		TeamInvited: InviteData{}, TeamInviteDeclined: InviteData{},
		GameCreated: GameData{}, GameUpdated: GameData{}, SeasonCreated: SeasonData{}, LeaderboardUpdated: LeaderboardData{}, WebhookDisabled: WebhookData{},
	} {
		dataOf[kind] = reflect.TypeOf(data)
	}
	for _, kind := range Types {
		if dataOf[kind] == nil {
			panic("events: no payload for " + kind)
		}
	}
	if len(dataOf) != len(Types) {
		panic("events: a payload for a type missing from Types")
	}
}

// checkPayload refuses a payload that is not its type's: a programming error, caught by
// the tests of the module that appends it.
func checkPayload(e Event) error {
	want, ok := dataOf[e.Type]
	switch {
	case !ok:
		return fmt.Errorf("events: %q is not in the catalogue", e.Type)
	case reflect.TypeOf(e.Payload) != want:
		return fmt.Errorf("events: a %s event's data is %s, not %T", e.Type, want, e.Payload)
	}
	return nil
}
