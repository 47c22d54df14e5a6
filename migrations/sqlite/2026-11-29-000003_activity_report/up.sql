-- Activity report: facts kept at write time so that figures are aggregated by the database
-- with the same SQL on both backends.

-- When the person comes of age: their 18th birthday, or, when only the birth year is known,
-- the first day of the following year (counted a minor during the whole year they turn 18).
ALTER TABLE persons ADD COLUMN adult_at TIMESTAMP;
-- Their first contact: the earliest attended appointment or in-person intervention.
ALTER TABLE persons ADD COLUMN first_contact_at TIMESTAMP;

-- The first contact attempt of a referral, and how long after its receipt it came.
ALTER TABLE referrals ADD COLUMN first_contact_at TIMESTAMP;
ALTER TABLE referrals ADD COLUMN first_contact_delay_minutes INTEGER;

CREATE INDEX appointments_by_ccas ON appointments (ccas_id, starts_at, id);
-- Situations met in a period: answered from the index alone.
CREATE INDEX situations_met ON situations (ccas_id, opened_at, closed_at, id);
