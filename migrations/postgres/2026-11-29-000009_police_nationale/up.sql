-- Commissariats de police nationale refer people as gendarmerie units do.
ALTER TABLE organisations DROP CONSTRAINT organisations_kind_check;
ALTER TABLE organisations ADD CONSTRAINT organisations_kind_check
    CHECK (kind IN ('ccas', 'gendarmerie', 'police_municipale', 'police_nationale'));
ALTER TABLE referrals DROP CONSTRAINT referrals_source_check;
ALTER TABLE referrals ADD CONSTRAINT referrals_source_check
    CHECK (source IN ('gendarmerie', 'police_municipale', 'police_nationale', 'partner', 'walk_in', 'proactive'));
