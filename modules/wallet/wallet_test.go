package wallet

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

type testBundle struct {
	svc *Service
	ctx context.Context
}

func setup(t testing.TB) *testBundle {
	t.Helper()
	return &testBundle{svc: New(dbtest.Pool(t), Config{}), ctx: context.Background()}
}

// newUser adds a user row (identity's table, written here only as a fixture) so that the
// user's account belongs to someone: the audit flags accounts of no user.
func (b *testBundle) newUser(t tb) uuid.UUID {
	t.Helper()
	u := db.NewID()
	handle := "u_" + strings.ReplaceAll(u.String(), "-", "")[20:] // the random part of a UUIDv7
	_, err := b.svc.pool.Exec(b.ctx, `INSERT INTO users (id, email, handle, display_name, password_hash, created_at, updated_at)
		VALUES ($1, $2 || '@example.com', $2, $2, 'x', now(), now())`, u, handle)
	require.NoError(t, err)
	return u
}

// fund deposits amount into a new user's wallet and returns the user.
func (b *testBundle) fund(t testing.TB, amount int64, currency string) uuid.UUID {
	t.Helper()
	u := b.newUser(t)
	_, err := b.svc.TransferMany(b.ctx, []Leg{{Debit: WorldAccount(), Credit: UserAccount(u), Amount: amount, Currency: currency,
		Kind: Deposit, Reference: "test", Key: u.String()}})
	require.NoError(t, err)
	return u
}

// tb is what the helpers need of a *testing.T or a *rapid.T.
type tb interface {
	require.TestingT
	Helper()
}

func (b *testBundle) balance(t tb, a Account, currency string) int64 {
	t.Helper()
	var bal int64
	require.NoError(t, pgx.BeginFunc(b.ctx, b.svc.pool, func(tx pgx.Tx) error {
		var err error
		bal, err = b.svc.BalanceTx(b.ctx, tx, a, currency)
		return err
	}))
	return bal
}

func (b *testBundle) requireBooksBalance(t tb) {
	t.Helper()
	v, err := b.svc.Audit(b.ctx)
	require.NoError(t, err)
	require.Empty(t, v)
}

func TestTransferMany(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// entry is what a subtest starts from: alice (1 000) and bob (300) owe an entry fee of
	// 250 each into a new escrow; paid is the same with the fees paid (750, 50, 500).
	type entry struct {
		alice, bob uuid.UUID
		escrow     Account
		legs       []Leg
	}
	newEntry := func(t *testing.T) entry {
		e := entry{alice: b.fund(t, 1000, "EUR"), bob: b.fund(t, 300, "EUR"), escrow: EscrowAccount(db.NewID())}
		e.legs = []Leg{
			{Debit: UserAccount(e.alice), Credit: e.escrow, Amount: 250, Currency: "EUR", Kind: EntryFee, Reference: "reg-1", Key: e.alice.String()},
			{Debit: UserAccount(e.bob), Credit: e.escrow, Amount: 250, Currency: "EUR", Kind: EntryFee, Reference: "reg-1", Key: e.bob.String()},
		}
		return e
	}
	paid := func(t *testing.T) entry {
		e := newEntry(t)
		_, err := b.svc.TransferMany(b.ctx, e.legs)
		require.NoError(t, err)
		return e
	}

	t.Run("AppliesEveryLeg", func(t *testing.T) {
		e := newEntry(t)
		ts, err := b.svc.TransferMany(b.ctx, e.legs)
		require.NoError(t, err)
		require.Len(t, ts, 2)
		require.Equal(t, int64(750), b.balance(t, UserAccount(e.alice), "EUR"))
		require.Equal(t, int64(50), b.balance(t, UserAccount(e.bob), "EUR"))
		require.Equal(t, int64(500), b.balance(t, e.escrow, "EUR"))
		b.requireBooksBalance(t)
	})
	t.Run("ReplaysTheSameBatch", func(t *testing.T) {
		e := newEntry(t)
		first, err := b.svc.TransferMany(b.ctx, e.legs)
		require.NoError(t, err)
		again, err := b.svc.TransferMany(b.ctx, e.legs)
		require.NoError(t, err)
		require.Equal(t, first[0].ID, again[0].ID)
		require.Equal(t, int64(500), b.balance(t, e.escrow, "EUR"), "nothing moved twice")
	})
	t.Run("RejectsAKeyReusedForADifferentLeg", func(t *testing.T) {
		e := paid(t)
		changed := append([]Leg(nil), e.legs...)
		changed[0].Amount = 1
		_, err := b.svc.TransferMany(b.ctx, changed)
		require.Equal(t, arena.ECONFLICT, arena.ErrorCode(err))
		mixed := append(e.legs[:1:1], Leg{Debit: UserAccount(e.alice), Credit: e.escrow, Amount: 1, Currency: "EUR",
			Kind: EntryFee, Reference: "reg-1", Key: "new leg"})
		_, err = b.svc.TransferMany(b.ctx, mixed)
		require.Equal(t, arena.ECONFLICT, arena.ErrorCode(err), "an applied leg batched with a new one")
		one, err := b.svc.TransferMany(b.ctx, e.legs[:1])
		require.NoError(t, err, "a single applied leg replays")
		require.Equal(t, int64(500), b.balance(t, e.escrow, "EUR"))
		require.Len(t, one, 1)
	})
	t.Run("OverdraftMovesNothingAndNamesTheShortAccount", func(t *testing.T) {
		e := paid(t)
		carol := b.fund(t, 100, "EUR")
		_, err := b.svc.TransferMany(b.ctx, []Leg{
			{Debit: UserAccount(e.alice), Credit: e.escrow, Amount: 100, Currency: "EUR", Kind: EntryFee, Reference: "reg-2", Key: e.alice.String()},
			{Debit: UserAccount(e.bob), Credit: e.escrow, Amount: 100, Currency: "EUR", Kind: EntryFee, Reference: "reg-2", Key: e.bob.String()},
			{Debit: UserAccount(carol), Credit: e.escrow, Amount: 100, Currency: "EUR", Kind: EntryFee, Reference: "reg-2", Key: carol.String()},
		})
		var short *InsufficientFundsError
		require.ErrorAs(t, err, &short)
		require.Equal(t, []Account{UserAccount(e.bob)}, short.Accounts)
		require.NotContains(t, err.Error(), "50", "never reveals a balance")
		require.Equal(t, int64(750), b.balance(t, UserAccount(e.alice), "EUR"))
		require.Equal(t, int64(100), b.balance(t, UserAccount(carol), "EUR"))
		require.Equal(t, int64(500), b.balance(t, e.escrow, "EUR"))
		b.requireBooksBalance(t)
	})
	// The rest change nothing; they share one entry.
	e := newEntry(t)
	alice, escrow := e.alice, e.escrow
	t.Run("CurrenciesAreSeparateWallets", func(t *testing.T) {
		_, err := b.svc.TransferMany(b.ctx, []Leg{{Debit: UserAccount(alice), Credit: escrow, Amount: 1, Currency: "USD",
			Kind: EntryFee, Reference: "reg-3", Key: "x"}})
		var short *InsufficientFundsError
		require.ErrorAs(t, err, &short, "alice has no USD")
	})
	for name, leg := range map[string]Leg{
		"ZeroAmount":    {Debit: UserAccount(alice), Credit: escrow, Amount: 0, Currency: "EUR", Kind: EntryFee, Reference: "r", Key: "k"},
		"BadCurrency":   {Debit: UserAccount(alice), Credit: escrow, Amount: 1, Currency: "eur", Kind: EntryFee, Reference: "r", Key: "k"},
		"UnknownKind":   {Debit: UserAccount(alice), Credit: escrow, Amount: 1, Currency: "EUR", Kind: "gift", Reference: "r", Key: "k"},
		"SameAccount":   {Debit: UserAccount(alice), Credit: UserAccount(alice), Amount: 1, Currency: "EUR", Kind: Adjustment, Reference: "r", Key: "k"},
		"NoIdempotency": {Debit: UserAccount(alice), Credit: escrow, Amount: 1, Currency: "EUR", Kind: EntryFee},
	} {
		t.Run("Rejects"+name, func(t *testing.T) {
			_, err := b.svc.TransferMany(b.ctx, []Leg{leg})
			require.Equal(t, arena.EINVALID, arena.ErrorCode(err), "%v", err)
		})
	}
	t.Run("LedgerRowsAreImmutable", func(t *testing.T) {
		_, err := b.svc.pool.Exec(b.ctx, "UPDATE wallet_transfers SET amount = 1")
		require.ErrorContains(t, err, "immutable")
		_, err = b.svc.pool.Exec(b.ctx, "DELETE FROM wallet_transfers")
		require.ErrorContains(t, err, "immutable")
	})
}

// TestTransferManyQueryCount: a batch costs the same round trips at 2 legs and at 10.
func TestTransferManyQueryCount(t *testing.T) {
	t.Parallel()
	pool, counter := dbtest.CountingPool(t)
	svc := New(pool, Config{})
	ctx := context.Background()
	escrow := EscrowAccount(db.NewID())
	users := make([]uuid.UUID, 10)
	for i := range users {
		users[i] = db.NewID() // no audit here: accounts need no user
		_, err := svc.TransferMany(ctx, []Leg{{Debit: WorldAccount(), Credit: UserAccount(users[i]), Amount: 100, Currency: "EUR",
			Kind: Deposit, Reference: "seed", Key: users[i].String()}})
		require.NoError(t, err)
	}
	_, err := svc.TransferMany(ctx, []Leg{{Debit: UserAccount(users[0]), Credit: escrow, Amount: 1, Currency: "EUR",
		Kind: Adjustment, Reference: "open escrow", Key: "k"}})
	require.NoError(t, err)

	counts := map[int]int64{}
	for _, n := range []int{2, 10} {
		legs := make([]Leg, n)
		for i := range legs {
			legs[i] = Leg{Debit: UserAccount(users[i]), Credit: escrow, Amount: 5, Currency: "EUR", Kind: EntryFee,
				Reference: "batch of " + string(rune('0'+n)), Key: users[i].String()}
		}
		// In db.InTx, as every module's transaction: the batch's wallet.transfer events are
		// written with the transaction's others at its commit, once per transaction.
		require.NoError(t, db.InTx(ctx, pool, func(tx pgx.Tx) error {
			counter.Reset()
			_, err := svc.TransferManyTx(ctx, tx, legs)
			counts[n] = counter.Count()
			return err
		}))
	}
	require.Equal(t, int64(2), counts[2], "lock+find, then balances+ledger")
	require.Equal(t, counts[2], counts[10])
}

// TestConcurrentTransfersConserveMoney is Jepsen's "bank" test: 16 goroutines make 500
// random transfers each among 20 wallets. The total never changes, no balance goes
// negative, and lock ordering means no deadlock ever surfaces.
func TestConcurrentTransfersConserveMoney(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const wallets, start = 20, 1000
	users := make([]uuid.UUID, wallets)
	for i := range users {
		users[i] = b.fund(t, start, "EUR")
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, 0))
			for i := 0; i < 500; i++ {
				from, to := r.IntN(wallets), r.IntN(wallets-1)
				if to >= from {
					to++
				}
				legs := []Leg{{Debit: UserAccount(users[from]), Credit: UserAccount(users[to]), Amount: int64(1 + r.IntN(300)),
					Currency: "EUR", Kind: Adjustment, Reference: "bank", Key: uuid.NewString()}}
				if r.IntN(4) == 0 { // a two-leg batch now and then, touching accounts in both orders
					legs = append(legs, Leg{Debit: UserAccount(users[to]), Credit: UserAccount(users[from]),
						Amount: int64(1 + r.IntN(300)), Currency: "EUR", Kind: Adjustment, Reference: "bank", Key: uuid.NewString()})
				}
				_, err := b.svc.TransferMany(b.ctx, legs)
				var short *InsufficientFundsError
				if err != nil && !errors.As(err, &short) {
					errs <- err
					return
				}
			}
		}(uint64(g))
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("unexpected error (deadlock?): %v", err)
	}
	var total int64
	for _, u := range users {
		bal := b.balance(t, UserAccount(u), "EUR")
		require.GreaterOrEqual(t, bal, int64(0))
		total += bal
	}
	require.Equal(t, int64(wallets*start), total)
	b.requireBooksBalance(t)
}

// TestTransferTxJoinsTheCallersTransaction: a transfer made in the caller's transaction
// commits with it, and vanishes when the caller rolls back.
func TestTransferTxJoinsTheCallersTransaction(t *testing.T) {
	t.Parallel()
	b := setup(t)
	alice := b.fund(t, 500, "EUR")
	escrow := EscrowAccount(db.NewID())
	leg := func(key string) Leg {
		return Leg{Debit: UserAccount(alice), Credit: escrow, Amount: 200, Currency: "EUR", Kind: EntryFee, Reference: "r", Key: key}
	}
	rollback := errors.New("the caller's change failed")
	err := pgx.BeginFunc(b.ctx, b.svc.pool, func(tx pgx.Tx) error {
		if _, err := b.svc.TransferTx(b.ctx, tx, leg("undone")); err != nil {
			return err
		}
		return rollback
	})
	require.ErrorIs(t, err, rollback)
	require.Equal(t, int64(500), b.balance(t, UserAccount(alice), "EUR"), "rolled back with the caller")

	require.NoError(t, pgx.BeginFunc(b.ctx, b.svc.pool, func(tx pgx.Tx) error {
		tr, err := b.svc.TransferTx(b.ctx, tx, leg("kept"))
		require.Equal(t, int64(200), tr.Amount)
		return err
	}))
	require.Equal(t, int64(300), b.balance(t, UserAccount(alice), "EUR"))
	b.requireBooksBalance(t)
}
