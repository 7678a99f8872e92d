-- Match: a side can forfeit; the match is decided for the other side.

-- +goose Up
ALTER TABLE matches DROP CONSTRAINT matches_status_check;
ALTER TABLE matches ADD CONSTRAINT matches_status_check
    CHECK (status IN ('pending', 'ready', 'reported', 'disputed', 'confirmed', 'resolved', 'forfeit', 'skipped', 'bye'));
ALTER TABLE match_brackets DROP CONSTRAINT match_brackets_seeding_check;
ALTER TABLE match_brackets ADD CONSTRAINT match_brackets_seeding_check
    CHECK (seeding IN ('registration', 'random', 'manual', 'rating'));

-- +goose Down
ALTER TABLE match_brackets DROP CONSTRAINT match_brackets_seeding_check;
ALTER TABLE match_brackets ADD CONSTRAINT match_brackets_seeding_check
    CHECK (seeding IN ('registration', 'random', 'manual'));
ALTER TABLE matches DROP CONSTRAINT matches_status_check;
ALTER TABLE matches ADD CONSTRAINT matches_status_check
    CHECK (status IN ('pending', 'ready', 'reported', 'disputed', 'confirmed', 'resolved', 'skipped', 'bye'));
