-- The token is 32 random bytes: a conflict is this insert run again after its connection
-- was lost (db.Pool), and the session is there.
-- name: InsertSession :exec
INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
VALUES (@token_hash, @user_id, @now, @now, @expires_at)
ON CONFLICT (token_hash) DO NOTHING;

-- Authenticate is the whole cost of authenticating a request: one primary-key lookup.
-- name: Authenticate :one
SELECT u.id, u.roles, s.last_seen_at
FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.token_hash = @token_hash AND s.expires_at > @now AND s.last_seen_at > @idle_cutoff;

-- name: TouchSession :exec
UPDATE sessions SET last_seen_at = @now WHERE token_hash = @token_hash;

-- name: DeleteSession :exec
DELETE FROM sessions WHERE token_hash = @token_hash;

-- name: DeleteUserSessions :exec
DELETE FROM sessions WHERE user_id = @user_id;

-- name: PurgeExpiredSessions :execrows
DELETE FROM sessions WHERE expires_at <= @now;
