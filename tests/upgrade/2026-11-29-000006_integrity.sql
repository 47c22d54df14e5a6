-- Release 6: a sign-in throttle, and a person with a look-alike key.
INSERT INTO sign_in_throttles (key, failures, last_failure_at, next_allowed_at) VALUES
    ('login:inconnu', 2, '2026-02-03 08:00:00', '2026-02-03 08:00:02');
INSERT INTO persons (id, ccas_id, last_name, first_name, birth_date, birth_year, sex, phone, email, address, commune,
        safe_to_call, safe_to_text, safe_to_write, safe_contact_note, name_key, phone_key, search_text, version, created_at, updated_at,
        adult_at, first_contact_at, anonymised_at, lookalike_key) VALUES
    ('60000000-0000-4000-8000-000000000004', '10000000-0000-4000-8000-000000000001', 'Durand', 'Hélène', NULL, 1960, 'female', '01 23 45 67 89', NULL, NULL, 'Villeneuve',
     'yes', 'yes', 'yes', NULL, 'durand|helene', '+33123456789', 'durand helene helene durand', 1, '2026-02-03 09:00:00',
     '2026-02-03 09:00:00', '1979-01-01 00:00:00', '2026-02-03 09:00:00', NULL, 'durand|helene');
INSERT INTO situation_persons (situation_id, person_id, role, role_detail, added_at) VALUES
    ('70000000-0000-4000-8000-000000000002', '60000000-0000-4000-8000-000000000004', 'victim', NULL, '2026-02-03 09:00:00');
