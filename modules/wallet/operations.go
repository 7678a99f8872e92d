package wallet

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/wallet/internal/dbsqlc"
)

// Balance is one currency of a user's wallet.
type Balance struct {
	Currency           string `json:"currency"`
	Available          int64  `json:"available" doc:"Spendable, minor units."`
	PendingWithdrawals int64  `json:"pending_withdrawals" doc:"Held for withdrawals awaiting approval, minor units."`
}

// Balances returns the caller's wallets (one query). Errors: EUNAUTHORIZED.
func (s *Service) Balances(ctx context.Context) ([]Balance, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.q.GetBalances(ctx, s.pool, c.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Balance, len(rows))
	for i, r := range rows {
		out[i] = Balance{Currency: r.Currency, Available: r.Balance, PendingWithdrawals: r.PendingWithdrawals}
	}
	return out, nil
}

// Counterparty is the other side of a transaction.
type Counterparty struct {
	Kind        string     `json:"kind" enum:"user,escrow,platform,world,withdrawals"`
	ID          *uuid.UUID `json:"id,omitempty" doc:"The user or tournament, when there is one."`
	Description string     `json:"description"`
}

// Transaction is a transfer as one of its users sees it.
type Transaction struct {
	ID           uuid.UUID    `json:"id"`
	Kind         string       `json:"kind" enum:"deposit,withdrawal,withdrawal_release,entry_fee,refund,prize,platform_fee,adjustment,added_prize,added_prize_return,prize_rounding" doc:"withdrawal_release: a rejected withdrawal's money back in the wallet; added_prize: an organizer's prize into a tournament, added_prize_return: back from a cancelled one."`
	Amount       int64        `json:"amount" doc:"Minor units: positive when money arrived, negative when it left."`
	Currency     string       `json:"currency"`
	Counterparty Counterparty `json:"counterparty"`
	Reference    string       `json:"reference"`
	CreatedAt    time.Time    `json:"created_at"`
}

type txCursor struct {
	CreatedAt time.Time `json:"t"`
	ID        uuid.UUID `json:"i"`
}

var counterpartyNames = map[string]string{
	KindEscrow: "Tournament escrow", KindPlatform: "Arena", KindWorld: "External", KindWithdrawals: "Pending withdrawals",
}

// Transactions pages through the caller's transfers, newest first (one query).
// Errors: EUNAUTHORIZED, EINVALID (cursor).
func (s *Service) Transactions(ctx context.Context, cursor string, limit int) ([]Transaction, string, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, "", err
	}
	p := dbsqlc.ListTransactionsParams{UserID: c.ID, MaxRows: int32(limit) + 1}
	if cursor != "" {
		var cur txCursor
		if err := arena.DecodeCursor(cursor, &cur); err != nil {
			return nil, "", err
		}
		p.BeforeCreatedAt, p.BeforeID = &cur.CreatedAt, &cur.ID
	}
	rows, err := s.q.ListTransactions(ctx, s.pool, p)
	if err != nil {
		return nil, "", err
	}
	rows, next := arena.TrimPage(rows, limit, func(r dbsqlc.ListTransactionsRow) any {
		return txCursor{CreatedAt: r.CreatedAt, ID: r.ID}
	})
	out := make([]Transaction, len(rows))
	for i, r := range rows {
		amount := r.Amount
		if !r.Incoming {
			amount = -amount
		}
		cp := Counterparty{Kind: r.OtherKind, Description: counterpartyNames[r.OtherKind]}
		if r.OtherOwnerID != uuid.Nil {
			id := r.OtherOwnerID
			cp.ID = &id
		}
		switch {
		case r.OtherHandle != nil:
			cp.Description = "@" + *r.OtherHandle
		case r.OtherTournament != nil:
			cp.Description = *r.OtherTournament
		}
		out[i] = Transaction{ID: r.ID, Kind: r.Kind, Amount: amount, Currency: r.Currency, Counterparty: cp,
			Reference: r.Reference, CreatedAt: r.CreatedAt}
	}
	return out, next, nil
}

// Deposit credits a user's wallet from outside Arena. Admin only. key makes it idempotent:
// the same admin and key never deposit twice. Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID,
// ENOTFOUND (no such user: the money would sit in an account nobody owns), ECONFLICT (key
// used for a different deposit).
func (s *Service) Deposit(ctx context.Context, userID string, amount int64, currency, key string) (Transfer, error) {
	admin, err := arena.RequireRole(ctx, arena.RoleAdmin)
	if err != nil {
		return Transfer{}, err
	}
	uid, err := db.ParseID(userID, "User")
	if err != nil {
		return Transfer{}, err
	}
	var ts []Transfer
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		// Users are never deleted, so a user seen here still exists at commit.
		exists, err := s.q.UserExists(ctx, tx, uid)
		if err != nil {
			return err
		}
		if !exists {
			return arena.Errorf(arena.ENOTFOUND, "User not found.")
		}
		ts, err = s.TransferManyTx(ctx, tx, []Leg{{Debit: WorldAccount(), Credit: UserAccount(uid), Amount: amount,
			Currency: currency, Kind: Deposit, Reference: "deposit by " + admin.ID.String(), Key: key}})
		return err
	})
	if err != nil {
		return Transfer{}, err
	}
	return ts[0], nil
}

// WithdrawalRequest is a user's request to take money out of Arena.
type WithdrawalRequest struct {
	ID         uuid.UUID  `json:"id"`
	UserID     uuid.UUID  `json:"user_id"`
	UserHandle string     `json:"user_handle,omitempty"`
	Amount     int64      `json:"amount"`
	Currency   string     `json:"currency"`
	Status     string     `json:"status" enum:"pending,approved,rejected"`
	CreatedAt  time.Time  `json:"created_at"`
	DecidedAt  *time.Time `json:"decided_at,omitempty"`
}

// Withdrawal statuses: pending until an admin approves or rejects it.
const (
	WithdrawalPending  = "pending"
	WithdrawalApproved = "approved"
	WithdrawalRejected = "rejected"
)

// withdrawalNS derives withdrawal ids from (user, idempotency key), so a retried request
// finds the withdrawal it created instead of holding the money twice.
var withdrawalNS = uuid.MustParse("6f1f3c1e-8d0a-4c55-9f43-0a2b8f1d7e11")

// RequestWithdrawal holds amount of the caller's wallet for an admin to approve; the money
// leaves the available balance at once. Errors: EUNAUTHORIZED, EINVALID, ECONFLICT
// (*InsufficientFundsError).
func (s *Service) RequestWithdrawal(ctx context.Context, amount int64, currency, key string) (*WithdrawalRequest, error) {
	c, err := arena.RequireCaller(ctx)
	if err != nil {
		return nil, err
	}
	uid := c.ID
	id := uuid.NewSHA1(withdrawalNS, []byte(c.ID.String()+"/"+key))
	var w dbsqlc.LockWithdrawalRow
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := s.q.InsertWithdrawal(ctx, tx, dbsqlc.InsertWithdrawalParams{ID: id, UserID: uid, Amount: amount,
			Currency: currency, Now: s.now()}); err != nil {
			return err
		}
		var err error
		if w, err = s.q.LockWithdrawal(ctx, tx, id); err != nil {
			return err
		}
		_, err = s.TransferManyTx(ctx, tx, []Leg{{Debit: UserAccount(uid), Credit: withdrawalsAccount(), Amount: w.Amount,
			Currency: w.Currency, Kind: Withdrawal, Reference: id.String(), Key: "hold"}})
		return err
	})
	if err != nil {
		return nil, err
	}
	return withdrawalOf(w), nil
}

// DecideWithdrawal approves (the held money leaves Arena) or rejects (it returns to the
// wallet) a pending withdrawal. Admin only; deciding again the same way is a no-op.
// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, ECONFLICT (already decided the other way).
func (s *Service) DecideWithdrawal(ctx context.Context, withdrawalID string, approve bool) (*WithdrawalRequest, error) {
	admin, err := arena.RequireRole(ctx, arena.RoleAdmin)
	if err != nil {
		return nil, err
	}
	id, err := db.ParseID(withdrawalID, "Withdrawal")
	if err != nil {
		return nil, err
	}
	status, leg := WithdrawalRejected, Leg{Credit: UserAccount(uuid.Nil), Kind: WithdrawalRelease, Key: "release"}
	if approve {
		status, leg = WithdrawalApproved, Leg{Credit: WorldAccount(), Kind: Withdrawal, Key: "settle"}
	}
	var w dbsqlc.LockWithdrawalRow
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if w, err = s.q.LockWithdrawal(ctx, tx, id); err != nil {
			return db.NotFound(err, "Withdrawal")
		}
		if w.Status == status {
			return nil
		}
		if w.Status != WithdrawalPending {
			return arena.Errorf(arena.ECONFLICT, "The withdrawal was already %s.", w.Status)
		}
		if !approve {
			leg.Credit = UserAccount(w.UserID)
		}
		leg.Debit, leg.Amount, leg.Currency, leg.Reference = withdrawalsAccount(), w.Amount, w.Currency, id.String()
		if _, err := s.TransferManyTx(ctx, tx, []Leg{leg}); err != nil {
			return err
		}
		now := s.now()
		if err := s.q.DecideWithdrawal(ctx, tx, dbsqlc.DecideWithdrawalParams{Status: status, Now: now,
			DecidedBy: admin.ID, ID: id}); err != nil {
			return err
		}
		w.Status, w.DecidedAt = status, &now
		return events.AppendTx(ctx, tx, now, events.Event{Type: events.WithdrawalDecided, Visibility: events.User, UserID: w.UserID,
			Payload: events.WithdrawalData{WithdrawalID: w.ID, Status: status, Amount: w.Amount, Currency: w.Currency}})
	})
	if err != nil {
		return nil, err
	}
	return withdrawalOf(w), nil
}

// Withdrawals pages through withdrawals in a status, oldest first (the admin queue).
// Admin only. Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID (cursor).
func (s *Service) Withdrawals(ctx context.Context, status, cursor string, limit int) ([]WithdrawalRequest, string, error) {
	if _, err := arena.RequireRole(ctx, arena.RoleAdmin); err != nil {
		return nil, "", err
	}
	p := dbsqlc.ListWithdrawalsParams{Status: status, MaxRows: int32(limit) + 1}
	if cursor != "" {
		var cur txCursor
		if err := arena.DecodeCursor(cursor, &cur); err != nil {
			return nil, "", err
		}
		p.AfterCreatedAt, p.AfterID = &cur.CreatedAt, &cur.ID
	}
	rows, err := s.q.ListWithdrawals(ctx, s.pool, p)
	if err != nil {
		return nil, "", err
	}
	rows, next := arena.TrimPage(rows, limit, func(r dbsqlc.ListWithdrawalsRow) any {
		return txCursor{CreatedAt: r.CreatedAt, ID: r.ID}
	})
	out := make([]WithdrawalRequest, len(rows))
	for i, r := range rows {
		out[i] = WithdrawalRequest{ID: r.ID, UserID: r.UserID, UserHandle: r.Handle, Amount: r.Amount, Currency: r.Currency,
			Status: r.Status, CreatedAt: r.CreatedAt, DecidedAt: r.DecidedAt}
	}
	return out, next, nil
}

func withdrawalOf(w dbsqlc.LockWithdrawalRow) *WithdrawalRequest {
	return &WithdrawalRequest{ID: w.ID, UserID: w.UserID, Amount: w.Amount, Currency: w.Currency, Status: w.Status,
		CreatedAt: w.CreatedAt, DecidedAt: w.DecidedAt}
}

// Violation kinds, as the audit query names them.
const (
	ViolationUnbalancedCurrency = "unbalanced_currency" // a currency's balances do not sum to zero
	ViolationBalanceMismatch    = "balance_mismatch"    // a balance differs from its ledger rows
	ViolationNegativeBalance    = "negative_balance"    // an account other than the world's is negative
	ViolationCurrencyMismatch   = "currency_mismatch"   // a transfer in another currency than its accounts'
	ViolationOwnerlessAccount   = "ownerless_account"   // a user account whose user does not exist
	ViolationEscrowAfterPayout  = "escrow_after_payout" // a tournament's prizes are all paid, yet its escrow holds money
)

// Violation is one way the books are wrong.
type Violation struct {
	Kind    string `json:"kind" enum:"unbalanced_currency,balance_mismatch,negative_balance,currency_mismatch,ownerless_account,escrow_after_payout"`
	Subject string `json:"subject" doc:"The currency, account, transfer or (escrow_after_payout) tournament concerned."`
	Amount  int64  `json:"amount" doc:"The imbalance, mismatch or negative balance."`
}

// Audit checks the books: each currency's balances sum to zero, every balance equals its
// ledger rows, no account but the world is negative, every transfer matches its accounts'
// currency, every user account belongs to a user, and the escrow of a tournament whose
// prizes are all paid holds nothing. It returns the violations (none when the books are right).
func (s *Service) Audit(ctx context.Context) ([]Violation, error) {
	rows, err := s.q.Audit(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	out := make([]Violation, len(rows))
	for i, r := range rows {
		out[i] = Violation{Kind: r.Violation, Subject: r.Subject, Amount: r.Amount}
	}
	return out, nil
}
