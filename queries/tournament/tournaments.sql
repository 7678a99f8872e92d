-- name: InsertTournament :exec
INSERT INTO tournaments (id, slug, name, description, game_id, organizer_id, status, format, participant_type,
    capacity, entry_fee, currency, payment_method, prize_distribution, platform_fee_bps,
    registration_opens_at, registration_closes_at, check_in_opens_at, check_in_closes_at, starts_at,
    game_settings, rules, sponsors, custom_fields, created_at, updated_at)
VALUES (@id, @slug, @name, @description, @game_id, @organizer_id, 'draft', @format, @participant_type,
    @capacity, @entry_fee, @currency, @payment_method, @prize_distribution, @platform_fee_bps,
    @registration_opens_at, @registration_closes_at, @check_in_opens_at, @check_in_closes_at, @starts_at,
    @game_settings, @rules, @sponsors, @custom_fields, @now, @now);

-- name: InsertSlots :exec
INSERT INTO tournament_slots (tournament_id, capacity) VALUES (@tournament_id, @capacity);

-- GetTournament returns everything the detail page shows, game and organizer embedded,
-- sponsors and custom fields inline: one round trip.
-- name: GetTournament :one
SELECT t.id, t.slug, t.name, t.description, t.status, t.format, t.participant_type, t.capacity,
       t.entry_fee, t.currency, t.payment_method, t.prize_distribution, t.platform_fee_bps,
       t.registration_opens_at, t.registration_closes_at, t.check_in_opens_at, t.check_in_closes_at, t.starts_at,
       t.game_settings, t.rules, t.sponsors, t.custom_fields, t.created_at, t.updated_at,
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
SELECT id, organizer_id, status, game_id, participant_type, capacity,
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
    registration_opens_at = @registration_opens_at, registration_closes_at = @registration_closes_at,
    check_in_opens_at = @check_in_opens_at, check_in_closes_at = @check_in_closes_at, starts_at = @starts_at,
    game_settings = @game_settings, rules = @rules, sponsors = @sponsors, custom_fields = @custom_fields,
    updated_at = @now
WHERE id = @id;

-- name: SetSlotCapacity :execrows
UPDATE tournament_slots SET capacity = @capacity WHERE tournament_id = @tournament_id AND taken <= @capacity;

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

-- OrganizerStats summarises one organizer's tournaments in one round trip: counts by
-- status, registrations, and entry fees collected per currency.
-- name: OrganizerStats :many
SELECT t.status, t.currency, count(*)::int AS tournaments, coalesce(sum(s.taken), 0)::int AS registrations,
       coalesce(sum(s.fees_collected), 0)::bigint AS fees_collected
FROM tournaments t JOIN tournament_slots s ON s.tournament_id = t.id
WHERE t.organizer_id = @organizer_id AND t.deleted_at IS NULL
GROUP BY t.status, t.currency
ORDER BY t.status, t.currency;

-- name: TournamentHealth :one
SELECT t.organizer_id, t.status, s.capacity, s.taken, s.checked_in, s.pending_payments,
       s.open_disputes, s.overdue_matches
FROM tournaments t JOIN tournament_slots s ON s.tournament_id = t.id
WHERE t.id = @id AND t.deleted_at IS NULL;
