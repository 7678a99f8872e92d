-- name: InsertWithdrawal :exec
INSERT INTO wallet_withdrawals (id, user_id, amount, currency, status, created_at)
VALUES (@id, @user_id, @amount, @currency, 'pending', @now)
ON CONFLICT (id) DO NOTHING;

-- name: LockWithdrawal :one
SELECT id, user_id, amount, currency, status, created_at, decided_at
FROM wallet_withdrawals WHERE id = @id FOR UPDATE;

-- name: DecideWithdrawal :exec
UPDATE wallet_withdrawals SET status = @status, decided_at = @now::timestamptz, decided_by = @decided_by::uuid WHERE id = @id;

-- name: ListWithdrawals :many
SELECT w.id, w.user_id, w.amount, w.currency, w.status, w.created_at, w.decided_at, u.handle
FROM wallet_withdrawals w
JOIN public_users u ON u.id = w.user_id
WHERE w.status = @status
  AND (sqlc.narg(after_created_at)::timestamptz IS NULL
       OR (w.created_at, w.id) > (sqlc.narg(after_created_at)::timestamptz, sqlc.narg(after_id)::uuid))
ORDER BY w.created_at, w.id
LIMIT @max_rows;
