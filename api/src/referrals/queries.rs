//! Storing referrals and loading them, with their persons, problem types, status history
//! and referring organisation in one query each for a whole page.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::{NewReferral, ReferralStatus, Source};
use super::views::{CcasReferral, ContactAttempt, OrganisationRef, ReferralPerson, StatusChange};
use crate::db::DbConnection;
use crate::db::schema::{contact_attempts, organisations, referral_persons, referral_problem_types, referral_status_events, referrals};
use crate::error::{ApiError, ApiResult};

/// A referral whose origin has been resolved from the caller.
pub struct NewReferralRecord {
    pub ccas_id: String,
    pub source: Source,
    pub referring_organisation_id: Option<String>,
    pub created_by: String,
    pub received_at: NaiveDateTime,
    pub body: NewReferral,
}

pub fn insert_referral(conn: &mut DbConnection, record: &NewReferralRecord, now: NaiveDateTime) -> ApiResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    let body = &record.body;
    let status = ReferralStatus::Received.as_str();
    diesel::insert_into(referrals::table)
        .values((
            referrals::id.eq(&id),
            referrals::ccas_id.eq(&record.ccas_id),
            referrals::source.eq(record.source.as_str()),
            referrals::referring_organisation_id.eq(&record.referring_organisation_id),
            referrals::partner_id.eq(&body.partner_id),
            referrals::agent_reference.eq(&body.agent_reference),
            referrals::procedure_reference.eq(&body.procedure_reference),
            referrals::received_at.eq(record.received_at),
            referrals::urgency.eq(body.urgency.as_str()),
            referrals::summary.eq(&body.summary),
            referrals::judicial_proceedings.eq(body.judicial_proceedings.as_str()),
            referrals::police_contact.eq(body.police_contact.map(|c| c.as_str())),
            referrals::children_exposed.eq(body.children_exposed.as_str()),
            referrals::children_count.eq(body.children_count),
            referrals::status.eq(status),
            referrals::status_changed_at.eq(record.received_at),
            referrals::created_by.eq(&record.created_by),
            referrals::created_at.eq(now),
            referrals::updated_at.eq(now),
        ))
        .execute(conn)?;
    let mut types = body.problem_types.clone();
    types.sort();
    types.dedup();
    for code in &types {
        diesel::insert_into(referral_problem_types::table)
            .values((referral_problem_types::referral_id.eq(&id), referral_problem_types::problem_type.eq(code)))
            .execute(conn)?;
    }
    for (position, p) in body.persons.iter().enumerate() {
        diesel::insert_into(referral_persons::table)
            .values((
                referral_persons::id.eq(uuid::Uuid::new_v4().to_string()),
                referral_persons::referral_id.eq(&id),
                referral_persons::position.eq(position as i32),
                referral_persons::role.eq(p.role.as_str()),
                referral_persons::last_name.eq(&p.last_name),
                referral_persons::first_name.eq(&p.first_name),
                referral_persons::birth_date.eq(p.birth_date),
                referral_persons::age.eq(p.age),
                referral_persons::sex.eq(p.sex.map(|s| s.as_str())),
                referral_persons::phone.eq(&p.phone),
                referral_persons::email.eq(&p.email),
                referral_persons::address.eq(&p.address),
                referral_persons::commune.eq(&p.commune),
                referral_persons::safe_to_call.eq(p.safe_contact.call.as_str()),
                referral_persons::safe_to_text.eq(p.safe_contact.text.as_str()),
                referral_persons::safe_to_write.eq(p.safe_contact.write.as_str()),
                referral_persons::safe_contact_note.eq(&p.safe_contact.note),
                referral_persons::consent.eq(p.consent.as_str()),
                referral_persons::best_time.eq(&p.best_time),
                referral_persons::best_channel.eq(p.best_channel.map(|c| c.as_str())),
                referral_persons::informed_of_coordination.eq(p.informed_of_coordination.as_str()),
            ))
            .execute(conn)?;
    }
    record_status_event(conn, &id, ReferralStatus::Received, record.received_at)?;
    Ok(id)
}

/// Records a contact attempt (the status change is the caller's decision).
pub fn record_contact_attempt(
    conn: &mut DbConnection,
    id: &str,
    at: NaiveDateTime,
    attempt: &super::models::NewContactAttempt,
    by: &str,
    now: NaiveDateTime,
) -> ApiResult<()> {
    use crate::db::schema::contact_attempts as c;
    diesel::insert_into(c::table)
        .values((
            c::id.eq(uuid::Uuid::new_v4().to_string()),
            c::referral_id.eq(id),
            c::at.eq(at),
            c::channel.eq(attempt.channel.as_str()),
            c::outcome.eq(attempt.outcome.as_str()),
            c::note.eq(&attempt.note),
            c::created_by.eq(by),
            c::created_at.eq(now),
        ))
        .execute(conn)?;
    // The first attempt fixes the delay to first contact (a later attempt dated earlier too).
    let received_at: NaiveDateTime = referrals::table.find(id).select(referrals::received_at).first(conn)?;
    let delay = i32::try_from((at - received_at).num_minutes().max(0)).unwrap_or(i32::MAX);
    diesel::update(referrals::table.find(id).filter(referrals::first_contact_at.is_null().or(referrals::first_contact_at.gt(at))))
        .set((referrals::first_contact_at.eq(at), referrals::first_contact_delay_minutes.eq(delay)))
        .execute(conn)?;
    Ok(())
}

/// The person of a situation was met at `at` (an attended appointment, an in-person
/// intervention): the referrals that fed the situation before then and knew no earlier
/// interview keep it, with its delay, for the report's reactivity figures.
pub fn record_interview(conn: &mut DbConnection, situation_id: &str, at: NaiveDateTime) -> ApiResult<()> {
    let waiting: Vec<(String, NaiveDateTime)> = referrals::table
        .filter(referrals::situation_id.eq(situation_id))
        .filter(referrals::received_at.le(at))
        .filter(referrals::first_interview_at.is_null().or(referrals::first_interview_at.gt(at)))
        .select((referrals::id, referrals::received_at))
        .load(conn)?;
    for (id, received_at) in waiting {
        let delay = i32::try_from((at - received_at).num_minutes().max(0)).unwrap_or(i32::MAX);
        diesel::update(referrals::table.find(&id))
            .set((referrals::first_interview_at.eq(at), referrals::first_interview_delay_minutes.eq(delay)))
            .execute(conn)?;
    }
    Ok(())
}

/// A referral joining a situation already under way: its first interview is the earliest one
/// of the situation since it was received.
fn interview_since(conn: &mut DbConnection, id: &str, situation_id: &str) -> ApiResult<()> {
    use crate::db::schema::{appointments, interventions};
    let received_at: NaiveDateTime = referrals::table.find(id).select(referrals::received_at).first(conn)?;
    let attended: Option<NaiveDateTime> = appointments::table
        .filter(appointments::situation_id.eq(situation_id))
        .filter(appointments::status.eq("attended"))
        .filter(appointments::starts_at.ge(received_at))
        .select(diesel::dsl::min(appointments::starts_at))
        .first(conn)?;
    let met: Option<NaiveDateTime> = interventions::table
        .filter(interventions::situation_id.eq(situation_id))
        .filter(interventions::in_person.eq(true))
        .filter(interventions::occurred_at.ge(received_at))
        .select(diesel::dsl::min(interventions::occurred_at))
        .first(conn)?;
    match attended.into_iter().chain(met).min() {
        Some(first) => record_interview(conn, situation_id, first),
        None => Ok(()),
    }
}

pub fn decline(
    conn: &mut DbConnection,
    id: &str,
    reason: super::models::DeclineReason,
    at: NaiveDateTime,
    now: NaiveDateTime,
) -> ApiResult<()> {
    diesel::update(referrals::table.find(id)).set(referrals::decline_reason.eq(reason.as_str())).execute(conn)?;
    change_status(conn, id, ReferralStatus::Declined, at, now)
}

/// Marks a referral accepted into `situation_id`.
pub fn accept_into(conn: &mut DbConnection, id: &str, situation_id: &str, at: NaiveDateTime, now: NaiveDateTime) -> ApiResult<()> {
    diesel::update(referrals::table.find(id)).set(referrals::situation_id.eq(situation_id)).execute(conn)?;
    interview_since(conn, id, situation_id)?;
    change_status(conn, id, ReferralStatus::Accepted, at, now)
}

/// Moves a referral to `status`, keeping the date of each status for the referring agency.
/// (Triage has already held the row and counted the new version.)
/// `at` is when the step happened (perhaps earlier, as the coordinator says), `now` when it is
/// recorded.
pub fn change_status(conn: &mut DbConnection, id: &str, status: ReferralStatus, at: NaiveDateTime, now: NaiveDateTime) -> ApiResult<()> {
    diesel::update(referrals::table.find(id))
        .set((referrals::status.eq(status.as_str()), referrals::status_changed_at.eq(at), referrals::updated_at.eq(now)))
        .execute(conn)?;
    record_status_event(conn, id, status, at)?;
    // Told to the unit's software with the change, or not at all (the same transaction).
    crate::webhooks::outbox::referral_status_changed(conn, id, status, at, now)
}

fn record_status_event(conn: &mut DbConnection, id: &str, status: ReferralStatus, at: NaiveDateTime) -> ApiResult<()> {
    diesel::insert_into(referral_status_events::table)
        .values((
            referral_status_events::id.eq(uuid::Uuid::new_v4().to_string()),
            referral_status_events::referral_id.eq(id),
            referral_status_events::status.eq(status.as_str()),
            referral_status_events::at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = referrals)]
pub struct ReferralRow {
    pub id: String,
    pub ccas_id: String,
    pub source: String,
    pub referring_organisation_id: Option<String>,
    pub partner_id: Option<String>,
    pub agent_reference: Option<String>,
    pub procedure_reference: Option<String>,
    pub received_at: NaiveDateTime,
    pub urgency: String,
    pub summary: String,
    pub judicial_proceedings: String,
    pub status: String,
    pub status_changed_at: NaiveDateTime,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    pub situation_id: Option<String>,
    pub decline_reason: Option<String>,
    pub police_contact: Option<String>,
    pub children_exposed: String,
    pub children_count: Option<i32>,
}

/// A referral's person as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = referral_persons)]
struct PersonRow {
    referral_id: String,
    role: String,
    last_name: Option<String>,
    first_name: Option<String>,
    birth_date: Option<chrono::NaiveDate>,
    age: Option<i32>,
    sex: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    address: Option<String>,
    commune: Option<String>,
    safe_to_call: String,
    safe_to_text: String,
    safe_to_write: String,
    safe_contact_note: Option<String>,
    consent: String,
    best_time: Option<String>,
    best_channel: Option<String>,
    informed_of_coordination: String,
}

impl PersonRow {
    fn view(self) -> ApiResult<ReferralPerson> {
        use super::models::{Answer, Consent, ContactChannel, Role, SafeContact, Safety, Sex};
        Ok(ReferralPerson {
            role: Role::parse(&self.role)?,
            last_name: self.last_name,
            first_name: self.first_name,
            birth_date: self.birth_date,
            age: self.age,
            sex: self.sex.as_deref().map(Sex::parse).transpose()?,
            phone: self.phone,
            email: self.email,
            address: self.address,
            commune: self.commune,
            safe_contact: SafeContact {
                call: Safety::parse(&self.safe_to_call)?,
                text: Safety::parse(&self.safe_to_text)?,
                write: Safety::parse(&self.safe_to_write)?,
                note: self.safe_contact_note,
            },
            consent: Consent::parse(&self.consent)?,
            best_time: self.best_time,
            best_channel: self.best_channel.as_deref().map(ContactChannel::parse).transpose()?,
            informed_of_coordination: Answer::parse(&self.informed_of_coordination)?,
        })
    }
}

/// Everything a view is built from.
pub struct Loaded {
    pub row: ReferralRow,
    pub persons: Vec<ReferralPerson>,
    pub problem_types: Vec<String>,
    pub history: Vec<StatusChange>,
    pub referrer: Option<OrganisationRef>,
    pub attempts: Vec<ContactAttempt>,
}

/// Loads the details of `rows`, keeping their order: four queries whatever the page size.
pub fn load_details(conn: &mut DbConnection, rows: Vec<ReferralRow>) -> ApiResult<Vec<Loaded>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut persons: HashMap<String, Vec<ReferralPerson>> = HashMap::new();
    let person_rows: Vec<PersonRow> = referral_persons::table
        .filter(referral_persons::referral_id.eq_any(&ids))
        .order((referral_persons::referral_id, referral_persons::position))
        .select(PersonRow::as_select())
        .load(conn)?;
    for row in person_rows {
        let referral_id = row.referral_id.clone();
        persons.entry(referral_id).or_default().push(row.view()?);
    }
    let mut types: HashMap<String, Vec<String>> = HashMap::new();
    for (referral_id, code) in referral_problem_types::table
        .filter(referral_problem_types::referral_id.eq_any(&ids))
        .order(referral_problem_types::problem_type)
        .select((referral_problem_types::referral_id, referral_problem_types::problem_type))
        .load::<(String, String)>(conn)?
    {
        types.entry(referral_id).or_default().push(code);
    }
    let mut history: HashMap<String, Vec<StatusChange>> = HashMap::new();
    for (referral_id, status, at) in referral_status_events::table
        .filter(referral_status_events::referral_id.eq_any(&ids))
        .order((referral_status_events::at, referral_status_events::id))
        .select((referral_status_events::referral_id, referral_status_events::status, referral_status_events::at))
        .load::<(String, String, NaiveDateTime)>(conn)?
    {
        history.entry(referral_id).or_default().push(StatusChange { status: ReferralStatus::parse(&status)?, at });
    }
    let org_ids: Vec<&str> = rows.iter().filter_map(|r| r.referring_organisation_id.as_deref()).collect();
    let mut referrers: HashMap<String, OrganisationRef> = HashMap::new();
    for (id, kind, name) in organisations::table
        .filter(organisations::id.eq_any(&org_ids))
        .select((organisations::id, organisations::kind, organisations::name))
        .load::<(String, String, String)>(conn)?
    {
        let kind = kind.parse().map_err(ApiError::internal)?;
        referrers.insert(id.clone(), OrganisationRef { id, kind, name });
    }
    let mut attempts: HashMap<String, Vec<ContactAttempt>> = HashMap::new();
    for (referral_id, id, at, channel, outcome, note, created_by) in contact_attempts::table
        .filter(contact_attempts::referral_id.eq_any(&ids))
        .order((contact_attempts::at, contact_attempts::id))
        .select((
            contact_attempts::referral_id,
            contact_attempts::id,
            contact_attempts::at,
            contact_attempts::channel,
            contact_attempts::outcome,
            contact_attempts::note,
            contact_attempts::created_by,
        ))
        .load::<(String, String, NaiveDateTime, String, String, Option<String>, String)>(conn)?
    {
        use super::models::{ContactChannel, ContactOutcome};
        let attempt = ContactAttempt {
            id,
            at,
            channel: ContactChannel::parse(&channel)?,
            outcome: ContactOutcome::parse(&outcome)?,
            note,
            created_by,
        };
        attempts.entry(referral_id).or_default().push(attempt);
    }
    Ok(rows
        .into_iter()
        .map(|row| Loaded {
            attempts: attempts.remove(&row.id).unwrap_or_default(),
            persons: persons.remove(&row.id).unwrap_or_default(),
            problem_types: types.remove(&row.id).unwrap_or_default(),
            history: history.remove(&row.id).unwrap_or_default(),
            referrer: row.referring_organisation_id.as_ref().and_then(|id| referrers.get(id).cloned()),
            row,
        })
        .collect())
}

impl Loaded {
    pub fn into_ccas_view(self) -> ApiResult<CcasReferral> {
        use super::models::{JudicialProceedings, Urgency};
        let r = self.row;
        Ok(CcasReferral {
            source: Source::parse(&r.source)?,
            status: ReferralStatus::parse(&r.status)?,
            urgency: Urgency::parse(&r.urgency)?,
            judicial_proceedings: JudicialProceedings::parse(&r.judicial_proceedings)?,
            police_contact: r.police_contact.as_deref().map(super::models::PoliceContact::parse).transpose()?,
            children_exposed: super::models::Answer::parse(&r.children_exposed)?,
            children_count: r.children_count,
            id: r.id,
            ccas_id: r.ccas_id,
            referring_organisation: self.referrer,
            partner_id: r.partner_id,
            status_changed_at: r.status_changed_at,
            status_history: self.history,
            received_at: r.received_at,
            agent_reference: r.agent_reference,
            procedure_reference: r.procedure_reference,
            problem_types: self.problem_types,
            summary: r.summary,
            persons: self.persons,
            decline_reason: r.decline_reason.as_deref().map(super::models::DeclineReason::parse).transpose()?,
            situation_id: r.situation_id,
            contact_attempts: self.attempts,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
        })
    }
}
