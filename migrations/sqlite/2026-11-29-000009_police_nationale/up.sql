-- Commissariats de police nationale refer people as gendarmerie units do. SQLite cannot alter a
-- CHECK constraint: the two tables are rebuilt (https://sqlite.org/lang_altertable.html#otheralter),
-- foreign keys off meanwhile and checked before the commit.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE organisations_new (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('ccas', 'gendarmerie', 'police_municipale', 'police_nationale')),
    name TEXT NOT NULL,
    ccas_id TEXT REFERENCES organisations (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    CHECK ((kind = 'ccas') = (ccas_id IS NULL))
);
INSERT INTO organisations_new (id, kind, name, ccas_id, active, created_at)
    SELECT id, kind, name, ccas_id, active, created_at FROM organisations;
DROP TABLE organisations;
ALTER TABLE organisations_new RENAME TO organisations;
CREATE INDEX organisations_by_name ON organisations (name, id);
CREATE INDEX organisations_by_ccas ON organisations (ccas_id, name, id);
CREATE TABLE referrals_new (
    id TEXT PRIMARY KEY NOT NULL,
    ccas_id TEXT NOT NULL REFERENCES organisations (id),
    source TEXT NOT NULL CHECK (source IN ('gendarmerie', 'police_municipale', 'police_nationale', 'partner', 'walk_in', 'proactive')),
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
    version INTEGER NOT NULL DEFAULT 1,
    situation_id TEXT REFERENCES situations (id),
    decline_reason TEXT,
    first_contact_at TIMESTAMP,
    first_contact_delay_minutes INTEGER,
    anonymised_at TIMESTAMP
);
INSERT INTO referrals_new (id, ccas_id, source, referring_organisation_id, partner_id, agent_reference, procedure_reference,
        received_at, urgency, summary, judicial_proceedings, status, status_changed_at, created_by, created_at, updated_at,
        version, situation_id, decline_reason, first_contact_at, first_contact_delay_minutes, anonymised_at)
    SELECT id, ccas_id, source, referring_organisation_id, partner_id, agent_reference, procedure_reference,
        received_at, urgency, summary, judicial_proceedings, status, status_changed_at, created_by, created_at, updated_at,
        version, situation_id, decline_reason, first_contact_at, first_contact_delay_minutes, anonymised_at FROM referrals;
DROP TABLE referrals;
ALTER TABLE referrals_new RENAME TO referrals;
CREATE INDEX referrals_by_ccas ON referrals (ccas_id, received_at, id);
CREATE INDEX referrals_by_referrer ON referrals (referring_organisation_id, received_at, id);
CREATE INDEX referrals_by_situation ON referrals (situation_id);
CREATE INDEX referrals_by_status ON referrals (ccas_id, status, received_at, id);
CREATE INDEX referrals_by_source ON referrals (ccas_id, source, received_at, id);
CREATE INDEX referrals_by_urgency ON referrals (ccas_id, urgency, received_at, id);
CREATE INDEX referrals_by_referrer_status ON referrals (referring_organisation_id, status, received_at, id);
CREATE INDEX referrals_settled ON referrals (status_changed_at) WHERE status <> 'accepted' AND anonymised_at IS NULL;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
