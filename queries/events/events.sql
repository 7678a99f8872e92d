-- AppendEvents writes a state change's events in its transaction, in one statement; the
-- nil UUID stands for no subject (arrays of uuid cannot carry a NULL through pgx).
-- name: AppendEvents :exec
INSERT INTO events (type, visibility, tournament_id, match_id, registration_id, user_id, payload, created_at)
SELECT unnest(@types::text[]), unnest(@visibilities::text[]), nullif(unnest(@tournament_ids::uuid[]), '00000000-0000-0000-0000-000000000000'::uuid),
       nullif(unnest(@match_ids::uuid[]), '00000000-0000-0000-0000-000000000000'::uuid), nullif(unnest(@registration_ids::uuid[]), '00000000-0000-0000-0000-000000000000'::uuid),
       nullif(unnest(@user_ids::uuid[]), '00000000-0000-0000-0000-000000000000'::uuid), unnest(@payloads::jsonb[]), @now;

-- Feed reads the events after a position that the caller may see, in log order, up to the
-- oldest transaction still running (see 00041_events.sql). The caller sees public events,
-- its own user events, and the participants' events of tournaments it enters, staffs or
-- organizes (all of them as an admin).
-- name: Feed :many
SELECT e.txid, e.id, e.type, e.visibility, e.tournament_id, e.match_id, e.registration_id, e.user_id,
       e.payload, e.created_at
FROM events e
WHERE (e.txid, e.id) > (@after_txid::bigint, @after_id::bigint)
  AND e.txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
  AND (sqlc.narg(type)::text IS NULL OR e.type = sqlc.narg(type))
  AND (sqlc.narg(tournament_id)::uuid IS NULL OR e.tournament_id = sqlc.narg(tournament_id))
  AND (e.visibility = 'public'
       OR (e.visibility = 'user' AND e.user_id = sqlc.narg(caller_id))
       OR (e.visibility = 'participants' AND (@admin::boolean
           OR EXISTS (SELECT 1 FROM public_entry_members m WHERE m.tournament_id = e.tournament_id AND m.user_id = sqlc.narg(caller_id))
           OR EXISTS (SELECT 1 FROM public_tournament_staff s WHERE s.tournament_id = e.tournament_id AND s.user_id = sqlc.narg(caller_id))
           OR EXISTS (SELECT 1 FROM public_tournaments t WHERE t.id = e.tournament_id AND t.organizer_id = sqlc.narg(caller_id)))))
ORDER BY e.txid, e.id
LIMIT @max_rows;

-- Head is the position of the last event every reader may already see.
-- name: Head :one
SELECT coalesce(max(txid), 0)::bigint AS txid, coalesce(max(id), 0)::bigint AS id FROM events
WHERE txid = (SELECT max(txid) FROM events WHERE txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint);

-- Purged is where retention has deleted through.
-- name: Purged :one
SELECT purged_txid, purged_id FROM event_retention;

-- PurgeEvents deletes the events older than the retention and records how far it went.
-- name: PurgeEvents :execrows
WITH gone AS (
    DELETE FROM events WHERE created_at < @before RETURNING txid, id
), last AS (
    SELECT txid, id FROM gone ORDER BY txid DESC, id DESC LIMIT 1
)
UPDATE event_retention r SET purged_txid = last.txid, purged_id = last.id
FROM last WHERE (last.txid, last.id) > (r.purged_txid, r.purged_id);

-- Since is every event after a position, whoever may see it, up to the oldest transaction
-- still running: what a process's stream hub fans out to its streams.
-- name: Since :many
SELECT txid, id, type, visibility, tournament_id, match_id, registration_id, user_id, payload, created_at
FROM events
WHERE (txid, id) > (@after_txid::bigint, @after_id::bigint)
  AND txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
ORDER BY txid, id
LIMIT @max_rows;

-- MayRead says whether a user may read a tournament's participants' events: an entrant,
-- staff or the organizer.
-- name: MayRead :one
SELECT EXISTS (SELECT 1 FROM public_entry_members m WHERE m.tournament_id = @tournament_id AND m.user_id = @user_id)
    OR EXISTS (SELECT 1 FROM public_tournament_staff s WHERE s.tournament_id = @tournament_id AND s.user_id = @user_id)
    OR EXISTS (SELECT 1 FROM public_tournaments t WHERE t.id = @tournament_id AND t.organizer_id = @user_id);
