-- Payout: a completed tournament's prize pool as it was fixed when the tournament completed
-- (one row), and who is paid what (one row per member of each paid entry), each marked
-- paid with its ledger transfer in the transaction that makes it.

-- +goose Up
CREATE TABLE payouts (
    tournament_id uuid PRIMARY KEY,
    status        text NOT NULL CHECK (status IN ('pending', 'held', 'paid')),
    review        text NOT NULL CHECK (review IN ('auto', 'manual')),
    -- Auto review is approved from the start; manual once an admin approves.
    approved      boolean NOT NULL,
    currency      text NOT NULL,
    fees          bigint NOT NULL CHECK (fees >= 0),   -- entry fees kept in escrow
    fee           bigint NOT NULL CHECK (fee >= 0),    -- the platform's fee of them
    added_prize   bigint NOT NULL CHECK (added_prize >= 0),
    pool          bigint NOT NULL,
    rounding      bigint NOT NULL CHECK (rounding >= 0), -- cents no split could divide
    places        integer NOT NULL CHECK (places >= 0),   -- the distribution's places entries filled
    hold_reason   text CHECK (length(hold_reason) <= 500),
    decided_by    uuid,
    decided_at    timestamptz,
    created_at    timestamptz NOT NULL,
    paid_at       timestamptz,
    CHECK (pool = fees - fee + added_prize),
    CHECK ((status = 'held') = (hold_reason IS NOT NULL))
);

CREATE TABLE payout_recipients (
    tournament_id   uuid NOT NULL REFERENCES payouts (tournament_id) ON DELETE CASCADE,
    registration_id uuid NOT NULL,
    user_id         uuid NOT NULL,
    place           integer NOT NULL CHECK (place >= 1), -- the first of the places the entry shares
    shared          integer NOT NULL CHECK (shared >= 1), -- entries sharing them
    rank            integer NOT NULL,                     -- in the final standings
    seed            integer NOT NULL,
    entry_name      text NOT NULL,                        -- the team's name or the player's handle, then
    prize           bigint NOT NULL CHECK (prize > 0),    -- the entry's, split among its members
    amount          bigint NOT NULL CHECK (amount > 0),   -- this member's
    transfer_id     uuid,
    paid_at         timestamptz,
    CHECK ((transfer_id IS NULL) = (paid_at IS NULL)),
    PRIMARY KEY (tournament_id, registration_id, user_id)
);
-- NextPayouts: the unpaid members, best place first.
CREATE INDEX payout_recipients_unpaid_idx ON payout_recipients (tournament_id, place, seed, user_id) WHERE paid_at IS NULL;

-- What the wallet's audit reads: a paid tournament's escrow must be empty.
CREATE VIEW public_payouts AS SELECT tournament_id, status, currency FROM payouts;

-- +goose Down
DROP VIEW public_payouts;
DROP TABLE payout_recipients;
DROP TABLE payouts;
