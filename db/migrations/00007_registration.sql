-- Registration: entries (solo or team), their members, manual payment verification, and
-- the notices sent to members.

-- +goose Up
CREATE TABLE registrations (
    id            uuid PRIMARY KEY,
    tournament_id uuid NOT NULL REFERENCES tournaments (id),
    team_id       uuid REFERENCES teams (id),
    registered_by uuid NOT NULL REFERENCES users (id),
    status        text NOT NULL CHECK (status IN ('pending_payment', 'confirmed', 'checked_in', 'withdrawn',
                      'disqualified', 'dropped', 'rejected', 'cancelled')),
    -- How the entry fee is paid: free, charged to the members' wallets, or verified by hand.
    payment       text NOT NULL CHECK (payment IN ('free', 'wallet', 'manual')),
    entry_fee     bigint NOT NULL CHECK (entry_fee >= 0), -- per member, minor units
    currency      text NOT NULL,
    answers       jsonb NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
-- ListTournamentRegistrations: a tournament's entries in registration order (keyset).
CREATE INDEX registrations_tournament_idx ON registrations (tournament_id, created_at, id);

CREATE TABLE registration_members (
    registration_id uuid NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    tournament_id   uuid NOT NULL,
    user_id         uuid NOT NULL REFERENCES users (id),
    -- Counts toward the tournament; false once the entry ends (withdrawn, dropped, …).
    active          boolean NOT NULL DEFAULT true,
    -- The member's wallet paid the fee; refunded_at is set when it is paid back.
    charged         boolean NOT NULL,
    refunded_at     timestamptz,
    PRIMARY KEY (registration_id, user_id)
);
-- One live entry per player per tournament, whatever team it came through (InsertMembers).
CREATE UNIQUE INDEX registration_members_entry_key ON registration_members (tournament_id, user_id) WHERE active;
-- ListMyRegistrations.
CREATE INDEX registration_members_user_idx ON registration_members (user_id, registration_id);
-- NextRefunds: members of ended entries whose fee is still to be paid back.
CREATE INDEX registration_members_refund_due_idx ON registration_members (tournament_id, registration_id, user_id)
    WHERE charged AND NOT active AND refunded_at IS NULL;

CREATE TABLE payment_verifications (
    id              uuid PRIMARY KEY,
    registration_id uuid NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    reference       text NOT NULL CHECK (length(reference) BETWEEN 1 AND 200),
    status          text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    submitted_at    timestamptz NOT NULL,
    decided_at      timestamptz,
    decided_by      uuid
);
-- PendingVerification: a registration's open verification (the audit's missing index).
CREATE INDEX payment_verifications_registration_status_idx ON payment_verifications (registration_id, status);

-- Notices for members (delivery arrives with the notify module); one per registration,
-- member and kind, so a job that runs twice records nothing twice.
CREATE TABLE registration_notices (
    registration_id uuid NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    user_id         uuid NOT NULL,
    kind            text NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (registration_id, user_id, kind)
);

-- +goose Down
DROP TABLE registration_notices;
DROP TABLE payment_verifications;
DROP TABLE registration_members;
DROP TABLE registrations;
