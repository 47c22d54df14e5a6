//! The two views of a referral. An agency's view is built field by field from what it
//! submitted and the status dates: coordinator, situation and notes have no place in it.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use super::models::{
    Consent, ContactChannel, ContactOutcome, DeclineReason, JudicialProceedings, ReferralStatus, Role, SafeContact, Sex, Source, Urgency,
};
use crate::auth::OrgKind;

/// A person concerned by a referral, as submitted.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferralPerson {
    pub role: Role,
    pub last_name: Option<String>,
    pub first_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub age: Option<i32>,
    pub sex: Option<Sex>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub commune: Option<String>,
    pub safe_contact: SafeContact,
    pub consent: Consent,
}

/// A status the referral reached, and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusChange {
    pub status: ReferralStatus,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: NaiveDateTime,
}

/// An attempt to reach the person.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactAttempt {
    pub id: String,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: NaiveDateTime,
    pub channel: ContactChannel,
    pub outcome: ContactOutcome,
    pub note: Option<String>,
    /// Token subject of the coordinator who recorded it.
    pub created_by: String,
}

/// The organisation that referred.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganisationRef {
    pub id: String,
    pub kind: OrgKind,
    pub name: String,
}

/// A referral as its referring agency sees it: what it submitted, the status and its dates.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgencyReferral {
    pub id: String,
    pub source: Source,
    pub status: ReferralStatus,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub status_changed_at: NaiveDateTime,
    /// Every status reached, oldest first.
    pub status_history: Vec<StatusChange>,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub received_at: NaiveDateTime,
    pub urgency: Urgency,
    pub agent_reference: Option<String>,
    pub procedure_reference: Option<String>,
    pub problem_types: Vec<String>,
    pub summary: String,
    pub judicial_proceedings: JudicialProceedings,
    pub persons: Vec<ReferralPerson>,
}

/// A referral as the coordinators of its CCAS see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CcasReferral {
    pub id: String,
    pub ccas_id: String,
    pub source: Source,
    /// The gendarmerie unit or police municipale service that referred, if any.
    pub referring_organisation: Option<OrganisationRef>,
    /// The referring partner, for `source: partner`.
    pub partner_id: Option<String>,
    pub status: ReferralStatus,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub status_changed_at: NaiveDateTime,
    pub status_history: Vec<StatusChange>,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub received_at: NaiveDateTime,
    pub urgency: Urgency,
    pub agent_reference: Option<String>,
    pub procedure_reference: Option<String>,
    pub problem_types: Vec<String>,
    pub summary: String,
    pub judicial_proceedings: JudicialProceedings,
    pub persons: Vec<ReferralPerson>,
    /// The situation it was accepted into.
    pub situation_id: Option<String>,
    pub decline_reason: Option<DeclineReason>,
    /// Every attempt to reach the person, oldest first.
    pub contact_attempts: Vec<ContactAttempt>,
    /// Token subject of whoever created it.
    pub created_by: String,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

impl From<CcasReferral> for AgencyReferral {
    /// Field by field: a field added to `CcasReferral` reaches agencies only when added here.
    fn from(r: CcasReferral) -> Self {
        AgencyReferral {
            id: r.id,
            source: r.source,
            status: r.status,
            status_changed_at: r.status_changed_at,
            status_history: r.status_history,
            received_at: r.received_at,
            urgency: r.urgency,
            agent_reference: r.agent_reference,
            procedure_reference: r.procedure_reference,
            problem_types: r.problem_types,
            summary: r.summary,
            judicial_proceedings: r.judicial_proceedings,
            persons: r.persons,
        }
    }
}

/// A referral in whichever view the caller is entitled to.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ReferralView {
    Ccas(Box<CcasReferral>),
    Agency(AgencyReferral),
}

impl ReferralView {
    pub fn id(&self) -> &str {
        match self {
            ReferralView::Ccas(r) => &r.id,
            ReferralView::Agency(r) => &r.id,
        }
    }
}
