-- Webhooks (Standard Webhooks 1.0) for the units' software: subscriptions, a transactional
-- outbox of messages (written with the change they announce), and the log of each attempt.
CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    ccas_id TEXT NOT NULL REFERENCES organisations (id),
    url TEXT NOT NULL,
    -- Event types, space-separated.
    events TEXT NOT NULL,
    -- `whsec_` + base64: the key must be readable to sign with it.
    secret TEXT NOT NULL,
    -- The secret before a rotation, still signing until `previous_secret_until`.
    previous_secret TEXT,
    previous_secret_until TIMESTAMP,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    disabled_reason TEXT CHECK (disabled_reason IN ('failing', 'owner', 'admin')),
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_subscriptions_by_organisation ON webhook_subscriptions (organisation_id, created_at, id);
CREATE INDEX webhook_subscriptions_by_ccas ON webhook_subscriptions (ccas_id, created_at, id);

CREATE TABLE webhook_messages (
    -- `msg_` + uuid: the `webhook-id` header, the same on every retry.
    id TEXT PRIMARY KEY NOT NULL,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    -- When a worker may take it: the next retry, or the end of a worker's lease on it.
    next_attempt_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP
);
CREATE INDEX webhook_messages_due ON webhook_messages (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_messages_by_subscription ON webhook_messages (subscription_id);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    message_id TEXT NOT NULL REFERENCES webhook_messages (id) ON DELETE CASCADE,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    attempted_at TIMESTAMP NOT NULL,
    -- The receiver's HTTP status, or null when no answer came (see `error`).
    response_status INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, attempted_at, id);
CREATE INDEX webhook_deliveries_by_message ON webhook_deliveries (message_id);
