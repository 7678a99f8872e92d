-- Wallet: a double-entry ledger. Every transfer moves a positive amount from a debit
-- account to a credit account of the same currency; an account's balance is its credits
-- minus its debits, so the balances of a currency always sum to zero.

-- +goose Up
CREATE TABLE wallet_accounts (
    id         uuid PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('user', 'escrow', 'platform', 'world', 'withdrawals')),
    -- The user (user), the tournament (escrow); the nil UUID for the system accounts.
    owner_id   uuid NOT NULL,
    currency   text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    balance    bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    -- Only the world account (money outside Arena) goes negative.
    CHECK (kind = 'world' OR balance >= 0)
);
-- LockAccounts / EnsureAccounts resolve (kind, owner, currency); one account each.
CREATE UNIQUE INDEX wallet_accounts_owner_key ON wallet_accounts (kind, owner_id, currency);

CREATE TABLE wallet_transfers (
    id                uuid PRIMARY KEY,
    debit_account_id  uuid NOT NULL REFERENCES wallet_accounts (id),
    credit_account_id uuid NOT NULL REFERENCES wallet_accounts (id),
    amount            bigint NOT NULL CHECK (amount > 0),
    currency          text NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('deposit', 'withdrawal', 'entry_fee', 'refund', 'prize', 'platform_fee', 'adjustment')),
    reference         text NOT NULL CHECK (length(reference) BETWEEN 1 AND 200),
    idempotency_key   text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    created_at        timestamptz NOT NULL,
    CHECK (debit_account_id <> credit_account_id)
);
-- FindTransfers: a transfer is applied once per (kind, reference, key); a replay finds it.
CREATE UNIQUE INDEX wallet_transfers_idempotency_key ON wallet_transfers (kind, reference, idempotency_key);
-- ListTransactions: an account's history, newest first, by the side it is on.
CREATE INDEX wallet_transfers_debit_idx ON wallet_transfers (debit_account_id, created_at DESC, id DESC);
CREATE INDEX wallet_transfers_credit_idx ON wallet_transfers (credit_account_id, created_at DESC, id DESC);

-- Ledger rows are never changed: corrections are new transfers.
-- +goose StatementBegin
CREATE FUNCTION wallet_transfers_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'wallet transfers are immutable';
END $$;
-- +goose StatementEnd
CREATE TRIGGER wallet_transfers_immutable BEFORE UPDATE OR DELETE ON wallet_transfers
    FOR EACH ROW EXECUTE FUNCTION wallet_transfers_immutable();

CREATE TABLE wallet_withdrawals (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL,
    amount     bigint NOT NULL CHECK (amount > 0),
    currency   text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status     text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at timestamptz NOT NULL,
    decided_at timestamptz,
    decided_by uuid
);
-- ListWithdrawals (admin queue by status, oldest first).
CREATE INDEX wallet_withdrawals_status_idx ON wallet_withdrawals (status, created_at, id);
-- GetBalances: a user's pending withdrawals.
CREATE INDEX wallet_withdrawals_user_pending_idx ON wallet_withdrawals (user_id, currency) WHERE status = 'pending';

-- Idempotency keys of money-moving requests (Stripe semantics): the first result is kept
-- and replayed for 24 hours.
CREATE TABLE idempotency_keys (
    user_id         uuid NOT NULL,
    key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    operation       text NOT NULL,
    request_hash    bytea NOT NULL,
    response        jsonb,            -- NULL while the first request runs
    started_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);
-- PurgeIdempotencyKeys.
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE wallet_withdrawals;
DROP TABLE wallet_transfers;
DROP FUNCTION wallet_transfers_immutable;
DROP TABLE wallet_accounts;
