-- Release 2: persons and a file (situation) for a second referral, accepted after a contact
-- attempt; a note; an appointment attended and one planned; an orientation to the partner and
-- a first listening in person.
INSERT INTO persons (id, ccas_id, last_name, first_name, birth_date, birth_year, sex, phone, email, address, commune,
        safe_to_call, safe_to_text, safe_to_write, safe_contact_note, name_key, phone_key, search_text, version, created_at, updated_at) VALUES
    ('60000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'Lefèvre', 'Sophie', '1988-04-02', 1988, 'female', '06 12 34 56 78', NULL,
     '4 allée des Tilleuls', 'Villeneuve', 'yes', 'no', 'unknown', 'Appeler après 18 h.', 'lefevre|sophie', '+33612345678',
     'lefevre sophie sophie lefevre', 1, '2026-01-13 15:00:00', '2026-01-13 15:00:00'),
    ('60000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 'Lefèvre', 'Marc', NULL, 1985, 'male', NULL, NULL, NULL, 'Villeneuve',
     'unknown', 'unknown', 'unknown', NULL, 'lefevre|marc', NULL, 'lefevre marc marc lefevre', 1, '2026-01-13 15:00:00', '2026-01-13 15:00:00');

INSERT INTO situations (id, ccas_id, status, coordinator_id, judicial_proceedings, opened_at, closed_at, closing_reason,
        search_text, version, created_at, updated_at) VALUES
    ('70000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'open', '30000000-0000-4000-8000-000000000001', 'yes',
     '2026-01-13 15:00:00', NULL, NULL, 'lefevre sophie lefevre marc', 1, '2026-01-13 15:00:00', '2026-01-13 15:00:00');
INSERT INTO situation_problem_types (situation_id, problem_type) VALUES
    ('70000000-0000-4000-8000-000000000001', 'domestic_violence');
INSERT INTO situation_persons (situation_id, person_id, role, role_detail, added_at) VALUES
    ('70000000-0000-4000-8000-000000000001', '60000000-0000-4000-8000-000000000001', 'victim', NULL, '2026-01-13 15:00:00'),
    ('70000000-0000-4000-8000-000000000001', '60000000-0000-4000-8000-000000000002', 'alleged_author', 'conjoint', '2026-01-13 15:00:00');

INSERT INTO referrals (id, ccas_id, source, referring_organisation_id, partner_id, agent_reference, procedure_reference,
        received_at, urgency, summary, judicial_proceedings, status, status_changed_at, created_by, created_at, updated_at, version,
        situation_id, decline_reason) VALUES
    ('50000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 'gendarmerie', '10000000-0000-4000-8000-000000000002', NULL, 'MDL Dubois',
     'PV 2026/0013', '2026-01-13 10:00:00', 'normal', 'Main courante pour menaces.', 'yes', 'accepted', '2026-01-13 15:00:00',
     'client:31000000-0000-4000-8000-000000000001', '2026-01-13 10:00:00', '2026-01-13 15:00:00', 3,
     '70000000-0000-4000-8000-000000000001', NULL);
INSERT INTO referral_problem_types (referral_id, problem_type) VALUES ('50000000-0000-4000-8000-000000000002', 'domestic_violence');
INSERT INTO referral_persons (id, referral_id, position, role, last_name, first_name, birth_date, age, sex, phone, email,
        address, commune, safe_to_call, safe_to_text, safe_to_write, safe_contact_note, consent) VALUES
    ('51000000-0000-4000-8000-000000000002', '50000000-0000-4000-8000-000000000002', 0, 'victim', 'Lefèvre', 'Sophie',
     '1988-04-02', NULL, 'female', '06 12 34 56 78', NULL, NULL, 'Villeneuve', 'yes', 'no', 'unknown', NULL, 'given');
INSERT INTO referral_status_events (id, referral_id, status, at) VALUES
    ('52000000-0000-4000-8000-000000000002', '50000000-0000-4000-8000-000000000002', 'received', '2026-01-13 10:00:00'),
    ('52000000-0000-4000-8000-000000000003', '50000000-0000-4000-8000-000000000002', 'contact_attempted', '2026-01-13 11:00:00'),
    ('52000000-0000-4000-8000-000000000004', '50000000-0000-4000-8000-000000000002', 'accepted', '2026-01-13 15:00:00');
INSERT INTO contact_attempts (id, referral_id, at, channel, outcome, note, created_by, created_at) VALUES
    ('a2000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000002', '2026-01-13 11:00:00', 'phone', 'no_answer',
     NULL, 'claire.martin', '2026-01-13 11:00:00');
INSERT INTO notes (id, situation_id, author_id, body, private, corrects_id, created_at) VALUES
    ('a1000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001',
     'Premier entretien prévu jeudi.', FALSE, NULL, '2026-01-13 15:05:00');

INSERT INTO appointments (id, ccas_id, site_id, coordinator_id, situation_id, person_id, kind, starts_at, ends_at, status,
        cancel_reason, version, created_at, updated_at) VALUES
    ('80000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001',
     '70000000-0000-4000-8000-000000000001', '60000000-0000-4000-8000-000000000001', 'scheduled', '2026-01-14 09:00:00',
     '2026-01-14 10:00:00', 'attended', NULL, 2, '2026-01-13 15:10:00', '2026-01-14 10:00:00'),
    ('80000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001',
     '70000000-0000-4000-8000-000000000001', '60000000-0000-4000-8000-000000000001', 'scheduled', '2027-03-01 09:00:00',
     '2027-03-01 10:00:00', 'planned', NULL, 1, '2026-01-14 10:05:00', '2026-01-14 10:05:00');

INSERT INTO interventions (id, ccas_id, situation_id, kind, occurred_at, duration_minutes, coordinator_id, partner_id, in_person,
        outcome, report_sent_on, report_recipient, created_at) VALUES
    ('90000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000001', 'first_listening', '2026-01-14 09:30:00',
     45, '30000000-0000-4000-8000-000000000001', NULL, TRUE, NULL, NULL, NULL, '2026-01-14 10:00:00'),
    ('90000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', '70000000-0000-4000-8000-000000000001', 'orientation', '2026-01-14 10:00:00',
     NULL, '30000000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-000000000001', FALSE, NULL, NULL, NULL, '2026-01-14 10:00:00');
INSERT INTO intervention_persons (intervention_id, person_id) VALUES
    ('90000000-0000-4000-8000-000000000001', '60000000-0000-4000-8000-000000000001'),
    ('90000000-0000-4000-8000-000000000002', '60000000-0000-4000-8000-000000000001');
