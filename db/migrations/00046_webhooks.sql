-- Webhooks (module webhook): endpoints that organizers and admins register, the events the
-- dispatcher matched to each (one message per endpoint and event, in log order), and every
-- attempt to deliver one.

-- +goose Up
CREATE TABLE webhook_endpoints (
    id                    uuid PRIMARY KEY,
    owner_id              uuid NOT NULL REFERENCES users (id),
    -- all: every public event (an admin's endpoint); organized: the events of the owner's
    -- tournaments, public and participants'.
    scope                 text NOT NULL CHECK (scope IN ('all', 'organized')),
    url                   text NOT NULL CHECK (length(url) <= 2048),
    event_types           text[] NOT NULL, -- empty: every type
    tournament_id         uuid,
    -- The log's head when the endpoint was made: it receives what follows.
    after                 text NOT NULL,
    description           text NOT NULL CHECK (length(description) <= 500),
    secret                text NOT NULL,
    -- After a rotation the old secret signs alongside the new one until previous_until.
    previous_secret       text,
    previous_until        timestamptz,
    -- A deliver job is queued or running: the dispatcher queues one only when none is.
    scheduled             boolean NOT NULL DEFAULT false,
    job_id                bigint, -- that job, to wake it early (a manual retry, a resumption)
    -- Since when every attempt failed (null: the last one succeeded); five days of it
    -- disable the endpoint.
    failing_since         timestamptz,
    disabled_at           timestamptz,
    disabled_reason       text,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    CHECK ((disabled_at IS NULL) = (disabled_reason IS NULL))
);
CREATE INDEX webhook_endpoints_owner_idx ON webhook_endpoints (owner_id, created_at, id);

-- What the endpoint is to receive, in the order of seq (the log's order: one dispatcher at a
-- time assigns it). pending until delivered, or failed once the retries are spent.
CREATE TABLE webhook_messages (
    seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id     uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id        text NOT NULL, -- the event's cursor: the webhook-id receivers deduplicate by
    event_type      text NOT NULL,
    body            jsonb NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_messages_pending_idx ON webhook_messages (endpoint_id, seq) WHERE status = 'pending';

CREATE TABLE webhook_attempts (
    id            uuid PRIMARY KEY,
    endpoint_id   uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    message_seq   bigint REFERENCES webhook_messages (seq) ON DELETE CASCADE, -- null: a ping
    event_id      text NOT NULL,
    event_type    text NOT NULL,
    attempt       integer NOT NULL,
    succeeded     boolean NOT NULL,
    status_code   integer,
    latency_ms    integer NOT NULL,
    error         text,
    response      text NOT NULL,
    next_retry_at timestamptz,
    created_at    timestamptz NOT NULL
);
CREATE INDEX webhook_attempts_endpoint_idx ON webhook_attempts (endpoint_id, created_at DESC, id DESC);

-- How far the dispatcher has matched the log (one row; an event cursor, '' before the first).
CREATE TABLE webhook_dispatch (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    after    text NOT NULL
);
INSERT INTO webhook_dispatch (after) VALUES ('');

-- +goose Down
DROP TABLE webhook_dispatch;
DROP TABLE webhook_attempts;
DROP TABLE webhook_messages;
DROP TABLE webhook_endpoints;
