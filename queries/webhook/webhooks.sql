-- name: InsertEndpoint :one
INSERT INTO webhook_endpoints (id, owner_id, scope, url, event_types, tournament_id, after, description, secret, created_at, updated_at)
VALUES (@id, @owner_id, @scope, @url, @event_types, sqlc.narg(tournament_id), @after, @description, @secret, @now, @now)
RETURNING *;

-- name: GetEndpoint :one
SELECT * FROM webhook_endpoints WHERE id = @id;

-- name: LockEndpoint :one
SELECT * FROM webhook_endpoints WHERE id = @id FOR UPDATE;

-- ListEndpoints pages through an owner's endpoints, oldest first.
-- name: ListEndpoints :many
SELECT * FROM webhook_endpoints
WHERE owner_id = @owner_id AND (created_at, id) > (@after_created_at::timestamptz, @after_id::uuid)
ORDER BY created_at, id
LIMIT @max_rows;

-- name: UpdateEndpoint :one
UPDATE webhook_endpoints SET url = @url, event_types = @event_types, tournament_id = sqlc.narg(tournament_id),
    description = @description, disabled_at = sqlc.narg(disabled_at), disabled_reason = sqlc.narg(disabled_reason),
    failing_since = sqlc.narg(failing_since), updated_at = @now
WHERE id = @id
RETURNING *;

-- name: DeleteEndpoint :exec
DELETE FROM webhook_endpoints WHERE id = @id;

-- name: RotateSecret :one
UPDATE webhook_endpoints SET previous_secret = secret, previous_until = @previous_until, secret = @secret, updated_at = @now
WHERE id = @id
RETURNING *;

-- ActiveEndpoints is every endpoint the dispatcher matches events to.
-- name: ActiveEndpoints :many
SELECT id, owner_id, scope, event_types, tournament_id, after FROM webhook_endpoints WHERE disabled_at IS NULL;

-- LockDispatch takes the dispatcher's turn: one process matches the log at a time, so
-- messages are numbered in the log's order; the others skip.
-- name: LockDispatch :one
SELECT after FROM webhook_dispatch FOR UPDATE SKIP LOCKED;

-- name: SetDispatch :exec
UPDATE webhook_dispatch SET after = @after;

-- InsertMessages writes the messages in the order given (the log's): seq is assigned as the
-- rows come, in the order of their position in the arrays.
-- name: InsertMessages :exec
INSERT INTO webhook_messages (endpoint_id, event_id, event_type, body, status, next_attempt_at, created_at)
SELECT m.endpoint_id, m.event_id, m.event_type, m.body, 'pending', @now, @now
FROM ROWS FROM (unnest(@endpoint_ids::uuid[]), unnest(@event_ids::text[]), unnest(@event_types::text[]), unnest(@bodies::jsonb[]))
     WITH ORDINALITY AS m(endpoint_id, event_id, event_type, body, n)
ORDER BY m.n
ON CONFLICT (endpoint_id, event_id) DO NOTHING;

-- Schedule marks endpoints as having a deliver job, returning those that had none: the
-- caller queues one for each, in the same transaction.
-- name: Schedule :many
UPDATE webhook_endpoints SET scheduled = true
WHERE id = ANY(@ids::uuid[]) AND NOT scheduled AND disabled_at IS NULL
RETURNING id;

-- Unschedule ends an endpoint's deliver job when nothing is pending, under the endpoint's
-- row lock (taken by the caller), so that a dispatcher adding a message either commits
-- first — and the job sees it — or finds the job gone and queues another.
-- name: Unschedule :one
UPDATE webhook_endpoints e SET scheduled = false
WHERE e.id = @id AND (e.disabled_at IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM webhook_messages m WHERE m.endpoint_id = e.id AND m.status = 'pending'))
RETURNING e.id;

-- NextMessage is the endpoint's first pending message: delivered in order, so later ones
-- wait for it.
-- name: NextMessage :one
SELECT seq, event_id, event_type, body, attempts, next_attempt_at FROM webhook_messages
WHERE endpoint_id = @endpoint_id AND status = 'pending'
ORDER BY seq
LIMIT 1;

-- name: SetMessage :exec
UPDATE webhook_messages SET status = @status, attempts = @attempts, next_attempt_at = @next_attempt_at WHERE seq = @seq;

-- name: InsertAttempt :one
INSERT INTO webhook_attempts (id, endpoint_id, message_seq, event_id, event_type, attempt, succeeded, status_code, latency_ms,
                              error, response, next_retry_at, created_at)
VALUES (@id, @endpoint_id, sqlc.narg(message_seq), @event_id, @event_type, @attempt, @succeeded, sqlc.narg(status_code),
        @latency_ms, sqlc.narg(error), @response, sqlc.narg(next_retry_at), @now)
RETURNING *;

-- name: SetFailing :exec
UPDATE webhook_endpoints SET failing_since = sqlc.narg(failing_since),
    disabled_at = sqlc.narg(disabled_at), disabled_reason = sqlc.narg(disabled_reason)
WHERE id = @id;

-- ListAttempts pages through an endpoint's attempts, newest first.
-- name: ListAttempts :many
SELECT * FROM webhook_attempts
WHERE endpoint_id = @endpoint_id AND (created_at, id) < (@before_created_at::timestamptz, @before_id::uuid)
ORDER BY created_at DESC, id DESC
LIMIT @max_rows;

-- name: GetAttempt :one
SELECT * FROM webhook_attempts WHERE id = @id AND endpoint_id = @endpoint_id;

-- Redeliver makes a message pending again, to be sent now (out of order: it is a manual
-- retry of one already delivered or given up).
-- name: Redeliver :exec
UPDATE webhook_messages SET status = 'pending', attempts = 0, next_attempt_at = @now WHERE seq = @seq;

-- name: SetJobs :exec
UPDATE webhook_endpoints e SET job_id = j.job_id
FROM (SELECT unnest(@ids::uuid[]) AS id, unnest(@job_ids::bigint[]) AS job_id) j
WHERE e.id = j.id;

-- ScheduledJobs are the deliver jobs the endpoints already have.
-- name: ScheduledJobs :many
SELECT job_id::bigint FROM webhook_endpoints WHERE id = ANY(@ids::uuid[]) AND scheduled AND job_id IS NOT NULL;
