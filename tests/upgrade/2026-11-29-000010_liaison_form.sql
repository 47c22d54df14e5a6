-- Release 10: a referral on the liaison form (police contact, exposed children, best time).
INSERT INTO referrals (id, ccas_id, source, referring_organisation_id, partner_id, agent_reference, procedure_reference,
        received_at, urgency, summary, judicial_proceedings, status, status_changed_at, created_by, created_at, updated_at, version,
        police_contact, children_exposed, children_count) VALUES
    ('50000000-0000-4000-8000-000000000004', '10000000-0000-4000-8000-000000000001', 'police_municipale', '10000000-0000-4000-8000-000000000004', NULL, 'ASVP Roux',
     NULL, '2026-03-02 18:45:00', 'urgent', 'Cris entendus par les voisins, deux enfants au domicile.', 'unknown', 'received',
     '2026-03-02 18:45:00', 'police-municipale', '2026-03-02 18:45:00', '2026-03-02 18:45:00', 1, 'home_call_out', 'yes', 2);
INSERT INTO referral_problem_types (referral_id, problem_type) VALUES
    ('50000000-0000-4000-8000-000000000004', 'domestic_violence'),
    ('50000000-0000-4000-8000-000000000004', 'child_at_risk');
INSERT INTO referral_persons (id, referral_id, position, role, last_name, first_name, birth_date, age, sex, phone, email,
        address, commune, safe_to_call, safe_to_text, safe_to_write, safe_contact_note, consent, best_time, best_channel,
        informed_of_coordination) VALUES
    ('51000000-0000-4000-8000-000000000004', '50000000-0000-4000-8000-000000000004', 0, 'victim', 'Petit', 'Nadia',
     NULL, 29, 'female', '07 00 00 00 01', NULL, NULL, 'Villeneuve', 'yes', 'yes', 'no', NULL, 'given', 'le matin', 'sms', 'yes');
INSERT INTO referral_status_events (id, referral_id, status, at) VALUES
    ('52000000-0000-4000-8000-000000000005', '50000000-0000-4000-8000-000000000004', 'received', '2026-03-02 18:45:00');
