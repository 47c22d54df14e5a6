ALTER TABLE referral_persons DROP COLUMN informed_of_coordination;
ALTER TABLE referral_persons DROP COLUMN best_channel;
ALTER TABLE referral_persons DROP COLUMN best_time;
ALTER TABLE referrals DROP COLUMN children_count;
ALTER TABLE referrals DROP COLUMN children_exposed;
ALTER TABLE referrals DROP COLUMN police_contact;
