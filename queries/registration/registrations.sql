-- InsertRegistration records an entry and its members in one statement. A member already
-- entered in the tournament (through any team) is skipped by the unique index, and missing
-- from the returned ids, so the caller can name them and roll back.
-- name: InsertRegistration :many
WITH r AS (
    INSERT INTO registrations (id, tournament_id, team_id, registered_by, status, payment, entry_fee, currency,
                               answers, created_at, updated_at)
    VALUES (@id, @tournament_id, @team_id, @registered_by, @status, @payment, @entry_fee, @currency, @answers, @now, @now)
    RETURNING id, tournament_id
)
INSERT INTO registration_members (registration_id, tournament_id, user_id, charged)
SELECT r.id, r.tournament_id, m.user_id, @charged FROM r, (SELECT unnest(@user_ids::uuid[]) AS user_id) m
ON CONFLICT (tournament_id, user_id) WHERE active DO NOTHING
RETURNING user_id;

-- name: LockRegistration :one
SELECT id, tournament_id, team_id, registered_by, status, payment, entry_fee, currency, created_at
FROM registrations WHERE id = @id FOR UPDATE;

-- name: RegistrationTournament :one
SELECT tournament_id FROM registrations WHERE id = @id;

-- name: SetRegistrationStatus :exec
UPDATE registrations SET status = @status, updated_at = @now,
    removal_reason = coalesce(sqlc.narg(removal_reason)::text, removal_reason)
WHERE id = @id;

-- name: IsActiveMember :one
SELECT EXISTS (SELECT 1 FROM registration_members WHERE registration_id = @registration_id AND user_id = @user_id AND active);

-- EndEntry takes an entry's members out of the tournament and returns them, with whether
-- their wallets paid the fee.
-- name: EndEntry :many
UPDATE registration_members SET active = false
WHERE registration_id = @registration_id AND active
RETURNING user_id, charged;

-- name: MarkRefunded :exec
UPDATE registration_members m SET refunded_at = @now::timestamptz
FROM (SELECT unnest(@registration_ids::uuid[]) AS registration_id, unnest(@user_ids::uuid[]) AS user_id) d
WHERE m.registration_id = d.registration_id AND m.user_id = d.user_id;

-- EndTournamentEntries ends every live entry in the given statuses: cancelled when the
-- tournament is cancelled, dropped when check-in closes. It returns the entries ended.
-- name: EndTournamentEntries :many
WITH ended AS (
    UPDATE registrations reg SET status = @new_status, updated_at = @now
    WHERE reg.tournament_id = @tournament_id AND reg.status = ANY(@statuses::text[])
    RETURNING reg.id, reg.payment, reg.entry_fee
), members AS (
    UPDATE registration_members m SET active = false
    FROM ended WHERE m.registration_id = ended.id AND m.active
    RETURNING m.registration_id
)
SELECT ended.id, ended.payment, ended.entry_fee, (SELECT count(*) FROM members WHERE members.registration_id = ended.id)::int AS members
FROM ended;

-- NextRefunds locks the next chunk of members whose fee is due back — those of entries
-- cancelled with the tournament or dropped at the close of check-in; an entry disqualified
-- or removed without a refund keeps its fee in escrow — and concurrent workers skip each
-- other's rows.
-- name: NextRefunds :many
SELECT m.registration_id, m.user_id, r.entry_fee, r.currency
FROM registration_members m JOIN registrations r ON r.id = m.registration_id
WHERE m.tournament_id = @tournament_id AND m.charged AND NOT m.active AND m.refunded_at IS NULL
  AND r.status IN ('cancelled', 'dropped')
ORDER BY m.registration_id, m.user_id
LIMIT @max_rows
FOR UPDATE OF m SKIP LOCKED;

-- name: RefundProgress :one
SELECT count(*) FILTER (WHERE m.charged)::int AS total,
       count(*) FILTER (WHERE m.charged AND m.refunded_at IS NOT NULL)::int AS refunded
FROM registrations r JOIN registration_members m ON m.registration_id = r.id
WHERE r.tournament_id = @tournament_id AND r.status = 'cancelled';

-- ListTournamentRegistrations is a tournament's entries in registration order, names and
-- the latest payment verification embedded: one round trip.
-- name: ListTournamentRegistrations :many
SELECT r.id, r.status, r.payment, r.entry_fee, r.currency, r.answers, r.created_at, r.removal_reason,
       r.team_id, tm.name AS team_name, tm.tag AS team_tag,
       u.id AS registered_by_id, u.handle AS registered_by_handle, u.display_name AS registered_by_display_name,
       coalesce((SELECT pv.status FROM payment_verifications pv WHERE pv.registration_id = r.id
                 ORDER BY pv.submitted_at DESC LIMIT 1), '')::text AS verification,
       (SELECT count(*) FROM registration_members m WHERE m.registration_id = r.id)::int AS members
FROM registrations r
JOIN public_users u ON u.id = r.registered_by
LEFT JOIN public_teams tm ON tm.id = r.team_id
WHERE r.tournament_id = @tournament_id
  AND (sqlc.narg(after_created_at)::timestamptz IS NULL
       OR (r.created_at, r.id) > (sqlc.narg(after_created_at)::timestamptz, sqlc.narg(after_id)::uuid))
ORDER BY r.created_at, r.id
LIMIT @max_rows;

-- RegistrationAccess is what deciding who sees a registration needs: its tournament and
-- whether the caller is one of its members.
-- name: RegistrationAccess :one
SELECT r.tournament_id,
       EXISTS (SELECT 1 FROM registration_members m WHERE m.registration_id = r.id AND m.user_id = @caller)::bool AS is_member
FROM registrations r
WHERE r.id = @id;

-- GetRegistration is one entry, as ListTournamentRegistrations shows each.
-- name: GetRegistration :one
SELECT r.id, r.status, r.payment, r.entry_fee, r.currency, r.answers, r.created_at, r.removal_reason,
       r.team_id, tm.name AS team_name, tm.tag AS team_tag,
       u.id AS registered_by_id, u.handle AS registered_by_handle, u.display_name AS registered_by_display_name,
       coalesce((SELECT pv.status FROM payment_verifications pv WHERE pv.registration_id = r.id
                 ORDER BY pv.submitted_at DESC LIMIT 1), '')::text AS verification,
       (SELECT count(*) FROM registration_members m WHERE m.registration_id = r.id)::int AS members
FROM registrations r
JOIN public_users u ON u.id = r.registered_by
LEFT JOIN public_teams tm ON tm.id = r.team_id
WHERE r.id = @id;

-- ListMyRegistrations is every entry the user is or was a member of, newest first, with
-- the tournament and team embedded: one round trip.
-- name: ListMyRegistrations :many
SELECT r.id, r.status, r.payment, r.entry_fee, r.currency, r.created_at, m.active,
       r.team_id, tm.name AS team_name, t.id AS tournament_id, t.slug AS tournament_slug,
       t.name AS tournament_name, t.status AS tournament_status, t.starts_at
FROM registration_members m
JOIN registrations r ON r.id = m.registration_id
JOIN public_tournaments t ON t.id = r.tournament_id
LEFT JOIN public_teams tm ON tm.id = r.team_id
WHERE m.user_id = @user_id
  AND (sqlc.narg(before_id)::uuid IS NULL OR m.registration_id < sqlc.narg(before_id)::uuid)
ORDER BY m.registration_id DESC
LIMIT @max_rows;

-- name: InsertVerification :exec
INSERT INTO payment_verifications (id, registration_id, reference, status, submitted_at)
VALUES (@id, @registration_id, @reference, 'pending', @now);

-- name: LockPendingVerification :one
SELECT id, reference FROM payment_verifications
WHERE registration_id = @registration_id AND status = 'pending'
FOR UPDATE;

-- name: DecideVerification :exec
UPDATE payment_verifications SET status = @status, decided_at = @now::timestamptz, decided_by = @decided_by::uuid
WHERE id = @id;

-- name: InsertNotice :exec
INSERT INTO registration_notices (registration_id, user_id, kind, created_at)
VALUES (@registration_id, @user_id, @kind, @now)
ON CONFLICT DO NOTHING;

-- Entrants lists the entries that take part when a tournament starts: confirmed (or checked
-- in, when there was a check-in), in registration order, with display names.
-- name: Entrants :many
SELECT r.id, r.registered_by, r.team_id, coalesce(tm.name, u.handle)::text AS name
FROM registrations r
JOIN public_users u ON u.id = r.registered_by
LEFT JOIN public_teams tm ON tm.id = r.team_id
WHERE r.tournament_id = @tournament_id AND r.status = ANY(@statuses::text[])
ORDER BY r.created_at, r.id;

-- FeesOwed is what a tournament's escrow still owes in refunds: the fees of members whose
-- entry ended with a refund due that is not paid yet (NextRefunds pays them).
-- name: FeesOwed :one
SELECT coalesce(sum(r.entry_fee), 0)::bigint
FROM registration_members m JOIN registrations r ON r.id = m.registration_id
WHERE m.tournament_id = @tournament_id AND m.charged AND NOT m.active AND m.refunded_at IS NULL
  AND r.status IN ('cancelled', 'dropped');

-- StandingMembers lists the members of those of the entries that still stand (confirmed or
-- checked in: not disqualified, removed or otherwise ended), each entry's registrant first
-- and then its members by id: the order a split prize's odd cents go in.
-- name: StandingMembers :many
SELECT r.id AS registration_id, m.user_id
FROM registrations r JOIN registration_members m ON m.registration_id = r.id
WHERE r.id = ANY(@ids::uuid[]) AND r.status IN ('confirmed', 'checked_in') AND m.active
ORDER BY r.id, m.user_id <> r.registered_by, m.user_id;
