-- Release 3: the first contact of the accepted referral, and a minor's coming of age.
UPDATE referrals SET first_contact_at = '2026-01-13 11:00:00', first_contact_delay_minutes = 60
    WHERE id = '50000000-0000-4000-8000-000000000002';
INSERT INTO persons (id, ccas_id, last_name, first_name, birth_date, birth_year, sex, phone, email, address, commune,
        safe_to_call, safe_to_text, safe_to_write, safe_contact_note, name_key, phone_key, search_text, version, created_at, updated_at,
        adult_at, first_contact_at) VALUES
    ('60000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001', 'Lefèvre', 'Léa', '2012-09-10', 2012, 'female', NULL, NULL, NULL, 'Villeneuve',
     'unknown', 'unknown', 'unknown', NULL, 'lefevre|lea', NULL, 'lefevre lea lea lefevre', 1, '2026-01-20 09:00:00', '2026-01-20 09:00:00',
     '2030-09-10 00:00:00', '2026-01-20 09:00:00');
INSERT INTO situation_persons (situation_id, person_id, role, role_detail, added_at) VALUES
    ('70000000-0000-4000-8000-000000000001', '60000000-0000-4000-8000-000000000003', 'other', 'enfant', '2026-01-20 09:00:00');
