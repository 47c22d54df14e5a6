-- When a referral names a person already known, the safer safe-contact answer wins channel by
-- channel; each such change is kept, for the file's timeline.
CREATE TABLE safe_contact_changes (
    id TEXT PRIMARY KEY NOT NULL,
    situation_id TEXT REFERENCES situations (id),
    person_id TEXT NOT NULL REFERENCES persons (id),
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    at TIMESTAMP NOT NULL,
    safe_to_call TEXT NOT NULL,
    safe_to_text TEXT NOT NULL,
    safe_to_write TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX safe_contact_changes_by_situation ON safe_contact_changes (situation_id, at, id);
