-- Release 14: brigade A's webhook subscription, a delivered message and its attempt.
INSERT INTO webhook_subscriptions (id, organisation_id, ccas_id, url, events, secret, previous_secret, previous_secret_until,
        enabled, disabled_reason, consecutive_failures, version, created_at, updated_at) VALUES
    ('a7000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 'https://brigade.example/relais',
     'referral.status_changed', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', NULL, NULL, TRUE, NULL, 0, 1,
     '2026-03-10 09:00:00', '2026-03-10 09:00:00');
INSERT INTO webhook_messages (id, subscription_id, event_type, payload, created_at, status, attempts, next_attempt_at, delivered_at) VALUES
    ('msg_a8000000000040008000000000000001', 'a7000000-0000-4000-8000-000000000001', 'referral.status_changed',
     '{"type":"referral.status_changed","timestamp":"2026-03-10T10:00:00Z","data":{"id":"50000000-0000-4000-8000-000000000004","status":"contact_attempted"}}',
     '2026-03-10 10:00:00', 'delivered', 1, '2026-03-10 10:00:00', '2026-03-10 10:00:01');
INSERT INTO webhook_deliveries (id, message_id, subscription_id, attempt, attempted_at, response_status, error, duration_ms) VALUES
    ('a9000000-0000-4000-8000-000000000001', 'msg_a8000000000040008000000000000001', 'a7000000-0000-4000-8000-000000000001',
     1, '2026-03-10 10:00:01', 204, NULL, 85);
