package tests

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/wallet"
)

// staffWithGame makes what most suites start from: the admin root, the organizer olga,
// and the game cs2 (made by root). It returns root's and olga's tokens.
func (h *harness) staffWithGame(t testingT) (admin, org string) {
	t.Helper()
	admin = h.staff(t, "root", "admin")
	org = h.staff(t, "olga", "organizer")
	h.game(t, admin, "cs2")
	return admin, org
}

// game creates a game whose settings need best_of ∈ {1,3,5} and allow a map pool.
func (h *harness) game(t testingT, admin, slug string) {
	t.Helper()
	h.call(t, "POST", "/v1/games", admin, map[string]any{
		"slug": slug, "name": strings.ToUpper(slug), "team_size_min": 1, "team_size_max": 5, "platforms": []string{"pc"},
		"config_schema": map[string]any{
			"type": "object", "additionalProperties": false, "required": []string{"best_of"},
			"properties": map[string]any{
				"best_of":  map[string]any{"enum": []int{1, 3, 5}},
				"map_pool": map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
			},
		},
	}).requireStatus(t, http.StatusCreated)
}

// tournamentBody is a valid tournament scheduled relative to the harness clock:
// registration open now until +1h, check-in +2h to +3h, start +4h.
func (h *harness) tournamentBody(game, name string) map[string]any {
	now := h.clock.Now()
	at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	return map[string]any{
		"name": name, "game": game, "format": "single_elimination", "participant_type": "solo", "capacity": 16,
		"entry_fee":             map[string]any{"amount": 500, "currency": "EUR"},
		"prize_distribution":    []int{60, 30, 10},
		"registration_opens_at": at(-time.Hour), "registration_closes_at": at(time.Hour),
		"check_in_opens_at": at(2 * time.Hour), "check_in_closes_at": at(3 * time.Hour), "starts_at": at(4 * time.Hour),
		"game_settings": map[string]any{"best_of": 3, "map_pool": []string{"dust2", "mirage"}},
	}
}

// createTournament creates a draft and returns its id.
func (h *harness) createTournament(t testingT, token, game, name string) string {
	t.Helper()
	return h.call(t, "POST", "/v1/tournaments", token, h.tournamentBody(game, name)).requireStatus(t, http.StatusCreated).Body["id"].(string)
}

// transitionTo names the transition endpoint that reaches each status.
var transitionTo = map[string]string{
	"published": "publish", "registration_open": "open-registration", "registration_closed": "close-registration",
	"check_in": "open-check-in", "running": "start", "completed": "complete", "cancelled": "cancel",
}

// driveTo creates a tournament and moves it to status, advancing the clock into the
// windows the schedule needs. A tournament driven past registration has two paid entrants,
// checked in when it goes through check-in, so that it can start: a tournament starts only
// with a bracket.
func (h *harness) driveTo(t testingT, token, game, status string) string {
	t.Helper()
	id := h.createTournament(t, token, game, "Cup to "+status)
	path := map[string][]string{
		"draft": {}, "published": {"published"}, "registration_open": {"published", "registration_open"},
		"registration_closed": {"published", "registration_open", "registration_closed"},
		"check_in":            {"published", "registration_open", "registration_closed", "check_in"},
		"running":             {"published", "registration_open", "registration_closed", "check_in", "running"},
		"completed":           {"published", "registration_open", "registration_closed", "check_in", "running", "completed"},
		"cancelled":           {"cancelled"},
	}[status]
	var entries []string
	for _, s := range path {
		switch s {
		case "registration_closed":
			_, tokens := h.fastPlayers(t, fmt.Sprintf("dr%d_", h.next()), 2, 1000)
			entries = h.join(t, id, tokens...)
		case "check_in":
			h.clock.Advance(2*time.Hour + 30*time.Minute) // inside the check-in window
		case "running":
			h.clock.Advance(time.Hour) // check-in over
		}
		h.call(t, "POST", "/v1/tournaments/"+id+"/"+transitionTo[s], token, nil).requireStatus(t, http.StatusOK)
		if s == "check_in" {
			for _, reg := range entries {
				h.call(t, "POST", "/v1/registrations/"+reg+"/check-in", token, nil).requireStatus(t, http.StatusOK)
			}
		}
	}
	return id
}

// fastPlayers creates n players with a session each and funds (EUR minor units) in their
// wallets, straight in the database: load tests need hundreds of signed-in players, and
// hashing hundreds of passwords would only measure argon2.
func (h *harness) fastPlayers(t testingT, prefix string, n int, funds int64) (ids []uuid.UUID, tokens []string) {
	t.Helper()
	var legs []wallet.Leg
	for i := 0; i < n; i++ {
		id, token := h.fastUser(t, fmt.Sprintf("%s%d", prefix, i))
		ids, tokens = append(ids, id), append(tokens, token)
		legs = append(legs, wallet.Leg{Debit: wallet.WorldAccount(), Credit: wallet.UserAccount(id), Amount: funds,
			Currency: "EUR", Kind: wallet.Deposit, Reference: "fast players", Key: id.String()})
		if len(legs) == 500 || i == n-1 {
			_, err := h.app.Wallet.TransferMany(context.Background(), legs)
			require.NoError(t, err)
			legs = nil
		}
	}
	return ids, tokens
}

// fastUser inserts a user with roles beyond player and a session, straight in the
// database (see fastPlayers), and returns its id and token.
func (h *harness) fastUser(t testingT, handle string, roles ...string) (uuid.UUID, string) {
	t.Helper()
	ctx, now, id := context.Background(), h.clock.Now(), db.NewID()
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(token))
	_, err := h.pool.Exec(ctx, `INSERT INTO users (id, email, handle, display_name, password_hash, roles, created_at, updated_at)
		VALUES ($1, $2, $3, $3, 'x', $4, $5, $5)`, id, handle+"@example.com", handle, append([]string{"player"}, roles...), now)
	require.NoError(t, err)
	_, err = h.pool.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
		VALUES ($1, $2, $3, $3, $4)`, sum[:], id, now, now.Add(24*time.Hour))
	require.NoError(t, err)
	return id, token
}

// join registers each player (solo) in a tournament and returns the registrations' ids.
func (h *harness) join(t testingT, tid string, tokens ...string) []string {
	t.Helper()
	regs := make([]string, len(tokens))
	for i, tok := range tokens {
		regs[i] = h.call(t, "POST", "/v1/tournaments/"+tid+"/registrations", tok, map[string]any{}, "Idempotency-Key", "join "+tid).
			requireStatus(t, http.StatusCreated).Body["id"].(string)
	}
	return regs
}

// paidSolo creates a solo tournament of cs2 with registration open and a 500-cent entry fee.
func (h *harness) paidSolo(t testingT, org string, capacity int) string {
	t.Helper()
	body := h.tournamentBody("cs2", fmt.Sprintf("Race %d", capacity))
	body["capacity"] = capacity
	return h.openRegistration(t, org, body)
}

// openRegistration creates the tournament body describes and opens its registration.
func (h *harness) openRegistration(t testingT, org string, body map[string]any) string {
	t.Helper()
	id := h.call(t, "POST", "/v1/tournaments", org, body).requireStatus(t, http.StatusCreated).Body["id"].(string)
	for _, step := range []string{"publish", "open-registration"} {
		h.call(t, "POST", "/v1/tournaments/"+id+"/"+step, org, nil).requireStatus(t, http.StatusOK)
	}
	return id
}

// withoutCheckIn is a cs2 tournament body of format and capacity that goes from
// registration straight to its bracket.
func (h *harness) withoutCheckIn(name, format string, capacity int) map[string]any {
	body := h.tournamentBody("cs2", name)
	body["format"], body["capacity"] = format, capacity
	delete(body, "check_in_opens_at")
	delete(body, "check_in_closes_at")
	return body
}

// startedTournament registers n entrants (solo, or teams of two) in a cs2 tournament of
// format without check-in, builds its bracket and returns the tournament id and each
// entrant's reporter token by display name.
func (h *harness) startedTournament(t testingT, org, format string, n int, teams bool) (string, map[string]string) {
	t.Helper()
	body := h.withoutCheckIn(fmt.Sprintf("%s of %d", format, n), format, n)
	if n < 3 {
		delete(body, "prize_distribution") // three places need three entrants
	}
	return h.startedFrom(t, org, body, n, teams)
}

// startedFrom opens registration for the tournament body describes (without check-in),
// registers n entrants (solo, or teams of two), builds its bracket, and returns the
// tournament id and each entrant's reporter token by display name.
func (h *harness) startedFrom(t testingT, org string, body map[string]any, n int, teams bool) (string, map[string]string) {
	t.Helper()
	return h.startedWith(t, org, body, n, teams, map[string]any{})
}

// startedWith is startedFrom with the bracket options of create-bracket.
func (h *harness) startedWith(t testingT, org string, body map[string]any, n int, teams bool, options map[string]any) (string, map[string]string) {
	t.Helper()
	seq := h.next() // handles must be unique across calls
	if teams {
		body["participant_type"] = "team"
	}
	tid := h.openRegistration(t, org, body)
	size := 1
	if teams {
		size = 2
	}
	prefix := fmt.Sprintf("%s%d_%d_", body["format"].(string)[:2], n, seq)
	ids, tokens := h.fastPlayers(t, prefix, n*size, 1000)
	reporters := map[string]string{}
	for i := 0; i < n; i++ {
		in := map[string]any{}
		name := fmt.Sprintf("%s%d", prefix, i*size)
		if teams {
			name = fmt.Sprintf("Team %d.%d", seq, i)
			in["team_id"] = h.team(t, name, ids[2*i], ids[2*i+1]).String()
		}
		h.call(t, "POST", "/v1/tournaments/"+tid+"/registrations", tokens[i*size], in, "Idempotency-Key", fmt.Sprint("j", i)).
			requireStatus(t, http.StatusCreated)
		reporters[name] = tokens[i*size]
	}
	h.call(t, "POST", "/v1/tournaments/"+tid+"/close-registration", org, nil).requireStatus(t, http.StatusOK)
	b := h.call(t, "POST", "/v1/tournaments/"+tid+"/bracket", org, options).requireStatus(t, http.StatusCreated)
	require.NotEmpty(t, b.Body["matches"])
	return tid, reporters
}

// team makes a team of the captain and a member, straight in the database.
func (h *harness) team(t testingT, name string, captain, member uuid.UUID) uuid.UUID {
	t.Helper()
	team := db.NewID()
	_, err := h.pool.Exec(context.Background(), `INSERT INTO teams (id, name, captain_id, max_members, created_at, updated_at)
		VALUES ($1, $2, $3, 5, now(), now())`, team, name, captain)
	require.NoError(t, err)
	_, err = h.pool.Exec(context.Background(), `INSERT INTO team_members (team_id, user_id, joined_at)
		VALUES ($1, $2, now()), ($1, $3, now() + interval '1 ms')`, team, captain, member)
	require.NoError(t, err)
	return team
}

// soloTournament runs a solo cs2 tournament of format for players already made (reporters
// by handle) through registration to a built bracket, seeded by seeding.
func (h *harness) soloTournament(t testingT, org, format, seeding string, reporters map[string]string) string {
	t.Helper()
	tid := h.openRegistration(t, org, h.withoutCheckIn(fmt.Sprintf("Rated %s %d", format, h.next()), format, len(reporters)))
	for handle, token := range reporters {
		h.call(t, "POST", "/v1/tournaments/"+tid+"/registrations", token, map[string]any{}, "Idempotency-Key", tid+handle).
			requireStatus(t, http.StatusCreated)
	}
	h.call(t, "POST", "/v1/tournaments/"+tid+"/close-registration", org, nil).requireStatus(t, http.StatusOK)
	h.call(t, "POST", "/v1/tournaments/"+tid+"/bracket", org, map[string]any{"seeding": map[string]any{"method": seeding}}).
		requireStatus(t, http.StatusCreated)
	return tid
}

// readyMatches lists the ready matches of a bracket with both sides' names.
func (h *harness) readyMatches(t testingT, tid string) []map[string]any {
	t.Helper()
	b := h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(t, http.StatusOK)
	var out []map[string]any
	for _, m := range b.Body["matches"].([]any) {
		if mm := m.(map[string]any); mm["status"] == "ready" {
			out = append(out, mm)
		}
	}
	return out
}

// sideName is the name of side ("a" or "b") of a match as the API shows it.
func sideName(m map[string]any, side string) string {
	return m[side].(map[string]any)["name"].(string)
}

// playReady has both sides report every ready match, side a winning, and returns the names
// that played.
func (h *harness) playReady(t testingT, tid string, reporters map[string]string) map[string]bool {
	t.Helper()
	played := map[string]bool{}
	for _, m := range h.readyMatches(t, tid) {
		a, b := sideName(m, "a"), sideName(m, "b")
		played[a], played[b] = true, true
		score := map[string]any{"score_a": 2, "score_b": 0}
		h.call(t, "POST", "/v1/matches/"+m["id"].(string)+"/reports", reporters[a], score).requireStatus(t, http.StatusOK)
		h.call(t, "POST", "/v1/matches/"+m["id"].(string)+"/reports", reporters[b], score).requireStatus(t, http.StatusOK)
	}
	return played
}

// standingsByName maps each entrant's name to its standing.
func (h *harness) standingsByName(t testingT, tid string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, row := range h.call(t, "GET", "/v1/tournaments/"+tid+"/standings", "", nil).requireStatus(t, http.StatusOK).Body["items"].([]any) {
		st := row.(map[string]any)
		out[st["name"].(string)] = st
	}
	return out
}
