-- +goose Up
-- The event log (module events): every state change appends its events in its own
-- transaction. Readers see one total order that never changes: (txid, id), where txid is
-- the appending transaction's id (pg_current_xact_id, as a bigint) and id orders the events
-- of one transaction. A reader returns only events whose txid is below the xmin of its
-- snapshot: every transaction below xmin has ended, and every transaction still to commit
-- has a txid at or above it, so no event can later appear before one already returned —
-- the bigserial gap (a later id committing first) cannot make a reader skip anything.
CREATE TABLE events (
    txid            bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    id              bigint GENERATED ALWAYS AS IDENTITY,
    type            text NOT NULL CHECK (type ~ '^[a-z]+(_[a-z]+)*\.[a-z]+(_[a-z]+)*$'),
    -- public: anyone; participants: the tournament's entrants, staff and organizer (and
    -- admins); user: user_id alone (wallet events reach their owner only).
    visibility      text NOT NULL CHECK (visibility IN ('public', 'participants', 'user')),
    tournament_id   uuid,
    match_id        uuid,
    registration_id uuid,
    user_id         uuid,
    payload         jsonb NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (txid, id),
    CHECK (visibility <> 'user' OR user_id IS NOT NULL),
    CHECK (visibility <> 'participants' OR tournament_id IS NOT NULL)
);
-- Feed and stream filtered by tournament (Feed with tournament_id).
CREATE INDEX events_tournament_idx ON events (tournament_id, txid, id);
-- Retention (PurgeEvents) deletes by age.
CREATE INDEX events_created_idx ON events (created_at);

-- Where retention has deleted through: a cursor before it asks for events that are gone
-- (410), not for an empty page. One row.
CREATE TABLE event_retention (
    only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    purged_txid bigint NOT NULL,
    purged_id   bigint NOT NULL
);
INSERT INTO event_retention (purged_txid, purged_id) VALUES (0, 0);

-- One notification per appending transaction (Postgres folds equal payloads of one
-- transaction into one, delivered at commit): it wakes every process's stream hub at no
-- extra round trip for the writer.
-- +goose StatementBegin
CREATE FUNCTION events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('arena_events', '');
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION events_notify();

-- +goose Down
DROP TRIGGER events_notify ON events;
DROP FUNCTION events_notify;
DROP TABLE event_retention;
DROP TABLE events;
