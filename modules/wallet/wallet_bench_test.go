package wallet

import (
	"math/rand/v2"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/arenaesports/arena/db"
)

// benchWallets funds n users with plenty of money in batches of 100 legs.
func benchWallets(b *testing.B, bundle *testBundle, n int) []uuid.UUID {
	users := make([]uuid.UUID, n)
	var legs []Leg
	for i := range users {
		users[i] = bundle.newUser(b)
		legs = append(legs, Leg{Debit: WorldAccount(), Credit: UserAccount(users[i]), Amount: 1 << 40, Currency: "EUR",
			Kind: Deposit, Reference: "bench", Key: users[i].String()})
		if len(legs) == 100 || i == n-1 {
			if _, err := bundle.svc.TransferMany(bundle.ctx, legs); err != nil {
				b.Fatal(err)
			}
			legs = nil
		}
	}
	return users
}

// BenchmarkTransfer: single transfers between random wallets among 1 000, each in its own
// transaction, from as many goroutines as GOMAXPROCS.
func BenchmarkTransfer(b *testing.B) {
	bundle := setup(b)
	users := benchWallets(b, bundle, 1000)
	var seq atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		r := rand.New(rand.NewPCG(uint64(seq.Add(1)), 1))
		for pb.Next() {
			from, to := r.IntN(len(users)), r.IntN(len(users)-1)
			if to >= from {
				to++
			}
			_, err := bundle.svc.TransferMany(bundle.ctx, []Leg{{Debit: UserAccount(users[from]), Credit: UserAccount(users[to]),
				Amount: 1, Currency: "EUR", Kind: Adjustment, Reference: "bench", Key: uuid.NewString()}})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkTransferBatch10: a team's entry fees — 10 members charged into one of 100
// tournament escrows — all or nothing, each batch in its own transaction.
func BenchmarkTransferBatch10(b *testing.B) {
	bundle := setup(b)
	users := benchWallets(b, bundle, 1000)
	escrows := make([]Account, 100)
	for i := range escrows {
		escrows[i] = EscrowAccount(db.NewID())
	}
	var seq atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		r := rand.New(rand.NewPCG(uint64(seq.Add(1)), 2))
		for pb.Next() {
			escrow, ref := escrows[r.IntN(len(escrows))], uuid.NewString()
			legs := make([]Leg, 10)
			for i, u := range r.Perm(len(users))[:10] {
				legs[i] = Leg{Debit: UserAccount(users[u]), Credit: escrow, Amount: 500, Currency: "EUR", Kind: EntryFee,
					Reference: ref, Key: users[u].String()}
			}
			if _, err := bundle.svc.TransferMany(bundle.ctx, legs); err != nil {
				b.Fatal(err)
			}
		}
	})
}
