-- ClaimKey records the first use of a key; it returns no row when the key is taken by
-- another holder (a row it took itself, on an attempt whose answer was lost, it returns).
-- name: ClaimKey :one
INSERT INTO idempotency_keys (user_id, key, operation, request_hash, started_at, expires_at, holder, held_until)
VALUES (@user_id, @key, @operation, @request_hash, @now, @expires_at, @holder,
        clock_timestamp() + make_interval(secs => @hold_seconds::float8))
ON CONFLICT (user_id, key) DO UPDATE SET held_until = EXCLUDED.held_until
WHERE idempotency_keys.holder = EXCLUDED.holder AND idempotency_keys.response IS NULL
RETURNING user_id;

-- name: GetKey :one
SELECT operation, request_hash, response, started_at, expires_at
FROM idempotency_keys WHERE user_id = @user_id AND key = @key;

-- ReclaimKey takes over a key whose record expired, or whose first request was abandoned
-- (unanswered, and its holder stopped renewing: its process died). It returns no row if
-- another request got there first or the holder is alive.
-- name: ReclaimKey :one
UPDATE idempotency_keys
SET operation = @operation, request_hash = @request_hash, response = NULL, started_at = @now, expires_at = @expires_at,
    holder = @holder, held_until = clock_timestamp() + make_interval(secs => @hold_seconds::float8)
WHERE user_id = @user_id AND key = @key
  AND ((holder = @holder AND response IS NULL) OR expires_at <= @now
       OR (response IS NULL AND request_hash = @request_hash AND (held_until IS NULL OR held_until < clock_timestamp())))
RETURNING user_id;

-- RenewKey extends the hold of a request still running.
-- name: RenewKey :exec
UPDATE idempotency_keys SET held_until = clock_timestamp() + make_interval(secs => @hold_seconds::float8)
WHERE user_id = @user_id AND key = @key AND holder = @holder AND response IS NULL;

-- SaveResponse and ReleaseKey touch the key only while the request still holds it: one
-- whose hold lapsed and was taken over leaves the new holder's record alone.
-- name: SaveResponse :exec
UPDATE idempotency_keys SET response = @response, held_until = NULL
WHERE user_id = @user_id AND key = @key AND holder = @holder;

-- name: ReleaseKey :exec
DELETE FROM idempotency_keys WHERE user_id = @user_id AND key = @key AND holder = @holder AND response IS NULL;

-- name: PurgeIdempotencyKeys :execrows
DELETE FROM idempotency_keys WHERE expires_at <= @now;
