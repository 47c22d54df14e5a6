-- Release 8: an appointment with two persons of the file, and a browser session with its
-- refresh token.
INSERT INTO appointments (id, ccas_id, site_id, coordinator_id, situation_id, person_id, kind, starts_at, ends_at, status,
        cancel_reason, version, created_at, updated_at) VALUES
    ('80000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001',
     '70000000-0000-4000-8000-000000000001', NULL, 'phone', '2026-02-05 14:00:00', '2026-02-05 14:30:00', 'attended', NULL, 2,
     '2026-02-04 11:00:00', '2026-02-05 14:30:00');
INSERT INTO appointment_persons (appointment_id, person_id) VALUES
    ('80000000-0000-4000-8000-000000000003', '60000000-0000-4000-8000-000000000001'),
    ('80000000-0000-4000-8000-000000000003', '60000000-0000-4000-8000-000000000003');
INSERT INTO sessions (id, user_id, scopes, credentials_version, created_at, expires_at, ended_at, end_reason) VALUES
    ('a5000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001', 'ccas', 0, '2026-02-05 08:00:00',
     '2026-02-05 20:00:00', '2026-02-05 12:00:00', 'signed_out');
INSERT INTO refresh_tokens (token_hash, session_id, issued_at, idle_until, used_at) VALUES
    ('5d41402abc4b2a76b9719d911017c592aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'a5000000-0000-4000-8000-000000000001',
     '2026-02-05 08:00:00', '2026-02-05 08:30:00', NULL);
