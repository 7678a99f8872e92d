-- Wallet: a rejected withdrawal's money goes back to the wallet as its own kind of transfer
-- (it is no refund of anything), and the ledger publishes what each tournament's escrow took
-- in entry fees and paid back in refunds.

-- +goose Up
ALTER TABLE wallet_transfers DROP CONSTRAINT wallet_transfers_kind_check;
ALTER TABLE wallet_transfers ADD CONSTRAINT wallet_transfers_kind_check
    CHECK (kind IN ('deposit', 'withdrawal', 'withdrawal_release', 'entry_fee', 'refund', 'prize', 'platform_fee', 'adjustment'));
-- Releases made before this kind existed were written as 'refund' (key 'release', from the
-- withdrawals account): they get their kind's name. Accounts and amounts do not change, and
-- a replayed rejection finds the withdrawal decided before it looks for its transfer.
ALTER TABLE wallet_transfers DISABLE TRIGGER wallet_transfers_immutable;
UPDATE wallet_transfers t SET kind = 'withdrawal_release'
FROM wallet_accounts a
WHERE t.kind = 'refund' AND t.idempotency_key = 'release' AND a.id = t.debit_account_id AND a.kind = 'withdrawals';
ALTER TABLE wallet_transfers ENABLE TRIGGER wallet_transfers_immutable;

-- Entry fees into an escrow and refunds out of it, as index-only sums (public_escrow_fees).
CREATE INDEX wallet_transfers_entry_fees_idx ON wallet_transfers (credit_account_id) INCLUDE (amount) WHERE kind = 'entry_fee';
CREATE INDEX wallet_transfers_refunds_idx ON wallet_transfers (debit_account_id) INCLUDE (amount) WHERE kind = 'refund';

-- What each tournament's escrow holds from entry fees, straight from the ledger: fees paid
-- in, refunds paid out. The tournament module's organizer stats read it.
CREATE VIEW public_escrow_fees AS
SELECT a.owner_id AS tournament_id, a.currency,
       coalesce((SELECT sum(t.amount) FROM wallet_transfers t WHERE t.credit_account_id = a.id AND t.kind = 'entry_fee'), 0)::bigint AS fees_in,
       coalesce((SELECT sum(t.amount) FROM wallet_transfers t WHERE t.debit_account_id = a.id AND t.kind = 'refund'), 0)::bigint AS refunds_out
FROM wallet_accounts a
WHERE a.kind = 'escrow';

-- +goose Down
DROP VIEW public_escrow_fees;
DROP INDEX wallet_transfers_refunds_idx;
DROP INDEX wallet_transfers_entry_fees_idx;
ALTER TABLE wallet_transfers DISABLE TRIGGER wallet_transfers_immutable;
UPDATE wallet_transfers SET kind = 'refund' WHERE kind = 'withdrawal_release';
ALTER TABLE wallet_transfers ENABLE TRIGGER wallet_transfers_immutable;
ALTER TABLE wallet_transfers DROP CONSTRAINT wallet_transfers_kind_check;
ALTER TABLE wallet_transfers ADD CONSTRAINT wallet_transfers_kind_check
    CHECK (kind IN ('deposit', 'withdrawal', 'entry_fee', 'refund', 'prize', 'platform_fee', 'adjustment'));
