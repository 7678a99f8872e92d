-- EnsureAccounts creates any of the given accounts that do not exist yet.
-- name: EnsureAccounts :exec
INSERT INTO wallet_accounts (id, kind, owner_id, currency, created_at)
SELECT gen_random_uuid(), a.kind, a.owner_id, a.currency, @now
FROM (SELECT unnest(@kinds::text[]) AS kind, unnest(@owner_ids::uuid[]) AS owner_id, unnest(@currencies::text[]) AS currency) a
ON CONFLICT (kind, owner_id, currency) DO NOTHING;

-- LockAccounts locks the given accounts in id order — the one order every transfer uses,
-- so concurrent transfers never deadlock — and returns their balances, each row carrying
-- (as JSON) the transfers already applied under the given idempotency triples. One round
-- trip; accounts that do not exist yet are simply absent.
-- name: LockAccounts :many
WITH applied AS MATERIALIZED (
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'id', t.id, 'debit_account_id', t.debit_account_id, 'credit_account_id', t.credit_account_id,
               'amount', t.amount, 'currency', t.currency, 'kind', t.kind, 'reference', t.reference,
               'key', t.idempotency_key, 'created_at', t.created_at)), '[]')::jsonb AS transfers
    FROM wallet_transfers t
    JOIN (SELECT unnest(@transfer_kinds::text[]) AS kind, unnest(@refs::text[]) AS reference,
                 unnest(@keys::text[]) AS idempotency_key) k
      ON t.kind = k.kind AND t.reference = k.reference AND t.idempotency_key = k.idempotency_key
)
SELECT a.id, a.kind, a.owner_id, a.currency, a.balance, applied.transfers AS applied
FROM wallet_accounts a
JOIN (SELECT unnest(@kinds::text[]) AS kind, unnest(@owner_ids::uuid[]) AS owner_id, unnest(@currencies::text[]) AS currency) k
  ON a.kind = k.kind AND a.owner_id = k.owner_id AND a.currency = k.currency
CROSS JOIN applied
ORDER BY a.id
FOR UPDATE OF a;

-- name: AddToBalances :exec
UPDATE wallet_accounts a SET balance = a.balance + d.delta
FROM (SELECT unnest(@ids::uuid[]) AS id, unnest(@deltas::bigint[]) AS delta) d
WHERE a.id = d.id;

-- name: InsertTransfers :exec
INSERT INTO wallet_transfers (id, debit_account_id, credit_account_id, amount, currency, kind, reference, idempotency_key, created_at)
SELECT unnest(@ids::uuid[]), unnest(@debit_ids::uuid[]), unnest(@credit_ids::uuid[]), unnest(@amounts::bigint[]),
       unnest(@currencies::text[]), unnest(@kinds::text[]), unnest(@refs::text[]), unnest(@keys::text[]),
       unnest(@created_ats::timestamptz[]);

-- name: GetBalance :one
SELECT balance FROM wallet_accounts WHERE kind = @kind AND owner_id = @owner_id AND currency = @currency;

-- GetBalances lists a user's wallets with what their pending withdrawals hold.
-- name: GetBalances :many
SELECT a.currency, a.balance,
       coalesce((SELECT sum(w.amount) FROM wallet_withdrawals w
                 WHERE w.user_id = a.owner_id AND w.currency = a.currency AND w.status = 'pending'), 0)::bigint AS pending_withdrawals
FROM wallet_accounts a
WHERE a.kind = 'user' AND a.owner_id = @user_id
ORDER BY a.currency;

-- ListTransactions pages through a user's transfers, newest first: each side of the ledger
-- is read along its own index and the two are merged, so a page costs the same at any depth.
-- name: ListTransactions :many
WITH mine AS (SELECT m.id FROM wallet_accounts m WHERE m.kind = 'user' AND m.owner_id = @user_id),
page AS (
    (SELECT t.id, t.kind, t.amount, t.currency, t.reference, t.created_at, false AS incoming, t.credit_account_id AS other_id
     FROM wallet_transfers t
     WHERE t.debit_account_id IN (SELECT id FROM mine)
       AND (sqlc.narg(before_created_at)::timestamptz IS NULL
            OR (t.created_at, t.id) < (sqlc.narg(before_created_at)::timestamptz, sqlc.narg(before_id)::uuid))
     ORDER BY t.created_at DESC, t.id DESC LIMIT @max_rows)
    UNION ALL
    (SELECT t.id, t.kind, t.amount, t.currency, t.reference, t.created_at, true, t.debit_account_id
     FROM wallet_transfers t
     WHERE t.credit_account_id IN (SELECT id FROM mine)
       AND (sqlc.narg(before_created_at)::timestamptz IS NULL
            OR (t.created_at, t.id) < (sqlc.narg(before_created_at)::timestamptz, sqlc.narg(before_id)::uuid))
     ORDER BY t.created_at DESC, t.id DESC LIMIT @max_rows)
)
SELECT p.id, p.kind, p.amount, p.currency, p.reference, p.created_at, p.incoming,
       o.kind AS other_kind, o.owner_id AS other_owner_id, u.handle AS other_handle, pt.name AS other_tournament
FROM page p
JOIN wallet_accounts o ON o.id = p.other_id
LEFT JOIN public_users u ON o.kind = 'user' AND u.id = o.owner_id
LEFT JOIN public_tournaments pt ON o.kind = 'escrow' AND pt.id = o.owner_id
ORDER BY p.created_at DESC, p.id DESC
LIMIT @max_rows;

-- Audit checks the books in one round trip: each row is one violation.
-- name: Audit :many
SELECT 'unbalanced_currency'::text AS violation, currency AS subject, sum(balance)::bigint AS amount
FROM wallet_accounts GROUP BY currency HAVING sum(balance) <> 0
UNION ALL
SELECT 'balance_mismatch', a.id::text, a.balance - coalesce(l.net, 0)
FROM wallet_accounts a
LEFT JOIN (
    SELECT account_id, sum(delta) AS net FROM (
        SELECT credit_account_id AS account_id, amount AS delta FROM wallet_transfers
        UNION ALL
        SELECT debit_account_id, -amount FROM wallet_transfers
    ) e GROUP BY account_id
) l ON l.account_id = a.id
WHERE a.balance <> coalesce(l.net, 0)
UNION ALL
SELECT 'negative_balance', id::text, balance FROM wallet_accounts WHERE kind <> 'world' AND balance < 0
UNION ALL
SELECT 'currency_mismatch', t.id::text, t.amount
FROM wallet_transfers t
JOIN wallet_accounts d ON d.id = t.debit_account_id
JOIN wallet_accounts c ON c.id = t.credit_account_id
WHERE d.currency <> t.currency OR c.currency <> t.currency
UNION ALL
SELECT 'ownerless_account', a.id::text, a.balance
FROM wallet_accounts a
WHERE a.kind = 'user' AND NOT EXISTS (SELECT 1 FROM public_users u WHERE u.id = a.owner_id)
UNION ALL
SELECT 'escrow_after_payout', a.owner_id::text, a.balance
FROM wallet_accounts a JOIN public_payouts p ON p.tournament_id = a.owner_id AND p.currency = a.currency
WHERE a.kind = 'escrow' AND p.status = 'paid' AND a.balance <> 0;

-- name: UserExists :one
-- Deposit credits only a user who exists; identity publishes users as public_users.
SELECT EXISTS (SELECT 1 FROM public_users WHERE id = @id::uuid);
