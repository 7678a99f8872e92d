-- Match: a tournament's bracket, its matches and the results reported for them.

-- +goose Up
CREATE TABLE match_brackets (
    tournament_id uuid PRIMARY KEY REFERENCES tournaments (id),
    organizer_id  uuid NOT NULL, -- copied at creation: who resolves disputes
    format        text NOT NULL,
    best_of       integer NOT NULL CHECK (best_of >= 1 AND best_of % 2 = 1),
    seeding       text NOT NULL CHECK (seeding IN ('registration', 'random', 'manual')),
    random_seed   bigint, -- the shuffle's seed, so a random seeding can be reproduced
    created_at    timestamptz NOT NULL
);

-- The entrants in seed order (seed 0 is the top seed).
CREATE TABLE match_entrants (
    tournament_id   uuid NOT NULL REFERENCES match_brackets (tournament_id) ON DELETE CASCADE,
    seed            integer NOT NULL,
    registration_id uuid NOT NULL,
    reporter_id     uuid NOT NULL, -- who reports results for the entry
    name            text NOT NULL,
    PRIMARY KEY (tournament_id, seed)
);
-- ReporterSide: the entries a user reports for.
CREATE INDEX match_entrants_reporter_idx ON match_entrants (reporter_id);

CREATE TABLE matches (
    id            uuid PRIMARY KEY,
    tournament_id uuid NOT NULL REFERENCES match_brackets (tournament_id) ON DELETE CASCADE,
    number        integer NOT NULL, -- the engine's index: sources refer to it
    stage         text NOT NULL,
    grp           integer NOT NULL,
    round         integer NOT NULL,
    ord           integer NOT NULL,
    -- Where each side comes from: 1 seed, 2 winner of match number, 3 loser of match number.
    a_kind        smallint NOT NULL, a_ref integer NOT NULL,
    b_kind        smallint NOT NULL, b_ref integer NOT NULL,
    a_seed        integer, -- the entrant on each side, once known
    b_seed        integer,
    status        text NOT NULL CHECK (status IN ('pending', 'ready', 'reported', 'disputed', 'confirmed', 'resolved', 'skipped')),
    score_a       integer,
    score_b       integer,
    winner_seed   integer,
    loser_seed    integer,
    decided_at    timestamptz,
    UNIQUE (tournament_id, number)
);
-- Advance: the matches fed by a match's winner or loser.
CREATE INDEX matches_a_source_idx ON matches (tournament_id, a_ref) WHERE a_kind IN (2, 3);
CREATE INDEX matches_b_source_idx ON matches (tournament_id, b_ref) WHERE b_kind IN (2, 3);

CREATE TABLE match_reports (
    match_id    uuid NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    side        text NOT NULL CHECK (side IN ('a', 'b')),
    score_a     integer NOT NULL CHECK (score_a >= 0),
    score_b     integer NOT NULL CHECK (score_b >= 0),
    proof_url   text CHECK (length(proof_url) <= 2048),
    reported_by uuid NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (match_id, side)
);

-- +goose Down
DROP TABLE match_reports;
DROP TABLE matches;
DROP TABLE match_entrants;
DROP TABLE match_brackets;
