-- name: InsertTeam :exec
INSERT INTO teams (id, name, tag, captain_id, max_members, created_at, updated_at)
VALUES (@id, @name, @tag, @captain_id, @max_members, @now, @now);

-- name: InsertTeamMember :execrows
INSERT INTO team_members (team_id, user_id, joined_at) VALUES (@team_id, @user_id, @now)
ON CONFLICT DO NOTHING;

-- GetTeam returns a team with its members embedded as JSON, in one round trip.
-- name: GetTeam :one
SELECT t.id, t.name, t.tag, t.captain_id, t.max_members, t.created_at, t.updated_at,
       coalesce(jsonb_agg(jsonb_build_object(
           'id', u.id, 'handle', u.handle, 'display_name', u.display_name,
           'country', u.country, 'joined_at', m.joined_at) ORDER BY m.joined_at, u.id)
           FILTER (WHERE u.id IS NOT NULL), '[]')::jsonb AS members
FROM teams t
LEFT JOIN team_members m ON m.team_id = t.id
LEFT JOIN users u ON u.id = m.user_id
WHERE t.id = @id
GROUP BY t.id;

-- LockTeam serialises changes to one roster so that concurrent accepts cannot overfill it.
-- name: LockTeam :one
SELECT t.name, t.captain_id, t.max_members,
       (SELECT count(*) FROM team_members m WHERE m.team_id = t.id)::int AS member_count
FROM teams t WHERE t.id = @id
FOR UPDATE;

-- name: IsTeamMember :one
SELECT EXISTS (SELECT 1 FROM team_members WHERE team_id = @team_id AND user_id = @user_id);

-- name: DeleteTeamMember :execrows
DELETE FROM team_members WHERE team_id = @team_id AND user_id = @user_id;

-- name: InsertInvite :one
INSERT INTO team_invites (id, team_id, invitee_id, inviter_id, status, created_at)
VALUES (@id, @team_id, @invitee_id, @inviter_id, 'pending', @now)
RETURNING id, team_id, invitee_id, inviter_id, status, created_at;

-- name: LockInvite :one
SELECT i.id, i.team_id, t.name AS team_name, i.invitee_id, i.inviter_id, i.status
FROM team_invites i JOIN teams t ON t.id = i.team_id WHERE i.id = @id FOR UPDATE OF i;

-- name: SetInviteStatus :exec
UPDATE team_invites SET status = @status, responded_at = @now::timestamptz WHERE id = @id;

-- ListMyInvites pages through a user's open invites, newest first, with the team and the
-- inviter embedded; the cursor is the last row's (created_at, id).
-- name: ListMyInvites :many
SELECT i.id, i.created_at, t.id AS team_id, t.name AS team_name, t.tag AS team_tag,
       u.id AS inviter_id, u.handle AS inviter_handle, u.display_name AS inviter_display_name
FROM team_invites i
JOIN teams t ON t.id = i.team_id
JOIN users u ON u.id = i.inviter_id
WHERE i.invitee_id = @invitee_id AND i.status = 'pending'
  AND (sqlc.narg(after_created_at)::timestamptz IS NULL
       OR (i.created_at, i.id) < (sqlc.narg(after_created_at)::timestamptz, sqlc.narg(after_id)::uuid))
ORDER BY i.created_at DESC, i.id DESC
LIMIT @max_rows;

-- GetRoster returns a team's captain and members with their public names (one round trip).
-- name: GetRoster :many
SELECT t.captain_id, t.name AS team_name, t.tag AS team_tag, u.id, u.handle, u.display_name
FROM teams t
JOIN team_members m ON m.team_id = t.id
JOIN users u ON u.id = m.user_id
WHERE t.id = @team_id
ORDER BY m.joined_at, u.id;
