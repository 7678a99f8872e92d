-- name: InsertPayout :exec
INSERT INTO payouts (tournament_id, status, review, approved, currency, fees, fee, added_prize, pool, rounding, places, created_at)
VALUES (@tournament_id, 'pending', @review, @approved, @currency, @fees, @fee, @added_prize, @pool, @rounding, @places, @now);

-- name: InsertRecipients :exec
INSERT INTO payout_recipients (tournament_id, registration_id, user_id, place, shared, rank, seed, entry_name, prize, amount)
SELECT @tournament_id, unnest(@registration_ids::uuid[]), unnest(@user_ids::uuid[]), unnest(@places::int[]),
       unnest(@shared::int[]), unnest(@ranks::int[]), unnest(@seeds::int[]), unnest(@entry_names::text[]),
       unnest(@prizes::bigint[]), unnest(@amounts::bigint[]);

-- LockPayout serialises a tournament's payout: the chunks, the review and the statement's
-- writers all take it first.
-- name: LockPayout :one
SELECT tournament_id, status, review, approved, currency, fee, rounding FROM payouts
WHERE tournament_id = @tournament_id
FOR UPDATE;

-- name: GetPayout :one
SELECT tournament_id, status, review, approved, currency, fees, fee, added_prize, pool, rounding, places, hold_reason,
       decided_at, created_at, paid_at
FROM payouts WHERE tournament_id = @tournament_id;

-- NextPayouts is the next chunk of unpaid members: those of the best-placed entries not yet
-- paid, whole entries at a time (an entry's prize.paid event follows its last member).
-- name: NextPayouts :many
WITH entries AS (
    SELECT DISTINCT place, seed, registration_id FROM payout_recipients
    WHERE tournament_id = @tournament_id AND paid_at IS NULL
    ORDER BY place, seed
    LIMIT @max_entries
)
SELECT r.registration_id, r.user_id, r.place, r.shared, r.rank, r.entry_name, r.prize, r.amount
FROM payout_recipients r JOIN entries e ON e.registration_id = r.registration_id
WHERE r.tournament_id = @tournament_id AND r.paid_at IS NULL
ORDER BY r.place, r.seed, r.user_id;

-- name: MarkPaid :exec
UPDATE payout_recipients r SET transfer_id = p.transfer_id, paid_at = @now::timestamptz
FROM (SELECT unnest(@registration_ids::uuid[]) AS registration_id, unnest(@user_ids::uuid[]) AS user_id,
             unnest(@transfer_ids::uuid[]) AS transfer_id) p
WHERE r.tournament_id = @tournament_id AND r.registration_id = p.registration_id AND r.user_id = p.user_id;

-- name: SetReview :exec
UPDATE payouts SET status = @status, approved = @approved, hold_reason = sqlc.narg(hold_reason),
    decided_by = @decided_by::uuid, decided_at = @now::timestamptz
WHERE tournament_id = @tournament_id;

-- name: FinishPayout :exec
UPDATE payouts SET status = 'paid', paid_at = @now::timestamptz WHERE tournament_id = @tournament_id;

-- Statement lists who is paid what, best place first, members' handles embedded: one
-- round trip.
-- name: Statement :many
SELECT r.registration_id, r.user_id, u.handle, r.place, r.shared, r.rank, r.entry_name, r.prize, r.amount,
       r.transfer_id, r.paid_at
FROM payout_recipients r
JOIN public_users u ON u.id = r.user_id
WHERE r.tournament_id = @tournament_id
ORDER BY r.place, r.seed, r.user_id;
