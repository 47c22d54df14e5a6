-- Release 7: a safe-contact answer brought by a later referral, kept for the coordinators.
INSERT INTO safe_contact_changes (id, situation_id, person_id, referral_id, at, safe_to_call, safe_to_text, safe_to_write, created_by) VALUES
    ('a4000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000001', '60000000-0000-4000-8000-000000000001',
     '50000000-0000-4000-8000-000000000002', '2026-02-04 10:00:00', 'no', 'yes', 'unknown', 'client:31000000-0000-4000-8000-000000000001');
