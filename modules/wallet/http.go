package wallet

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/arenaesports/arena"
	"github.com/arenaesports/arena/db"
)

var requireSession = []map[string][]string{{"bearer": {}}}

// Replay is embedded in the output of every money-moving operation: a replayed answer says
// so.
type Replay struct {
	IdempotentReplayed string `header:"Idempotent-Replayed" enum:"true" doc:"true when this answer replays the first request's with this Idempotency-Key; absent otherwise."`
}

func (r *Replay) markReplayed() { r.IdempotentReplayed = "true" }

// IdempotencyKey is embedded in the input of every money-moving operation.
type IdempotencyKey struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Required. A unique key per intended operation: a retry with the same key and body replays the first result for 24 hours; the same key with a different body is 422 idempotency_key_reused; while the first request runs, 409. A replayed answer carries Idempotent-Replayed: true."`
}

func (k IdempotencyKey) idempotencyKey() string { return k.IdempotencyKey }

// Idempotent wraps a handler of a money-moving operation with Stripe's Idempotency-Key
// semantics, scoped to the caller: the first result (output, or client error) is stored and
// replayed for 24 hours. It runs after huma's validation, so requests rejected as malformed
// store nothing. An internal error stores nothing either, so the request can be retried.
func Idempotent[I any, PI interface {
	*I
	idempotencyKey() string
}, O any](svc *Service, operation string, handler func(context.Context, PI) (*O, error)) func(context.Context, PI) (*O, error) {
	return func(ctx context.Context, in PI) (*O, error) {
		key := in.idempotencyKey()
		if key == "" {
			return nil, huma.Error400BadRequest("The Idempotency-Key header is required for this operation.")
		}
		c, err := arena.RequireCaller(ctx)
		if err != nil {
			return nil, err
		}
		user := c.ID
		hash, err := fingerprint(in)
		if err != nil {
			return nil, err
		}
		holder := db.NewID()
		stored, err := svc.claimKey(ctx, user, holder, key, operation, hash)
		if err != nil {
			return nil, err
		}
		if stored != nil {
			if stored.Code != "" {
				return nil, arena.Errorf(stored.Code, "%s", stored.Message)
			}
			out := new(O)
			if err := json.Unmarshal(stored.Output, out); err != nil {
				return nil, err
			}
			if r, ok := any(out).(interface{ markReplayed() }); ok {
				r.markReplayed()
			}
			return out, nil
		}

		release := svc.holdKey(ctx, user, holder, key)
		out, err := handler(ctx, in)
		release()
		if err != nil {
			if code := arena.ErrorCode(err); code != arena.EINTERNAL {
				if serr := svc.saveResult(ctx, user, holder, key, storedResult{Code: code, Message: arena.ErrorMessage(err)}); serr != nil {
					return nil, serr
				}
			} else if rerr := svc.releaseKey(ctx, user, holder, key); rerr != nil {
				return nil, rerr
			}
			return nil, err
		}
		raw, err := json.Marshal(out)
		if err != nil {
			return nil, err
		}
		return out, svc.saveResult(ctx, user, holder, key, storedResult{Output: raw})
	}
}

// fingerprint identifies a request's input for its idempotency key: the SHA-256 of its JSON
// encoding, so a retry with the same path, headers and body matches and any other does not.
// The encoding is exact for what huma hands over (its strings are valid UTF-8: the body's
// decoder and the edge make them so), and struct fields encode in a fixed order.
func fingerprint(in any) ([]byte, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	return sum[:], nil
}

// MoneyInput is an amount to move.
type MoneyInput struct {
	Amount   int64  `json:"amount" minimum:"1" maximum:"1000000000000" doc:"Minor units, e.g. cents."`
	Currency string `json:"currency" pattern:"^[A-Z]{3}$" doc:"ISO 4217 code."`
}

// DepositInput is the input of create-deposit.
type DepositInput struct {
	UserID string `path:"user_id" format:"uuid"`
	IdempotencyKey
	Body MoneyInput
}

// TransferOutput wraps a Transfer.
type TransferOutput struct {
	Replay
	Body Transfer
}

// WithdrawalInput is the input of request-withdrawal.
type WithdrawalInput struct {
	IdempotencyKey
	Body MoneyInput
}

// WithdrawalOutput wraps a WithdrawalRequest.
type WithdrawalOutput struct {
	Replay
	Body *WithdrawalRequest
}

// DecisionInput names a withdrawal to approve or reject.
type DecisionInput struct {
	ID string `path:"id" format:"uuid"`
	IdempotencyKey
}

// WalletOutput is the caller's wallet.
type WalletOutput struct {
	Body struct {
		Balances []Balance `json:"balances"`
	}
}

// TransactionsOutput is a page of the caller's transactions.
type TransactionsOutput struct {
	Body struct {
		Items      []Transaction `json:"items"`
		NextCursor string        `json:"next_cursor,omitempty"`
	}
}

// WithdrawalsInput pages the admin queue.
type WithdrawalsInput struct {
	Status string `query:"status" enum:"pending,approved,rejected" default:"pending"`
	arena.Page
}

// WithdrawalsOutput is a page of withdrawals.
type WithdrawalsOutput struct {
	Body struct {
		Items      []WithdrawalRequest `json:"items"`
		NextCursor string              `json:"next_cursor,omitempty"`
	}
}

// AuditOutput is the state of the books.
type AuditOutput struct {
	Body struct {
		OK         bool        `json:"ok"`
		Violations []Violation `json:"violations"`
	}
}

// Register adds the wallet's operations to api.
func Register(api huma.API, svc *Service) {
	tags := []string{"Wallet"}
	admin := []string{"Admin"}
	moneyErrors := []int{http.StatusBadRequest, http.StatusConflict}

	huma.Register(api, huma.Operation{
		OperationID: "get-wallet", Method: http.MethodGet, Path: "/v1/wallet", Summary: "The caller's balances",
		Tags: tags, Security: requireSession,
	}, func(ctx context.Context, _ *struct{}) (*WalletOutput, error) {
		b, err := svc.Balances(ctx)
		out := &WalletOutput{}
		out.Body.Balances = b
		return out, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "list-wallet-transactions", Method: http.MethodGet, Path: "/v1/wallet/transactions",
		Summary: "The caller's transactions, newest first", Tags: tags, Security: requireSession,
	}, func(ctx context.Context, in *arena.Page) (*TransactionsOutput, error) {
		items, next, err := svc.Transactions(ctx, in.Cursor, in.Limit)
		out := &TransactionsOutput{}
		out.Body.Items, out.Body.NextCursor = items, next
		return out, err
	})
	huma.Register(api, huma.Operation{
		OperationID: "create-deposit", Method: http.MethodPost, Path: "/v1/admin/users/{user_id}/deposits",
		Summary: "Credit a user's wallet (admin)", Tags: admin, Security: requireSession, DefaultStatus: http.StatusCreated,
		Errors: append(moneyErrors, http.StatusForbidden, http.StatusNotFound),
	}, Idempotent(svc, "create-deposit", func(ctx context.Context, in *DepositInput) (*TransferOutput, error) {
		t, err := svc.Deposit(ctx, in.UserID, in.Body.Amount, in.Body.Currency, in.IdempotencyKey.IdempotencyKey)
		return &TransferOutput{Body: t}, err
	}))
	huma.Register(api, huma.Operation{
		OperationID: "request-withdrawal", Method: http.MethodPost, Path: "/v1/wallet/withdrawals",
		Summary: "Ask to withdraw money; it is held until an admin decides", Tags: tags, Security: requireSession,
		DefaultStatus: http.StatusCreated, Errors: moneyErrors,
	}, Idempotent(svc, "request-withdrawal", func(ctx context.Context, in *WithdrawalInput) (*WithdrawalOutput, error) {
		w, err := svc.RequestWithdrawal(ctx, in.Body.Amount, in.Body.Currency, in.IdempotencyKey.IdempotencyKey)
		return &WithdrawalOutput{Body: w}, err
	}))
	huma.Register(api, huma.Operation{
		OperationID: "list-withdrawals", Method: http.MethodGet, Path: "/v1/admin/withdrawals",
		Summary: "Withdrawals by status, oldest first (admin)", Tags: admin, Security: requireSession,
		Errors: []int{http.StatusForbidden},
	}, func(ctx context.Context, in *WithdrawalsInput) (*WithdrawalsOutput, error) {
		items, next, err := svc.Withdrawals(ctx, in.Status, in.Cursor, in.Limit)
		out := &WithdrawalsOutput{}
		out.Body.Items, out.Body.NextCursor = items, next
		return out, err
	})
	for _, d := range []struct {
		verb, id string
		approve  bool
	}{{"approve", "approve-withdrawal", true}, {"reject", "reject-withdrawal", false}} {
		huma.Register(api, huma.Operation{
			OperationID: d.id, Method: http.MethodPost, Path: "/v1/admin/withdrawals/{id}/" + d.verb,
			Summary: map[bool]string{true: "Approve a withdrawal: the money leaves Arena (admin)",
				false: "Reject a withdrawal: the money returns to the wallet (admin)"}[d.approve],
			Tags: admin, Security: requireSession, Errors: append(moneyErrors, http.StatusForbidden, http.StatusNotFound),
		}, Idempotent(svc, d.id, func(ctx context.Context, in *DecisionInput) (*WithdrawalOutput, error) {
			w, err := svc.DecideWithdrawal(ctx, in.ID, d.approve)
			return &WithdrawalOutput{Body: w}, err
		}))
	}
	huma.Register(api, huma.Operation{
		OperationID: "audit-wallet", Method: http.MethodGet, Path: "/v1/admin/wallet/audit",
		Summary: "Check the books (admin)", Tags: admin, Security: requireSession, Errors: []int{http.StatusForbidden},
		Description: "Each currency sums to zero, every balance equals its ledger rows, no negative balance but the " +
			"world account's, every transfer in its accounts' currency.",
	}, func(ctx context.Context, _ *struct{}) (*AuditOutput, error) {
		if _, err := arena.RequireRole(ctx, arena.RoleAdmin); err != nil {
			return nil, err
		}
		v, err := svc.Audit(ctx)
		out := &AuditOutput{}
		out.Body.OK, out.Body.Violations = len(v) == 0, v
		return out, err
	})
}
