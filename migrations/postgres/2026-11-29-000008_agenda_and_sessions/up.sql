-- The persons an appointment expects (the agenda shows their names). The appointment's
-- `person_id`, when set, is among them.
CREATE TABLE appointment_persons (
    appointment_id TEXT NOT NULL REFERENCES appointments (id),
    person_id TEXT NOT NULL REFERENCES persons (id),
    PRIMARY KEY (appointment_id, person_id)
);
CREATE INDEX appointment_persons_by_person ON appointment_persons (person_id);
INSERT INTO appointment_persons (appointment_id, person_id)
    SELECT id, person_id FROM appointments WHERE person_id IS NOT NULL;

-- A user's signed-in session in a browser: one family of one-time refresh tokens (RFC 6749 §6).
-- A token presented twice ends the whole session (`end_reason` = 'reuse').
CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    scopes TEXT NOT NULL,
    credentials_version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP,
    end_reason TEXT
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
-- Only SHA-256 hashes of the tokens are stored.
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    issued_at TIMESTAMP NOT NULL,
    idle_until TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);
