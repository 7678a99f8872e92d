-- Tournament: games, tournaments, their slot counters and discovery.

-- +goose Up
CREATE TABLE games (
    id            uuid PRIMARY KEY,
    slug          text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 40),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    team_size_min integer NOT NULL CHECK (team_size_min >= 1),
    team_size_max integer NOT NULL CHECK (team_size_max >= team_size_min AND team_size_max <= 32),
    platforms     text[] NOT NULL DEFAULT '{}',
    config_schema jsonb NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
-- GetGameBySlug, and one game per slug.
CREATE UNIQUE INDEX games_slug_key ON games (slug);

CREATE TABLE tournaments (
    id                     uuid PRIMARY KEY,
    slug                   text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    name                   text NOT NULL CHECK (length(name) BETWEEN 3 AND 120),
    description            text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    game_id                uuid NOT NULL REFERENCES games (id),
    organizer_id           uuid NOT NULL REFERENCES users (id),
    status                 text NOT NULL CHECK (status IN ('draft', 'published', 'registration_open',
                               'registration_closed', 'check_in', 'running', 'completed', 'cancelled')),
    format                 text NOT NULL CHECK (format IN ('single_elimination', 'double_elimination', 'round_robin', 'swiss')),
    participant_type       text NOT NULL CHECK (participant_type IN ('solo', 'team')),
    capacity               integer NOT NULL CHECK (capacity BETWEEN 2 AND 4096),
    entry_fee              bigint NOT NULL CHECK (entry_fee >= 0),
    currency               text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    payment_method         text NOT NULL CHECK (payment_method IN ('wallet', 'manual')),
    prize_distribution     integer[] NOT NULL DEFAULT '{}',
    platform_fee_bps       integer NOT NULL DEFAULT 0 CHECK (platform_fee_bps BETWEEN 0 AND 10000),
    registration_opens_at  timestamptz NOT NULL,
    registration_closes_at timestamptz NOT NULL CHECK (registration_closes_at > registration_opens_at),
    check_in_opens_at      timestamptz,
    check_in_closes_at     timestamptz,
    starts_at              timestamptz NOT NULL CHECK (starts_at >= registration_closes_at),
    game_settings          jsonb NOT NULL DEFAULT '{}',
    rules                  text NOT NULL DEFAULT '' CHECK (length(rules) <= 20000),
    sponsors               jsonb NOT NULL DEFAULT '[]',
    custom_fields          jsonb NOT NULL DEFAULT '[]',
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    deleted_at             timestamptz,
    CHECK ((check_in_opens_at IS NULL) = (check_in_closes_at IS NULL)),
    CHECK (check_in_closes_at IS NULL OR (check_in_opens_at >= registration_closes_at
        AND check_in_closes_at > check_in_opens_at AND check_in_closes_at <= starts_at))
);
-- GetTournamentBySlug, and one live tournament per slug (a deleted draft frees its slug).
CREATE UNIQUE INDEX tournaments_slug_key ON tournaments (slug) WHERE deleted_at IS NULL;
-- DiscoverTournaments filtered by game (and status): equality columns first, then the
-- keyset order, so a page is one index range whatever its depth.
CREATE INDEX tournaments_discovery_game_idx ON tournaments (game_id, status, starts_at, id) WHERE deleted_at IS NULL;
-- DiscoverTournaments filtered by game without a status.
CREATE INDEX tournaments_discovery_game_any_idx ON tournaments (game_id, starts_at, id) WHERE deleted_at IS NULL AND status <> 'draft';
-- DiscoverTournaments filtered by status only.
CREATE INDEX tournaments_discovery_status_idx ON tournaments (status, starts_at, id) WHERE deleted_at IS NULL;
-- DiscoverTournaments with no filter, or by participant type / start / text only: the
-- keyset order over listed tournaments.
CREATE INDEX tournaments_discovery_idx ON tournaments (starts_at, id) WHERE deleted_at IS NULL AND status <> 'draft';
-- DiscoverTournaments' q: word-prefix search on the name.
CREATE INDEX tournaments_name_search_idx ON tournaments USING gin (to_tsvector('simple', name)) WHERE deleted_at IS NULL;
-- OrganizerStats: one organizer's tournaments.
CREATE INDEX tournaments_organizer_idx ON tournaments (organizer_id) WHERE deleted_at IS NULL;

-- Per-tournament counters, apart from tournaments so that the hot updates (a slot taken on
-- every registration) touch a narrow row. Registration takes slots with
-- UPDATE … SET taken = taken + 1 WHERE taken < capacity: never count-then-insert. The other
-- counters are kept by the modules that own the facts, through this module's Tx methods,
-- and feed GET /v1/tournaments/{id}/health.
CREATE TABLE tournament_slots (
    tournament_id     uuid PRIMARY KEY REFERENCES tournaments (id) ON DELETE CASCADE,
    capacity          integer NOT NULL,
    taken             integer NOT NULL DEFAULT 0 CHECK (taken BETWEEN 0 AND capacity),
    checked_in        integer NOT NULL DEFAULT 0 CHECK (checked_in BETWEEN 0 AND taken),
    pending_payments  integer NOT NULL DEFAULT 0 CHECK (pending_payments >= 0),
    open_disputes     integer NOT NULL DEFAULT 0 CHECK (open_disputes >= 0),
    overdue_matches   integer NOT NULL DEFAULT 0 CHECK (overdue_matches >= 0),
    fees_collected    bigint NOT NULL DEFAULT 0 CHECK (fees_collected >= 0)
);

-- +goose Down
DROP TABLE tournament_slots;
DROP TABLE tournaments;
DROP TABLE games;
