-- Tournament publishes what other modules may show of a game (the leaderboard keys its
-- boards by game and finds them by slug).

-- +goose Up
CREATE VIEW public_games AS
SELECT id, slug, name FROM games;

-- +goose Down
DROP VIEW public_games;
