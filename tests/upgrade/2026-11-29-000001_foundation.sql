-- Release 1: two CCAS and their units, a site and its hours, a coordinator, an API client of
-- brigade A (secret "upgrade-test-secret-0001"), a partner with its themes and publics, a
-- referral from brigade A with its person, problem type and status event, its idempotency
-- key, and an access log entry.
INSERT INTO organisations (id, kind, name, ccas_id, active, created_at) VALUES
    ('10000000-0000-4000-8000-000000000001', 'ccas', 'CCAS A', NULL, TRUE, '2026-01-05 08:00:00'),
    ('10000000-0000-4000-8000-000000000005', 'ccas', 'CCAS B', NULL, TRUE, '2026-01-05 08:00:00');
INSERT INTO organisations (id, kind, name, ccas_id, active, created_at) VALUES
    ('10000000-0000-4000-8000-000000000002', 'gendarmerie', 'Brigade A', '10000000-0000-4000-8000-000000000001', TRUE, '2026-01-05 08:01:00'),
    ('10000000-0000-4000-8000-000000000003', 'gendarmerie', 'Brigade A2', '10000000-0000-4000-8000-000000000001', TRUE, '2026-01-05 08:02:00'),
    ('10000000-0000-4000-8000-000000000004', 'police_municipale', 'Police municipale A', '10000000-0000-4000-8000-000000000001', TRUE, '2026-01-05 08:03:00'),
    ('10000000-0000-4000-8000-000000000006', 'gendarmerie', 'Brigade B', '10000000-0000-4000-8000-000000000005', TRUE, '2026-01-05 08:04:00');

INSERT INTO sites (id, ccas_id, name, address, commune, created_at, updated_at) VALUES
    ('20000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'Brigade de Villeneuve',
     '1 rue de la Gare', 'Villeneuve', '2026-01-05 09:00:00', '2026-01-05 09:00:00');
INSERT INTO site_opening_hours (site_id, weekday, opens_minute, closes_minute) VALUES
    ('20000000-0000-4000-8000-000000000001', 1, 540, 720),
    ('20000000-0000-4000-8000-000000000001', 1, 840, 1020),
    ('20000000-0000-4000-8000-000000000001', 3, 540, 720);

INSERT INTO users (id, organisation_id, login, display_name, password_hash, scopes, active, created_at) VALUES
    ('30000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'claire.martin', 'Claire Martin',
     '$argon2id$v=19$m=19456,t=2,p=1$VuYeI5jTVJzG9DUyGwLuLg$Wqn5xUJg96yWSKyfOJysBOQdaVKVXA1U9pe3hbULr28', 'ccas', TRUE, '2026-01-05 09:10:00');

INSERT INTO api_clients (id, organisation_id, label, secret_hash, scopes, active, created_at) VALUES
    ('31000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002', 'Logiciel de la brigade',
     'e93f940af3d11cf5b58c07e144f92390f929962a31d9aebb66cd1c7a70390b4e', 'gendarmerie', TRUE, '2026-01-05 09:20:00');

INSERT INTO partners (id, ccas_id, name, kind, address, commune, phone, email, website, opening_hours, notes, active,
        sort_name, search_text, version, created_at, updated_at) VALUES
    ('40000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'France Victimes 77', 'victim_support',
     '3 place du Marché', 'Villeneuve', '01 60 00 00 00', 'accueil@fv77.example', 'https://fv77.example', 'lundi-vendredi 9h-17h',
     'Permanence le mardi.', TRUE, 'france victimes 77', 'france victimes 77', 1, '2026-01-05 10:00:00', '2026-01-05 10:00:00');
INSERT INTO partner_themes (partner_id, problem_type) VALUES
    ('40000000-0000-4000-8000-000000000001', 'domestic_violence'),
    ('40000000-0000-4000-8000-000000000001', 'harassment');
INSERT INTO partner_publics (partner_id, public) VALUES ('40000000-0000-4000-8000-000000000001', 'adults');

INSERT INTO referrals (id, ccas_id, source, referring_organisation_id, partner_id, agent_reference, procedure_reference,
        received_at, urgency, summary, judicial_proceedings, status, status_changed_at, created_by, created_at, updated_at, version) VALUES
    ('50000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'gendarmerie',
     '10000000-0000-4000-8000-000000000002', NULL, 'MDL Dubois', 'PV 2026/0012', '2026-01-12 07:30:00', 'urgent',
     'Intervention au domicile pour dispute conjugale.', 'yes', 'received', '2026-01-12 07:30:00',
     'client:31000000-0000-4000-8000-000000000001', '2026-01-12 07:30:00', '2026-01-12 07:30:00', 1);
INSERT INTO referral_problem_types (referral_id, problem_type) VALUES
    ('50000000-0000-4000-8000-000000000001', 'domestic_violence');
INSERT INTO referral_persons (id, referral_id, position, role, last_name, first_name, birth_date, age, sex, phone, email,
        address, commune, safe_to_call, safe_to_text, safe_to_write, safe_contact_note, consent) VALUES
    ('51000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001', 0, 'victim', 'Lefèvre', 'Sophie',
     '1988-04-02', NULL, 'female', '06 12 34 56 78', NULL, NULL, 'Villeneuve', 'yes', 'no', 'unknown',
     'Appeler après 18 h.', 'given');
INSERT INTO referral_status_events (id, referral_id, status, at) VALUES
    ('52000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001', 'received', '2026-01-12 07:30:00');
INSERT INTO idempotency_keys (organisation_id, idempotency_key, request_hash, resource_id, created_at) VALUES
    ('10000000-0000-4000-8000-000000000002', 'brigade-0012', 'b1e5c2', '50000000-0000-4000-8000-000000000001', '2026-01-12 07:30:00');
INSERT INTO audit_events (id, at, actor_sub, organisation_id, scope, action, object_type, object_id, outcome) VALUES
    ('a3000000-0000-4000-8000-000000000001', '2026-01-12 07:30:01', 'client:31000000-0000-4000-8000-000000000001',
     '10000000-0000-4000-8000-000000000002', 'gendarmerie', 'referral.create', 'referral', '50000000-0000-4000-8000-000000000001', 'success');
