-- Orientations followed through: whether the partner took the person in charge, and when.
ALTER TABLE interventions ADD COLUMN partner_took_over TEXT CHECK (partner_took_over IN ('yes', 'no', 'unknown'));
ALTER TABLE interventions ADD COLUMN took_over_on DATE;
UPDATE interventions SET partner_took_over = 'unknown' WHERE kind = 'orientation';
