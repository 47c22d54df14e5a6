-- Release 13: an orientation whose partner took over.
INSERT INTO interventions (id, ccas_id, situation_id, kind, occurred_at, duration_minutes, coordinator_id, partner_id, in_person,
        outcome, report_sent_on, report_recipient, created_at, partner_took_over, took_over_on) VALUES
    ('90000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000002', 'orientation', '2026-01-25 11:00:00',
     NULL, '30000000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-000000000001', FALSE, NULL, NULL, NULL,
     '2026-01-25 11:00:00', 'yes', '2026-02-01');
