-- Registration: the organizer may remove an entry after registration closes (with or without
-- a refund, giving a reason), and the module publishes what other modules count of entries.

-- +goose Up
ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_status_check
    CHECK (status IN ('pending_payment', 'confirmed', 'checked_in', 'withdrawn', 'disqualified', 'dropped', 'removed', 'cancelled'));
ALTER TABLE registrations ADD COLUMN removal_reason text CHECK (length(removal_reason) BETWEEN 1 AND 500);

-- One row per entry, for the tournament module's health and organizer figures:
--   paid: the entry holds its slot (a member still counts toward the tournament) and owes
--         nothing: free, charged to the wallets, or its manual payment approved;
--   members: how many members still count (a paid manual entry's fee is entry_fee each);
--   awaiting_verification: unpaid, with a manual payment reference for the organizer to check.
CREATE VIEW public_entries AS
SELECT r.id, r.tournament_id, r.payment, r.entry_fee, r.currency,
       (SELECT count(*)::int FROM registration_members m WHERE m.registration_id = r.id AND m.active) AS members,
       r.status <> 'pending_payment'
           AND EXISTS (SELECT 1 FROM registration_members m WHERE m.registration_id = r.id AND m.active) AS paid,
       r.status = 'pending_payment'
           AND EXISTS (SELECT 1 FROM payment_verifications v WHERE v.registration_id = r.id AND v.status = 'pending') AS awaiting_verification
FROM registrations r;

-- Who is on which entry, for the match module's "my matches".
CREATE VIEW public_entry_members AS
SELECT registration_id, tournament_id, user_id FROM registration_members;

-- +goose Down
DROP VIEW public_entry_members;
DROP VIEW public_entries;
ALTER TABLE registrations DROP COLUMN removal_reason;
ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_status_check
    CHECK (status IN ('pending_payment', 'confirmed', 'checked_in', 'withdrawn', 'disqualified', 'dropped', 'cancelled'));
