-- Release 9: a commissariat de police nationale and its referral.
INSERT INTO organisations (id, kind, name, ccas_id, active, created_at) VALUES
    ('10000000-0000-4000-8000-000000000007', 'police_nationale', 'Commissariat A', '10000000-0000-4000-8000-000000000001', TRUE, '2026-02-10 08:00:00');
INSERT INTO referrals (id, ccas_id, source, referring_organisation_id, partner_id, agent_reference, procedure_reference,
        received_at, urgency, summary, judicial_proceedings, status, status_changed_at, created_by, created_at, updated_at, version,
        situation_id, decline_reason, first_contact_at, first_contact_delay_minutes, anonymised_at) VALUES
    ('50000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001', 'police_nationale', '10000000-0000-4000-8000-000000000007', NULL, 'GPX Morel',
     NULL, '2026-02-11 22:10:00', 'normal', 'Personne âgée isolée, signalée par la patrouille.', 'no', 'declined',
     '2026-02-12 10:00:00', 'commissariat', '2026-02-11 22:10:00', '2026-02-12 10:00:00', 2, NULL, 'out_of_scope', NULL, NULL, NULL);
INSERT INTO referral_problem_types (referral_id, problem_type) VALUES ('50000000-0000-4000-8000-000000000003', 'vulnerable_adult');
INSERT INTO referral_persons (id, referral_id, position, role, last_name, first_name, birth_date, age, sex, phone, email,
        address, commune, safe_to_call, safe_to_text, safe_to_write, safe_contact_note, consent) VALUES
    ('51000000-0000-4000-8000-000000000003', '50000000-0000-4000-8000-000000000003', 0, 'other', 'Garnier', 'Louis',
     NULL, 84, 'male', NULL, NULL, NULL, 'Villeneuve', 'unknown', 'unknown', 'unknown', NULL, 'not_required');
