-- Release 5: a closed file, a user who must change a password set by an administrator.
INSERT INTO situations (id, ccas_id, status, coordinator_id, judicial_proceedings, opened_at, closed_at, closing_reason,
        search_text, version, created_at, updated_at, anonymised_at) VALUES
    ('70000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 'closed', '30000000-0000-4000-8000-000000000001', 'no',
     '2026-01-22 10:00:00', '2026-02-02 16:00:00', 'resolved', '', 2, '2026-01-22 10:00:00', '2026-02-02 16:00:00', NULL);
INSERT INTO situation_problem_types (situation_id, problem_type) VALUES ('70000000-0000-4000-8000-000000000002', 'neighbour_dispute');
INSERT INTO users (id, organisation_id, login, display_name, password_hash, scopes, active, created_at, credentials_version, must_change_password) VALUES
    ('30000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 'paul.admin', 'Paul Bernard',
     '$argon2id$v=19$m=19456,t=2,p=1$VuYeI5jTVJzG9DUyGwLuLg$Wqn5xUJg96yWSKyfOJysBOQdaVKVXA1U9pe3hbULr28', 'ccas admin', TRUE,
     '2026-02-01 09:00:00', 1, TRUE);
