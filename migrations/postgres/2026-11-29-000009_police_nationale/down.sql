ALTER TABLE referrals DROP CONSTRAINT referrals_source_check;
ALTER TABLE referrals ADD CONSTRAINT referrals_source_check
    CHECK (source IN ('gendarmerie', 'police_municipale', 'partner', 'walk_in', 'proactive'));
ALTER TABLE organisations DROP CONSTRAINT organisations_kind_check;
ALTER TABLE organisations ADD CONSTRAINT organisations_kind_check
    CHECK (kind IN ('ccas', 'gendarmerie', 'police_municipale'));
