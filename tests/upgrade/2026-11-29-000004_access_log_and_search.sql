-- Release 4: an access log entry awaiting its seal, with its trail's CCAS and objects.
INSERT INTO audit_events (id, at, actor_sub, organisation_id, scope, action, object_type, object_id, outcome, ccas_id, seq, hash, object_ids) VALUES
    ('a3000000-0000-4000-8000-000000000002', '2026-01-21 08:00:00', 'claire.martin', '10000000-0000-4000-8000-000000000001', 'ccas', 'situation.read', 'situation',
     '70000000-0000-4000-8000-000000000001', 'success', '10000000-0000-4000-8000-000000000001', NULL, NULL, '70000000-0000-4000-8000-000000000001');
