-- The access log becomes a hash chain sealed in batches, and gains the trail it belongs to;
-- list filters and name search get indexes that scale.

-- The CCAS whose trail holds the entry (the owner of what was reached, not always the actor's).
ALTER TABLE audit_events ADD COLUMN ccas_id TEXT;
-- Position in the chain and the entry's hash, set when the entry is sealed.
ALTER TABLE audit_events ADD COLUMN seq BIGINT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;
-- Every object the entry reached (the one it names, each person a list, a search or a file
-- showed), sorted and space-separated: hashed with the entry.
ALTER TABLE audit_events ADD COLUMN object_ids TEXT;
UPDATE audit_events SET object_ids = object_id;
UPDATE audit_events SET ccas_id = (
    SELECT COALESCE(o.ccas_id, o.id) FROM organisations o WHERE o.id = audit_events.organisation_id
);
-- Each index costs every entry an insert: the trail's and the actor's serve the
-- administrators' filters, the chain's order serves verification and purging.
DROP INDEX audit_events_by_organisation;
DROP INDEX audit_events_by_time;
CREATE UNIQUE INDEX audit_events_by_seq ON audit_events (seq);
CREATE INDEX audit_events_unsealed ON audit_events (at, id) WHERE seq IS NULL;
CREATE INDEX audit_events_by_trail ON audit_events (ccas_id, at, id);
CREATE INDEX audit_events_by_actor ON audit_events (ccas_id, actor_sub, at, id);

-- Who reached this object, and when: the entries' object_ids, one row each, indexed by the
-- writer in large batches behind the chain (random keys written one batch at a time cost a
-- page each; `audit_objects_indexed` says how far it got, so a crash loses nothing, and its
-- row is the indexers' lock, apart from the chain's head).
CREATE TABLE audit_event_objects (
    object_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    PRIMARY KEY (object_id, entry_id)
);
CREATE TABLE audit_objects_indexed (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    through_seq BIGINT NOT NULL
);
INSERT INTO audit_objects_indexed (id, through_seq) VALUES (1, 0);

-- The head of the chain (one row), and the anchor left by purging: the last purged entry.
CREATE TABLE audit_chain (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    head_seq BIGINT NOT NULL,
    head_hash TEXT NOT NULL,
    anchor_seq BIGINT NOT NULL,
    anchor_hash TEXT NOT NULL
);
INSERT INTO audit_chain (id, head_seq, head_hash, anchor_seq, anchor_hash) VALUES (
    1, 0, '0000000000000000000000000000000000000000000000000000000000000000',
    0, '0000000000000000000000000000000000000000000000000000000000000000'
);

-- The inbox and the units' polling filter by status; the other filters each get their index.
CREATE INDEX referrals_by_status ON referrals (ccas_id, status, received_at, id);
CREATE INDEX referrals_by_source ON referrals (ccas_id, source, received_at, id);
CREATE INDEX referrals_by_urgency ON referrals (ccas_id, urgency, received_at, id);
CREATE INDEX referrals_by_referrer_status ON referrals (referring_organisation_id, status, received_at, id);
CREATE INDEX situations_by_status ON situations (ccas_id, status, opened_at, id);
CREATE INDEX interventions_by_coordinator ON interventions (coordinator_id, occurred_at, id);
CREATE INDEX partners_by_kind ON partners (ccas_id, kind, sort_name, id);

-- Name search: each folded word of a person's names, searched by prefix through the index.
CREATE TABLE person_name_terms (
    ccas_id TEXT NOT NULL,
    term TEXT COLLATE "C" NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    PRIMARY KEY (ccas_id, term, person_id)
);
CREATE INDEX person_name_terms_by_person ON person_name_terms (person_id);
