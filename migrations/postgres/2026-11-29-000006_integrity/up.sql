-- Readiness: /health/ready commits a write here, so that a database that can no longer write
-- (disk full, read-only, a standby) makes the probe fail.
CREATE TABLE health_checks (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    checked_at TIMESTAMP NOT NULL
);
INSERT INTO health_checks (id, checked_at) VALUES (1, CURRENT_TIMESTAMP);

-- Sign-in throttling, shared by every instance: one row per throttled key (a login, a client
-- address, or the pair), holding hashes, never the login or the address themselves.
CREATE TABLE sign_in_throttles (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at TIMESTAMP NOT NULL,
    next_allowed_at TIMESTAMP NOT NULL
);
CREATE INDEX sign_in_throttles_by_age ON sign_in_throttles (last_failure_at);

-- The duplicate-person check compares names by their confusable skeleton (UTS #39), computed
-- by the server and backfilled for the persons already held, with their E.164 phone keys.
ALTER TABLE persons ADD COLUMN lookalike_key TEXT;
CREATE INDEX persons_by_lookalike ON persons (ccas_id, lookalike_key);
