-- name: InsertUser :one
INSERT INTO users (id, email, handle, display_name, country, roles, password_hash, created_at, updated_at)
VALUES (@id, @email, @handle, @display_name, @country, @roles, @password_hash, @now, @now)
RETURNING id, email, handle, display_name, country, roles, created_at, updated_at;

-- name: GetUser :one
SELECT id, email, handle, display_name, country, roles, created_at, updated_at
FROM users WHERE id = @id;

-- name: GetUserIDByHandle :one
SELECT id FROM users WHERE handle = @handle;

-- name: SetUserRoles :one
UPDATE users SET roles = @roles, updated_at = @now WHERE id = @id
RETURNING id, email, handle, display_name, country, roles, created_at, updated_at;

-- name: SetPasswordHash :exec
UPDATE users SET password_hash = @password_hash WHERE id = @id;

-- GetLogin finds an account by email (case-insensitive) or handle, with its throttle
-- state, in one round trip; each branch uses its unique index.
-- name: GetLogin :one
SELECT u.id, u.email, u.handle, u.display_name, u.country, u.roles, u.created_at, u.updated_at,
       u.password_hash, t.locked_until, (t.user_id IS NOT NULL)::bool AS throttled
FROM users u LEFT JOIN login_throttles t ON t.user_id = u.id
WHERE CASE WHEN strpos(@login::text, '@') > 0 THEN lower(u.email) = lower(@login::text) ELSE u.handle = lower(@login::text) END;

-- RecordLoginFailure counts a failure in the current window (a new window starts when the
-- last one began before @window_start) and returns the count and earlier lockouts.
-- name: RecordLoginFailure :one
INSERT INTO login_throttles AS t (user_id, failures, window_started_at)
VALUES (@user_id, 1, @now)
ON CONFLICT (user_id) DO UPDATE SET
    failures = CASE WHEN t.window_started_at > @window_start THEN t.failures + 1 ELSE 1 END,
    window_started_at = CASE WHEN t.window_started_at > @window_start THEN t.window_started_at ELSE @now END
RETURNING failures, lockouts;

-- name: LockLogin :exec
UPDATE login_throttles
SET locked_until = @locked_until, lockouts = lockouts + 1, failures = 0, window_started_at = @now
WHERE user_id = @user_id;

-- name: ClearLoginThrottle :exec
DELETE FROM login_throttles WHERE user_id = @user_id;

-- name: GetPublicUser :one
SELECT id, handle, display_name, country FROM users WHERE id = @id;
