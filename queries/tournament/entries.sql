-- TakeSlot takes one slot of a tournament whose registration is open, in one statement:
-- the WHERE does the capacity check, the row lock serialises racing registrations, and it
-- returns the terms the registration is made under. No row: closed, full or unknown.
-- name: TakeSlot :one
UPDATE tournament_slots s SET taken = s.taken + 1
FROM tournaments t JOIN games g ON g.id = t.game_id
WHERE s.tournament_id = @id AND t.id = s.tournament_id AND t.deleted_at IS NULL
  AND t.status = 'registration_open' AND t.registration_closes_at > @now AND s.taken < s.capacity
RETURNING t.id, t.organizer_id, t.status, t.participant_type, t.payment_method, t.entry_fee, t.currency,
          t.custom_fields, g.team_size_min, g.team_size_max, t.registration_closes_at,
          t.check_in_opens_at, t.check_in_closes_at, s.taken, s.capacity;

-- name: GetTerms :one
SELECT t.id, t.organizer_id, t.status, t.participant_type, t.payment_method, t.entry_fee, t.currency,
       t.custom_fields, g.team_size_min, g.team_size_max, t.registration_closes_at,
       t.check_in_opens_at, t.check_in_closes_at, s.taken, s.capacity
FROM tournaments t
JOIN games g ON g.id = t.game_id
JOIN tournament_slots s ON s.tournament_id = t.id
WHERE t.id = @id AND t.deleted_at IS NULL;

-- HoldTerms is GetTerms holding the tournament's row (shared) until the transaction ends:
-- the start, which locks the row for update, waits for the change to commit.
-- name: HoldTerms :one
SELECT t.id, t.organizer_id, t.status, t.participant_type, t.payment_method, t.entry_fee, t.currency,
       t.custom_fields, g.team_size_min, g.team_size_max, t.registration_closes_at,
       t.check_in_opens_at, t.check_in_closes_at, s.taken, s.capacity
FROM tournaments t
JOIN games g ON g.id = t.game_id
JOIN tournament_slots s ON s.tournament_id = t.id
WHERE t.id = @id AND t.deleted_at IS NULL
FOR SHARE OF t;

-- name: AdjustCounters :exec
UPDATE tournament_slots SET taken = taken + @taken, checked_in = checked_in + @checked_in
WHERE tournament_id = @id;
