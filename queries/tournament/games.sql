-- name: InsertGame :one
INSERT INTO games (id, slug, name, team_size_min, team_size_max, platforms, config_schema, created_at, updated_at)
VALUES (@id, @slug, @name, @team_size_min, @team_size_max, @platforms, @config_schema, @now, @now)
RETURNING id, slug, name, team_size_min, team_size_max, platforms, config_schema, created_at, updated_at;

-- name: UpdateGame :one
UPDATE games SET
    name = coalesce(sqlc.narg(name), name),
    team_size_min = coalesce(sqlc.narg(team_size_min), team_size_min),
    team_size_max = coalesce(sqlc.narg(team_size_max), team_size_max),
    platforms = coalesce(sqlc.narg(platforms), platforms),
    config_schema = coalesce(sqlc.narg(config_schema), config_schema),
    updated_at = @now
WHERE slug = @slug
RETURNING id, slug, name, team_size_min, team_size_max, platforms, config_schema, created_at, updated_at;

-- name: GetGameBySlug :one
SELECT id, slug, name, team_size_min, team_size_max, platforms, config_schema, created_at, updated_at
FROM games WHERE slug = @slug;

-- name: GetGame :one
SELECT id, slug, name, team_size_min, team_size_max, platforms, config_schema, created_at, updated_at
FROM games WHERE id = @id;

-- ListGames pages through games by slug; the catalogue is small, but still keyset.
-- name: ListGames :many
SELECT id, slug, name, team_size_min, team_size_max, platforms, config_schema, created_at, updated_at
FROM games WHERE slug > @after_slug ORDER BY slug LIMIT @max_rows;
