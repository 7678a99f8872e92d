-- +goose Up
-- The organizer joins what other modules may read of a tournament: the event log lets a
-- tournament's organizer see its participants' events.
CREATE OR REPLACE VIEW public_tournaments AS
SELECT id, slug, name, status, starts_at, report_window_minutes, organizer_id FROM tournaments WHERE deleted_at IS NULL;

-- +goose Down
DROP VIEW public_tournaments;
CREATE VIEW public_tournaments AS
SELECT id, slug, name, status, starts_at, report_window_minutes FROM tournaments WHERE deleted_at IS NULL;
