package tests

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/internal/app"
	"github.com/arenaesports/arena/modules/identity"
)

func TestRegister(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	valid := func(handle string) map[string]any {
		return map[string]any{"email": handle + "@example.com", "handle": handle, "display_name": "Ann", "country": "SE", "password": "long enough pw"}
	}

	t.Run("Creates", func(t *testing.T) {
		r := h.call(t, "POST", "/v1/auth/register", "", valid("ann")).requireStatus(t, http.StatusCreated)
		require.Equal(t, "ann", r.Body["handle"])
		require.Equal(t, "SE", r.Body["country"])
		require.Equal(t, []any{"player"}, r.Body["roles"])
		require.NotContains(t, r.Body, "password")
		require.NotContains(t, r.Body, "password_hash")
	})
	t.Run("RejectsDuplicateEmailWhateverItsCase", func(t *testing.T) {
		h.call(t, "POST", "/v1/auth/register", "", valid("bob")).requireStatus(t, http.StatusCreated)
		in := valid("bob2")
		in["email"] = "BOB@Example.com"
		r := h.call(t, "POST", "/v1/auth/register", "", in).requireProblem(t, http.StatusConflict, "conflict")
		require.Contains(t, r.Body["detail"], "email")
	})
	t.Run("RejectsDuplicateHandle", func(t *testing.T) {
		h.call(t, "POST", "/v1/auth/register", "", valid("cat")).requireStatus(t, http.StatusCreated)
		in := valid("cat")
		in["email"] = "other@example.com"
		r := h.call(t, "POST", "/v1/auth/register", "", in).requireProblem(t, http.StatusConflict, "conflict")
		require.Contains(t, r.Body["detail"], "handle")
	})
	for name, tc := range map[string]struct {
		field    string
		value    any
		location string
	}{
		"BadEmail":          {"email", "not-an-email", "body.email"},
		"ShortHandle":       {"handle", "ab", "body.handle"},
		"UppercaseHandle":   {"handle", "Annie", "body.handle"},
		"ShortPassword":     {"password", "short", "body.password"},
		"LongPassword":      {"password", string(make([]byte, 129)), "body.password"},
		"EmptyDisplayName":  {"display_name", "", "body.display_name"},
		"BadCountry":        {"country", "Sweden", "body.country"},
		"UnknownFieldRoles": {"roles", []string{"admin"}, "body.roles"},
	} {
		t.Run("Rejects"+name, func(t *testing.T) {
			in := valid("val" + strconv.Itoa(len(name)))
			in["email"] = fmt.Sprintf("v%s@example.com", name)
			in[tc.field] = tc.value
			r := h.call(t, "POST", "/v1/auth/register", "", in).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
			require.Contains(t, r.locations(), tc.location)
		})
	}
}

func TestLoginSessions(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) { c.SessionIdle, c.SessionLifetime = time.Hour, 2*time.Hour })
	h.register(t, "bea")

	t.Run("ByEmailOrHandle", func(t *testing.T) {
		for _, login := range []string{"bea", "Bea", "BEA@example.com"} {
			r := h.call(t, "POST", "/v1/auth/login", "", map[string]any{"login": login, "password": "correct horse bea"}).requireStatus(t, http.StatusOK)
			require.Regexp(t, `^[A-Za-z0-9_-]{43}$`, r.Body["token"])
			require.Equal(t, "bea@example.com", r.Body["user"].(map[string]any)["email"])
		}
	})
	t.Run("WrongPasswordAndUnknownUserLookAlike", func(t *testing.T) {
		wrong := h.call(t, "POST", "/v1/auth/login", "", map[string]any{"login": "bea", "password": "nope nope"}).requireProblem(t, http.StatusUnauthorized, "unauthorized")
		unknown := h.call(t, "POST", "/v1/auth/login", "", map[string]any{"login": "nobody", "password": "nope nope"}).requireProblem(t, http.StatusUnauthorized, "unauthorized")
		require.Equal(t, wrong.Body, unknown.Body)
	})
	t.Run("MeNeedsAValidToken", func(t *testing.T) {
		token := h.login(t, "bea")
		r := h.call(t, "GET", "/v1/me", token, nil).requireStatus(t, http.StatusOK)
		require.Equal(t, "bea", r.Body["handle"])
		r = h.call(t, "GET", "/v1/me", "", nil).requireProblem(t, http.StatusUnauthorized, "unauthorized")
		require.Contains(t, r.Header.Get("WWW-Authenticate"), "Bearer")
		h.call(t, "GET", "/v1/me", "forged-token", nil).requireProblem(t, http.StatusUnauthorized, "unauthorized")
	})
	t.Run("LogoutRevokes", func(t *testing.T) {
		token := h.login(t, "bea")
		h.call(t, "POST", "/v1/auth/logout", token, nil).requireStatus(t, http.StatusNoContent)
		h.call(t, "GET", "/v1/me", token, nil).requireProblem(t, http.StatusUnauthorized, "unauthorized")
	})
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) { c.SessionIdle, c.SessionLifetime = time.Hour, 2*time.Hour })
	h.register(t, "cid")

	t.Run("IdleSessionEnds", func(t *testing.T) {
		token := h.login(t, "cid")
		h.clock.Advance(59 * time.Minute)
		h.call(t, "GET", "/v1/me", token, nil).requireStatus(t, http.StatusOK) // use pushes the idle deadline
		h.clock.Advance(59 * time.Minute)
		h.call(t, "GET", "/v1/me", token, nil).requireStatus(t, http.StatusOK)
		h.clock.Advance(61 * time.Minute)
		h.call(t, "GET", "/v1/me", token, nil).requireProblem(t, http.StatusUnauthorized, "unauthorized")
	})
	t.Run("ActiveSessionEndsAtItsLifetime", func(t *testing.T) {
		token := h.login(t, "cid")
		for i := 0; i < 3; i++ {
			h.clock.Advance(35 * time.Minute)
			h.call(t, "GET", "/v1/me", token, nil).requireStatus(t, http.StatusOK)
		}
		h.clock.Advance(16 * time.Minute) // 2h01m after login, 16 min after last use
		h.call(t, "GET", "/v1/me", token, nil).requireProblem(t, http.StatusUnauthorized, "unauthorized")
	})
}

// TestLockout: failures from many addresses still lock the one account, other accounts
// on the same address are unaffected, and the lock lifts after its window, doubling on
// a repeat.
func TestLockout(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) {
		c.TrustedProxies = mustPrefixes("127.0.0.0/8") // the test client is the "proxy"
	})
	h.register(t, "dan")
	h.register(t, "eve")
	from := func(i int) []string { return []string{"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i)} }
	fail := func(t testingT, i int) response {
		return h.call(t, "POST", "/v1/auth/login", "", map[string]any{"login": "dan", "password": "wrong password"}, from(i)...)
	}
	good := func(t testingT, handle string, i int) response {
		return h.call(t, "POST", "/v1/auth/login", "", map[string]any{"login": handle, "password": "correct horse " + handle}, from(i)...)
	}

	for i := 1; i <= 4; i++ {
		fail(t, i).requireProblem(t, http.StatusUnauthorized, "unauthorized")
	}
	r := fail(t, 5).requireProblem(t, http.StatusTooManyRequests, "rate_limited")
	require.Equal(t, "900", r.Header.Get("Retry-After"))

	// Even the right password is refused while locked, from any address.
	r = good(t, "dan", 6).requireProblem(t, http.StatusTooManyRequests, "rate_limited")
	require.Equal(t, "900", r.Header.Get("Retry-After"))
	// Another account on an address that took part is unaffected.
	good(t, "eve", 1).requireStatus(t, http.StatusOK)

	h.clock.Advance(10 * time.Minute)
	r = good(t, "dan", 1).requireProblem(t, http.StatusTooManyRequests, "rate_limited")
	require.Equal(t, "300", r.Header.Get("Retry-After"))

	// A repeat lockout before any successful login lasts twice as long.
	h.clock.Advance(5*time.Minute + time.Second)
	for i := 1; i <= 4; i++ {
		fail(t, i).requireProblem(t, http.StatusUnauthorized, "unauthorized")
	}
	require.Equal(t, "1800", fail(t, 5).requireStatus(t, http.StatusTooManyRequests).Header.Get("Retry-After"))

	h.clock.Advance(30*time.Minute + time.Second)
	good(t, "dan", 7).requireStatus(t, http.StatusOK)
	// The success reset the count: four new failures do not lock.
	for i := 1; i <= 4; i++ {
		fail(t, i).requireProblem(t, http.StatusUnauthorized, "unauthorized")
	}
	good(t, "dan", 7).requireStatus(t, http.StatusOK)

	t.Run("FailuresOutsideTheWindowDoNotAddUp", func(t *testing.T) {
		for i := 1; i <= 4; i++ {
			fail(t, i).requireProblem(t, http.StatusUnauthorized, "unauthorized")
		}
		h.clock.Advance(16 * time.Minute)
		fail(t, 5).requireProblem(t, http.StatusUnauthorized, "unauthorized")
	})
}

func TestAuthRateLimitPerAddress(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) {
		c.TrustedProxies = mustPrefixes("127.0.0.0/8")
		c.AuthRateLimit = 6 // a burst of 10, then one every 10 s
	})
	body := map[string]any{"login": "nobody", "password": "whatever1"}
	for i := 0; i < 10; i++ {
		h.call(t, "POST", "/v1/auth/login", "", body, "X-Forwarded-For", "198.51.100.1").requireStatus(t, http.StatusUnauthorized)
	}
	r := h.call(t, "POST", "/v1/auth/login", "", body, "X-Forwarded-For", "198.51.100.1").requireProblem(t, http.StatusTooManyRequests, "rate_limited")
	require.Equal(t, "10", r.Header.Get("Retry-After"))
	h.call(t, "POST", "/v1/auth/login", "", body, "X-Forwarded-For", "198.51.100.2").requireStatus(t, http.StatusUnauthorized)
	h.clock.Advance(10 * time.Second)
	h.call(t, "POST", "/v1/auth/login", "", body, "X-Forwarded-For", "198.51.100.1").requireStatus(t, http.StatusUnauthorized)
}

func TestClientIPIgnoresUntrustedForwarding(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) { c.AuthRateLimit = 6 }) // no trusted proxies
	body := map[string]any{"login": "nobody", "password": "whatever1"}
	for i := 0; i < 10; i++ {
		h.call(t, "POST", "/v1/auth/login", "", body, "X-Forwarded-For", fmt.Sprintf("192.0.2.%d", i)).requireStatus(t, http.StatusUnauthorized)
	}
	// Spoofed X-Forwarded-For did not spread the requests over ten addresses.
	h.call(t, "POST", "/v1/auth/login", "", body, "X-Forwarded-For", "192.0.2.99").requireProblem(t, http.StatusTooManyRequests, "rate_limited")
}

func TestStoredHashIsArgon2id(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	id := h.register(t, "fay")
	var hash string
	require.NoError(t, h.pool.QueryRow(context.Background(), "SELECT password_hash FROM users WHERE id = $1", id).Scan(&hash))
	m := regexp.MustCompile(`^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`).FindStringSubmatch(hash)
	require.NotNil(t, m, "hash %q is not a PHC argon2id string", hash)
	mem, _ := strconv.Atoi(m[1])
	iter, _ := strconv.Atoi(m[2])
	require.GreaterOrEqual(t, mem, 19456)
	require.GreaterOrEqual(t, iter, 2)
}

func TestSetRoles(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ctx := context.Background()
	_, err := h.app.Identity.CreateUser(ctx, identity.NewUser{Email: "root@example.com", Handle: "root", DisplayName: "Root", Password: "correct horse root"}, []string{"admin"})
	require.NoError(t, err)
	admin := h.login(t, "root")
	gilID, gil := h.player(t, "gil")

	path := "/v1/admin/users/" + gilID + "/roles"
	h.call(t, "PUT", path, "", map[string]any{"roles": []string{"organizer"}}).requireProblem(t, http.StatusUnauthorized, "unauthorized")
	h.call(t, "PUT", path, gil, map[string]any{"roles": []string{"admin"}}).requireProblem(t, http.StatusForbidden, "forbidden")
	r := h.call(t, "PUT", path, admin, map[string]any{"roles": []string{"wizard"}}).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	require.Contains(t, r.locations(), "body.roles[0]")
	h.call(t, "PUT", "/v1/admin/users/01900000-0000-7000-8000-000000000000/roles", admin, map[string]any{"roles": []string{}}).
		requireProblem(t, http.StatusNotFound, "not_found")

	r = h.call(t, "PUT", path, admin, map[string]any{"roles": []string{"organizer"}}).requireStatus(t, http.StatusOK)
	require.Equal(t, []any{"player", "organizer"}, r.Body["roles"])
	// The change ended gil's sessions, so stale roles cannot linger in one.
	h.call(t, "GET", "/v1/me", gil, nil).requireProblem(t, http.StatusUnauthorized, "unauthorized")
	r = h.call(t, "GET", "/v1/me", h.login(t, "gil"), nil).requireStatus(t, http.StatusOK)
	require.Equal(t, []any{"player", "organizer"}, r.Body["roles"])
}

func TestTeams(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	capID, captain := h.player(t, "hal")
	ivyID, ivy := h.player(t, "ivy")
	_, jon := h.player(t, "jon")

	h.call(t, "POST", "/v1/teams", "", map[string]any{"name": "Anon"}).requireProblem(t, http.StatusUnauthorized, "unauthorized")
	h.call(t, "POST", "/v1/teams", captain, map[string]any{"name": "X", "max_members": 99}).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	r := h.call(t, "POST", "/v1/teams", captain, map[string]any{"name": "Night Owls", "tag": "OWL", "max_members": 2}).requireStatus(t, http.StatusCreated)
	teamID := r.Body["id"].(string)
	require.Equal(t, capID, r.Body["captain_id"])
	h.call(t, "POST", "/v1/teams", jon, map[string]any{"name": "night owls"}).requireProblem(t, http.StatusConflict, "conflict")

	invites := "/v1/teams/" + teamID + "/invites"
	h.call(t, "POST", invites, ivy, map[string]any{"handle": "jon"}).requireProblem(t, http.StatusForbidden, "forbidden")
	h.call(t, "POST", invites, captain, map[string]any{"handle": "nobody"}).requireProblem(t, http.StatusNotFound, "not_found")
	h.call(t, "POST", invites, captain, map[string]any{"handle": "hal"}).requireProblem(t, http.StatusConflict, "conflict")
	inv := h.call(t, "POST", invites, captain, map[string]any{"handle": "ivy"}).requireStatus(t, http.StatusCreated)
	h.call(t, "POST", invites, captain, map[string]any{"handle": "ivy"}).requireProblem(t, http.StatusConflict, "conflict")
	inviteID := inv.Body["id"].(string)

	mine := h.call(t, "GET", "/v1/me/team-invites", ivy, nil).requireStatus(t, http.StatusOK)
	items := mine.Body["items"].([]any)
	require.Len(t, items, 1)
	require.Equal(t, "Night Owls", items[0].(map[string]any)["team"].(map[string]any)["name"])
	require.Equal(t, "hal", items[0].(map[string]any)["inviter"].(map[string]any)["handle"])

	// Someone else's invite does not exist for them.
	h.call(t, "POST", "/v1/team-invites/"+inviteID+"/accept", jon, nil).requireProblem(t, http.StatusNotFound, "not_found")
	r = h.call(t, "POST", "/v1/team-invites/"+inviteID+"/accept", ivy, nil).requireStatus(t, http.StatusOK)
	require.Len(t, r.Body["members"], 2)
	h.call(t, "POST", "/v1/team-invites/"+inviteID+"/accept", ivy, nil).requireProblem(t, http.StatusConflict, "conflict")
	h.call(t, "POST", invites, captain, map[string]any{"handle": "jon"}).requireProblem(t, http.StatusConflict, "conflict") // full

	r = h.call(t, "GET", "/v1/teams/"+teamID, "", nil).requireStatus(t, http.StatusOK)
	members := r.Body["members"].([]any)
	require.Len(t, members, 2)
	for _, m := range members {
		require.NotContains(t, m, "email", "a public roster never shows emails")
	}
	require.Equal(t, "hal", members[0].(map[string]any)["handle"])
	h.call(t, "GET", "/v1/teams/not-a-uuid", "", nil).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
	h.call(t, "GET", "/v1/teams/01900000-0000-7000-8000-000000000000", "", nil).requireProblem(t, http.StatusNotFound, "not_found")

	member := func(id string) string { return "/v1/teams/" + teamID + "/members/" + id }
	h.call(t, "DELETE", member(capID), jon, nil).requireProblem(t, http.StatusForbidden, "forbidden")
	h.call(t, "DELETE", member(ivyID), jon, nil).requireProblem(t, http.StatusForbidden, "forbidden")
	h.call(t, "DELETE", member(capID), captain, nil).requireProblem(t, http.StatusConflict, "conflict")
	h.call(t, "DELETE", member(ivyID), ivy, nil).requireStatus(t, http.StatusNoContent) // leaving
	h.call(t, "DELETE", member(ivyID), captain, nil).requireProblem(t, http.StatusNotFound, "not_found")

	t.Run("ListPagesAndDecline", func(t *testing.T) {
		var ids []string
		for i := 0; i < 3; i++ {
			_, cap := h.player(t, fmt.Sprintf("cap%d", i))
			team := h.call(t, "POST", "/v1/teams", cap, map[string]any{"name": fmt.Sprintf("Team %d", i)}).requireStatus(t, http.StatusCreated)
			inv := h.call(t, "POST", "/v1/teams/"+team.Body["id"].(string)+"/invites", cap, map[string]any{"handle": "jon"}).requireStatus(t, http.StatusCreated)
			ids = append(ids, inv.Body["id"].(string))
			h.clock.Advance(time.Second)
		}
		page := h.call(t, "GET", "/v1/me/team-invites?limit=2", jon, nil).requireStatus(t, http.StatusOK)
		require.Len(t, page.Body["items"], 2)
		require.Equal(t, ids[2], page.Body["items"].([]any)[0].(map[string]any)["id"], "newest first")
		cursor := page.Body["next_cursor"].(string)
		page = h.call(t, "GET", "/v1/me/team-invites?limit=2&cursor="+cursor, jon, nil).requireStatus(t, http.StatusOK)
		require.Len(t, page.Body["items"], 1)
		require.Equal(t, ids[0], page.Body["items"].([]any)[0].(map[string]any)["id"])
		require.NotContains(t, page.Body, "next_cursor")
		h.call(t, "GET", "/v1/me/team-invites?cursor=garbage", jon, nil).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
		h.call(t, "GET", "/v1/me/team-invites?limit=101", jon, nil).requireProblem(t, http.StatusUnprocessableEntity, "invalid")

		h.call(t, "POST", "/v1/team-invites/"+ids[1]+"/decline", jon, nil).requireStatus(t, http.StatusNoContent)
		h.call(t, "POST", "/v1/team-invites/"+ids[1]+"/decline", jon, nil).requireProblem(t, http.StatusConflict, "conflict")
		page = h.call(t, "GET", "/v1/me/team-invites", jon, nil).requireStatus(t, http.StatusOK)
		require.Len(t, page.Body["items"], 2)
	})
}

func mustPrefixes(cidrs ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(cidrs))
	for i, c := range cidrs {
		out[i] = netip.MustParsePrefix(c)
	}
	return out
}
