-- name: InsertTournament :exec
INSERT INTO tournaments (id, slug, name, description, game_id, organizer_id, status, format, participant_type,
    capacity, entry_fee, currency, payment_method, prize_distribution, platform_fee_bps, added_prize, payout_review,
    registration_opens_at, registration_closes_at, check_in_opens_at, check_in_closes_at, starts_at,
    game_settings, allow_draws, points_win, points_draw, points_loss, pairing, grand_final, schedule,
    double_round_robin, tiebreaks, buchholz_virtual_opponent, report_window_minutes,
    rules, sponsors, custom_fields, created_at, updated_at)
VALUES (@id, @slug, @name, @description, @game_id, @organizer_id, 'draft', @format, @participant_type,
    @capacity, @entry_fee, @currency, @payment_method, @prize_distribution, @platform_fee_bps, @added_prize, @payout_review,
    @registration_opens_at, @registration_closes_at, @check_in_opens_at, @check_in_closes_at, @starts_at,
    @game_settings, @allow_draws, @points_win, @points_draw, @points_loss, sqlc.narg(pairing), sqlc.narg(grand_final),
    sqlc.narg(schedule), @double_round_robin, sqlc.narg(tiebreaks), @buchholz_virtual_opponent, @report_window_minutes,
    @rules, @sponsors, @custom_fields, @now, @now);

-- name: InsertSlots :exec
INSERT INTO tournament_slots (tournament_id, capacity) VALUES (@tournament_id, @capacity);

-- GetTournament returns everything the detail page shows, game and organizer embedded,
-- sponsors and custom fields inline: one round trip.
-- name: GetTournament :one
SELECT t.id, t.slug, t.name, t.description, t.status, t.format, t.participant_type, t.capacity,
       t.entry_fee, t.currency, t.payment_method, t.prize_distribution, t.platform_fee_bps, t.added_prize, t.payout_review,
       t.registration_opens_at, t.registration_closes_at, t.check_in_opens_at, t.check_in_closes_at, t.starts_at,
       t.game_settings, t.allow_draws, t.points_win, t.points_draw, t.points_loss, t.pairing, t.grand_final, t.schedule,
       t.double_round_robin, t.tiebreaks, t.buchholz_virtual_opponent, t.report_window_minutes,
       t.rules, t.sponsors, t.custom_fields, t.created_at, t.updated_at,
       s.taken, g.id AS game_id, g.slug AS game_slug, g.name AS game_name,
       u.id AS organizer_id, u.handle AS organizer_handle, u.display_name AS organizer_display_name
FROM tournaments t
JOIN tournament_slots s ON s.tournament_id = t.id
JOIN games g ON g.id = t.game_id
JOIN public_users u ON u.id = t.organizer_id
WHERE t.deleted_at IS NULL
  AND CASE WHEN sqlc.narg(id)::uuid IS NOT NULL THEN t.id = sqlc.narg(id)::uuid ELSE t.slug = sqlc.narg(slug)::text END;

-- LockTournament is the first statement of every change: it serialises writers of one
-- tournament and gives the current state that the change is checked against.
-- name: LockTournament :one
SELECT id, organizer_id, status, game_id, participant_type, capacity, added_prize, currency,
       registration_opens_at, registration_closes_at, check_in_opens_at, check_in_closes_at, starts_at
FROM tournaments
WHERE deleted_at IS NULL
  AND CASE WHEN sqlc.narg(id)::uuid IS NOT NULL THEN id = sqlc.narg(id)::uuid ELSE slug = sqlc.narg(slug)::text END
FOR UPDATE;

-- name: UpdateTournament :exec
UPDATE tournaments SET
    name = @name, description = @description, game_id = @game_id, format = @format,
    participant_type = @participant_type, capacity = @capacity, entry_fee = @entry_fee, currency = @currency,
    payment_method = @payment_method, prize_distribution = @prize_distribution, platform_fee_bps = @platform_fee_bps,
    added_prize = @added_prize, payout_review = @payout_review,
    registration_opens_at = @registration_opens_at, registration_closes_at = @registration_closes_at,
    check_in_opens_at = @check_in_opens_at, check_in_closes_at = @check_in_closes_at, starts_at = @starts_at,
    game_settings = @game_settings, allow_draws = @allow_draws, points_win = @points_win, points_draw = @points_draw,
    points_loss = @points_loss, pairing = sqlc.narg(pairing), grand_final = sqlc.narg(grand_final),
    schedule = sqlc.narg(schedule), double_round_robin = @double_round_robin, tiebreaks = sqlc.narg(tiebreaks),
    buchholz_virtual_opponent = @buchholz_virtual_opponent, report_window_minutes = @report_window_minutes,
    rules = @rules, sponsors = @sponsors, custom_fields = @custom_fields, updated_at = @now
WHERE id = @id;

-- name: SetSlotCapacity :execrows
UPDATE tournament_slots SET capacity = @capacity WHERE tournament_id = @tournament_id AND taken <= @capacity;

-- SetWindows records the registration and check-in windows as the organizer ran them.
-- name: SetWindows :exec
UPDATE tournaments SET registration_opens_at = @registration_opens_at, registration_closes_at = @registration_closes_at,
    check_in_opens_at = @check_in_opens_at, check_in_closes_at = @check_in_closes_at
WHERE id = @id;

-- name: SetTournamentStatus :exec
UPDATE tournaments SET status = @status, updated_at = @now WHERE id = @id;

-- name: SoftDeleteTournament :exec
UPDATE tournaments SET deleted_at = @now::timestamptz, updated_at = @now::timestamptz WHERE id = @id;

-- DiscoverTournaments is the public list: listed (non-draft) tournaments, optional filters,
-- keyset order (starts_at, id), game and organizer and fill embedded. Run it with custom
-- plans (see discovery.go) so each filter combination uses its index.
-- name: DiscoverTournaments :many
SELECT t.id, t.slug, t.name, t.status, t.format, t.participant_type, t.capacity, s.taken,
       t.entry_fee, t.currency, t.registration_opens_at, t.registration_closes_at, t.starts_at,
       g.slug AS game_slug, g.name AS game_name,
       u.id AS organizer_id, u.handle AS organizer_handle, u.display_name AS organizer_display_name
FROM tournaments t
JOIN tournament_slots s ON s.tournament_id = t.id
JOIN games g ON g.id = t.game_id
JOIN public_users u ON u.id = t.organizer_id
WHERE t.deleted_at IS NULL AND t.status <> 'draft'
  AND (sqlc.narg(game)::text IS NULL OR t.game_id = (SELECT id FROM games WHERE slug = sqlc.narg(game)::text))
  AND (sqlc.narg(status)::text IS NULL OR t.status = sqlc.narg(status)::text)
  AND (sqlc.narg(participant_type)::text IS NULL OR t.participant_type = sqlc.narg(participant_type)::text)
  AND (sqlc.narg(starts_after)::timestamptz IS NULL OR t.starts_at > sqlc.narg(starts_after)::timestamptz)
  AND (sqlc.narg(query)::text IS NULL OR to_tsvector('simple', t.name) @@ to_tsquery('simple', sqlc.narg(query)::text))
  AND (sqlc.narg(after_starts_at)::timestamptz IS NULL
       OR (t.starts_at, t.id) > (sqlc.narg(after_starts_at)::timestamptz, sqlc.narg(after_id)::uuid))
ORDER BY t.starts_at, t.id
LIMIT @max_rows;

-- OrganizerStats summarises one organizer's tournaments in one round trip, by status and
-- currency: how many, the entries that hold a slot and are paid (registration's
-- public_entries), the entry fees the escrows hold from the ledger (wallet's
-- public_escrow_fees: fees in less refunds out), and the fees of approved manual payments,
-- which are paid outside Arena.
-- name: OrganizerStats :many
SELECT t.status, t.currency, count(*)::int AS tournaments, coalesce(sum(e.registrations), 0)::int AS registrations,
       coalesce(sum(f.fees), 0)::bigint AS fees_collected, coalesce(sum(e.manual_fees), 0)::bigint AS manual_fees
FROM tournaments t
CROSS JOIN LATERAL (
    SELECT count(*) AS registrations, sum(pe.entry_fee * pe.members) FILTER (WHERE pe.payment = 'manual') AS manual_fees
    FROM public_entries pe WHERE pe.tournament_id = t.id AND pe.paid) e
CROSS JOIN LATERAL (
    SELECT sum(pf.fees_in - pf.refunds_out) AS fees
    FROM public_escrow_fees pf WHERE pf.tournament_id = t.id AND pf.currency = t.currency) f
WHERE t.organizer_id = @organizer_id AND t.deleted_at IS NULL
GROUP BY t.status, t.currency
ORDER BY t.status, t.currency;

-- TournamentHealth reads a tournament's figures as they stand, in one round trip: fill and
-- check-in from the slot counters, payments awaiting verification from registration's
-- public_entries, open disputes and overdue matches (undecided past their time plus the
-- report window, at @now) from match's public_matches, and whether the caller is staff.
-- name: TournamentHealth :one
SELECT t.organizer_id, t.status, s.capacity, s.taken, s.checked_in,
       (SELECT count(*) FROM public_entries pe WHERE pe.tournament_id = t.id AND pe.awaiting_verification)::int AS pending_payments,
       (SELECT count(*) FROM public_matches pm WHERE pm.tournament_id = t.id AND pm.undecided AND pm.disputed)::int AS open_disputes,
       (SELECT count(*) FROM public_matches pm WHERE pm.tournament_id = t.id AND pm.undecided AND pm.due_at < @now::timestamptz)::int AS overdue_matches,
       EXISTS (SELECT 1 FROM tournament_staff st WHERE st.tournament_id = t.id AND st.user_id = @caller_id) AS caller_is_staff
FROM tournaments t JOIN tournament_slots s ON s.tournament_id = t.id
WHERE t.id = @id AND t.deleted_at IS NULL;

-- name: IsStaff :one
SELECT EXISTS (SELECT 1 FROM tournament_staff WHERE tournament_id = @tournament_id AND user_id = @user_id);

-- PutStaff adds a staff member (a user who exists) and returns their name and when they
-- were added; created is false when they already were staff. No row: no such user.
-- name: PutStaff :one
WITH target AS (
    SELECT pu.id AS user_id, pu.handle, pu.display_name FROM public_users pu WHERE pu.id = @user_id
), added AS (
    INSERT INTO tournament_staff (tournament_id, user_id, added_by, created_at)
    SELECT @tournament_id, target.user_id, @added_by, @now FROM target
    ON CONFLICT (tournament_id, user_id) DO NOTHING
    RETURNING tournament_staff.created_at
)
SELECT target.handle, target.display_name,
       coalesce((SELECT added.created_at FROM added),
                (SELECT st.created_at FROM tournament_staff st
                 WHERE st.tournament_id = @tournament_id AND st.user_id = target.user_id))::timestamptz AS created_at,
       EXISTS (SELECT 1 FROM added) AS created
FROM target;

-- name: RemoveStaff :execrows
DELETE FROM tournament_staff WHERE tournament_id = @tournament_id AND user_id = @user_id;

-- ListStaff is a page of a tournament's staff with their names, each row carrying what the
-- check of the caller needs (the organizer, the status, whether the caller is staff): one
-- round trip. A tournament without staff (on this page) gives one row with no user; an
-- unknown one, none.
-- name: ListStaff :many
WITH t AS (
    SELECT tr.id, tr.organizer_id, tr.status FROM tournaments tr WHERE tr.id = @tournament_id AND tr.deleted_at IS NULL
), page AS (
    SELECT st.user_id, st.created_at, u.handle, u.display_name
    FROM tournament_staff st JOIN public_users u ON u.id = st.user_id
    WHERE st.tournament_id = @tournament_id
      AND (sqlc.narg(after_created_at)::timestamptz IS NULL
           OR (st.created_at, st.user_id) > (sqlc.narg(after_created_at)::timestamptz, sqlc.narg(after_user_id)::uuid))
    ORDER BY st.created_at, st.user_id
    LIMIT @max_rows
)
SELECT t.organizer_id, t.status,
       EXISTS (SELECT 1 FROM tournament_staff c WHERE c.tournament_id = t.id AND c.user_id = @caller_id) AS caller_is_staff,
       page.user_id, page.created_at, page.handle, page.display_name
FROM t LEFT JOIN page ON true
ORDER BY page.created_at, page.user_id;

-- Organizers names the organizer of each of the tournaments (deleted ones included).
-- name: Organizers :many
SELECT id, organizer_id FROM tournaments WHERE id = ANY(@ids::uuid[]);
