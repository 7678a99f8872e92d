package tests

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestReportingStateMachine drives brackets with random reports (either side, an outsider,
// valid and invalid scores), organizer resolutions, forfeits (one side or both),
// disqualifications and overrides on random matches. After every step: a decided match
// changes its result only by an override, every side filled from an earlier match holds
// exactly that match's decided winner or loser (or nobody, -1, after a double forfeit or a
// disqualification), and only matches with two real sides are open for play.
func TestReportingStateMachine(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	_, outsider := h.player(t, "nosy")
	scores := []map[string]any{{"score_a": 2, "score_b": 0}, {"score_a": 1, "score_b": 2}, {"score_a": 2, "score_b": 2}, {"score_a": 1, "score_b": 0}}

	rapid.Check(t, func(rt *rapid.T) {
		format := rapid.SampledFrom([]string{"single_elimination", "double_elimination"}).Draw(rt, "format")
		tid, reporters := h.startedTournament(rt, org, format, rapid.IntRange(2, 8).Draw(rt, "entrants"), false)
		decided := map[string]string{} // match id → "winner/loser" once decided
		rt.Repeat(map[string]func(*rapid.T){
			"report": func(rt *rapid.T) {
				m := h.anyMatch(rt, tid)
				token := outsider
				if side := rapid.SampledFrom([]string{"a", "b", "x"}).Draw(rt, "side"); side != "x" {
					if name, ok := m[side].(map[string]any)["name"].(string); ok {
						token = reporters[name]
					}
				}
				r := h.call(rt, "POST", "/v1/matches/"+m["id"].(string)+"/reports", token, rapid.SampledFrom(scores).Draw(rt, "score"))
				require.Contains(rt, []int{200, 403, 409, 422}, r.Status, "%s", r.Raw)
			},
			"resolve": func(rt *rapid.T) {
				m := h.anyMatch(rt, tid)
				token := org
				if rapid.Bool().Draw(rt, "by a player") {
					token = outsider
				}
				r := h.call(rt, "POST", "/v1/matches/"+m["id"].(string)+"/resolve", token, rapid.SampledFrom(scores).Draw(rt, "score"))
				require.Contains(rt, []int{204, 403, 409, 422}, r.Status, "%s", r.Raw)
			},
			"forfeit": func(rt *rapid.T) {
				m := h.anyMatch(rt, tid)
				r := h.call(rt, "POST", "/v1/matches/"+m["id"].(string)+"/forfeit", org, map[string]any{"side": rapid.SampledFrom([]string{"a", "b", "both"}).Draw(rt, "side")})
				require.Contains(rt, []int{204, 409}, r.Status, "%s", r.Raw)
			},
			"disqualify": func(rt *rapid.T) {
				m := h.anyMatch(rt, tid)
				r := h.call(rt, "POST", "/v1/matches/"+m["id"].(string)+"/disqualify", org, map[string]any{"side": rapid.SampledFrom([]string{"a", "b"}).Draw(rt, "side")})
				require.Contains(rt, []int{204, 409}, r.Status, "%s", r.Raw)
			},
			"override": func(rt *rapid.T) {
				m := h.anyMatch(rt, tid)
				r := h.call(rt, "POST", "/v1/matches/"+m["id"].(string)+"/override", org, rapid.SampledFrom(scores).Draw(rt, "score"))
				require.Contains(rt, []int{204, 409, 422}, r.Status, "%s", r.Raw)
				if r.Status == 204 {
					delete(decided, m["id"].(string)) // an override is the one way a result changes
				}
			},
			"": func(rt *rapid.T) { h.checkBracket(rt, tid, decided) },
		})
	})
}

// anyMatch draws one of the bracket's matches.
func (h *harness) anyMatch(rt *rapid.T, tid string) map[string]any {
	rt.Helper()
	b := h.call(rt, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(rt, http.StatusOK)
	ms := b.Body["matches"].([]any)
	return ms[rapid.IntRange(0, len(ms)-1).Draw(rt, "match")].(map[string]any)
}

// checkBracket checks the invariants straight from the database.
func (h *harness) checkBracket(rt *rapid.T, tid string, decided map[string]string) {
	ctx := context.Background()
	rows, err := h.pool.Query(ctx, `SELECT m.id::text, m.status, m.a_kind, m.a_ref, m.b_kind, m.b_ref, m.a_seed, m.b_seed,
		m.winner_seed, m.loser_seed, m.decided_at FROM matches m WHERE m.tournament_id = $1 ORDER BY m.number`, tid)
	require.NoError(rt, err)
	defer rows.Close()
	type row struct {
		id, status                  string
		aKind, bKind                int16
		aRef, bRef                  int32
		aSeed, bSeed, winner, loser *int32
		decidedAt                   *time.Time
	}
	var ms []row
	for rows.Next() {
		var r row
		require.NoError(rt, rows.Scan(&r.id, &r.status, &r.aKind, &r.aRef, &r.bKind, &r.bRef, &r.aSeed, &r.bSeed, &r.winner, &r.loser, &r.decidedAt))
		ms = append(ms, r)
	}
	require.NoError(rt, rows.Err())
	isDecided := func(r row) bool {
		return slices.Contains([]string{"confirmed", "resolved", "forfeit", "double_forfeit", "disqualified", "bye"}, r.status)
	}
	nobody := int32(-1)
	fed := func(kind int16, ref int32) *int32 { // what an earlier match hands on
		src := ms[ref]
		switch {
		case src.status == "skipped" && src.decidedAt != nil, src.status == "double_forfeit": // both sides empty; both out
			return &nobody
		case !isDecided(src):
			return nil
		case kind == 2:
			return src.winner
		case src.status == "disqualified" || src.status == "bye": // out, or nobody there
			return &nobody
		}
		return src.loser
	}
	for _, r := range ms {
		if isDecided(r) {
			result := "both out"
			if r.status != "double_forfeit" {
				require.NotNil(rt, r.winner)
				result = fmt.Sprint(*r.winner, "/", deref(r.loser))
			}
			if prev, ok := decided[r.id]; ok {
				require.Equal(rt, prev, result, "match %s was decided twice", r.id)
			}
			decided[r.id] = result
		} else if r.status != "skipped" {
			require.Nil(rt, r.winner, "an undecided match has no winner")
		}
		for _, side := range []struct {
			kind int16
			ref  int32
			seed *int32
		}{{r.aKind, r.aRef, r.aSeed}, {r.bKind, r.bRef, r.bSeed}} {
			if side.kind == 2 || side.kind == 3 {
				want := fed(side.kind, side.ref)
				require.Equal(rt, want, side.seed, "match %s: a side filled from an undecided match, or the wrong entrant", r.id)
			}
		}
		if r.status == "ready" || r.status == "reported" || r.status == "disputed" {
			require.True(rt, r.aSeed != nil && r.bSeed != nil && *r.aSeed >= 0 && *r.bSeed >= 0, "an open match has two real sides")
		}
	}
}

func deref(p *int32) any {
	if p == nil {
		return nil
	}
	return *p
}
