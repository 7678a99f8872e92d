-- +goose Up
-- A key in flight belongs to a live request: the request that claimed it renews held_until
-- while it runs (ClaimKey, RenewKey), so a retry takes the key over as soon as its holder
-- stops renewing (its process died), not after a fixed five minutes. NULL once answered.
-- It is read on the database's clock: it measures whether a process is alive, not
-- tournament time.
ALTER TABLE idempotency_keys ADD COLUMN held_until timestamptz;

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN held_until;
