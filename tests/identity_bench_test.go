package tests

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkGetMe measures an authenticated GET /v1/me through the whole server stack
// (middleware, authentication, handler, problem mapping) against real Postgres, with
// requests handed straight to the handler so only the server's work and allocations count.
func BenchmarkGetMe(b *testing.B) {
	h := newHarness(b, nil)
	_, token := h.player(b, "bench")
	b.ReportAllocs()
	b.ResetTimer() // the database, user and session setup is not what is measured
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodGet, "/v1/me", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			w := httptest.NewRecorder()
			h.app.Handler.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
	})
}
