-- Reactivity: when the person of a referral was first met (an attended appointment or an
-- in-person intervention of the situation it joined), kept at write time like the first contact.
ALTER TABLE referrals ADD COLUMN first_interview_at TIMESTAMP;
ALTER TABLE referrals ADD COLUMN first_interview_delay_minutes INTEGER;
UPDATE referrals SET first_interview_at = (
    SELECT MIN(t) FROM (
        SELECT a.starts_at AS t FROM appointments a
         WHERE a.situation_id = referrals.situation_id AND a.status = 'attended' AND a.starts_at >= referrals.received_at
        UNION ALL
        SELECT i.occurred_at FROM interventions i
         WHERE i.situation_id = referrals.situation_id AND i.in_person AND i.occurred_at >= referrals.received_at
    ))
WHERE situation_id IS NOT NULL;
UPDATE referrals SET first_interview_delay_minutes =
    CAST((julianday(first_interview_at) - julianday(received_at)) * 1440 AS INTEGER)
WHERE first_interview_at IS NOT NULL;
