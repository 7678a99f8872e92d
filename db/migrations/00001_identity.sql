-- Identity: users, login throttling, sessions, teams and their invites.

-- +goose Up
CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    handle        text NOT NULL CHECK (handle ~ '^[a-z0-9_]{3,32}$'),
    display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
    country       text CHECK (country ~ '^[A-Z]{2}$'),
    roles         text[] NOT NULL DEFAULT '{player}' CHECK ('player' = ANY (roles) AND roles <@ '{player,organizer,admin}'),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
-- GetLoginByEmail, and one account per email whatever its case.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
-- GetLoginByHandle, GetUserByHandle, and one account per handle.
CREATE UNIQUE INDEX users_handle_key ON users (handle);

-- Failed-login state, kept apart from users so that only failures (and the first success
-- after them) write, and the authentication path never touches it.
CREATE TABLE login_throttles (
    user_id           uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    failures          integer NOT NULL,
    window_started_at timestamptz NOT NULL,
    locked_until      timestamptz,
    lockouts          integer NOT NULL DEFAULT 0
);

-- Opaque bearer sessions; only the SHA-256 of the token is stored, so a database leak
-- yields no usable token.
CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
-- DeleteUserSessions (revoke everything when roles change).
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
-- PurgeExpiredSessions.
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE teams (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 2 AND 64),
    tag         text CHECK (tag ~ '^[A-Za-z0-9]{2,8}$'),
    captain_id  uuid NOT NULL REFERENCES users (id),
    max_members integer NOT NULL CHECK (max_members BETWEEN 1 AND 32),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
-- One team per name whatever its case (CreateTeam's conflict check).
CREATE UNIQUE INDEX teams_name_key ON teams (lower(name));

CREATE TABLE team_members (
    team_id   uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at timestamptz NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
-- A user's teams (roster checks by user in registration).
CREATE INDEX team_members_user_id_idx ON team_members (user_id);

CREATE TABLE team_invites (
    id           uuid PRIMARY KEY,
    team_id      uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    invitee_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    inviter_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status       text NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),
    created_at   timestamptz NOT NULL,
    responded_at timestamptz
);
-- At most one open invite per team and user (CreateInvite's conflict check).
CREATE UNIQUE INDEX team_invites_pending_key ON team_invites (team_id, invitee_id) WHERE status = 'pending';
-- ListMyInvites: a user's open invites, newest first.
CREATE INDEX team_invites_invitee_idx ON team_invites (invitee_id, created_at DESC, id DESC) WHERE status = 'pending';

-- +goose Down
DROP TABLE team_invites;
DROP TABLE team_members;
DROP TABLE teams;
DROP TABLE sessions;
DROP TABLE login_throttles;
DROP TABLE users;
