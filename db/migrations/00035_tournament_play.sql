-- Tournament: the rules of play an organizer chooses beyond the points table — the Swiss
-- pairing system, the double elimination grand final, the round robin schedule and cycles,
-- the ordered tiebreaks of the standings, and FIDE's virtual opponent for byes in the
-- Buchholz family. NULL (false) is the format's default (docs/competition.md); a setting is
-- stored only on a format it applies to.

-- +goose Up
ALTER TABLE tournaments
    ADD COLUMN pairing text CHECK (pairing IN ('dutch', 'valve')),
    ADD COLUMN grand_final text CHECK (grand_final IN ('double', 'simple', 'none')),
    ADD COLUMN schedule text CHECK (schedule IN ('berger', 'circle')),
    ADD COLUMN double_round_robin boolean NOT NULL DEFAULT false,
    ADD COLUMN tiebreaks text[] CHECK (cardinality(tiebreaks) BETWEEN 1 AND 10 AND tiebreaks <@ ARRAY['points', 'head_to_head',
        'buchholz', 'buchholz_cut1', 'median_buchholz', 'sonneborn_berger', 'game_difference', 'games_won', 'wins', 'seed']),
    ADD COLUMN buchholz_virtual_opponent boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT tournaments_play_check CHECK (
        (pairing IS NULL OR format = 'swiss')
        AND (grand_final IS NULL OR format = 'double_elimination')
        AND ((schedule IS NULL AND NOT double_round_robin) OR format = 'round_robin')
        AND (tiebreaks IS NULL OR format IN ('round_robin', 'swiss'))
        AND (NOT buchholz_virtual_opponent OR format = 'swiss'));

-- +goose Down
ALTER TABLE tournaments DROP CONSTRAINT tournaments_play_check,
    DROP COLUMN buchholz_virtual_opponent, DROP COLUMN tiebreaks, DROP COLUMN double_round_robin,
    DROP COLUMN schedule, DROP COLUMN grand_final, DROP COLUMN pairing;
