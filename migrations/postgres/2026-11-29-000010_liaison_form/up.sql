-- The liaison form, complete: the police contact that led to the referral, children present or
-- exposed, and for each person when and how to reach them and whether they were told about the
-- coordinators.
ALTER TABLE referrals ADD COLUMN police_contact TEXT
    CHECK (police_contact IN ('home_call_out', 'complaint', 'main_courante', 'hearing', 'other'));
ALTER TABLE referrals ADD COLUMN children_exposed TEXT NOT NULL DEFAULT 'unknown'
    CHECK (children_exposed IN ('yes', 'no', 'unknown'));
ALTER TABLE referrals ADD COLUMN children_count INTEGER CHECK (children_count BETWEEN 1 AND 20);
ALTER TABLE referral_persons ADD COLUMN best_time TEXT;
ALTER TABLE referral_persons ADD COLUMN best_channel TEXT CHECK (best_channel IN ('phone', 'sms', 'letter', 'in_person'));
ALTER TABLE referral_persons ADD COLUMN informed_of_coordination TEXT NOT NULL DEFAULT 'unknown'
    CHECK (informed_of_coordination IN ('yes', 'no', 'unknown'));
