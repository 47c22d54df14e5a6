DROP INDEX partners_by_source;
ALTER TABLE partners DROP COLUMN source_publics;
ALTER TABLE partners DROP COLUMN source_thematiques;
ALTER TABLE partners DROP COLUMN source_id;
ALTER TABLE partners DROP COLUMN source_name;
