-- Match: each bracket keeps its own copy of the rules of play it was laid out under, as it
-- does the points table: the Swiss pairing system its later rounds are paired by, the
-- standings' ordered tiebreaks with the Buchholz virtual-opponent option, and the grand
-- final and round robin schedule it was laid out with, which its views and export name.

-- +goose Up
ALTER TABLE match_brackets
    ADD COLUMN pairing text CHECK (pairing IN ('dutch', 'valve')),
    ADD COLUMN grand_final text CHECK (grand_final IN ('double', 'simple', 'none')),
    ADD COLUMN schedule text CHECK (schedule IN ('berger', 'circle')),
    ADD COLUMN double_round_robin boolean NOT NULL DEFAULT false,
    ADD COLUMN tiebreaks text[] NOT NULL DEFAULT '{}' CHECK (tiebreaks <@ ARRAY['points', 'head_to_head',
        'buchholz', 'buchholz_cut1', 'median_buchholz', 'sonneborn_berger', 'game_difference', 'games_won', 'wins', 'seed']),
    ADD COLUMN buchholz_virtual_opponent boolean NOT NULL DEFAULT false;
-- Brackets laid out before keep playing as they did: Dutch pairing (the engine's default
-- since it had systems), a grand final with a reset, Berger tables, and the one fixed order of tiebreaks
-- there was.
UPDATE match_brackets SET pairing = 'dutch' WHERE format = 'swiss';
UPDATE match_brackets SET grand_final = 'double' WHERE format = 'double_elimination';
UPDATE match_brackets SET schedule = 'berger' WHERE format = 'round_robin';
UPDATE match_brackets SET tiebreaks = '{points,head_to_head,buchholz,game_difference}'
WHERE format IN ('round_robin', 'swiss');
ALTER TABLE match_brackets
    ADD CONSTRAINT match_brackets_play_check CHECK ((pairing IS NOT NULL) = (format = 'swiss')
        AND (grand_final IS NOT NULL) = (format = 'double_elimination')
        AND (schedule IS NOT NULL) = (format = 'round_robin')
        AND (NOT double_round_robin OR format = 'round_robin')
        AND (cardinality(tiebreaks) > 0) = (format IN ('round_robin', 'swiss'))
        AND (NOT buchholz_virtual_opponent OR format = 'swiss'));

-- +goose Down
ALTER TABLE match_brackets DROP CONSTRAINT match_brackets_play_check,
    DROP COLUMN buchholz_virtual_opponent, DROP COLUMN tiebreaks, DROP COLUMN double_round_robin, DROP COLUMN schedule,
    DROP COLUMN grand_final, DROP COLUMN pairing;
