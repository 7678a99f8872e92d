package tests

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/modules/wallet"
)

// raw sends body verbatim: json.Marshal of a RawMessage keeps duplicate keys and escapes.
func raw(body string) json.RawMessage { return json.RawMessage(body) }

// TestCaseVariantAndDuplicateKeysAreRefused: Go's decoder matches keys case-insensitively
// and keeps the last of duplicates, while the validator checked the exact key; a variant
// or second key must be refused before it reaches a service or the database.
func TestCaseVariantAndDuplicateKeysAreRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin, org := h.staffWithGame(t)
	userID, player := h.player(t, "vera")
	deposit := "/v1/admin/users/" + userID + "/deposits"

	t.Run("Deposit", func(t *testing.T) {
		for i, body := range []string{
			`{"amount":5,"currency":"USD","Amount":10000000000000}`,
			`{"Amount":10000000000000,"currency":"USD"}`,
			`{"amount":5,"currency":"USD","amount":10000000000000}`,
			`{"amount":5,"currency":"USD","CURRENCY":"EUR"}`,
		} {
			r := h.call(t, "POST", deposit, admin, raw(body), "Idempotency-Key", "variant-"+string(rune('a'+i)))
			r.requireProblem(t, http.StatusUnprocessableEntity, "invalid")
		}
		w := h.call(t, "GET", "/v1/wallet", player, nil).requireStatus(t, http.StatusOK)
		require.Empty(t, w.Body["balances"], "no money moved")
		require.Equal(t, true, h.call(t, "GET", "/v1/admin/wallet/audit", admin, nil).Body["ok"])
	})

	t.Run("TournamentPatch", func(t *testing.T) {
		id := h.createTournament(t, org, "cs2", "Case Cup")
		for _, body := range []string{
			`{"entry_fee":{"amount":500,"currency":"EUR","Amount":99999999999999999}}`,
			`{"entry_fee":{"amount":500,"currency":"EUR","Amount":-100}}`,
			`{"entry_fee":{"amount":500,"currency":"EUR","amount":-100}}`,
			`{"Name":"Renamed"}`,
		} {
			h.call(t, "PATCH", "/v1/tournaments/"+id, org, raw(body)).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
		}
		got := h.call(t, "GET", "/v1/tournaments/"+id, org, nil).requireStatus(t, http.StatusOK)
		require.Equal(t, map[string]any{"amount": float64(500), "currency": "EUR"}, got.Body["entry_fee"])
		require.Equal(t, "Case Cup", got.Body["name"])
	})

	t.Run("SecondHandle", func(t *testing.T) {
		for _, body := range []string{
			`{"email":"hal@example.com","handle":"hal","display_name":"Hal","password":"correct horse hal","HANDLE":"Not A Handle!"}`,
			`{"email":"hal@example.com","handle":"hal","display_name":"Hal","password":"correct horse hal","handle":"Not A Handle!"}`,
		} {
			var r response
			n := h.countQueries(func() { r = h.call(t, "POST", "/v1/auth/register", "", raw(body)) })
			r.requireProblem(t, http.StatusUnprocessableEntity, "invalid")
			require.Zero(t, n, "refused before any query")
		}
		h.call(t, "POST", "/v1/auth/login", "", map[string]any{"login": "hal", "password": "correct horse hal"}).
			requireProblem(t, http.StatusUnauthorized, "unauthorized")
	})

	t.Run("ExactKeysStillWork", func(t *testing.T) {
		h.call(t, "POST", deposit, admin, raw(`{"amount":5,"currency":"USD"}`), "Idempotency-Key", "exact").
			requireStatus(t, http.StatusCreated)
	})
}

// TestNULBytesAreRefusedAtTheEdge: Postgres refuses a NUL or invalid UTF-8 in text
// (SQLSTATE 22021), which answered 500; the edge refuses a NUL in every body string and key,
// and either in every path, query parameter and header the API reads.
func TestNULBytesAreRefusedAtTheEdge(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin, org := h.staffWithGame(t)
	_, player := h.player(t, "nils")

	bodies := []struct{ method, path, token, body, location string }{
		{"POST", "/v1/tournaments", org, `{"name":"Cup\u0000","game":"cs2"}`, "body.name"},
		{"POST", "/v1/auth/login", "", `{"login":"nils\u0000","password":"x"}`, "body.login"},
		{"POST", "/v1/auth/register", "", `{"email":"a@example.com","handle":"abc","display_name":"A\u0000B","password":"correct horse abc"}`, "body.display_name"},
		{"POST", "/v1/teams", player, `{"name":"\u0000Team","tag":"T"}`, "body.name"},
		{"PATCH", "/v1/games/cs2", admin, `{"config_schema":{"type":"object","properties":{"a\u0000":{}}}}`, "body.config_schema.properties.a"},
		{"POST", "/v1/games", admin, `{"platforms":["pc","x\u0000"]}`, "body.platforms[1]"},
	}
	for _, c := range bodies {
		var r response
		n := h.countQueries(func() { r = h.call(t, c.method, c.path, c.token, raw(c.body)) })
		r.requireProblem(t, http.StatusUnprocessableEntity, "invalid")
		require.Equal(t, []string{c.location}, r.locations(), "%s %s", c.method, c.path)
		require.Zero(t, n, "%s %s: refused before any query", c.method, c.path)
	}

	for _, path := range []string{"/v1/tournaments/a%00b", "/v1/games/a%00b", "/v1/teams/%00", "/v1/games/cs2%00/leaderboard",
		"/v1/tournaments/a%FFb", "/v1/games/%C3"} {
		var r response
		n := h.countQueries(func() { r = h.call(t, "GET", path, player, nil) })
		r.requireProblem(t, http.StatusNotFound, "not_found")
		require.Zero(t, n, path)
	}
	for _, path := range []string{"/v1/tournaments?game=cs2%00", "/v1/games/cs2/leaderboard?cursor=%00", "/v1/games?x%00=1",
		"/v1/tournaments?game=%FF"} {
		var r response
		n := h.countQueries(func() { r = h.call(t, "GET", path, player, nil) })
		r.requireProblem(t, http.StatusUnprocessableEntity, "invalid")
		require.Zero(t, n, path)
	}
	// Invalid UTF-8 in a header an operation reads (the idempotency key is stored as text).
	uid := h.register(t, "utf")
	for _, key := range []string{"k\xff", "\xc3("} { // a NUL no HTTP/1 client can send
		r := h.call(t, "POST", "/v1/admin/users/"+uid+"/deposits", admin, map[string]any{"amount": 5, "currency": "EUR"}, "Idempotency-Key", key)
		r.requireProblem(t, http.StatusUnprocessableEntity, "invalid")
		require.Equal(t, []string{"header.Idempotency-Key"}, r.locations())
	}
	// The edge lets everything else through.
	h.call(t, "GET", "/v1/games/cs2", "", nil).requireStatus(t, http.StatusOK)
}

// TestDecodeErrorsSpeakTheAPI: a value the schema allows but the Go field cannot hold
// (beyond int32) was described with Go's struct and type names.
func TestDecodeErrorsSpeakTheAPI(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin, _ := h.staffWithGame(t)
	r := h.call(t, "POST", "/v1/games/cs2/seasons", admin, raw(
		`{"slug":"s1","name":"S","starts_at":"2030-01-01T00:00:00Z","ends_at":"2030-06-01T00:00:00Z","points":[3000000000]}`))
	r.requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	for _, leak := range []string{"Go ", "struct", "Season", "int32"} {
		require.NotContains(t, string(r.Raw), leak)
	}
	require.Contains(t, string(r.Raw), "body.points: expected an integer from -2147483648 to 2147483647")
	require.True(t, strings.Contains(string(r.Raw), "3000000000"), "says what it got: %s", r.Raw)
}

// TestNumbersBeyondFloat64AreInvalid: a valid JSON number too large for any number type
// (1e400, found by FuzzCheckJSON) is a body that cannot be read — 400, as for malformed
// JSON, since it fails before the schema is checked — said in the API's words.
func TestNumbersBeyondFloat64AreInvalid(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin, _ := h.staffWithGame(t)
	for _, body := range []string{
		`{"slug":"s1","name":"S","starts_at":"2030-01-01T00:00:00Z","ends_at":"2030-06-01T00:00:00Z","points":[1e400]}`,
		`{"slug":"s1","name":1` + strings.Repeat("6", 320) + `}`,
	} {
		r := h.call(t, "POST", "/v1/games/cs2/seasons", admin, raw(body))
		r.requireProblem(t, http.StatusBadRequest, "invalid")
		require.Contains(t, string(r.Raw), "is out of range")
		for _, leak := range []string{"Go ", "float64", "unmarshal"} {
			require.NotContains(t, string(r.Raw), leak)
		}
	}
}

// TestRolesWithAnObjectItemAreRefused: huma's uniqueItems check panicked on an object item
// (500); duplicates are still refused, by the service.
func TestRolesWithAnObjectItemAreRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := h.staff(t, "root", "admin")
	id := h.register(t, "rita")
	path := "/v1/admin/users/" + id + "/roles"
	r := h.call(t, "PUT", path, admin, raw(`{"roles":["organizer",{}]}`)).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	require.Contains(t, r.locations(), "body.roles[1]")
	h.call(t, "PUT", path, admin, raw(`{"roles":[["admin"],"organizer"]}`)).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	h.call(t, "PUT", path, admin, raw(`{"roles":["organizer","organizer"]}`)).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	r = h.call(t, "PUT", path, admin, raw(`{"roles":["organizer"]}`)).requireStatus(t, http.StatusOK)
	require.Equal(t, []any{"player", "organizer"}, r.Body["roles"])
}

// TestDepositToNoUserIsNotFound: a deposit to an unknown user id answered 201 and stranded
// the money in an account nobody owns, which the audit did not flag.
func TestDepositToNoUserIsNotFound(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := h.staff(t, "root", "admin")
	ghost := uuid.New()
	h.call(t, "POST", "/v1/admin/users/"+ghost.String()+"/deposits", admin, map[string]any{"amount": 500, "currency": "EUR"},
		"Idempotency-Key", "ghost").requireProblem(t, http.StatusNotFound, "not_found")
	var accounts int
	require.NoError(t, h.pool.QueryRow(context.Background(), "SELECT count(*) FROM wallet_accounts WHERE owner_id = $1", ghost).Scan(&accounts))
	require.Zero(t, accounts, "no account created")
	require.Equal(t, true, h.call(t, "GET", "/v1/admin/wallet/audit", admin, nil).Body["ok"])

	// Books holding such an account (from before deposits checked) fail the audit.
	_, err := h.app.Wallet.TransferMany(context.Background(), []wallet.Leg{{Debit: wallet.WorldAccount(), Credit: wallet.UserAccount(ghost),
		Amount: 500, Currency: "EUR", Kind: wallet.Deposit, Reference: "old deposit", Key: "ghost"}})
	require.NoError(t, err)
	a := h.call(t, "GET", "/v1/admin/wallet/audit", admin, nil).requireStatus(t, http.StatusOK)
	require.Equal(t, false, a.Body["ok"])
	v := a.Body["violations"].([]any)
	require.Len(t, v, 1)
	require.Equal(t, wallet.ViolationOwnerlessAccount, v[0].(map[string]any)["kind"])
	require.Equal(t, float64(500), v[0].(map[string]any)["amount"])
}

// TestPasswordPolicy follows NIST SP 800-63B: besides its length, a new password is
// refused when it is common or is the account's own handle or email.
func TestPasswordPolicy(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	body := func(password string) map[string]any {
		return map[string]any{"email": "Mallory.Q@example.com", "handle": "mallory_q", "display_name": "M", "password": password}
	}
	for password, says := range map[string]string{
		"password":              "most common",
		"12345678":              "most common",
		"PassWord":              "most common",
		"iloveyou":              "most common",
		"        ":              "one character",
		"zzzzzzzzzz":            "one character",
		"MALLORY_Q":             "handle or email",
		"mallory.q@EXAMPLE.com": "handle or email",
		"mallory.q":             "handle or email",
	} {
		r := h.call(t, "POST", "/v1/auth/register", "", body(password)).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
		require.Contains(t, r.Body["detail"], says, "password %q", password)
	}
	h.call(t, "POST", "/v1/auth/register", "", body("mallory's own phrase")).requireStatus(t, http.StatusCreated)
}
