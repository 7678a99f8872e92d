package tests

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	arena "github.com/arenaesports/arena/openapi/clients/go"
)

// TestGoSDK drives Arena through the generated Go client, as a user of the SDK would: sign
// up, log in, read the account, be funded by an admin (with an idempotency key, replayed),
// and get Arena's problems back as typed errors.
func TestGoSDK(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ctx := context.Background()
	anonymous, err := arena.New(h.url, "")
	require.NoError(t, err)

	signup := arena.RegisterUserJSONRequestBody{Email: "sam@example.com", Handle: "sam", DisplayName: "Sam",
		Password: "a long enough passphrase"}
	created, err := anonymous.RegisterUserWithResponse(ctx, signup)
	require.NoError(t, arena.Check(created, err))
	again, err := anonymous.RegisterUserWithResponse(ctx, signup)
	var problem *arena.ProblemError
	require.ErrorAs(t, arena.Check(again, err), &problem)
	require.Equal(t, http.StatusConflict, problem.Status)
	require.Equal(t, "conflict", problem.Code())

	unauthorized, err := anonymous.GetMeWithResponse(ctx)
	require.ErrorAs(t, arena.Check(unauthorized, err), &problem)
	require.Equal(t, http.StatusUnauthorized, problem.Status)
	require.NotNil(t, unauthorized.ApplicationproblemJSON401, "the document declares the 401")

	session, err := anonymous.LoginWithResponse(ctx, arena.LoginJSONRequestBody{Login: "sam", Password: signup.Password})
	require.NoError(t, arena.Check(session, err))
	sam, err := arena.New(h.url, session.JSON200.Token)
	require.NoError(t, err)
	me, err := sam.GetMeWithResponse(ctx)
	require.NoError(t, arena.Check(me, err))
	require.Equal(t, "sam", me.JSON200.Handle)

	admin, err := arena.New(h.url, h.staff(t, "root", "admin"))
	require.NoError(t, err)
	key := arena.NewIdempotencyKey()
	deposit := func() *arena.CreateDepositResponse {
		r, err := admin.CreateDepositWithResponse(ctx, me.JSON200.Id, &arena.CreateDepositParams{IdempotencyKey: key},
			arena.CreateDepositJSONRequestBody{Amount: 2500, Currency: "EUR"})
		require.NoError(t, arena.Check(r, err))
		return r
	}
	first, replay := deposit(), deposit()
	require.Equal(t, first.JSON201.Id, replay.JSON201.Id, "the same key replays the first deposit")

	wallet, err := sam.GetWalletWithResponse(ctx)
	require.NoError(t, arena.Check(wallet, err))
	require.Equal(t, []arena.Balance{{Currency: "EUR", Available: 2500}}, wallet.JSON200.Balances)
}
