package tests

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/modules/events"
)

// The state changes of each module, and the events each appends (TestEventsOfATournament
// covers the lifecycle, joins, brackets, reports and money of a tournament's run).

// eventsOf returns the data of the events of type kind that token may read, in log order.
func (h *harness) eventsOf(t testingT, token, kind, query string) []map[string]any {
	t.Helper()
	_, items := h.feedTypes(t, token, "&type="+kind+query)
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i] = it["data"].(map[string]any)
		out[i]["_user_id"], out[i]["_match_id"] = it["user_id"], it["match_id"]
	}
	return out
}

// TestIdentityEvents: accounts, roles and teams. A user's account events and a team's
// invites reach that user alone; rosters are public.
func TestIdentityEvents(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := h.staff(t, "root", "admin")
	capID := h.register(t, "cap")
	inviteeID, invitee := h.player(t, "ivy")

	mine := h.eventsOf(t, invitee, events.UserRegistered, "")
	require.Len(t, mine, 1, "a user sees its own registration, nobody else's")
	require.Equal(t, "ivy", mine[0]["handle"])
	require.Empty(t, h.eventsOf(t, "", events.UserRegistered, ""))

	h.call(t, "PUT", "/v1/admin/users/"+capID+"/roles", admin, map[string]any{"roles": []string{"organizer"}}).
		requireStatus(t, http.StatusOK)
	captain := h.login(t, "cap") // after the role change, which ends sessions
	roles := h.eventsOf(t, captain, events.UserRolesChanged, "")
	require.Len(t, roles, 1)
	require.ElementsMatch(t, []any{"player", "organizer"}, roles[0]["roles"])

	team := h.call(t, "POST", "/v1/teams", captain, map[string]any{"name": "Eventful", "max_members": 3}).
		requireStatus(t, http.StatusCreated).Body["id"].(string)
	invite := func() string {
		return h.call(t, "POST", "/v1/teams/"+team+"/invites", captain, map[string]any{"handle": "ivy"}).
			requireStatus(t, http.StatusCreated).Body["id"].(string)
	}
	first := invite()
	invited := h.eventsOf(t, invitee, events.TeamInvited, "")
	require.Len(t, invited, 1)
	require.Equal(t, map[string]any{"invite_id": first, "team_id": team, "team_name": "Eventful", "_user_id": inviteeID, "_match_id": nil}, invited[0])
	require.Empty(t, h.eventsOf(t, captain, events.TeamInvited, ""), "an invite is the invitee's")
	h.call(t, "POST", "/v1/team-invites/"+first+"/decline", invitee, nil).requireStatus(t, http.StatusNoContent)
	require.Len(t, h.eventsOf(t, captain, events.TeamInviteDeclined, ""), 1, "the inviter learns of the refusal")

	second := invite()
	h.call(t, "POST", "/v1/team-invites/"+second+"/accept", invitee, nil).requireStatus(t, http.StatusOK)
	h.call(t, "DELETE", "/v1/teams/"+team+"/members/"+inviteeID, invitee, nil).requireStatus(t, http.StatusNoContent)
	for kind, user := range map[string]string{events.TeamCreated: capID, events.TeamMemberJoined: inviteeID, events.TeamMemberRemoved: inviteeID} {
		got := h.eventsOf(t, "", kind, "")
		require.Len(t, got, 1, kind)
		require.Equal(t, team, got[0]["team_id"], kind)
		require.Equal(t, user, got[0]["_user_id"], kind)
	}
}

// TestGameAndSeasonEvents: the catalogue's changes are public.
func TestGameAndSeasonEvents(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin, _ := h.staffWithGame(t)
	h.call(t, "PATCH", "/v1/games/cs2", admin, map[string]any{"name": "Counter-Strike 2"}).requireStatus(t, http.StatusOK)
	now := h.clock.Now().UTC().Truncate(time.Second)
	h.call(t, "POST", "/v1/games/cs2/seasons", admin, map[string]any{"slug": "s1", "name": "Season 1",
		"starts_at": now.Format(time.RFC3339), "ends_at": now.Add(90 * 24 * time.Hour).Format(time.RFC3339), "points": []int{10, 5}}).
		requireStatus(t, http.StatusCreated)

	require.Equal(t, "CS2", h.eventsOf(t, "", events.GameCreated, "")[0]["name"])
	require.Equal(t, "Counter-Strike 2", h.eventsOf(t, "", events.GameUpdated, "")[0]["name"])
	season := h.eventsOf(t, "", events.SeasonCreated, "")
	require.Len(t, season, 1)
	require.Equal(t, "cs2", season[0]["game"])
	require.Equal(t, now.Format(time.RFC3339), season[0]["starts_at"])
}

// TestTournamentEditEvents: a draft's creation, edits, staff and deletion reach its
// participants only; a published tournament's edits are public.
func TestTournamentEditEvents(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	staffID, staff := h.fastUser(t, "stef")
	draft := h.createTournament(t, org, "cs2", "Draft Cup")
	h.call(t, "PATCH", "/v1/tournaments/"+draft, org, map[string]any{"name": "Draft Cup II", "capacity": 8}).requireStatus(t, http.StatusOK)
	h.call(t, "PUT", "/v1/tournaments/"+draft+"/staff/"+staffID.String(), org, nil).requireStatus(t, http.StatusCreated)
	h.call(t, "PUT", "/v1/tournaments/"+draft+"/staff/"+staffID.String(), org, nil).requireStatus(t, http.StatusOK)

	q := "&tournament_id=" + draft
	require.Len(t, h.eventsOf(t, org, events.TournamentCreated, q), 1)
	require.Len(t, h.eventsOf(t, staff, events.TournamentCreated, q), 1, "staff are participants")
	require.Empty(t, h.eventsOf(t, "", events.TournamentCreated, q), "a draft is nobody else's business")
	edit := h.eventsOf(t, org, events.TournamentUpdated, q)
	require.Len(t, edit, 1)
	require.Equal(t, "Draft Cup II", edit[0]["name"])
	require.ElementsMatch(t, []any{"name", "capacity"}, edit[0]["changed"])
	require.Len(t, h.eventsOf(t, org, events.TournamentStaffChanged, q), 1, "making staff twice is one change")

	h.call(t, "DELETE", "/v1/tournaments/"+draft+"/staff/"+staffID.String(), org, nil).requireStatus(t, http.StatusNoContent)
	h.call(t, "DELETE", "/v1/tournaments/"+draft+"/staff/"+staffID.String(), org, nil).requireStatus(t, http.StatusNoContent)
	changes := h.eventsOf(t, org, events.TournamentStaffChanged, q)
	require.Len(t, changes, 2)
	require.Equal(t, []any{true, false}, []any{changes[0]["staff"], changes[1]["staff"]})
	h.call(t, "DELETE", "/v1/tournaments/"+draft, org, nil).requireStatus(t, http.StatusNoContent)
	require.Len(t, h.eventsOf(t, org, events.TournamentDeleted, q), 1, "its organizer is told")
	require.Empty(t, h.eventsOf(t, staff, events.TournamentDeleted, q))

	open := h.paidSolo(t, org, 8)
	h.call(t, "PATCH", "/v1/tournaments/"+open, org, map[string]any{"description": "Now with rules"}).requireStatus(t, http.StatusOK)
	public := h.eventsOf(t, "", events.TournamentUpdated, "&tournament_id="+open)
	require.Len(t, public, 1)
	require.Equal(t, []any{"description"}, public[0]["changed"])
}

// TestBracketAndScheduleEvents: every match playable at the start is announced with its id
// and sides, as are re-seeding, scheduling and throwing the bracket away (which takes the
// tournament back a step).
func TestBracketAndScheduleEvents(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	tid, _ := h.startedTournament(t, org, "single_elimination", 8, false)
	q := "&tournament_id=" + tid

	ready := h.eventsOf(t, "", events.MatchReady, q)
	require.Len(t, ready, 4, "the first round's four matches")
	for _, m := range ready {
		require.NotNil(t, m["_match_id"])
		require.Equal(t, float64(1), m["round"])
	}
	h.call(t, "POST", "/v1/tournaments/"+tid+"/bracket/swap", org, map[string]any{"seeds": []int{0, 1}}).requireStatus(t, http.StatusOK)
	swap := h.eventsOf(t, "", events.BracketReseeded, q)
	require.Len(t, swap, 1)
	require.Equal(t, map[string]any{"seed_a": float64(0), "seed_b": float64(1), "_user_id": nil, "_match_id": nil}, swap[0])

	match := ready[0]["_match_id"].(string)
	at := h.clock.Now().Add(5 * time.Hour).UTC().Truncate(time.Second)
	h.call(t, "PATCH", "/v1/matches/"+match, org, map[string]any{"scheduled_at": at.Format(time.RFC3339)}).requireStatus(t, http.StatusOK)
	h.call(t, "POST", "/v1/tournaments/"+tid+"/schedule", org, map[string]any{"rounds": []map[string]any{
		{"round": 2, "starts_at": at.Add(time.Hour).Format(time.RFC3339)}}}).requireStatus(t, http.StatusOK)
	scheduled := h.eventsOf(t, "", events.MatchScheduled, q)
	require.Len(t, scheduled, 3, "the one match, then round 2's two")
	require.Equal(t, match, scheduled[0]["_match_id"])
	require.Equal(t, at.Format(time.RFC3339), scheduled[0]["scheduled_at"])

	h.call(t, "DELETE", "/v1/tournaments/"+tid+"/bracket", org, nil).requireStatus(t, http.StatusNoContent)
	gone := h.eventsOf(t, "", events.BracketDeleted, q)
	require.Len(t, gone, 1)
	require.Equal(t, float64(8), gone[0]["entrants"])
	back := h.eventsOf(t, "", events.TournamentStatusChanged, q)
	require.Equal(t, "registration_closed", back[len(back)-1]["status"], "the tournament went back before its start, and said so")
}

// TestManualPaymentEvents: the organizer (a participant) learns a payment awaits it; a
// rejection is the player's alone.
func TestManualPaymentEvents(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	body := h.tournamentBody("cs2", "Bank transfer cup")
	body["payment_method"] = "manual"
	tid := h.openRegistration(t, org, body)
	playerID, player := h.fastUser(t, "payer")
	_, other := h.fastUser(t, "other")
	reg := h.join(t, tid, player)[0]
	h.call(t, "POST", "/v1/registrations/"+reg+"/payment", player, map[string]any{"reference": "BANK-1"}).requireStatus(t, http.StatusNoContent)
	h.call(t, "POST", "/v1/registrations/"+reg+"/payment/reject", org, nil).requireStatus(t, http.StatusOK)

	q := "&tournament_id=" + tid
	require.Len(t, h.eventsOf(t, org, events.RegistrationPaymentSubmitted, q), 1)
	require.Empty(t, h.eventsOf(t, other, events.RegistrationPaymentSubmitted, q))
	rejected := h.eventsOf(t, player, events.RegistrationPaymentRejected, q)
	require.Len(t, rejected, 1)
	require.Equal(t, playerID.String(), rejected[0]["_user_id"])
	require.Empty(t, h.eventsOf(t, org, events.RegistrationPaymentRejected, q))
}

// TestWithdrawalEvents: the owner is told of the decision; the money's moves are its
// wallet.transfer events.
func TestWithdrawalEvents(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := h.staff(t, "root", "admin")
	ids, tokens := h.fastPlayers(t, "wd", 1, 1000)
	w := h.call(t, "POST", "/v1/wallet/withdrawals", tokens[0], map[string]any{"amount": 300, "currency": "EUR"},
		"Idempotency-Key", "wd").requireStatus(t, http.StatusCreated).Body["id"].(string)
	h.call(t, "POST", "/v1/admin/withdrawals/"+w+"/reject", admin, nil, "Idempotency-Key", "no").requireStatus(t, http.StatusOK)

	decided := h.eventsOf(t, tokens[0], events.WithdrawalDecided, "")
	require.Len(t, decided, 1)
	require.Equal(t, map[string]any{"withdrawal_id": w, "status": "rejected", "amount": float64(300), "currency": "EUR",
		"_user_id": ids[0].String(), "_match_id": nil}, decided[0])
	require.Empty(t, h.eventsOf(t, admin, events.WithdrawalDecided, ""))
	require.Len(t, h.eventsOf(t, tokens[0], events.WalletTransfer, ""), 3, "deposit, hold, release")
}

// TestPlayEventsToTheEnd: a Swiss stage announces each round's matches as the workers pair
// them, a disqualification confirms every match it decides, and a completed tournament's
// ratings are announced once applied.
func TestPlayEventsToTheEnd(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.startWorkers(t)
	_, org := h.staffWithGame(t)

	swiss, reporters := h.startedWith(t, org, h.withoutCheckIn("Announced Swiss", "swiss", 8), 8, false,
		map[string]any{"swiss": map[string]any{"rounds": 3}})
	h.playToTheEnd(t, w, swiss, reporters)
	w.WaitIdle(t)
	perRound := map[float64]int{}
	for _, m := range h.eventsOf(t, "", events.MatchReady, "&tournament_id="+swiss) {
		perRound[m["round"].(float64)]++
	}
	require.Equal(t, map[float64]int{1: 4, 2: 4, 3: 4}, perRound, "every round's matches announced as paired")
	rated := h.eventsOf(t, "", events.LeaderboardUpdated, "&tournament_id="+swiss)
	require.Len(t, rated, 1)
	require.Equal(t, float64(8), rated[0]["competitors"])

	rr, _ := h.startedTournament(t, org, "round_robin", 4, false)
	m := h.readyMatches(t, rr)[0]
	h.call(t, "POST", "/v1/matches/"+m["id"].(string)+"/disqualify", org, map[string]any{"side": "a"}).requireStatus(t, http.StatusNoContent)
	confirmed := h.eventsOf(t, "", events.MatchConfirmed, "&tournament_id="+rr)
	require.Len(t, confirmed, 3, "the disqualified entrant's three round-robin matches, each decided")
	for _, c := range confirmed {
		require.Equal(t, "disqualified", c["status"])
		require.NotNil(t, c["_match_id"])
	}
}
