-- Foundation: organisations, sites, accounts, reference data, partners, referrals, audit.
-- Ids are random UUIDs stored as text; times are UTC without zone.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('ccas', 'gendarmerie', 'police_municipale')),
    name TEXT NOT NULL,
    ccas_id TEXT REFERENCES organisations (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    CHECK ((kind = 'ccas') = (ccas_id IS NULL))
);
CREATE INDEX organisations_by_name ON organisations (name, id);
CREATE INDEX organisations_by_ccas ON organisations (ccas_id, name, id);

CREATE TABLE sites (
    id TEXT PRIMARY KEY NOT NULL,
    ccas_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    address TEXT,
    commune TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX sites_by_ccas ON sites (ccas_id, name, id);

-- Weekly opening ranges in Europe/Paris local time; weekday 1 = Monday ... 7 = Sunday.
CREATE TABLE site_opening_hours (
    site_id TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens_minute INTEGER NOT NULL CHECK (opens_minute BETWEEN 0 AND 1439),
    closes_minute INTEGER NOT NULL CHECK (closes_minute BETWEEN 1 AND 1440),
    PRIMARY KEY (site_id, weekday, opens_minute),
    CHECK (opens_minute < closes_minute)
);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX users_by_organisation ON users (organisation_id, login, id);

CREATE TABLE api_clients (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    label TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX api_clients_by_organisation ON api_clients (organisation_id, created_at, id);

CREATE TABLE problem_types (
    code TEXT PRIMARY KEY NOT NULL,
    label_fr TEXT NOT NULL,
    position INTEGER NOT NULL
);
INSERT INTO problem_types (code, label_fr, position) VALUES
    ('domestic_violence', 'Violences conjugales', 1),
    ('conflictual_separation', 'Séparation conflictuelle', 2),
    ('child_at_risk', 'Mineur en danger', 3),
    ('family_conflict', 'Conflit familial', 4),
    ('neighbour_dispute', 'Conflit de voisinage', 5),
    ('mental_distress', 'Souffrance psychique', 6),
    ('addiction', 'Addiction', 7),
    ('housing_precarity', 'Précarité, logement', 8),
    ('vulnerable_adult', 'Personne vulnérable', 9),
    ('harassment', 'Harcèlement', 10),
    ('runaway_minor', 'Fugue de mineur', 11),
    ('other', 'Autre', 12);

CREATE TABLE partners (
    id TEXT PRIMARY KEY NOT NULL,
    ccas_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    address TEXT,
    commune TEXT,
    phone TEXT,
    email TEXT,
    website TEXT,
    opening_hours TEXT,
    notes TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    -- Lower-case, accent-free copies, so that search behaves the same on both backends.
    sort_name TEXT NOT NULL,
    search_text TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX partners_by_name ON partners (ccas_id, sort_name, id);

CREATE TABLE partner_themes (
    partner_id TEXT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    problem_type TEXT NOT NULL REFERENCES problem_types (code),
    PRIMARY KEY (partner_id, problem_type)
);
CREATE INDEX partner_themes_by_type ON partner_themes (problem_type, partner_id);

CREATE TABLE partner_publics (
    partner_id TEXT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    public TEXT NOT NULL,
    PRIMARY KEY (partner_id, public)
);

CREATE TABLE referrals (
    id TEXT PRIMARY KEY NOT NULL,
    ccas_id TEXT NOT NULL REFERENCES organisations (id),
    source TEXT NOT NULL CHECK (source IN ('gendarmerie', 'police_municipale', 'partner', 'walk_in', 'proactive')),
    referring_organisation_id TEXT REFERENCES organisations (id),
    partner_id TEXT REFERENCES partners (id),
    agent_reference TEXT,
    procedure_reference TEXT,
    received_at TIMESTAMP NOT NULL,
    urgency TEXT NOT NULL CHECK (urgency IN ('normal', 'urgent')),
    summary TEXT NOT NULL,
    judicial_proceedings TEXT NOT NULL CHECK (judicial_proceedings IN ('yes', 'no', 'unknown')),
    status TEXT NOT NULL CHECK (status IN ('received', 'contact_attempted', 'accepted', 'declined')),
    status_changed_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX referrals_by_ccas ON referrals (ccas_id, received_at, id);
CREATE INDEX referrals_by_referrer ON referrals (referring_organisation_id, received_at, id);

CREATE TABLE referral_problem_types (
    referral_id TEXT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    problem_type TEXT NOT NULL REFERENCES problem_types (code),
    PRIMARY KEY (referral_id, problem_type)
);

CREATE TABLE referral_persons (
    id TEXT PRIMARY KEY NOT NULL,
    referral_id TEXT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('victim', 'alleged_author', 'other')),
    last_name TEXT,
    first_name TEXT,
    birth_date DATE,
    age INTEGER,
    sex TEXT,
    phone TEXT,
    email TEXT,
    address TEXT,
    commune TEXT,
    safe_to_call TEXT NOT NULL DEFAULT 'unknown',
    safe_to_text TEXT NOT NULL DEFAULT 'unknown',
    safe_to_write TEXT NOT NULL DEFAULT 'unknown',
    safe_contact_note TEXT,
    consent TEXT NOT NULL CHECK (consent IN ('given', 'refused', 'not_required', 'unknown'))
);
CREATE INDEX referral_persons_by_referral ON referral_persons (referral_id, position);

CREATE TABLE referral_status_events (
    id TEXT PRIMARY KEY NOT NULL,
    referral_id TEXT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX referral_status_events_by_referral ON referral_status_events (referral_id, at, id);

-- A retried creation returns the first answer: the key maps to the resource it created.
CREATE TABLE idempotency_keys (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (organisation_id, idempotency_key)
);

-- Who read or wrote what, when: ids only, never a name or a note.
CREATE TABLE audit_events (
    id TEXT PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_sub TEXT NOT NULL,
    organisation_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT,
    outcome TEXT NOT NULL
);
CREATE INDEX audit_events_by_time ON audit_events (at, id);
CREATE INDEX audit_events_by_organisation ON audit_events (organisation_id, at, id);
