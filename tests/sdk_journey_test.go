package tests

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"
	"github.com/stretchr/testify/require"

	arena "github.com/arenaesports/arena/openapi/clients/go"
)

// TestSDKJourney drives a whole paid team tournament through the generated Go client against
// a real `arena serve` (its own process, its own River workers): an admin adds a game and
// funds the players, an organizer makes a paid team tournament, players form teams and
// join (every member pays), the bracket is laid and played — one result agreed, one
// disputed and resolved, one forfeited — the tournament completes and its prizes are paid;
// the leaderboard and the feed show it. It is the suite to copy to start a client.
func TestSDKJourney(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts an Arena process: not in -short")
	}
	h := newHarness(t, nil)
	url, _ := h.serveElsewhere(t)
	ctx := context.Background()
	client := func(token string) *arena.ClientWithResponses {
		c, err := arena.New(url, token)
		require.NoError(t, err)
		return c
	}
	admin := client(h.staff(t, "root", "admin"))
	org := client(h.staff(t, "olga", "organizer"))

	game, err := admin.CreateGameWithResponse(ctx, arena.GameBody{Slug: "duo", Name: "Duo", TeamSizeMin: 2, TeamSizeMax: 2})
	require.NoError(t, arena.Check(game, err))

	// Eight players, funded by the admin, in four teams of two.
	type team struct {
		name    string
		id      uuid.UUID
		captain *arena.ClientWithResponses
	}
	var teams []team
	for i := range 4 {
		var members []*arena.ClientWithResponses
		var handles []string
		for j := range 2 {
			handle := fmt.Sprintf("p%d%d", i, j)
			var id uuid.UUID
			var token string
			if i == 0 { // the first team signs up as anyone would
				password := "a long enough passphrase " + handle
				r, err := client("").RegisterUserWithResponse(ctx, arena.RegisterUserJSONRequestBody{
					Email: openapi_types.Email(handle + "@example.com"), Handle: handle, DisplayName: handle, Password: password})
				require.NoError(t, arena.Check(r, err))
				s, err := client("").LoginWithResponse(ctx, arena.LoginJSONRequestBody{Login: handle, Password: password})
				require.NoError(t, arena.Check(s, err))
				id, token = r.JSON201.Id, s.JSON200.Token
			} else { // the others straight in the database: the sign-up limit (10 at once per address) would refuse eight
				id, token = h.fastUser(t, handle)
			}
			d, err := admin.CreateDepositWithResponse(ctx, id, &arena.CreateDepositParams{IdempotencyKey: arena.NewIdempotencyKey()},
				arena.CreateDepositJSONRequestBody{Amount: 1000, Currency: "EUR"})
			require.NoError(t, arena.Check(d, err))
			members, handles = append(members, client(token)), append(handles, handle)
		}
		name := fmt.Sprintf("Duo %d", i)
		created, err := members[0].CreateTeamWithResponse(ctx, arena.CreateTeamRequest{Name: name})
		require.NoError(t, arena.Check(created, err))
		inv, err := members[0].CreateTeamInviteWithResponse(ctx, created.JSON201.Id, arena.InviteRequest{Handle: handles[1]})
		require.NoError(t, arena.Check(inv, err))
		acc, err := members[1].AcceptTeamInviteWithResponse(ctx, inv.JSON201.Id)
		require.NoError(t, arena.Check(acc, err))
		teams = append(teams, team{name, created.JSON201.Id, members[0]})
	}

	now := time.Now().UTC()
	body := arena.TournamentInput{Name: "Duo Cup", Game: "duo", Format: "single_elimination", ParticipantType: "team", Capacity: 4,
		EntryFee: &arena.Money{Amount: 300, Currency: "EUR"}, PrizeDistribution: &[]int32{70, 30},
		RegistrationOpensAt: now.Add(-time.Hour), RegistrationClosesAt: now.Add(time.Hour), StartsAt: now.Add(2 * time.Hour)}
	created, err := org.CreateTournamentWithResponse(ctx, body)
	require.NoError(t, arena.Check(created, err))
	tid := created.JSON201.Id
	for _, step := range []func() (interface{ StatusCode() int }, error){
		func() (interface{ StatusCode() int }, error) { return org.PublishTournamentWithResponse(ctx, tid) },
		func() (interface{ StatusCode() int }, error) {
			return org.OpenTournamentRegistrationWithResponse(ctx, tid)
		},
	} {
		r, err := step()
		require.NoError(t, arena.Check(r, err))
	}
	captains := map[string]*arena.ClientWithResponses{}
	for _, tm := range teams {
		teamID := tm.id
		r, err := tm.captain.CreateRegistrationWithResponse(ctx, tid, &arena.CreateRegistrationParams{IdempotencyKey: arena.NewIdempotencyKey()},
			arena.CreateRegistrationJSONRequestBody{TeamId: &teamID})
		require.NoError(t, arena.Check(r, err))
		captains[tm.name] = tm.captain
	}
	wallet, err := teams[0].captain.GetWalletWithResponse(ctx)
	require.NoError(t, arena.Check(wallet, err))
	require.Equal(t, int64(700), wallet.JSON200.Balances[0].Available, "each member paid the fee")

	closed, err := org.CloseTournamentRegistrationWithResponse(ctx, tid)
	require.NoError(t, arena.Check(closed, err))
	bracket, err := org.CreateBracketWithResponse(ctx, tid, arena.CreateBracketJSONRequestBody{})
	require.NoError(t, arena.Check(bracket, err))

	ready := func() []arena.MatchView {
		status := arena.ListMatchesParamsStatus("ready")
		r, err := org.ListMatchesWithResponse(ctx, tid, &arena.ListMatchesParams{Status: &status})
		require.NoError(t, arena.Check(r, err))
		return r.JSON200.Items
	}
	report := func(m arena.MatchView, side arena.Side, a, b int32) {
		r, err := captains[*side.Name].ReportMatchResultWithResponse(ctx, m.Id, arena.ReportMatchResultJSONRequestBody{ScoreA: a, ScoreB: b})
		require.NoError(t, arena.Check(r, err))
	}
	semis := ready()
	require.Len(t, semis, 2)
	report(semis[0], semis[0].A, 1, 0) // agreed
	report(semis[0], semis[0].B, 1, 0)
	report(semis[1], semis[1].A, 1, 0) // disputed: each side says it won
	report(semis[1], semis[1].B, 0, 1)
	resolved, err := org.ResolveMatchWithResponse(ctx, semis[1].Id, arena.ResolveMatchJSONRequestBody{ScoreA: 0, ScoreB: 1})
	require.NoError(t, arena.Check(resolved, err))
	final := ready()
	require.Len(t, final, 1)
	forfeit, err := org.ForfeitMatchWithResponse(ctx, final[0].Id, arena.ForfeitMatchJSONRequestBody{Side: "b"})
	require.NoError(t, arena.Check(forfeit, err))
	winner := *final[0].A.Name

	var statement *arena.Statement
	h.awaitCrossProcess(t, "the prizes paid", func() bool {
		r, err := org.GetTournamentPayoutsWithResponse(ctx, tid)
		if err != nil || r.JSON200 == nil {
			return false
		}
		statement = r.JSON200
		return statement.Status == "paid"
	})
	require.Equal(t, winner, statement.Places[0].Name)
	paid, err := captains[winner].GetWalletWithResponse(ctx)
	require.NoError(t, arena.Check(paid, err))
	require.Greater(t, paid.JSON200.Balances[0].Available, int64(700), "the winners' captain got a share of the pool")

	h.awaitCrossProcess(t, "the leaderboard", func() bool {
		board, err := client("").GetLeaderboardWithResponse(ctx, "duo", nil)
		return err == nil && board.JSON200 != nil && len(board.JSON200.Items) == 4
	})
	// The feed shows an event once every older transaction of the cluster has ended (other
	// tests' included): it is polled, as a client following the log would.
	kind := arena.ListEventsParamsType("payout.completed")
	h.awaitCrossProcess(t, "the feed to tell anyone the payout is done", func() bool {
		feed, err := client("").ListEventsWithResponse(ctx, &arena.ListEventsParams{TournamentId: &tid, Type: &kind})
		require.NoError(t, arena.Check(feed, err))
		return len(feed.JSON200.Items) == 1
	})
}
