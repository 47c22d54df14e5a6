ALTER TABLE referrals DROP COLUMN first_interview_delay_minutes;
ALTER TABLE referrals DROP COLUMN first_interview_at;
