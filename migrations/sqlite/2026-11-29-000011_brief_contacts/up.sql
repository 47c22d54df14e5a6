-- Brief anonymous contacts: a call for advice, someone who gives no name. Counted without a
-- named file: no identity is stored, only what the activity report counts.
CREATE TABLE brief_contacts (
    id TEXT PRIMARY KEY NOT NULL,
    ccas_id TEXT NOT NULL REFERENCES organisations (id),
    occurred_at TIMESTAMP NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('phone', 'sms', 'letter', 'in_person')),
    origin TEXT NOT NULL
        CHECK (origin IN ('gendarmerie', 'police_municipale', 'police_nationale', 'partner', 'walk_in', 'proactive')),
    partner_kind TEXT,
    duration_minutes INTEGER CHECK (duration_minutes BETWEEN 1 AND 480),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX brief_contacts_by_ccas ON brief_contacts (ccas_id, occurred_at, id);
CREATE TABLE brief_contact_problem_types (
    brief_contact_id TEXT NOT NULL REFERENCES brief_contacts (id) ON DELETE CASCADE,
    problem_type TEXT NOT NULL REFERENCES problem_types (code),
    PRIMARY KEY (brief_contact_id, problem_type)
);
