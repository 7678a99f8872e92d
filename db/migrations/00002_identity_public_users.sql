-- Identity publishes what anyone may see of a user as a read-only view. Other modules join
-- it to embed names in their lists in the same round trip; they never read users itself,
-- so identity stays free to change that table behind the view.

-- +goose Up
CREATE VIEW public_users AS
SELECT id, handle, display_name, country FROM users;

-- +goose Down
DROP VIEW public_users;
