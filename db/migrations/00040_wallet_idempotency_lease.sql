-- +goose Up
-- A key in flight belongs to a live request. The request that claims it names itself
-- (holder, a random id per request) and renews held_until while it runs (ClaimKey,
-- RenewKey), so a retry takes the key over as soon as its holder stops renewing (its
-- process died), not after a fixed five minutes; and a claim run again after a lost
-- connection (db.Pool) finds the key its own. held_until is NULL once answered, and read on
-- the database's clock: it measures whether a process is alive, not tournament time.
ALTER TABLE idempotency_keys ADD COLUMN holder uuid, ADD COLUMN held_until timestamptz;

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN holder, DROP COLUMN held_until;
