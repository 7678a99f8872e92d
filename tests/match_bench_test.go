package tests

import (
	"net/http"
	"strings"
	"testing"
)

// BenchmarkConfirmResult: one op is a confirmed result — both sides report the same score
// over HTTP and the second report decides the match and advances the bracket — in a
// 1 024-entrant single elimination. Run with -benchtime 500x (512 first-round matches).
func BenchmarkConfirmResult(b *testing.B) {
	h := newHarness(b, nil)
	_, org := h.staffWithGame(b)
	tid, reporters := h.startedTournament(b, org, "single_elimination", 1024, false)
	ready := h.readyMatches(b, tid)
	if len(ready) < b.N {
		b.Fatalf("only %d ready matches for %d ops", len(ready), b.N)
	}
	report := func(id, token string) {
		req, _ := http.NewRequest(http.MethodPost, h.url+"/v1/matches/"+id+"/reports", strings.NewReader(`{"score_a":2,"score_b":1}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("report: %v %v", err, resp)
		}
		resp.Body.Close()
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := ready[i]
		report(m["id"].(string), reporters[sideName(m, "a")])
		report(m["id"].(string), reporters[sideName(m, "b")])
	}
}
