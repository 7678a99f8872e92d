-- Leaderboard: Glicko-2 ratings per game, their history, seasons and their points, and the
-- boards both are ranked on. A board (a game's ratings, or a season's points) keeps, next to
-- its entries, counts of entries per score bucket at three widths, maintained by triggers;
-- a competitor's rank is read from those counts in about the same time wherever it stands.

-- +goose Up
-- One row per competitor and game, once rated: the Glicko-2 state (rating, deviation and
-- volatility on Glicko's scale) as of its last rated tournament.
CREATE TABLE leaderboard_ratings (
    game_id        uuid NOT NULL,
    competitor_id  uuid NOT NULL,
    rating         double precision NOT NULL,
    deviation      double precision NOT NULL CHECK (deviation > 0),
    volatility     double precision NOT NULL CHECK (volatility > 0),
    tournaments    integer NOT NULL, -- rating periods played
    last_rated_at  timestamptz NOT NULL,
    PRIMARY KEY (game_id, competitor_id)
);

-- Each rating period a competitor played: the state after it.
CREATE TABLE leaderboard_rating_history (
    game_id       uuid NOT NULL,
    competitor_id uuid NOT NULL,
    tournament_id uuid NOT NULL,
    rating        double precision NOT NULL,
    deviation     double precision NOT NULL,
    volatility    double precision NOT NULL,
    change        double precision NOT NULL, -- rating after minus rating before
    wins          integer NOT NULL,
    losses        integer NOT NULL,
    rated_at      timestamptz NOT NULL,
    PRIMARY KEY (game_id, competitor_id, tournament_id)
);
-- CompetitorHistory: a competitor's recent periods first.
CREATE INDEX leaderboard_rating_history_recent_idx ON leaderboard_rating_history (game_id, competitor_id, rated_at DESC);

-- The tournaments applied: a rating job finds its tournament here and changes nothing.
CREATE TABLE leaderboard_periods (
    tournament_id uuid PRIMARY KEY,
    game_id       uuid NOT NULL,
    completed_at  timestamptz NOT NULL,
    applied_at    timestamptz NOT NULL
);

-- Seasons of a game: a tournament completed within [starts_at, ends_at) awards the points of
-- its final placements (points[1] to the winner, …; ties share the better place's points).
CREATE TABLE leaderboard_seasons (
    id         uuid PRIMARY KEY,
    game_id    uuid NOT NULL,
    slug       text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 40),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL CHECK (ends_at > starts_at),
    points     integer[] NOT NULL,
    created_at timestamptz NOT NULL
);
-- GetSeason, and one season per slug and game.
CREATE UNIQUE INDEX leaderboard_seasons_slug_key ON leaderboard_seasons (game_id, slug);
-- SeasonAt: the season a completion falls in.
CREATE INDEX leaderboard_seasons_time_idx ON leaderboard_seasons (game_id, starts_at);

-- The points each tournament awarded, so a season's table can be recomputed and audited.
CREATE TABLE leaderboard_season_awards (
    season_id     uuid NOT NULL REFERENCES leaderboard_seasons (id),
    tournament_id uuid NOT NULL,
    competitor_id uuid NOT NULL,
    placement     integer NOT NULL,
    points        integer NOT NULL,
    PRIMARY KEY (season_id, tournament_id, competitor_id)
);

-- A board's entries: board_id is a game (score = rating) or a season (score = points).
CREATE TABLE leaderboard_entries (
    board_id        uuid NOT NULL,
    competitor_id   uuid NOT NULL,
    competitor_kind text NOT NULL CHECK (competitor_kind IN ('user', 'team')),
    score           double precision NOT NULL,
    PRIMARY KEY (board_id, competitor_id)
);
-- BoardPage, Around, and the count inside one bucket in leaderboard_rank.
CREATE INDEX leaderboard_entries_order_idx ON leaderboard_entries (board_id, score DESC, competitor_id);

-- How many of a board's entries score in each bucket [bucket*width, (bucket+1)*width).
CREATE TABLE leaderboard_counts (
    board_id uuid NOT NULL,
    width    integer NOT NULL CHECK (width IN (1, 64, 4096)),
    bucket   integer NOT NULL,
    entries  bigint NOT NULL,
    PRIMARY KEY (board_id, width, bucket)
);

-- Statement triggers keep the counts: one grouped upsert per statement however many entries
-- it writes, so a bulk load costs about what the rows do.
-- +goose StatementBegin
CREATE FUNCTION leaderboard_count_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO leaderboard_counts (board_id, width, bucket, entries)
        SELECT n.board_id, w.width, floor(n.score / w.width)::int, count(*)
        FROM new_entries n CROSS JOIN (VALUES (1), (64), (4096)) w (width)
        GROUP BY 1, 2, 3
        ON CONFLICT (board_id, width, bucket) DO UPDATE SET entries = leaderboard_counts.entries + EXCLUDED.entries;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO leaderboard_counts (board_id, width, bucket, entries)
        SELECT o.board_id, w.width, floor(o.score / w.width)::int, -count(*)
        FROM old_entries o CROSS JOIN (VALUES (1), (64), (4096)) w (width)
        GROUP BY 1, 2, 3
        ON CONFLICT (board_id, width, bucket) DO UPDATE SET entries = leaderboard_counts.entries + EXCLUDED.entries;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER leaderboard_entries_inserted AFTER INSERT ON leaderboard_entries
    REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION leaderboard_count_entries();
CREATE TRIGGER leaderboard_entries_updated AFTER UPDATE ON leaderboard_entries
    REFERENCING OLD TABLE AS old_entries NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION leaderboard_count_entries();
CREATE TRIGGER leaderboard_entries_deleted AFTER DELETE ON leaderboard_entries
    REFERENCING OLD TABLE AS old_entries FOR EACH STATEMENT EXECUTE FUNCTION leaderboard_count_entries();

-- leaderboard_rank is 1 + the number of a board's entries scoring more than p_score: the
-- 4096-wide buckets above it, the 64-wide ones above it inside its 4096-wide bucket, the
-- 1-wide ones above it inside its 64-wide bucket, and an index range inside its own 1-wide
-- bucket — each term a few dozen rows at most, wherever the score stands.
-- +goose StatementBegin
CREATE FUNCTION leaderboard_rank(p_board uuid, p_score double precision) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT 1
        + coalesce((SELECT sum(c.entries) FROM leaderboard_counts c WHERE c.board_id = p_board AND c.width = 4096
                    AND c.bucket > floor(p_score / 4096)), 0)
        + coalesce((SELECT sum(c.entries) FROM leaderboard_counts c WHERE c.board_id = p_board AND c.width = 64
                    AND c.bucket > floor(p_score / 64) AND c.bucket < (floor(p_score / 4096) + 1) * 64), 0)
        + coalesce((SELECT sum(c.entries) FROM leaderboard_counts c WHERE c.board_id = p_board AND c.width = 1
                    AND c.bucket > floor(p_score) AND c.bucket < (floor(p_score / 64) + 1) * 64), 0)
        + (SELECT count(*) FROM leaderboard_entries e WHERE e.board_id = p_board
           AND e.score > p_score AND e.score < floor(p_score) + 1)
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION leaderboard_rank;
DROP TABLE leaderboard_entries;
DROP FUNCTION leaderboard_count_entries;
DROP TABLE leaderboard_counts;
DROP TABLE leaderboard_season_awards;
DROP TABLE leaderboard_seasons;
DROP TABLE leaderboard_periods;
DROP TABLE leaderboard_rating_history;
DROP TABLE leaderboard_ratings;
