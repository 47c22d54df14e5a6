//! Diesel's view of the tables; kept in step with both migration folders (a test checks the
//! folders against each other).

diesel::table! {
    organisations (id) {
        id -> Text,
        kind -> Text,
        name -> Text,
        ccas_id -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sites (id) {
        id -> Text,
        ccas_id -> Text,
        name -> Text,
        address -> Nullable<Text>,
        commune -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    site_opening_hours (site_id, weekday, opens_minute) {
        site_id -> Text,
        weekday -> Integer,
        opens_minute -> Integer,
        closes_minute -> Integer,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        organisation_id -> Text,
        login -> Text,
        display_name -> Text,
        password_hash -> Text,
        scopes -> Text,
        active -> Bool,
        created_at -> Timestamp,
        credentials_version -> Integer,
        must_change_password -> Bool,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Text,
        organisation_id -> Text,
        label -> Text,
        secret_hash -> Text,
        scopes -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_subscriptions (id) {
        id -> Text,
        organisation_id -> Text,
        ccas_id -> Text,
        url -> Text,
        events -> Text,
        secret -> Text,
        previous_secret -> Nullable<Text>,
        previous_secret_until -> Nullable<Timestamp>,
        enabled -> Bool,
        disabled_reason -> Nullable<Text>,
        consecutive_failures -> Integer,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_messages (id) {
        id -> Text,
        subscription_id -> Text,
        event_type -> Text,
        payload -> Text,
        created_at -> Timestamp,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        message_id -> Text,
        subscription_id -> Text,
        attempt -> Integer,
        attempted_at -> Timestamp,
        response_status -> Nullable<Integer>,
        error -> Nullable<Text>,
        duration_ms -> Integer,
    }
}

diesel::table! {
    problem_types (code) {
        code -> Text,
        label_fr -> Text,
        position -> Integer,
    }
}

diesel::table! {
    partners (id) {
        id -> Text,
        ccas_id -> Text,
        name -> Text,
        kind -> Text,
        address -> Nullable<Text>,
        commune -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        website -> Nullable<Text>,
        opening_hours -> Nullable<Text>,
        notes -> Nullable<Text>,
        active -> Bool,
        sort_name -> Text,
        search_text -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        source_name -> Nullable<Text>,
        source_id -> Nullable<Text>,
        source_thematiques -> Nullable<Text>,
        source_publics -> Nullable<Text>,
    }
}

diesel::table! {
    partner_themes (partner_id, problem_type) {
        partner_id -> Text,
        problem_type -> Text,
    }
}

diesel::table! {
    partner_publics (partner_id, public) {
        partner_id -> Text,
        public -> Text,
    }
}

diesel::table! {
    referrals (id) {
        id -> Text,
        ccas_id -> Text,
        source -> Text,
        referring_organisation_id -> Nullable<Text>,
        partner_id -> Nullable<Text>,
        agent_reference -> Nullable<Text>,
        procedure_reference -> Nullable<Text>,
        received_at -> Timestamp,
        urgency -> Text,
        summary -> Text,
        judicial_proceedings -> Text,
        status -> Text,
        status_changed_at -> Timestamp,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        situation_id -> Nullable<Text>,
        decline_reason -> Nullable<Text>,
        first_contact_at -> Nullable<Timestamp>,
        first_contact_delay_minutes -> Nullable<Integer>,
        anonymised_at -> Nullable<Timestamp>,
        police_contact -> Nullable<Text>,
        children_exposed -> Text,
        children_count -> Nullable<Integer>,
        first_interview_at -> Nullable<Timestamp>,
        first_interview_delay_minutes -> Nullable<Integer>,
    }
}

diesel::table! {
    referral_problem_types (referral_id, problem_type) {
        referral_id -> Text,
        problem_type -> Text,
    }
}

diesel::table! {
    referral_persons (id) {
        id -> Text,
        referral_id -> Text,
        position -> Integer,
        role -> Text,
        last_name -> Nullable<Text>,
        first_name -> Nullable<Text>,
        birth_date -> Nullable<Date>,
        age -> Nullable<Integer>,
        sex -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        address -> Nullable<Text>,
        commune -> Nullable<Text>,
        safe_to_call -> Text,
        safe_to_text -> Text,
        safe_to_write -> Text,
        safe_contact_note -> Nullable<Text>,
        consent -> Text,
        best_time -> Nullable<Text>,
        best_channel -> Nullable<Text>,
        informed_of_coordination -> Text,
    }
}

diesel::table! {
    referral_status_events (id) {
        id -> Text,
        referral_id -> Text,
        status -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (organisation_id, idempotency_key) {
        organisation_id -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        resource_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        at -> Timestamp,
        actor_sub -> Text,
        organisation_id -> Text,
        scope -> Text,
        action -> Text,
        object_type -> Text,
        object_id -> Nullable<Text>,
        outcome -> Text,
        ccas_id -> Nullable<Text>,
        seq -> Nullable<BigInt>,
        hash -> Nullable<Text>,
        object_ids -> Nullable<Text>,
    }
}

diesel::table! {
    retention_runs (id) {
        id -> Integer,
        last_run_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    safe_contact_changes (id) {
        id -> Text,
        situation_id -> Nullable<Text>,
        person_id -> Text,
        referral_id -> Text,
        at -> Timestamp,
        safe_to_call -> Text,
        safe_to_text -> Text,
        safe_to_write -> Text,
        created_by -> Text,
    }
}

diesel::table! {
    health_checks (id) {
        id -> Integer,
        checked_at -> Timestamp,
    }
}

diesel::table! {
    sign_in_throttles (key) {
        key -> Text,
        failures -> Integer,
        last_failure_at -> Timestamp,
        next_allowed_at -> Timestamp,
    }
}

diesel::table! {
    audit_chain (id) {
        id -> Integer,
        head_seq -> BigInt,
        head_hash -> Text,
        anchor_seq -> BigInt,
        anchor_hash -> Text,
    }
}

diesel::table! {
    audit_objects_indexed (id) {
        id -> Integer,
        through_seq -> BigInt,
    }
}

diesel::table! {
    audit_event_objects (object_id, entry_id) {
        object_id -> Text,
        entry_id -> Text,
    }
}

diesel::table! {
    person_name_terms (ccas_id, term, person_id) {
        ccas_id -> Text,
        term -> Text,
        person_id -> Text,
    }
}

diesel::table! {
    persons (id) {
        id -> Text,
        ccas_id -> Text,
        last_name -> Nullable<Text>,
        first_name -> Nullable<Text>,
        birth_date -> Nullable<Date>,
        birth_year -> Nullable<Integer>,
        sex -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        address -> Nullable<Text>,
        commune -> Nullable<Text>,
        safe_to_call -> Text,
        safe_to_text -> Text,
        safe_to_write -> Text,
        safe_contact_note -> Nullable<Text>,
        name_key -> Text,
        phone_key -> Nullable<Text>,
        lookalike_key -> Nullable<Text>,
        search_text -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        adult_at -> Nullable<Timestamp>,
        first_contact_at -> Nullable<Timestamp>,
        anonymised_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    situations (id) {
        id -> Text,
        ccas_id -> Text,
        status -> Text,
        coordinator_id -> Nullable<Text>,
        judicial_proceedings -> Text,
        opened_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        closing_reason -> Nullable<Text>,
        search_text -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        anonymised_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    situation_problem_types (situation_id, problem_type) {
        situation_id -> Text,
        problem_type -> Text,
    }
}

diesel::table! {
    situation_persons (situation_id, person_id) {
        situation_id -> Text,
        person_id -> Text,
        role -> Text,
        role_detail -> Nullable<Text>,
        added_at -> Timestamp,
    }
}

diesel::table! {
    contact_attempts (id) {
        id -> Text,
        referral_id -> Text,
        at -> Timestamp,
        channel -> Text,
        outcome -> Text,
        note -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notes (id) {
        id -> Text,
        situation_id -> Text,
        author_id -> Text,
        body -> Text,
        private -> Bool,
        corrects_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    appointments (id) {
        id -> Text,
        ccas_id -> Text,
        site_id -> Text,
        coordinator_id -> Text,
        situation_id -> Nullable<Text>,
        person_id -> Nullable<Text>,
        kind -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        status -> Text,
        cancel_reason -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    interventions (id) {
        id -> Text,
        ccas_id -> Text,
        situation_id -> Text,
        kind -> Text,
        occurred_at -> Timestamp,
        duration_minutes -> Nullable<Integer>,
        coordinator_id -> Text,
        partner_id -> Nullable<Text>,
        in_person -> Bool,
        outcome -> Nullable<Text>,
        report_sent_on -> Nullable<Date>,
        report_recipient -> Nullable<Text>,
        created_at -> Timestamp,
        partner_took_over -> Nullable<Text>,
        took_over_on -> Nullable<Date>,
    }
}

diesel::table! {
    intervention_persons (intervention_id, person_id) {
        intervention_id -> Text,
        person_id -> Text,
    }
}

diesel::table! {
    appointment_persons (appointment_id, person_id) {
        appointment_id -> Text,
        person_id -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        scopes -> Text,
        credentials_version -> Integer,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
        end_reason -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Text,
        session_id -> Text,
        issued_at -> Timestamp,
        idle_until -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    brief_contacts (id) {
        id -> Text,
        ccas_id -> Text,
        occurred_at -> Timestamp,
        channel -> Text,
        origin -> Text,
        partner_kind -> Nullable<Text>,
        duration_minutes -> Nullable<Integer>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    brief_contact_problem_types (brief_contact_id, problem_type) {
        brief_contact_id -> Text,
        problem_type -> Text,
    }
}

diesel::joinable!(sites -> organisations (ccas_id));
diesel::joinable!(brief_contact_problem_types -> brief_contacts (brief_contact_id));
diesel::joinable!(appointment_persons -> persons (person_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(situation_persons -> situations (situation_id));
diesel::joinable!(situation_persons -> persons (person_id));
diesel::joinable!(situation_problem_types -> situations (situation_id));
diesel::joinable!(contact_attempts -> referrals (referral_id));
diesel::joinable!(notes -> situations (situation_id));
diesel::joinable!(intervention_persons -> interventions (intervention_id));
diesel::joinable!(site_opening_hours -> sites (site_id));
diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(api_clients -> organisations (organisation_id));
diesel::joinable!(partner_themes -> partners (partner_id));
diesel::joinable!(partner_publics -> partners (partner_id));
diesel::joinable!(referral_problem_types -> referrals (referral_id));
diesel::joinable!(referral_persons -> referrals (referral_id));
diesel::joinable!(referral_status_events -> referrals (referral_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    webhook_subscriptions,
    webhook_messages,
    webhook_deliveries,
    sites,
    site_opening_hours,
    users,
    api_clients,
    problem_types,
    partners,
    partner_themes,
    partner_publics,
    referrals,
    referral_problem_types,
    referral_persons,
    referral_status_events,
    idempotency_keys,
    audit_events,
    audit_chain,
    retention_runs,
    health_checks,
    sign_in_throttles,
    safe_contact_changes,
    audit_event_objects,
    audit_objects_indexed,
    person_name_terms,
    persons,
    situations,
    situation_problem_types,
    situation_persons,
    contact_attempts,
    notes,
    appointments,
    interventions,
    intervention_persons,
    appointment_persons,
    brief_contacts,
    brief_contact_problem_types,
    sessions,
    refresh_tokens,
);
