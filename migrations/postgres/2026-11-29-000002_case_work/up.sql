-- Case work: persons, situations, triage of referrals, notes, appointments, interventions.

CREATE TABLE persons (
    id TEXT PRIMARY KEY NOT NULL,
    ccas_id TEXT NOT NULL REFERENCES organisations (id),
    last_name TEXT,
    first_name TEXT,
    birth_date DATE,
    birth_year INTEGER,
    sex TEXT,
    phone TEXT,
    email TEXT,
    address TEXT,
    commune TEXT,
    safe_to_call TEXT NOT NULL DEFAULT 'unknown',
    safe_to_text TEXT NOT NULL DEFAULT 'unknown',
    safe_to_write TEXT NOT NULL DEFAULT 'unknown',
    safe_contact_note TEXT,
    -- Folded copies for duplicate detection and search (same on both backends).
    name_key TEXT NOT NULL,
    phone_key TEXT,
    search_text TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX persons_by_name ON persons (ccas_id, name_key, id);
CREATE INDEX persons_by_phone ON persons (ccas_id, phone_key);

CREATE TABLE situations (
    id TEXT PRIMARY KEY NOT NULL,
    ccas_id TEXT NOT NULL REFERENCES organisations (id),
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    coordinator_id TEXT REFERENCES users (id),
    judicial_proceedings TEXT NOT NULL CHECK (judicial_proceedings IN ('yes', 'no', 'unknown')),
    opened_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    closing_reason TEXT,
    search_text TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX situations_by_opening ON situations (ccas_id, opened_at, id);
CREATE INDEX situations_by_coordinator ON situations (coordinator_id, opened_at, id);

CREATE TABLE situation_problem_types (
    situation_id TEXT NOT NULL REFERENCES situations (id) ON DELETE CASCADE,
    problem_type TEXT NOT NULL REFERENCES problem_types (code),
    PRIMARY KEY (situation_id, problem_type)
);
CREATE INDEX situation_problem_types_by_type ON situation_problem_types (problem_type, situation_id);

CREATE TABLE situation_persons (
    situation_id TEXT NOT NULL REFERENCES situations (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES persons (id),
    role TEXT NOT NULL CHECK (role IN ('victim', 'alleged_author', 'other')),
    role_detail TEXT,
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (situation_id, person_id)
);
CREATE INDEX situation_persons_by_person ON situation_persons (person_id, situation_id);

ALTER TABLE referrals ADD COLUMN situation_id TEXT REFERENCES situations (id);
ALTER TABLE referrals ADD COLUMN decline_reason TEXT;
CREATE INDEX referrals_by_situation ON referrals (situation_id);

CREATE TABLE contact_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    referral_id TEXT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('phone', 'sms', 'letter', 'in_person')),
    outcome TEXT NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'wrong_number', 'refused')),
    note TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX contact_attempts_by_referral ON contact_attempts (referral_id, at, id);

-- Append-only: a correction is a new note naming the one it corrects.
CREATE TABLE notes (
    id TEXT PRIMARY KEY NOT NULL,
    situation_id TEXT NOT NULL REFERENCES situations (id) ON DELETE CASCADE,
    author_id TEXT NOT NULL,
    body TEXT NOT NULL,
    private BOOLEAN NOT NULL DEFAULT FALSE,
    corrects_id TEXT REFERENCES notes (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX notes_by_situation ON notes (situation_id, created_at, id);

CREATE TABLE appointments (
    id TEXT PRIMARY KEY NOT NULL,
    ccas_id TEXT NOT NULL REFERENCES organisations (id),
    site_id TEXT NOT NULL REFERENCES sites (id),
    coordinator_id TEXT NOT NULL REFERENCES users (id),
    situation_id TEXT REFERENCES situations (id),
    person_id TEXT REFERENCES persons (id),
    kind TEXT NOT NULL CHECK (kind IN ('scheduled', 'emergency', 'phone')),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'attended', 'no_show', 'cancelled')),
    cancel_reason TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (starts_at < ends_at),
    CHECK (situation_id IS NOT NULL OR person_id IS NOT NULL)
);
CREATE INDEX appointments_by_site ON appointments (site_id, starts_at, id);
CREATE INDEX appointments_by_situation ON appointments (situation_id, starts_at);

CREATE TABLE interventions (
    id TEXT PRIMARY KEY NOT NULL,
    ccas_id TEXT NOT NULL REFERENCES organisations (id),
    situation_id TEXT NOT NULL REFERENCES situations (id),
    kind TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    duration_minutes INTEGER,
    coordinator_id TEXT NOT NULL REFERENCES users (id),
    partner_id TEXT REFERENCES partners (id),
    in_person BOOLEAN NOT NULL DEFAULT FALSE,
    outcome TEXT,
    report_sent_on DATE,
    report_recipient TEXT,
    created_at TIMESTAMP NOT NULL,
    CHECK ((kind = 'orientation') = (partner_id IS NOT NULL))
);
CREATE INDEX interventions_by_situation ON interventions (situation_id, occurred_at, id);
CREATE INDEX interventions_by_ccas ON interventions (ccas_id, occurred_at, id);

CREATE TABLE intervention_persons (
    intervention_id TEXT NOT NULL REFERENCES interventions (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES persons (id),
    PRIMARY KEY (intervention_id, person_id)
);
CREATE INDEX intervention_persons_by_person ON intervention_persons (person_id);

-- No two planned, non-emergency appointments of one coordinator overlap: the database decides,
-- so two racing bookings cannot both win. (SQLite does the same with triggers.)
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE appointments ADD CONSTRAINT appointments_no_overlap EXCLUDE USING gist (
    coordinator_id WITH =,
    tsrange(starts_at, ends_at) WITH &&
) WHERE (status = 'planned' AND kind <> 'emergency');
