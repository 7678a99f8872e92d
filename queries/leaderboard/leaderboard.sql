-- ClaimPeriod records that a tournament's rating period is being applied; no row back means
-- it was applied already (a concurrent duplicate waits on the key, then finds it).
-- name: ClaimPeriod :many
INSERT INTO leaderboard_periods (tournament_id, game_id, completed_at, applied_at)
VALUES (@tournament_id, @game_id, @completed_at, @now)
ON CONFLICT (tournament_id) DO NOTHING
RETURNING tournament_id;

-- LockGame serialises the rating updates of one game, so concurrent periods read and write
-- each other's results in turn.
-- name: LockGame :exec
SELECT pg_advisory_xact_lock(hashtextextended(concat('leaderboard:', @game_id::uuid), 0));

-- CompetitorRatings reads competitors' ratings in a game (the unrated are absent).
-- name: CompetitorRatings :many
SELECT competitor_id, rating, deviation, volatility, last_rated_at
FROM leaderboard_ratings
WHERE game_id = @game_id AND competitor_id = ANY(@competitor_ids::uuid[]);

-- name: UpsertRatings :exec
INSERT INTO leaderboard_ratings (game_id, competitor_id, rating, deviation, volatility, tournaments, last_rated_at)
SELECT @game_id, r.competitor_id, r.rating, r.deviation, r.volatility, 1, @rated_at
FROM (SELECT unnest(@competitor_ids::uuid[]) AS competitor_id, unnest(@ratings::float8[]) AS rating,
             unnest(@deviations::float8[]) AS deviation, unnest(@volatilities::float8[]) AS volatility) r
ON CONFLICT (game_id, competitor_id) DO UPDATE
SET rating = EXCLUDED.rating, deviation = EXCLUDED.deviation, volatility = EXCLUDED.volatility,
    tournaments = leaderboard_ratings.tournaments + 1, last_rated_at = EXCLUDED.last_rated_at;

-- name: InsertHistory :exec
INSERT INTO leaderboard_rating_history (game_id, competitor_id, tournament_id, rating, deviation, volatility, change, wins, losses, rated_at)
SELECT @game_id, h.competitor_id, @tournament_id, h.rating, h.deviation, h.volatility, h.change, h.wins, h.losses, @rated_at
FROM (SELECT unnest(@competitor_ids::uuid[]) AS competitor_id, unnest(@ratings::float8[]) AS rating,
             unnest(@deviations::float8[]) AS deviation, unnest(@volatilities::float8[]) AS volatility,
             unnest(@changes::float8[]) AS change, unnest(@wins::int[]) AS wins, unnest(@losses::int[]) AS losses) h;

-- SetScores puts competitors on a board at a score (a rating).
-- name: SetScores :exec
INSERT INTO leaderboard_entries (board_id, competitor_id, competitor_kind, score)
SELECT @board_id, unnest(@competitor_ids::uuid[]), unnest(@kinds::text[]), unnest(@scores::float8[])
ON CONFLICT (board_id, competitor_id) DO UPDATE SET score = EXCLUDED.score;

-- AddScores adds to competitors' scores on a board (season points).
-- name: AddScores :exec
INSERT INTO leaderboard_entries (board_id, competitor_id, competitor_kind, score)
SELECT @board_id, unnest(@competitor_ids::uuid[]), unnest(@kinds::text[]), unnest(@scores::float8[])
ON CONFLICT (board_id, competitor_id) DO UPDATE SET score = leaderboard_entries.score + EXCLUDED.score;

-- SeasonAt finds the season of a game an instant falls in.
-- name: SeasonAt :many
SELECT id, points FROM leaderboard_seasons
WHERE game_id = @game_id AND starts_at <= @at AND ends_at > @at
ORDER BY starts_at DESC
LIMIT 1;

-- name: InsertAwards :exec
INSERT INTO leaderboard_season_awards (season_id, tournament_id, competitor_id, placement, points)
SELECT @season_id, @tournament_id, unnest(@competitor_ids::uuid[]), unnest(@placements::int[]), unnest(@points::int[]);

-- name: GameID :one
SELECT id FROM public_games WHERE slug = @slug;

-- InsertSeason adds a season unless it overlaps another of the game (no row back then).
-- name: InsertSeason :many
INSERT INTO leaderboard_seasons (id, game_id, slug, name, starts_at, ends_at, points, created_at)
SELECT @id, @game_id, @slug, @name, @starts_at, @ends_at, @points::int[], @now
WHERE NOT EXISTS (SELECT 1 FROM leaderboard_seasons s WHERE s.game_id = @game_id
                  AND s.starts_at < @ends_at AND s.ends_at > @starts_at)
RETURNING id;

-- name: ListSeasons :many
SELECT s.slug, s.name, s.starts_at, s.ends_at, s.points
FROM leaderboard_seasons s JOIN public_games g ON g.id = s.game_id
WHERE g.slug = @game
ORDER BY s.starts_at DESC
LIMIT 100;

-- Board reads part of a board in one round trip: a page after a cursor, or (around) a
-- competitor's neighbourhood — up to max_rows entries above it, itself, and up to max_rows
-- below. The board is a game's ratings, or one of its seasons (by slug; by default the
-- latest that has begun); no row back means no such game, a nil board id no such season,
-- and one row without a competitor an empty page. With the entries come the names, the
-- rating details, and the first entry's rank and the entries tied with it before the page,
-- from which every rank on the page follows.
-- name: Board :many
WITH board AS (
    SELECT g.id AS game_id, CASE WHEN @season_board::bool THEN s.id ELSE g.id END AS id, s.slug AS season_slug, s.name AS season_name
    FROM public_games g
    LEFT JOIN LATERAL (SELECT s.id, s.slug, s.name FROM leaderboard_seasons s
                       WHERE s.game_id = g.id AND (s.slug = @season::text OR (@season::text = '' AND s.starts_at <= @now::timestamptz))
                       ORDER BY s.starts_at DESC LIMIT 1) s ON @season_board::bool
    WHERE g.slug = @game::text
), after AS (
    -- The board id as a scalar (an init plan), so the index delivers the order and LIMIT
    -- stops it; the same in every part below.
    SELECT e.competitor_id, e.competitor_kind, e.score
    FROM leaderboard_entries e
    WHERE NOT @around::bool AND e.board_id = (SELECT b.id FROM board b)
      AND e.score <= @after_score::float8 AND (e.score < @after_score::float8 OR e.competitor_id > @after_id::uuid)
    ORDER BY e.score DESC, e.competitor_id
    LIMIT @max_rows
), me AS (
    SELECT e.competitor_id, e.competitor_kind, e.score FROM leaderboard_entries e
    WHERE @around::bool AND e.board_id = (SELECT b.id FROM board b) AND e.competitor_id = @competitor_id::uuid
), above AS (
    SELECT e.competitor_id, e.competitor_kind, e.score
    FROM leaderboard_entries e
    WHERE e.board_id = (SELECT b.id FROM board b) AND e.score >= (SELECT me.score FROM me)
      AND (e.score > (SELECT me.score FROM me) OR e.competitor_id < @competitor_id::uuid)
    ORDER BY e.score, e.competitor_id DESC
    LIMIT @max_rows
), below AS (
    SELECT e.competitor_id, e.competitor_kind, e.score
    FROM leaderboard_entries e
    WHERE e.board_id = (SELECT b.id FROM board b) AND e.score <= (SELECT me.score FROM me)
      AND (e.score < (SELECT me.score FROM me) OR e.competitor_id > @competitor_id::uuid)
    ORDER BY e.score DESC, e.competitor_id
    LIMIT @max_rows
), page AS (
    SELECT * FROM after UNION ALL SELECT * FROM above UNION ALL SELECT * FROM me UNION ALL SELECT * FROM below
), head AS (
    -- The first entry's rank and its ties before the page, once (not per row).
    SELECT leaderboard_rank(b.id, h.score) AS first_rank,
           (SELECT count(*) FROM leaderboard_entries e WHERE e.board_id = b.id AND e.score = h.score
            AND e.competitor_id < h.competitor_id) AS tied_before
    FROM board b, (SELECT p.score, p.competitor_id FROM page p ORDER BY p.score DESC, p.competitor_id LIMIT 1) h
)
SELECT coalesce(b.id, '00000000-0000-0000-0000-000000000000')::uuid AS board_id,
       coalesce(b.season_slug, '')::text AS season_slug, coalesce(b.season_name, '')::text AS season_name,
       p.competitor_id, p.competitor_kind, coalesce(p.score, 0)::float8 AS score, coalesce(t.name, u.display_name, '')::text AS name, u.handle,
       r.deviation, r.volatility, r.last_rated_at,
       coalesce((SELECT h.first_rank FROM head h), 0)::bigint AS first_rank,
       coalesce((SELECT h.tied_before FROM head h), 0)::bigint AS tied_before
FROM board b
LEFT JOIN page p ON true
LEFT JOIN public_users u ON p.competitor_kind = 'user' AND u.id = p.competitor_id
LEFT JOIN public_teams t ON p.competitor_kind = 'team' AND t.id = p.competitor_id
LEFT JOIN leaderboard_ratings r ON r.game_id = b.game_id AND r.competitor_id = p.competitor_id AND NOT @season_board::bool
ORDER BY p.score DESC, p.competitor_id;

-- Competitor reads a competitor's rating in a game with its rank, the board's size and its
-- ten latest rating periods (as JSON), in one round trip.
-- name: Competitor :one
SELECT g.id AS game_id, e.competitor_kind, coalesce(t.name, u.display_name, '')::text AS name, u.handle,
       r.rating, r.deviation, r.volatility, r.tournaments, r.last_rated_at,
       leaderboard_rank(g.id, e.score)::bigint AS rank,
       coalesce((SELECT sum(c.entries) FROM leaderboard_counts c WHERE c.board_id = g.id AND c.width = 4096), 0)::bigint AS total,
       coalesce((SELECT json_agg(h ORDER BY h.rated_at DESC) FROM (
           SELECT x.tournament_id, pt.slug AS tournament_slug, pt.name AS tournament_name, x.rating, x.deviation,
                  x.change, x.wins, x.losses, x.rated_at
           FROM leaderboard_rating_history x LEFT JOIN public_tournaments pt ON pt.id = x.tournament_id
           WHERE x.game_id = g.id AND x.competitor_id = r.competitor_id
           ORDER BY x.rated_at DESC LIMIT 10) h), '[]')::jsonb AS history
FROM public_games g
JOIN leaderboard_ratings r ON r.game_id = g.id AND r.competitor_id = @competitor_id
JOIN leaderboard_entries e ON e.board_id = g.id AND e.competitor_id = r.competitor_id
LEFT JOIN public_users u ON e.competitor_kind = 'user' AND u.id = e.competitor_id
LEFT JOIN public_teams t ON e.competitor_kind = 'team' AND t.id = e.competitor_id
WHERE g.slug = @game::text;
