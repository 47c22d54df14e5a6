DROP INDEX situations_met;
DROP INDEX appointments_by_ccas;
ALTER TABLE referrals DROP COLUMN first_contact_delay_minutes;
ALTER TABLE referrals DROP COLUMN first_contact_at;
ALTER TABLE persons DROP COLUMN first_contact_at;
ALTER TABLE persons DROP COLUMN adult_at;
