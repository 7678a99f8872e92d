-- Match: a double forfeit (neither side plays; both lose) and a disqualification (the side is
-- out of the tournament). A side that will never be filled holds seed -1; a match left with
-- one such side is a walkover ('bye') for the other, and with two it is skipped.

-- +goose Up
ALTER TABLE matches DROP CONSTRAINT matches_status_check;
ALTER TABLE matches ADD CONSTRAINT matches_status_check
    CHECK (status IN ('pending', 'ready', 'reported', 'disputed', 'confirmed', 'resolved', 'forfeit',
                      'double_forfeit', 'disqualified', 'skipped', 'bye'));

-- +goose Down
ALTER TABLE matches DROP CONSTRAINT matches_status_check;
ALTER TABLE matches ADD CONSTRAINT matches_status_check
    CHECK (status IN ('pending', 'ready', 'reported', 'disputed', 'confirmed', 'resolved', 'forfeit', 'skipped', 'bye'));
