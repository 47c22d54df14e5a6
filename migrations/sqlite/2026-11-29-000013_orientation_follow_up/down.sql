ALTER TABLE interventions DROP COLUMN took_over_on;
ALTER TABLE interventions DROP COLUMN partner_took_over;
