//! `GET /api/v1/persons/{id}/export`: everything Relais holds about a person, as one JSON
//! document, to answer a right-of-access request (GDPR art. 15). Recorded in the access log with
//! every object it reached.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::models::Person;
use crate::appointments::models::{Appointment, AppointmentRow};
use crate::audit::Action;
use crate::auth::extractor::CcasOnly;
use crate::auth::{Authorized, Caller};
use crate::db::DbConnection;
use crate::db::schema::{appointment_persons, appointments, intervention_persons, interventions, notes, referrals, situation_persons};
use crate::error::{ApiError, ApiResult};
use crate::interventions::models::{Intervention, InterventionRow};
use crate::openapi::{AuthErrors, NotFoundError};
use crate::referrals::models::{ReferralStatus, Source, Urgency};
use crate::referrals::views::{CcasReferral, ContactAttempt, OrganisationRef, ReferralView};
use crate::situations::models::{ClosingReason, Situation, SituationStatus};
use crate::situations::notes::Note;
use crate::state::AppState;
use crate::vocabulary::{JudicialProceedings, Role};

/// Everything held about one person. Third parties (the others taking part in a situation or
/// named by a referral) appear by their role only; notes and summaries are free text that may
/// name them, to be reviewed before the document is handed over.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonExport {
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub exported_at: chrono::NaiveDateTime,
    /// Identity and contact details.
    pub person: Person,
    /// The situations the person takes part in (their role is in each one's `persons`), with
    /// their notes.
    pub situations: Vec<SituationExport>,
    /// The referrals accepted into those situations.
    pub referrals: Vec<ReferralExport>,
    /// Appointments with the person or about their situations.
    pub appointments: Vec<Appointment>,
    /// Interventions naming the person.
    pub interventions: Vec<Intervention>,
}

/// One situation of the person, and its notes.
#[derive(Debug, Serialize, ToSchema)]
pub struct SituationExport {
    pub id: String,
    pub status: SituationStatus,
    pub problem_types: Vec<String>,
    pub judicial_proceedings: JudicialProceedings,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub opened_at: chrono::NaiveDateTime,
    #[serde(with = "crate::time::rfc3339_option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<chrono::NaiveDateTime>,
    pub closing_reason: Option<ClosingReason>,
    /// The person's role in it.
    pub role: Role,
    pub role_detail: Option<String>,
    /// The roles of the others taking part: never who they are.
    pub other_roles: Vec<Role>,
    /// The notes the caller may read (shared ones, and its own private ones).
    pub notes: Vec<Note>,
    /// Private notes of other coordinators, not exported: ask their authors.
    pub private_notes_withheld: i64,
}

/// A referral accepted into one of the person's situations.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralExport {
    pub id: String,
    pub source: Source,
    pub referring_organisation: Option<OrganisationRef>,
    pub status: ReferralStatus,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub received_at: chrono::NaiveDateTime,
    pub urgency: Urgency,
    pub problem_types: Vec<String>,
    pub summary: String,
    pub situation_id: Option<String>,
    /// The roles of the persons it named.
    pub roles: Vec<Role>,
    pub contact_attempts: Vec<ContactAttempt>,
}

impl From<CcasReferral> for ReferralExport {
    fn from(r: CcasReferral) -> Self {
        ReferralExport {
            roles: r.persons.iter().map(|p| p.role).collect(),
            id: r.id,
            source: r.source,
            referring_organisation: r.referring_organisation,
            status: r.status,
            received_at: r.received_at,
            urgency: r.urgency,
            problem_types: r.problem_types,
            summary: r.summary,
            situation_id: r.situation_id,
            contact_attempts: r.contact_attempts,
        }
    }
}

/// Export everything held about a person (right of access).
#[utoipa::path(
    tag = "persons",
    params(("id" = String, Path, description = "Person id")),
    responses((status = 200, description = "Success", body = PersonExport), AuthErrors, NotFoundError),
    security(("oauth2" = ["ccas"]))
)]
#[get("/api/v1/persons/{id}/export")]
pub async fn export_person(caller: Authorized<CcasOnly>, id: web::Path<String>, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let caller: Caller = caller.caller;
    let id = id.into_inner();
    let export = state
        .read(move |conn, trail| {
            let found = super::queries::find(conn, &caller.ccas_id, &id);
            let row = trail.read(&caller, Action { action: "person.export", object_type: "person", object_id: Some(&id) }, found)?;
            let export = gather(conn, &caller, super::queries::view(row)?)?;
            trail.also(reached(&export).iter().map(String::as_str));
            Ok(export)
        })
        .await?;
    let name = format!("attachment; filename=\"personne-{}.json\"", export.person.id);
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_DISPOSITION, name))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(export))
}

fn gather(conn: &mut DbConnection, caller: &Caller, person: Person) -> ApiResult<PersonExport> {
    // Oldest file first: the order a reader of the document expects.
    let situation_ids: Vec<String> = situation_persons::table
        .inner_join(crate::db::schema::situations::table)
        .filter(situation_persons::person_id.eq(&person.id))
        .order((crate::db::schema::situations::opened_at, situation_persons::situation_id))
        .select(situation_persons::situation_id)
        .load(conn)?;
    let mut situations = Vec::new();
    for situation_id in &situation_ids {
        situations.push(situation_export(conn, caller, &person.id, situation_id)?);
    }
    let referrals = referrals_of(conn, &caller.ccas_id, &situation_ids)?;
    let expecting =
        appointment_persons::table.filter(appointment_persons::person_id.eq(&person.id)).select(appointment_persons::appointment_id);
    let rows: Vec<AppointmentRow> = appointments::table
        .filter(appointments::ccas_id.eq(&caller.ccas_id))
        .filter(
            appointments::person_id
                .eq(&person.id)
                .or(appointments::situation_id.eq_any(&situation_ids))
                .or(appointments::id.eq_any(expecting)),
        )
        .order((appointments::starts_at, appointments::id))
        .select(AppointmentRow::as_select())
        .load(conn)?;
    // Another person's name is not theirs to receive: only the exported person stays named.
    let appointments = crate::appointments::queries::views(conn, rows)?
        .into_iter()
        .map(|mut a| {
            a.persons.retain(|p| p.id == person.id);
            a
        })
        .collect();
    let naming =
        intervention_persons::table.filter(intervention_persons::person_id.eq(&person.id)).select(intervention_persons::intervention_id);
    let rows: Vec<InterventionRow> = interventions::table
        .filter(interventions::ccas_id.eq(&caller.ccas_id))
        .filter(interventions::id.eq_any(naming))
        .order((interventions::occurred_at, interventions::id))
        .select(InterventionRow::as_select())
        .load(conn)?;
    let interventions = crate::interventions::views(conn, rows)?;
    Ok(PersonExport { exported_at: caller.at, person, situations, referrals, appointments, interventions })
}

fn situation_export(conn: &mut DbConnection, caller: &Caller, person_id: &str, situation_id: &str) -> ApiResult<SituationExport> {
    let situation: Situation = crate::situations::queries::find(conn, &caller.ccas_id, situation_id)?;
    let of_situation = notes::situation_id.eq(situation_id.to_owned());
    let notes: Vec<Note> = notes::table
        .filter(of_situation.clone())
        .filter(notes::private.eq(false).or(notes::author_id.eq(&caller.sub)))
        .order((notes::created_at, notes::id))
        .select(Note::as_select())
        .load(conn)?;
    let private_notes_withheld: i64 = notes::table
        .filter(of_situation)
        .filter(notes::private.eq(true))
        .filter(notes::author_id.ne(&caller.sub))
        .count()
        .get_result(conn)?;
    let (own, others): (Vec<_>, Vec<_>) = situation.persons.into_iter().partition(|p| p.person.id == person_id);
    let own = own.into_iter().next().ok_or(ApiError::NotFound)?;
    Ok(SituationExport {
        id: situation.id,
        status: situation.status,
        problem_types: situation.problem_types,
        judicial_proceedings: situation.judicial_proceedings,
        opened_at: situation.opened_at,
        closed_at: situation.closed_at,
        closing_reason: situation.closing_reason,
        role: own.role,
        role_detail: own.role_detail,
        other_roles: others.iter().map(|p| p.role).collect(),
        notes,
        private_notes_withheld,
    })
}

fn referrals_of(conn: &mut DbConnection, ccas_id: &str, situation_ids: &[String]) -> ApiResult<Vec<ReferralExport>> {
    let ids: Vec<String> = referrals::table
        .filter(referrals::ccas_id.eq(ccas_id))
        .filter(referrals::situation_id.eq_any(situation_ids))
        .order((referrals::received_at, referrals::id))
        .select(referrals::id)
        .load(conn)?;
    let reach = crate::referrals::Reach::Ccas(ccas_id.to_owned());
    ids.iter()
        .map(|id| match crate::referrals::find_view(conn, &reach, id)? {
            ReferralView::Ccas(referral) => Ok(ReferralExport::from(*referral)),
            ReferralView::Agency(_) => Err(ApiError::internal("a coordinators' reach answered an agency view")),
        })
        .collect()
}

/// Every object the export shows, for the access log.
fn reached(export: &PersonExport) -> Vec<String> {
    let situations = export.situations.iter().map(|s| s.id.clone());
    let referrals = export.referrals.iter().map(|r| r.id.clone());
    let appointments = export.appointments.iter().map(|a| a.id.clone());
    let interventions = export.interventions.iter().map(|i| i.id.clone());
    situations.chain(referrals).chain(appointments).chain(interventions).collect()
}
