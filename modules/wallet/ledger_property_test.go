package wallet

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
)

// TestLedgerStateMachine drives the wallet with random sequences of deposits, transfers,
// batches (some overdrawing on purpose), withdrawal requests and decisions, against a model
// of what every balance should be. After every step the balances match the model and the
// audit finds nothing; a rejected step changed nothing.
func TestLedgerStateMachine(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := arena.WithCaller(b.ctx, arena.Caller{ID: db.NewID(), Roles: []string{arena.RolePlayer, arena.RoleAdmin}})
	rapid.Check(t, func(rt *rapid.T) {
		m := &ledgerModel{b: b, admin: admin, bal: map[Account]int64{}, escrow: EscrowAccount(db.NewID())}
		for i := 0; i < 4; i++ {
			m.users = append(m.users, b.newUser(rt))
		}
		rt.Repeat(map[string]func(*rapid.T){
			"deposit":  m.deposit,
			"transfer": m.transfer,
			"batch":    m.batch,
			"withdraw": m.withdraw,
			"decide":   m.decide,
			"":         m.check,
		})
	})
}

type pendingWithdrawal struct {
	id     string
	user   uuid.UUID
	amount int64
}

type ledgerModel struct {
	b       *testBundle
	admin   context.Context
	users   []uuid.UUID
	escrow  Account
	bal     map[Account]int64
	pending []pendingWithdrawal
	keys    int
}

func (m *ledgerModel) key() string {
	m.keys++
	return fmt.Sprintf("k%d-%s", m.keys, m.escrow.OwnerID)
}

func (m *ledgerModel) user(t *rapid.T, label string) uuid.UUID {
	return rapid.SampledFrom(m.users).Draw(t, label)
}

func (m *ledgerModel) deposit(t *rapid.T) {
	u, amount := m.user(t, "to"), rapid.Int64Range(1, 500).Draw(t, "amount")
	_, err := m.b.svc.TransferMany(m.b.ctx, []Leg{{Debit: WorldAccount(), Credit: UserAccount(u), Amount: amount,
		Currency: "EUR", Kind: Deposit, Reference: "model", Key: m.key()}})
	if err != nil {
		t.Fatalf("deposit: %v", err)
	}
	m.bal[UserAccount(u)] += amount
}

func (m *ledgerModel) transfer(t *rapid.T) {
	from, to := m.user(t, "from"), m.user(t, "to")
	if from == to {
		t.Skip("same account")
	}
	m.apply(t, []Leg{{Debit: UserAccount(from), Credit: UserAccount(to), Amount: rapid.Int64Range(1, 600).Draw(t, "amount"),
		Currency: "EUR", Kind: Adjustment, Reference: "model", Key: m.key()}})
}

func (m *ledgerModel) batch(t *rapid.T) {
	n := rapid.IntRange(2, 5).Draw(t, "legs")
	legs := make([]Leg, n)
	for i := range legs {
		credit := m.escrow
		if rapid.Bool().Draw(t, "to user") {
			credit = UserAccount(m.user(t, "to"))
		}
		from := UserAccount(m.user(t, "from"))
		if from == credit {
			credit = m.escrow
		}
		legs[i] = Leg{Debit: from, Credit: credit, Amount: rapid.Int64Range(1, 400).Draw(t, "amount"),
			Currency: "EUR", Kind: EntryFee, Reference: "model", Key: m.key()}
	}
	m.apply(t, legs)
}

// apply runs legs and checks the all-or-nothing outcome the model predicts.
func (m *ledgerModel) apply(t *rapid.T, legs []Leg) {
	next := map[Account]int64{}
	for a, v := range m.bal {
		next[a] = v
	}
	overdraws := false
	for _, l := range legs {
		next[l.Debit] -= l.Amount
		next[l.Credit] += l.Amount
	}
	for _, v := range next {
		overdraws = overdraws || v < 0
	}
	_, err := m.b.svc.TransferMany(m.b.ctx, legs)
	var short *InsufficientFundsError
	switch {
	case overdraws && !errors.As(err, &short):
		t.Fatalf("overdrawing batch: got %v, want insufficient funds", err)
	case !overdraws && err != nil:
		t.Fatalf("batch: %v", err)
	case !overdraws:
		m.bal = next
	}
}

func (m *ledgerModel) withdraw(t *rapid.T) {
	u, amount := m.user(t, "user"), rapid.Int64Range(1, 400).Draw(t, "amount")
	ctx := arena.WithCaller(m.b.ctx, arena.Caller{ID: u, Roles: []string{arena.RolePlayer}})
	w, err := m.b.svc.RequestWithdrawal(ctx, amount, "EUR", m.key())
	var short *InsufficientFundsError
	if m.bal[UserAccount(u)] < amount {
		if !errors.As(err, &short) {
			t.Fatalf("overdrawing withdrawal: got %v", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("withdrawal: %v", err)
	}
	m.bal[UserAccount(u)] -= amount
	m.pending = append(m.pending, pendingWithdrawal{id: w.ID.String(), user: u, amount: amount})
}

func (m *ledgerModel) decide(t *rapid.T) {
	if len(m.pending) == 0 {
		t.Skip("nothing pending")
	}
	i := rapid.IntRange(0, len(m.pending)-1).Draw(t, "which")
	w, approve := m.pending[i], rapid.Bool().Draw(t, "approve")
	if _, err := m.b.svc.DecideWithdrawal(m.admin, w.id, approve); err != nil {
		t.Fatalf("decide: %v", err)
	}
	if !approve {
		m.bal[UserAccount(w.user)] += w.amount
	}
	m.pending = append(m.pending[:i], m.pending[i+1:]...)
	// Deciding again the same way is a no-op; the other way is refused.
	if _, err := m.b.svc.DecideWithdrawal(m.admin, w.id, approve); err != nil {
		t.Fatalf("decide again: %v", err)
	}
	if _, err := m.b.svc.DecideWithdrawal(m.admin, w.id, !approve); arena.ErrorCode(err) != arena.ECONFLICT {
		t.Fatalf("decide the other way: got %v, want conflict", err)
	}
}

func (m *ledgerModel) check(t *rapid.T) {
	for _, u := range m.users {
		require.Equal(t, m.bal[UserAccount(u)], m.b.balance(t, UserAccount(u), "EUR"), "user %s", u)
	}
	require.Equal(t, m.bal[m.escrow], m.b.balance(t, m.escrow, "EUR"), "escrow")
	m.b.requireBooksBalance(t)
}
