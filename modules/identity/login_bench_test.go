package identity

import (
	"context"
	"testing"

	"github.com/arenaesports/arena/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// BenchmarkLogin measures the cost of a login: argon2id dominates, and an unknown account
// must cost the same as a wrong password (compare their medians with benchstat).
func BenchmarkLogin(b *testing.B) {
	ctx := context.Background()
	// Failures never lock here, so every iteration pays for a full hash.
	svc := New(dbtest.Pool(b), Config{MaxFailures: 1 << 30})
	if _, err := svc.Register(ctx, NewUser{Email: "kim@example.com", Handle: "kim", DisplayName: "Kim", Password: "correct horse kim"}); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, login, password string }{
		{"Success", "kim", "correct horse kim"},
		{"WrongPassword", "kim", "wrong horse kim"},
		{"UnknownUser", "nobody", "wrong horse kim"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = svc.Login(ctx, bc.login, bc.password)
			}
		})
	}
}
