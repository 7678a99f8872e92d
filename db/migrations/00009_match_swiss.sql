-- Match: Swiss stages. A bye is stored as a match with one side (status 'bye', a win), and
-- the bracket keeps the stage's rules so each next round is paired by the same ones.

-- +goose Up
ALTER TABLE matches DROP CONSTRAINT matches_status_check;
ALTER TABLE matches ADD CONSTRAINT matches_status_check
    CHECK (status IN ('pending', 'ready', 'reported', 'disputed', 'confirmed', 'resolved', 'skipped', 'bye'));
ALTER TABLE match_brackets
    ADD COLUMN swiss_rounds integer NOT NULL DEFAULT 0,
    ADD COLUMN swiss_advance_at integer NOT NULL DEFAULT 0,
    ADD COLUMN swiss_eliminate_at integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE match_brackets DROP COLUMN swiss_rounds, DROP COLUMN swiss_advance_at, DROP COLUMN swiss_eliminate_at;
ALTER TABLE matches DROP CONSTRAINT matches_status_check;
ALTER TABLE matches ADD CONSTRAINT matches_status_check
    CHECK (status IN ('pending', 'ready', 'reported', 'disputed', 'confirmed', 'resolved', 'skipped'));
