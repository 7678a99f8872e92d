-- Match: scheduling (a time per match and per round), draws and the points table each
-- bracket keeps, per-game results, and reports kept as a history with a dispute's reason
-- and evidence.

-- +goose Up
ALTER TABLE match_brackets
    ADD COLUMN allow_draws boolean NOT NULL DEFAULT false,
    ADD COLUMN points_win integer NOT NULL DEFAULT 3,
    ADD COLUMN points_draw integer NOT NULL DEFAULT 1,
    ADD COLUMN points_loss integer NOT NULL DEFAULT 0;
-- A series may end level only where draws are allowed: then best_of may be even.
ALTER TABLE match_brackets DROP CONSTRAINT match_brackets_best_of_check;
ALTER TABLE match_brackets ADD CONSTRAINT match_brackets_best_of_check CHECK (best_of >= 1 AND (best_of % 2 = 1 OR allow_draws));

ALTER TABLE matches
    ADD COLUMN scheduled_at timestamptz,
    -- The games of a decided match, [{score_a, score_b, map?}], when they were reported.
    ADD COLUMN games jsonb;
-- OpenMatches, the overdue filter of ListMatches and the tournament's health (through
-- public_matches): a tournament's undecided matches, by time.
CREATE INDEX matches_undecided_idx ON matches (tournament_id, scheduled_at)
    WHERE status IN ('pending', 'ready', 'reported', 'disputed');
-- ListMyMatches: an entrant's matches, on either side.
CREATE INDEX matches_a_seed_idx ON matches (tournament_id, a_seed);
CREATE INDEX matches_b_seed_idx ON matches (tournament_id, b_seed);
-- ListMyMatches: the entrant an entry plays as.
CREATE INDEX match_entrants_registration_idx ON match_entrants (registration_id);

-- Planned start of each round (SetRoundTimes); matches laid or paired later take their
-- round's time. Kept when a bracket is thrown away, so the plan outlives a re-seed.
CREATE TABLE match_round_times (
    tournament_id uuid NOT NULL REFERENCES tournaments (id),
    stage         text NOT NULL,
    round         integer NOT NULL CHECK (round >= 1),
    starts_at     timestamptz NOT NULL,
    PRIMARY KEY (tournament_id, stage, round)
);

-- Every report is kept: a side may change its report until the other side reports, and
-- the organizer and staff read the history. A side's current report is its latest.
ALTER TABLE match_reports DROP CONSTRAINT match_reports_pkey;
ALTER TABLE match_reports
    ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN games jsonb,
    ADD COLUMN reason text CHECK (length(reason) BETWEEN 1 AND 1000),
    ADD COLUMN evidence text[] NOT NULL DEFAULT '{}' CHECK (cardinality(evidence) <= 5);
ALTER TABLE match_reports ALTER COLUMN id DROP DEFAULT;
ALTER TABLE match_reports ADD PRIMARY KEY (id);
-- GetReports (each side's latest) and ListReports (a match's history in order).
CREATE INDEX match_reports_match_idx ON match_reports (match_id, side, created_at, id);

-- What other modules may read of a match: its tournament, whether it is still to be
-- decided or disputed, and when it is due (its time plus the tournament's report window).
CREATE VIEW public_matches AS
SELECT m.id, m.tournament_id, m.scheduled_at,
       m.status IN ('pending', 'ready', 'reported', 'disputed') AS undecided,
       m.status = 'disputed' AS disputed,
       m.scheduled_at + t.report_window_minutes * interval '1 minute' AS due_at
FROM matches m
JOIN public_tournaments t ON t.id = m.tournament_id;

-- +goose Down
DROP VIEW public_matches;
DROP INDEX match_reports_match_idx;
ALTER TABLE match_reports DROP CONSTRAINT match_reports_pkey;
DELETE FROM match_reports r USING match_reports newer
WHERE newer.match_id = r.match_id AND newer.side = r.side AND (newer.created_at, newer.id) > (r.created_at, r.id);
ALTER TABLE match_reports DROP COLUMN evidence, DROP COLUMN reason, DROP COLUMN games, DROP COLUMN id;
ALTER TABLE match_reports ADD PRIMARY KEY (match_id, side);
DROP TABLE match_round_times;
DROP INDEX match_entrants_registration_idx;
DROP INDEX matches_b_seed_idx;
DROP INDEX matches_a_seed_idx;
DROP INDEX matches_undecided_idx;
ALTER TABLE matches DROP COLUMN games, DROP COLUMN scheduled_at;
ALTER TABLE match_brackets DROP CONSTRAINT match_brackets_best_of_check;
ALTER TABLE match_brackets ADD CONSTRAINT match_brackets_best_of_check CHECK (best_of >= 1 AND best_of % 2 = 1);
ALTER TABLE match_brackets DROP COLUMN points_loss, DROP COLUMN points_draw, DROP COLUMN points_win, DROP COLUMN allow_draws;
