-- Partners imported from a data·inclusion file: where they came from (the producer's `source`
-- and the structure's `id`, so that a second import updates rather than duplicates), and the
-- file's own categories, kept as they were beside Relais's kind, themes and publics.
ALTER TABLE partners ADD COLUMN source_name TEXT;
ALTER TABLE partners ADD COLUMN source_id TEXT;
ALTER TABLE partners ADD COLUMN source_thematiques TEXT;
ALTER TABLE partners ADD COLUMN source_publics TEXT;
CREATE UNIQUE INDEX partners_by_source ON partners (ccas_id, source_name, source_id);
