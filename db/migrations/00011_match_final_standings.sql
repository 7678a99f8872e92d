-- Match: the final standings of a completed tournament, stored in the transaction that
-- completes it (ratings and season points are computed from them).

-- +goose Up
CREATE TABLE match_final_standings (
    tournament_id   uuid NOT NULL REFERENCES match_brackets (tournament_id) ON DELETE CASCADE,
    seed            integer NOT NULL,
    registration_id uuid NOT NULL,
    rank            integer NOT NULL,
    wins            integer NOT NULL,
    losses          integer NOT NULL,
    draws           integer NOT NULL,
    PRIMARY KEY (tournament_id, seed)
);

-- +goose Down
DROP TABLE match_final_standings;
