-- Release 15: a partner imported from data·inclusion.
INSERT INTO partners (id, ccas_id, name, kind, address, commune, phone, email, website, opening_hours, notes, active,
        sort_name, search_text, version, created_at, updated_at, source_name, source_id, source_thematiques, source_publics) VALUES
    ('40000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 'Point Justice de Villeneuve', 'legal_aid', NULL, 'Villeneuve', '+33160000001',
     NULL, NULL, NULL, NULL, TRUE, 'point justice de villeneuve', 'point justice de villeneuve', 1, '2026-03-15 09:00:00',
     '2026-03-15 09:00:00', 'dora', 'pj-villeneuve', 'acces-aux-droits-et-citoyennete', 'tous-publics');
