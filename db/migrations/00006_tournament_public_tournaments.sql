-- Tournament publishes what other modules may show of a tournament in their lists.

-- +goose Up
CREATE VIEW public_tournaments AS
SELECT id, slug, name, status, starts_at FROM tournaments WHERE deleted_at IS NULL;

-- +goose Down
DROP VIEW public_tournaments;
