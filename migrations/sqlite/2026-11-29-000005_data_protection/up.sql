-- Data protection: credentials that revoke tokens, retention marks, and the access log's
-- filters for administrators.

-- A password change or reset bumps the version; tokens carry the version they were issued
-- under, and an older one is refused at once.
ALTER TABLE users ADD COLUMN credentials_version INTEGER NOT NULL DEFAULT 0;
-- A password set by an administrator is changed by its owner at the first sign-in.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

-- When retention erased what identifies: the rows stay, for the figures.
ALTER TABLE situations ADD COLUMN anonymised_at TIMESTAMP;
ALTER TABLE persons ADD COLUMN anonymised_at TIMESTAMP;
ALTER TABLE referrals ADD COLUMN anonymised_at TIMESTAMP;
-- Retention looks for closed files and settled referrals, oldest first.
CREATE INDEX situations_closed ON situations (closed_at) WHERE status = 'closed' AND anonymised_at IS NULL;
CREATE INDEX referrals_settled ON referrals (status_changed_at) WHERE status <> 'accepted' AND anonymised_at IS NULL;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

-- The administrators' filters over their trail.
CREATE INDEX audit_events_by_action ON audit_events (ccas_id, action, at, id);
CREATE INDEX audit_events_by_outcome ON audit_events (ccas_id, outcome, at, id);

-- One retention run at a time across instances: the row is the lock, and says when the last
-- run finished.
CREATE TABLE retention_runs (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    last_run_at TIMESTAMP
);
INSERT INTO retention_runs (id, last_run_at) VALUES (1, NULL);
