-- Tournament: the settings matches are played under (draws, the points table, the window
-- for reporting a scheduled match), tournament staff, and the end of counters that the
-- health and stats figures now read from their owners (see below).

-- +goose Up
ALTER TABLE tournaments
    ADD COLUMN allow_draws boolean NOT NULL DEFAULT false,
    ADD COLUMN points_win integer NOT NULL DEFAULT 3,
    ADD COLUMN points_draw integer NOT NULL DEFAULT 1,
    ADD COLUMN points_loss integer NOT NULL DEFAULT 0,
    -- A scheduled match still undecided this many minutes after its time is overdue.
    ADD COLUMN report_window_minutes integer NOT NULL DEFAULT 30 CHECK (report_window_minutes BETWEEN 1 AND 10080),
    ADD CONSTRAINT tournaments_points_check
        CHECK (points_loss >= 0 AND points_win <= 100 AND points_win > points_loss AND points_draw BETWEEN points_loss AND points_win),
    -- Elimination brackets need a winner in every match.
    ADD CONSTRAINT tournaments_draws_check CHECK (NOT allow_draws OR format IN ('round_robin', 'swiss'));

-- Open disputes and overdue matches are the match module's facts, pending payment
-- verifications and fees the registration module's and the ledger's: health and organizer
-- stats read them through those modules' public views at read time, so no counter here can
-- drift from them.
ALTER TABLE tournament_slots
    DROP COLUMN pending_payments, DROP COLUMN open_disputes, DROP COLUMN overdue_matches, DROP COLUMN fees_collected;

-- Staff run a tournament's matches for its organizer (never its money or settings).
CREATE TABLE tournament_staff (
    tournament_id uuid NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
    user_id       uuid NOT NULL REFERENCES users (id),
    added_by      uuid NOT NULL,
    created_at    timestamptz NOT NULL,
    -- IsStaff and every module's staff check: (tournament, user); ListStaff: a tournament's staff.
    PRIMARY KEY (tournament_id, user_id)
);
-- ListStaff's keyset order.
CREATE INDEX tournament_staff_list_idx ON tournament_staff (tournament_id, created_at, user_id);

-- Who may run a tournament's matches besides its organizer: read by the match and
-- registration modules' checks.
CREATE VIEW public_tournament_staff AS
SELECT tournament_id, user_id FROM tournament_staff;

-- The report window joins what other modules may read of a tournament: the match module
-- tells overdue matches by it.
CREATE OR REPLACE VIEW public_tournaments AS
SELECT id, slug, name, status, starts_at, report_window_minutes FROM tournaments WHERE deleted_at IS NULL;

-- +goose Down
DROP VIEW public_tournaments;
CREATE VIEW public_tournaments AS
SELECT id, slug, name, status, starts_at FROM tournaments WHERE deleted_at IS NULL;
DROP VIEW public_tournament_staff;
DROP TABLE tournament_staff;
ALTER TABLE tournament_slots
    ADD COLUMN pending_payments integer NOT NULL DEFAULT 0 CHECK (pending_payments >= 0),
    ADD COLUMN open_disputes integer NOT NULL DEFAULT 0 CHECK (open_disputes >= 0),
    ADD COLUMN overdue_matches integer NOT NULL DEFAULT 0 CHECK (overdue_matches >= 0),
    ADD COLUMN fees_collected bigint NOT NULL DEFAULT 0 CHECK (fees_collected >= 0);
ALTER TABLE tournaments DROP CONSTRAINT tournaments_draws_check, DROP CONSTRAINT tournaments_points_check,
    DROP COLUMN report_window_minutes, DROP COLUMN points_loss, DROP COLUMN points_draw, DROP COLUMN points_win,
    DROP COLUMN allow_draws;
