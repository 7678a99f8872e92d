-- Identity publishes what anyone may see of a team, for other modules' lists.

-- +goose Up
CREATE VIEW public_teams AS
SELECT id, name, tag FROM teams;

-- +goose Down
DROP VIEW public_teams;
