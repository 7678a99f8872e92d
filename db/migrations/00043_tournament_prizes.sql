-- Tournament: the prize an organizer adds to the pool (in the tournament's currency, funded
-- from their wallet into the escrow when the tournament is published) and whether payouts
-- wait for an admin's review. Other modules read both through the tournament service.

-- +goose Up
ALTER TABLE tournaments
    ADD COLUMN added_prize bigint NOT NULL DEFAULT 0 CHECK (added_prize >= 0),
    ADD COLUMN payout_review text NOT NULL DEFAULT 'auto' CHECK (payout_review IN ('auto', 'manual'));

-- +goose Down
ALTER TABLE tournaments DROP COLUMN payout_review, DROP COLUMN added_prize;
