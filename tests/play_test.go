package tests

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPlaySettingsFollowTheFormat: each rule of play is accepted only on a format it
// changes, the tiebreak list is checked, GET shows the format's defaults filled in, and the
// settings change by patch until check-in ends, as the points table does.
func TestPlaySettingsFollowTheFormat(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, org := h.staffWithGame(t)
	create := func(t *testing.T, format string, play map[string]any) response {
		body := h.tournamentBody("cs2", fmt.Sprintf("Play %s %d", format, h.next()))
		body["format"] = format
		if play != nil {
			body["play"] = play
		}
		return h.call(t, "POST", "/v1/tournaments", org, body)
	}
	t.Run("RejectsWhatDoesNotApply", func(t *testing.T) {
		for name, c := range map[string]struct {
			format string
			play   map[string]any
			detail string
		}{
			"PairingOutsideSwiss":       {"single_elimination", map[string]any{"pairing": "valve"}, "play.pairing is for Swiss; a single_elimination tournament is not paired."},
			"GrandFinalOutsideDouble":   {"swiss", map[string]any{"grand_final": "simple"}, "play.grand_final is for double elimination; a swiss tournament has no grand final to shape."},
			"ScheduleOutsideRoundRobin": {"double_elimination", map[string]any{"schedule": "circle"}, "play.schedule and play.double_round_robin are for round robin, not double_elimination."},
			"DoubleRoundRobinOutside":   {"swiss", map[string]any{"double_round_robin": true}, "play.schedule and play.double_round_robin are for round robin, not swiss."},
			"TiebreaksInElimination":    {"double_elimination", map[string]any{"tiebreaks": []string{"points"}}, "play.tiebreaks apply to round robin and Swiss standings; elimination ranks by placement."},
			"BuchholzInRoundRobin":      {"round_robin", map[string]any{"tiebreaks": []string{"points", "buchholz_cut1"}}, "play.tiebreaks: buchholz_cut1 is for Swiss; in a round robin everyone meets the same opponents, so it separates no tie (sonneborn_berger does)."},
			"RepeatedTiebreak":          {"swiss", map[string]any{"tiebreaks": []string{"points", "wins", "points"}}, "play.tiebreaks lists points twice."},
			"VirtualWithoutBuchholz":    {"swiss", map[string]any{"tiebreaks": []string{"points", "wins"}, "buchholz_virtual_opponent": true}, "play.buchholz_virtual_opponent changes only the Buchholz family, and play.tiebreaks lists none of it."},
			"VirtualOutsideSwiss":       {"round_robin", map[string]any{"buchholz_virtual_opponent": true}, "play.buchholz_virtual_opponent is for Swiss, where byes are given."},
			"UnknownPairing":            {"swiss", map[string]any{"pairing": "monrad"}, ""},
			"UnknownTiebreak":           {"swiss", map[string]any{"tiebreaks": []string{"points", "coin_toss"}}, ""},
			"NoTiebreaks":               {"swiss", map[string]any{"tiebreaks": []string{}}, ""},
		} {
			r := create(t, c.format, c.play).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
			if c.detail != "" {
				require.Equal(t, c.detail, r.Body["detail"], name)
			}
		}
	})
	t.Run("ShowsTheFormatsDefaults", func(t *testing.T) {
		for format, want := range map[string]map[string]any{
			"single_elimination": {},
			"double_elimination": {"grand_final": "double"},
			"round_robin":        {"schedule": "berger", "tiebreaks": []any{"points", "head_to_head", "game_difference", "games_won"}},
			"swiss":              {"pairing": "dutch", "tiebreaks": []any{"points", "buchholz_cut1", "buchholz", "head_to_head", "game_difference"}},
		} {
			r := create(t, format, nil).requireStatus(t, http.StatusCreated)
			require.Equal(t, want, r.Body["play"], format)
		}
		chosen := map[string]any{"pairing": "valve", "tiebreaks": []any{"points", "median_buchholz", "seed"}, "buchholz_virtual_opponent": true}
		id := create(t, "swiss", chosen).requireStatus(t, http.StatusCreated).Body["id"].(string)
		require.Equal(t, chosen, h.call(t, "GET", "/v1/tournaments/"+id, org, nil).requireStatus(t, http.StatusOK).Body["play"])
	})
	t.Run("PatchedAsAWhole", func(t *testing.T) {
		id := create(t, "swiss", map[string]any{"pairing": "valve"}).requireStatus(t, http.StatusCreated).Body["id"].(string)
		path := "/v1/tournaments/" + id
		// The Swiss pairing would outlive the format: the patch says what replaces it.
		h.call(t, "PATCH", path, org, map[string]any{"format": "round_robin"}).requireProblem(t, http.StatusUnprocessableEntity, "invalid")
		r := h.call(t, "PATCH", path, org, map[string]any{"format": "round_robin", "play": map[string]any{"schedule": "circle"}}).
			requireStatus(t, http.StatusOK)
		require.Equal(t, map[string]any{"schedule": "circle", "tiebreaks": []any{"points", "head_to_head", "game_difference", "games_won"}}, r.Body["play"])
		r = h.call(t, "PATCH", path, org, map[string]any{"play": map[string]any{}}).requireStatus(t, http.StatusOK)
		require.Equal(t, "berger", r.Body["play"].(map[string]any)["schedule"], "{} restores the defaults")
	})
	t.Run("LockedOnceRunning", func(t *testing.T) {
		checkIn := h.driveTo(t, org, "cs2", "check_in")
		h.call(t, "PATCH", "/v1/tournaments/"+checkIn, org, map[string]any{"play": map[string]any{}}).requireStatus(t, http.StatusOK)
		running := h.driveTo(t, org, "cs2", "running")
		h.call(t, "PATCH", "/v1/tournaments/"+running, org, map[string]any{"play": map[string]any{}}).requireProblem(t, http.StatusConflict, "conflict")
	})
}

// TestGrandFinalModes: four entrants in double elimination, every match won by side A but
// the grand final and its reset, won by the losers' champion. double plays the reset (7 matches), simple
// ends at the grand final (6), none has no grand final and ends with the losers' final (5),
// its winners' champion first; the export names the mode.
func TestGrandFinalModes(t *testing.T) {
	t.Parallel()
	for mode, want := range map[string]struct {
		stages []string
		played int
	}{
		"double": {[]string{"grand_final", "grand_final_reset"}, 7},
		"simple": {[]string{"grand_final"}, 6},
		"none":   {nil, 5},
	} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			_, org := h.staffWithGame(t)
			body := h.withoutCheckIn("Grand final "+mode, "double_elimination", 4)
			body["play"] = map[string]any{"grand_final": mode}
			tid, reporters := h.startedFrom(t, org, body, 4, false)
			b := h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(t, http.StatusOK).Body
			require.Equal(t, map[string]any{"grand_final": mode}, b["play"])
			var finals []string
			for _, m := range b["matches"].([]any) {
				if stage := m.(map[string]any)["stage"].(string); stage == "grand_final" || stage == "grand_final_reset" {
					finals = append(finals, stage)
				}
			}
			require.Equal(t, want.stages, finals)

			played := 0
			for h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).Body["status"] != "completed" {
				ready := h.readyMatches(t, tid)
				require.NotEmpty(t, ready, "running, but nothing to play")
				for _, m := range ready {
					score := map[string]any{"score_a": 2, "score_b": 0}
					if m["stage"] == "grand_final" || m["stage"] == "grand_final_reset" {
						score = map[string]any{"score_a": 0, "score_b": 2}
					}
					h.reportBoth(t, m, reporters, score)
					played++
				}
			}
			require.Equal(t, want.played, played)
			st := h.call(t, "GET", "/v1/tournaments/"+tid+"/standings", "", nil).requireStatus(t, http.StatusOK).Body["items"].([]any)
			first := st[0].(map[string]any)
			require.Equal(t, float64(1), first["rank"])
			if mode == "none" { // no final between the brackets' champions: the unbeaten one leads
				require.Equal(t, float64(0), first["seed"])
			} else { // the losers' champion won the grand final, and the reset if there was one
				require.NotEqual(t, float64(0), first["seed"])
			}
			export := h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket/export", "", nil).requireStatus(t, http.StatusOK).Body
			require.Equal(t, mode, export["stage"].([]any)[0].(map[string]any)["settings"].(map[string]any)["grandFinal"])
		})
	}
}

// TestRoundRobinSchedules: four entrants meet in the same first round either way, but in
// round 2 Berger tables pair 4–3 and 1–2 while the circle method pairs 1–3 and 4–2; a double
// round robin repeats the cycle with sides swapped.
func TestRoundRobinSchedules(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		play   map[string]any
		rounds [][][2]int // seeds, per round, side A first
	}{
		"Berger": {nil, [][][2]int{{{0, 3}, {1, 2}}, {{3, 2}, {0, 1}}, {{1, 3}, {2, 0}}}},
		"Circle": {map[string]any{"schedule": "circle"}, [][][2]int{{{0, 3}, {1, 2}}, {{0, 2}, {3, 1}}, {{0, 1}, {2, 3}}}},
		"DoubleBerger": {map[string]any{"double_round_robin": true}, [][][2]int{{{0, 3}, {1, 2}}, {{3, 2}, {0, 1}}, {{1, 3}, {2, 0}},
			{{3, 0}, {2, 1}}, {{2, 3}, {1, 0}}, {{3, 1}, {0, 2}}}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			_, org := h.staffWithGame(t)
			body := h.withoutCheckIn("Schedule "+name, "round_robin", 4)
			if c.play != nil {
				body["play"] = c.play
			}
			tid, _ := h.startedFrom(t, org, body, 4, false)
			require.Equal(t, c.rounds, h.roundsBySeed(t, tid))
		})
	}
}

// TestSwissPairingSystems: sixteen entrants, side A (the better seed) winning every match.
// Both systems open 1 v 9 … 8 v 16; in round 2 the Dutch system meets each score group's
// top half with its bottom half (1 v 5), Valve's rules its highest with its lowest (1 v 8),
// the opponents' records being level.
func TestSwissPairingSystems(t *testing.T) {
	t.Parallel()
	roundOne := [][2]int{{0, 8}, {1, 9}, {2, 10}, {3, 11}, {4, 12}, {5, 13}, {6, 14}, {7, 15}}
	for pairing, roundTwo := range map[string][][2]int{
		"dutch": {{0, 4}, {1, 5}, {2, 6}, {3, 7}, {8, 12}, {9, 13}, {10, 14}, {11, 15}},
		"valve": {{0, 7}, {1, 6}, {2, 5}, {3, 4}, {8, 15}, {9, 14}, {10, 13}, {11, 12}},
	} {
		t.Run(pairing, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			w := h.startWorkers(t)
			_, org := h.staffWithGame(t)
			body := h.withoutCheckIn("Pairing "+pairing, "swiss", 16)
			body["play"] = map[string]any{"pairing": pairing}
			tid, reporters := h.startedFrom(t, org, body, 16, false)
			require.Equal(t, [][][2]int{roundOne}, h.roundsBySeed(t, tid))
			for _, m := range h.readyMatches(t, tid) {
				h.reportBoth(t, m, reporters, map[string]any{"score_a": 2, "score_b": 0})
			}
			w.WaitIdle(t) // the job that pairs round 2
			require.Equal(t, [][][2]int{roundOne, roundTwo}, h.roundsBySeed(t, tid))
		})
	}
}

// TestTiebreakOrder: a round robin of four where A and B finish level on 6 points. A beat
// B, but B has the better game difference (+3 to 0): head-to-head ranks A first,
// game_difference B; the standings show each listed tiebreak's value.
func TestTiebreakOrder(t *testing.T) {
	t.Parallel()
	const a, b, c, d = 0, 1, 2, 3
	games := [][4]int{{a, b, 2, 1}, {c, a, 2, 0}, {a, d, 2, 1}, {b, c, 2, 0}, {b, d, 2, 0}, {d, c, 2, 1}} // seeds, games won
	for name, tc := range map[string]struct {
		tiebreaks []string
		order     []float64
		values    [][]any // per entrant in order
	}{
		"HeadToHead":     {[]string{"points", "head_to_head"}, []float64{a, b, d, c}, [][]any{{6.0, 3.0}, {6.0, 0.0}, {3.0, 3.0}, {3.0, 0.0}}},
		"GameDifference": {[]string{"points", "game_difference"}, []float64{b, a, c, d}, [][]any{{6.0, 3.0}, {6.0, 0.0}, {3.0, -1.0}, {3.0, -2.0}}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			_, org := h.staffWithGame(t)
			body := h.withoutCheckIn("Tiebreaks "+name, "round_robin", 4)
			body["play"] = map[string]any{"tiebreaks": tc.tiebreaks}
			tid, reporters := h.startedFrom(t, org, body, 4, false)
			for _, g := range games {
				h.playSeeds(t, tid, reporters, g)
			}
			st := h.call(t, "GET", "/v1/tournaments/"+tid+"/standings", "", nil).requireStatus(t, http.StatusOK).Body["items"].([]any)
			var order []float64
			var values [][]any
			for _, row := range st {
				order = append(order, row.(map[string]any)["seed"].(float64))
				values = append(values, row.(map[string]any)["tiebreaks"].([]any))
			}
			require.Equal(t, tc.order, order)
			require.Equal(t, tc.values, values)
		})
	}
}

// TestBuchholzVirtualOpponent: three entrants, two Swiss rounds. Seed 1 beats nobody and has
// the bye in round 2, seed 2 the bye in round 1 and loses to seed 0: both end on 3 points
// with a Buchholz of 6 (their one opponent, seed 0). FIDE's virtual opponent gives seed 2's
// early bye 1 point (a draw in the round after it) and seed 1's late bye none, so with it
// seed 2 goes ahead of seed 1, whom the seed ranks first without it.
func TestBuchholzVirtualOpponent(t *testing.T) {
	t.Parallel()
	for virtual, want := range map[bool]struct {
		order    []float64
		buchholz []float64
	}{
		false: {[]float64{0, 1, 2}, []float64{6, 6, 6}},
		true:  {[]float64{0, 2, 1}, []float64{6, 7, 6}},
	} {
		t.Run(fmt.Sprint("virtual=", virtual), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			w := h.startWorkers(t)
			_, org := h.staffWithGame(t)
			body := h.withoutCheckIn(fmt.Sprint("Virtual ", virtual), "swiss", 3)
			body["play"] = map[string]any{"tiebreaks": []string{"points", "buchholz", "seed"}, "buchholz_virtual_opponent": virtual}
			tid, reporters := h.startedWith(t, org, body, 3, false, map[string]any{"swiss": map[string]any{"rounds": 2}})
			h.playSeeds(t, tid, reporters, [4]int{0, 1, 2, 0})
			w.WaitIdle(t)
			h.playSeeds(t, tid, reporters, [4]int{0, 2, 2, 0})
			w.WaitIdle(t)
			require.Equal(t, "completed", h.call(t, "GET", "/v1/tournaments/"+tid, "", nil).Body["status"])
			st := h.call(t, "GET", "/v1/tournaments/"+tid+"/standings", "", nil).requireStatus(t, http.StatusOK).Body["items"].([]any)
			var order, buchholz []float64
			for _, row := range st {
				order = append(order, row.(map[string]any)["seed"].(float64))
				buchholz = append(buchholz, row.(map[string]any)["tiebreaks"].([]any)[1].(float64))
			}
			require.Equal(t, want.order, order)
			require.Equal(t, want.buchholz, buchholz)
		})
	}
}

// roundsBySeed is a bracket's matches as seed pairs (side A first), per round in order.
func (h *harness) roundsBySeed(t testingT, tid string) [][][2]int {
	t.Helper()
	var out [][][2]int
	for _, m := range h.call(t, "GET", "/v1/tournaments/"+tid+"/bracket", "", nil).requireStatus(t, http.StatusOK).Body["matches"].([]any) {
		mm := m.(map[string]any)
		round := int(mm["round"].(float64))
		for len(out) < round {
			out = append(out, nil)
		}
		out[round-1] = append(out[round-1], seedsOf(mm))
	}
	return out
}

func seedsOf(m map[string]any) [2]int {
	return [2]int{int(m["a"].(map[string]any)["seed"].(float64)), int(m["b"].(map[string]any)["seed"].(float64))}
}

// playSeeds decides the ready match between seeds g[0] and g[1] as g[2] games to g[3],
// both sides reporting.
func (h *harness) playSeeds(t testingT, tid string, reporters map[string]string, g [4]int) {
	t.Helper()
	for _, m := range h.readyMatches(t, tid) {
		s := seedsOf(m)
		switch {
		case s == [2]int{g[0], g[1]}:
			h.reportBoth(t, m, reporters, map[string]any{"score_a": g[2], "score_b": g[3]})
		case s == [2]int{g[1], g[0]}:
			h.reportBoth(t, m, reporters, map[string]any{"score_a": g[3], "score_b": g[2]})
		default:
			continue
		}
		return
	}
	require.Fail(t, fmt.Sprintf("no ready match between seeds %d and %d", g[0], g[1]))
}

// reportBoth has both sides of a match report score.
func (h *harness) reportBoth(t testingT, m map[string]any, reporters map[string]string, score map[string]any) {
	t.Helper()
	for _, side := range []string{"a", "b"} {
		h.call(t, "POST", "/v1/matches/"+m["id"].(string)+"/reports", reporters[sideName(m, side)], score).requireStatus(t, http.StatusOK)
	}
}
