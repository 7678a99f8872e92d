package tests

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// BenchmarkPaidJoin: paid solo joins over HTTP (idempotency key, authentication, slot,
// charge, entry, notice job, stored response) from 8 concurrent clients, each join a
// different funded player. Run with -benchtime 2000x (the tournament holds 4 096).
func BenchmarkPaidJoin(b *testing.B) {
	h := newHarness(b, nil)
	_, org := h.staffWithGame(b)
	tid := h.paidSolo(b, org, 4096)
	_, tokens := h.fastPlayers(b, "bench", b.N, 1000)
	url := h.url + "/v1/tournaments/" + tid + "/registrations"
	var next atomic.Int64
	b.SetParallelism(4) // 4 × GOMAXPROCS(2) = 8 clients
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader("{}"))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tokens[i])
			req.Header.Set("Idempotency-Key", fmt.Sprint("bench-", i))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				b.Errorf("join %d: status %d", i, resp.StatusCode)
				return
			}
		}
	})
}
