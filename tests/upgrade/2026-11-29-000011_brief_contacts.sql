-- Release 11: a brief contact, counted without a file.
INSERT INTO brief_contacts (id, ccas_id, occurred_at, channel, origin, partner_kind, duration_minutes, created_by, created_at) VALUES
    ('a6000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', '2026-03-03 10:15:00', 'phone', 'walk_in', NULL, 10, 'claire.martin', '2026-03-03 10:30:00');
INSERT INTO brief_contact_problem_types (brief_contact_id, problem_type) VALUES ('a6000000-0000-4000-8000-000000000001', 'housing_precarity');
