// Package wallet is Arena's double-entry ledger. Money moves only in transfers: a positive
// amount from a debit account to a credit account of the same currency, applied once per
// (kind, reference, key), never changed afterwards. An account's balance is its credits
// minus its debits, so each currency's balances sum to zero; no account but the world (money
// outside Arena) goes below zero.
package wallet

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
	"github.com/arenaesports/arena/modules/events"
	"github.com/arenaesports/arena/modules/wallet/internal/dbsqlc"
)

// Account kinds.
const (
	KindUser        = "user"        // a player's wallet (owner: user id)
	KindEscrow      = "escrow"      // a tournament's entry fees until paid out (owner: tournament id)
	KindPlatform    = "platform"    // Arena's revenue
	KindWorld       = "world"       // outside Arena: funds deposits, receives withdrawals
	KindWithdrawals = "withdrawals" // money held for pending withdrawals
)

// Transfer kinds.
const (
	Deposit           = "deposit"
	Withdrawal        = "withdrawal"
	WithdrawalRelease = "withdrawal_release" // a rejected withdrawal's held money back to the wallet
	EntryFee          = "entry_fee"
	Refund            = "refund"
	Prize             = "prize"
	PlatformFee       = "platform_fee"
	Adjustment        = "adjustment"
	AddedPrize        = "added_prize"        // an organizer's added prize into a tournament's escrow
	AddedPrizeReturn  = "added_prize_return" // that prize back to the organizer (cancelled tournament)
	PrizeRounding     = "prize_rounding"     // the cents a prize split cannot divide, to the platform
)

// Account names a ledger account; accounts are created on first use.
type Account struct {
	Kind    string
	OwnerID uuid.UUID
}

// UserAccount is a user's wallet.
func UserAccount(userID uuid.UUID) Account { return Account{Kind: KindUser, OwnerID: userID} }

// EscrowAccount holds a tournament's entry fees.
func EscrowAccount(tournamentID uuid.UUID) Account {
	return Account{Kind: KindEscrow, OwnerID: tournamentID}
}

// PlatformAccount is Arena's revenue.
func PlatformAccount() Account { return Account{Kind: KindPlatform} }

// WorldAccount is money outside Arena.
func WorldAccount() Account { return Account{Kind: KindWorld} }

func withdrawalsAccount() Account { return Account{Kind: KindWithdrawals} }

// Leg is one transfer of a batch.
type Leg struct {
	Debit    Account // where the money leaves
	Credit   Account // where it arrives
	Amount   int64   // minor units, > 0
	Currency string  // ISO 4217; the currency of both accounts
	Kind     string  // one of the transfer kinds above
	// Reference and Key identify the leg: it is applied at most once per (Kind, Reference,
	// Key). E.g. Reference = a registration id, Key = the member charged.
	Reference string
	Key       string
}

// Transfer is an applied leg.
type Transfer struct {
	ID              uuid.UUID `json:"id"`
	DebitAccountID  uuid.UUID `json:"debit_account_id"`
	CreditAccountID uuid.UUID `json:"credit_account_id"`
	Amount          int64     `json:"amount"`
	Currency        string    `json:"currency"`
	Kind            string    `json:"kind" enum:"deposit,withdrawal,withdrawal_release,entry_fee,refund,prize,platform_fee,adjustment,added_prize,added_prize_return,prize_rounding"`
	Reference       string    `json:"reference"`
	Key             string    `json:"key"`
	CreatedAt       time.Time `json:"created_at"`
}

// InsufficientFundsError is the ECONFLICT of a batch that would overdraw accounts. It
// names the accounts (for user wallets, their owners) but never their balances.
type InsufficientFundsError struct {
	Err      *arena.Error
	Accounts []Account
}

// Error implements error.
func (e *InsufficientFundsError) Error() string { return e.Err.Error() }

// Unwrap exposes the arena.Error to arena.ErrorCode.
func (e *InsufficientFundsError) Unwrap() error { return e.Err }

// Config holds the module's tunables.
type Config struct {
	// Now is the clock; tests inject one.
	Now func() time.Time
}

// Service is the wallet's API for its HTTP handlers and other modules.
type Service struct {
	pool *db.Pool // statements survive a lost connection (db.Pool)
	q    *dbsqlc.Queries
	now  func() time.Time
}

// New returns a Service on pool.
func New(pool *pgxpool.Pool, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{pool: db.Statements(pool), q: dbsqlc.New(), now: func() time.Time { return cfg.Now().UTC() }}
}

// TransferTx applies one leg in the caller's transaction; see TransferManyTx.
func (s *Service) TransferTx(ctx context.Context, tx pgx.Tx, leg Leg) (Transfer, error) {
	ts, err := s.TransferManyTx(ctx, tx, []Leg{leg})
	if err != nil {
		return Transfer{}, err
	}
	return ts[0], nil
}

// TransferManyTx applies legs all or nothing in the caller's transaction, in two round
// trips whatever their number: one locks every touched account in id order (so concurrent
// batches never deadlock) and finds legs already applied; one updates the balances and
// inserts the ledger rows. A batch applied before (same kind, reference and key for every
// leg, same accounts and amounts) is not applied again: its transfers are returned.
//
// On error the caller must roll the transaction back: it may hold part of the batch.
// Errors: EINVALID (bad leg, currency mismatch), ECONFLICT (*InsufficientFundsError; a key
// reused for a different leg; a batch partly applied before).
func (s *Service) TransferManyTx(ctx context.Context, tx pgx.Tx, legs []Leg) ([]Transfer, error) {
	if len(legs) == 0 {
		return nil, nil
	}
	if err := checkLegs(legs); err != nil {
		return nil, err
	}
	lock := lockParams(legs)
	rows, err := s.q.LockAccounts(ctx, tx, lock)
	if err != nil {
		return nil, err
	}
	if len(rows) < len(lock.Kinds) { // first use of some account: create it, lock again
		if err := s.q.EnsureAccounts(ctx, tx, dbsqlc.EnsureAccountsParams{Kinds: lock.Kinds, OwnerIds: lock.OwnerIds,
			Currencies: lock.Currencies, Now: s.now()}); err != nil {
			return nil, err
		}
		if rows, err = s.q.LockAccounts(ctx, tx, lock); err != nil {
			return nil, err
		}
	}
	type key struct {
		Account
		currency string
	}
	accounts := make(map[key]dbsqlc.LockAccountsRow, len(rows))
	for _, r := range rows {
		accounts[key{Account{r.Kind, r.OwnerID}, r.Currency}] = r
	}

	var applied []Transfer
	if err := json.Unmarshal(rows[0].Applied, &applied); err != nil {
		return nil, fmt.Errorf("decode applied transfers: %w", err)
	}
	if len(applied) > 0 {
		return replayed(legs, applied, func(a Account, cur string) uuid.UUID { return accounts[key{a, cur}].ID })
	}

	// Apply: net each account's change and check it against the locked balance.
	now := s.now()
	delta := map[uuid.UUID]int64{}
	var p dbsqlc.InsertTransfersParams
	out := make([]Transfer, len(legs))
	for i, l := range legs {
		d, c := accounts[key{l.Debit, l.Currency}], accounts[key{l.Credit, l.Currency}]
		delta[d.ID] -= l.Amount
		delta[c.ID] += l.Amount
		out[i] = Transfer{ID: db.NewID(), DebitAccountID: d.ID, CreditAccountID: c.ID, Amount: l.Amount,
			Currency: l.Currency, Kind: l.Kind, Reference: l.Reference, Key: l.Key, CreatedAt: now}
		p.Ids = append(p.Ids, out[i].ID)
		p.DebitIds = append(p.DebitIds, d.ID)
		p.CreditIds = append(p.CreditIds, c.ID)
		p.Amounts = append(p.Amounts, l.Amount)
		p.Currencies = append(p.Currencies, l.Currency)
		p.Kinds = append(p.Kinds, l.Kind)
		p.Refs = append(p.Refs, l.Reference)
		p.Keys = append(p.Keys, l.Key)
		p.CreatedAts = append(p.CreatedAts, now)
	}
	var short []Account
	var upd dbsqlc.AddToBalancesParams
	for _, r := range rows {
		dv, touched := delta[r.ID]
		if !touched || dv == 0 {
			continue
		}
		if r.Kind != KindWorld && r.Balance+dv < 0 {
			short = append(short, Account{r.Kind, r.OwnerID})
		}
		upd.Ids = append(upd.Ids, r.ID)
		upd.Deltas = append(upd.Deltas, dv)
	}
	if len(short) > 0 {
		return nil, &InsufficientFundsError{Err: arena.Errorf(arena.ECONFLICT, "Insufficient funds."), Accounts: short}
	}

	if err := events.AppendTx(ctx, tx, now, transferEvents(legs, out)...); err != nil {
		return nil, err
	}
	b := &queue{}
	if err := s.q.AddToBalances(ctx, b, upd); err != nil {
		return nil, err
	}
	if err := s.q.InsertTransfers(ctx, b, p); err != nil {
		return nil, err
	}
	if err := tx.SendBatch(ctx, &b.batch).Close(); err != nil {
		if db.UniqueViolation(err) == "wallet_transfers_idempotency_key" {
			return nil, arena.Errorf(arena.ECONFLICT, "This transfer is being applied by another request.")
		}
		return nil, err
	}
	return out, nil
}

// transferEvents are a batch's wallet.transfer events: one per user wallet a leg touches,
// seen by that user alone.
func transferEvents(legs []Leg, transfers []Transfer) []events.Event {
	var out []events.Event
	for i, l := range legs {
		for _, side := range []struct {
			account   Account
			direction string
		}{{l.Debit, events.DirectionOut}, {l.Credit, events.DirectionIn}} {
			if side.account.Kind != KindUser {
				continue
			}
			out = append(out, events.Event{Type: events.WalletTransfer, Visibility: events.User, UserID: side.account.OwnerID,
				Payload: events.TransferData{TransferID: transfers[i].ID, Kind: l.Kind, Direction: side.direction,
					Amount: l.Amount, Currency: l.Currency}})
		}
	}
	return out
}

// replayed matches a batch against the transfers already applied under its keys: the same
// batch returns them; anything else is a conflict.
func replayed(legs []Leg, applied []Transfer, accountID func(Account, string) uuid.UUID) ([]Transfer, error) {
	if len(applied) != len(legs) {
		return nil, arena.Errorf(arena.ECONFLICT, "Part of this batch was applied before under the same keys.")
	}
	out := make([]Transfer, len(legs))
	for i, l := range legs {
		j := slices.IndexFunc(applied, func(t Transfer) bool {
			return t.Kind == l.Kind && t.Reference == l.Reference && t.Key == l.Key
		})
		if j < 0 {
			return nil, arena.Errorf(arena.ECONFLICT, "Part of this batch was applied before under the same keys.")
		}
		t := applied[j]
		if t.Amount != l.Amount || t.Currency != l.Currency || t.DebitAccountID != accountID(l.Debit, l.Currency) ||
			t.CreditAccountID != accountID(l.Credit, l.Currency) {
			return nil, arena.Errorf(arena.ECONFLICT, "Transfer key %s/%s/%s was used for a different transfer.", l.Kind, l.Reference, l.Key)
		}
		out[i] = t
	}
	return out, nil
}

var transferKinds = []string{Deposit, Withdrawal, WithdrawalRelease, EntryFee, Refund, Prize, PlatformFee, Adjustment,
	AddedPrize, AddedPrizeReturn, PrizeRounding}

func checkLegs(legs []Leg) error {
	for _, l := range legs {
		switch {
		case l.Amount <= 0:
			return arena.Errorf(arena.EINVALID, "Transfer amounts must be positive.")
		case len(l.Currency) != 3 || strings.ToUpper(l.Currency) != l.Currency:
			return arena.Errorf(arena.EINVALID, "Currency %q is not an ISO 4217 code.", l.Currency)
		case !slices.Contains(transferKinds, l.Kind):
			return arena.Errorf(arena.EINVALID, "Unknown transfer kind %q.", l.Kind)
		case l.Debit == l.Credit:
			return arena.Errorf(arena.EINVALID, "A transfer needs two different accounts.")
		case l.Reference == "" || len(l.Reference) > 200 || l.Key == "" || len(l.Key) > 255:
			return arena.Errorf(arena.EINVALID, "A transfer needs a reference (≤ 200 bytes) and a key (≤ 255 bytes).")
		}
	}
	return nil
}

// lockParams lists the distinct accounts (with currency) and the idempotency triples.
func lockParams(legs []Leg) dbsqlc.LockAccountsParams {
	var p dbsqlc.LockAccountsParams
	seen := map[string]bool{}
	add := func(a Account, cur string) {
		k := a.Kind + "/" + a.OwnerID.String() + "/" + cur
		if !seen[k] {
			seen[k] = true
			p.Kinds, p.OwnerIds, p.Currencies = append(p.Kinds, a.Kind), append(p.OwnerIds, a.OwnerID), append(p.Currencies, cur)
		}
	}
	for _, l := range legs {
		add(l.Debit, l.Currency)
		add(l.Credit, l.Currency)
		p.TransferKinds, p.Refs, p.Keys = append(p.TransferKinds, l.Kind), append(p.Refs, l.Reference), append(p.Keys, l.Key)
	}
	return p
}

// queue is a dbsqlc.DBTX that queues statements into a pgx.Batch, so several generated
// exec queries go to the server in one round trip.
type queue struct{ batch pgx.Batch }

func (q *queue) Exec(_ context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	q.batch.Queue(sql, args...)
	return pgconn.CommandTag{}, nil
}

func (q *queue) Query(context.Context, string, ...any) (pgx.Rows, error) {
	panic("wallet: queue takes exec statements only")
}

func (q *queue) QueryRow(context.Context, string, ...any) pgx.Row {
	panic("wallet: queue takes exec statements only")
}

// BalanceTx returns an account's balance in currency (0 for an account never used).
func (s *Service) BalanceTx(ctx context.Context, tx pgx.Tx, a Account, currency string) (int64, error) {
	bal, err := s.q.GetBalance(ctx, tx, dbsqlc.GetBalanceParams{Kind: a.Kind, OwnerID: a.OwnerID, Currency: currency})
	if db.NotFound(err, "") != err {
		return 0, nil
	}
	return bal, err
}

// TransferMany is TransferManyTx in a transaction of its own.
func (s *Service) TransferMany(ctx context.Context, legs []Leg) ([]Transfer, error) {
	var out []Transfer
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		out, err = s.TransferManyTx(ctx, tx, legs)
		return err
	})
	return out, err
}

// AddWorkers registers the wallet's workers and periodic jobs with River.
func (s *Service) AddWorkers(workers *river.Workers) []*river.PeriodicJob {
	river.AddWorker(workers, &PurgeKeysWorker{Service: s})
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return PurgeKeysArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})}
}

// PurgeKeysArgs is the periodic job that deletes idempotency records past their 24 hours.
type PurgeKeysArgs struct{}

// Kind implements river.JobArgs.
func (PurgeKeysArgs) Kind() string { return "wallet.purge_idempotency_keys" }

// InsertOpts implements river.JobArgsWithInsertOpts: the job runs on db.QueueMaintenance.
func (PurgeKeysArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: db.QueueMaintenance}
}

// PurgeKeysWorker runs PurgeKeysArgs; running it twice is harmless.
type PurgeKeysWorker struct {
	river.WorkerDefaults[PurgeKeysArgs]
	Service *Service
}

// Work implements river.Worker.
func (w *PurgeKeysWorker) Work(ctx context.Context, _ *river.Job[PurgeKeysArgs]) error {
	_, err := w.Service.q.PurgeIdempotencyKeys(ctx, w.Service.pool, w.Service.now())
	return err
}
