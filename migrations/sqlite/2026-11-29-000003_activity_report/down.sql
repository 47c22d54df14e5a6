DROP INDEX appointments_by_person;
DROP INDEX situations_by_closing;
DROP INDEX appointments_by_ccas;
ALTER TABLE referrals DROP COLUMN first_contact_delay_minutes;
ALTER TABLE referrals DROP COLUMN first_contact_at;
ALTER TABLE persons DROP COLUMN adult_at;
