//! The two views of a referral. An agency's view is built field by field from what it
//! submitted and the status dates: coordinator, situation and notes have no place in it.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use super::models::{
    Answer, Consent, ContactChannel, ContactOutcome, DeclineReason, JudicialProceedings, PoliceContact, ReferralStatus, Role, SafeContact,
    Sex, Source, Urgency,
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
    /// When the person is best reached, in the unit's words.
    pub best_time: Option<String>,
    pub best_channel: Option<ContactChannel>,
    /// Whether the unit told the person about the coordinators.
    pub informed_of_coordination: Answer,
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

/// A person of a referral as the referring agency sees them. Once the referral is minimised,
/// only the role and the initials remain: every other field is null.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyReferralPerson {
    pub role: Role,
    /// "M. D.": the initials of the first and last names, when both or either are known.
    pub initials: Option<String>,
    pub last_name: Option<String>,
    pub first_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub age: Option<i32>,
    pub sex: Option<Sex>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub commune: Option<String>,
    pub safe_contact: Option<SafeContact>,
    pub consent: Option<Consent>,
    pub best_time: Option<String>,
    pub best_channel: Option<ContactChannel>,
    pub informed_of_coordination: Option<Answer>,
}

impl AgencyReferralPerson {
    fn shown(p: ReferralPerson) -> Self {
        AgencyReferralPerson {
            initials: initials(p.first_name.as_deref(), p.last_name.as_deref()),
            role: p.role,
            last_name: p.last_name,
            first_name: p.first_name,
            birth_date: p.birth_date,
            age: p.age,
            sex: p.sex,
            phone: p.phone,
            email: p.email,
            address: p.address,
            commune: p.commune,
            safe_contact: Some(p.safe_contact),
            consent: Some(p.consent),
            best_time: p.best_time,
            best_channel: p.best_channel,
            informed_of_coordination: Some(p.informed_of_coordination),
        }
    }

    fn minimised(p: ReferralPerson) -> Self {
        AgencyReferralPerson {
            initials: initials(p.first_name.as_deref(), p.last_name.as_deref()),
            role: p.role,
            last_name: None,
            first_name: None,
            birth_date: None,
            age: None,
            sex: None,
            phone: None,
            email: None,
            address: None,
            commune: None,
            safe_contact: None,
            consent: None,
            best_time: None,
            best_channel: None,
            informed_of_coordination: None,
        }
    }
}

/// "M. D." from "Marie" and "Durand"; "D." from a last name alone; none without a name.
fn initials(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let initial = |name: Option<&str>| name.and_then(|n| n.trim().chars().next()).map(|c| format!("{}.", c.to_uppercase()));
    let parts: Vec<String> = [initial(first), initial(last)].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// How long a unit keeps seeing the persons it referred once the coordinators have settled
/// the referral (accepted or declined): past that, its view keeps the status, the dates, its
/// own references and the persons' roles and initials (data minimisation, GDPR art. 5).
#[derive(Debug, Clone, Copy)]
pub struct UnitView {
    pub keep_for: chrono::Duration,
}

impl UnitView {
    pub const DEFAULT_DAYS: u32 = 30;

    pub fn days(days: u32) -> Self {
        UnitView { keep_for: chrono::Duration::days(i64::from(days)) }
    }

    /// Until when a referral in `status` since `since` shows its persons: none while unsettled.
    pub fn shown_until(&self, status: ReferralStatus, since: NaiveDateTime) -> Option<NaiveDateTime> {
        matches!(status, ReferralStatus::Accepted | ReferralStatus::Declined).then(|| since + self.keep_for)
    }
}

impl Default for UnitView {
    fn default() -> Self {
        UnitView::days(UnitView::DEFAULT_DAYS)
    }
}

/// A referral as its referring agency sees it: what it submitted, the status and its dates.
/// Once settled and past `personal_data_until`, it is minimised: the summary and everything
/// about the persons but their roles and initials are null.
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
    /// Null once minimised.
    pub summary: Option<String>,
    pub judicial_proceedings: JudicialProceedings,
    pub police_contact: Option<PoliceContact>,
    pub children_exposed: Answer,
    pub children_count: Option<i32>,
    pub persons: Vec<AgencyReferralPerson>,
    /// When the persons' details and the summary leave this view: the settling date plus the
    /// configured period (`RELAIS_UNIT_VIEW_DAYS`, 30 by default). Null while unsettled.
    #[serde(with = "crate::time::rfc3339_option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub personal_data_until: Option<NaiveDateTime>,
    /// True once `personal_data_until` has passed.
    pub minimised: bool,
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
    /// The police contact that led to the referral.
    pub police_contact: Option<PoliceContact>,
    /// Whether children were present or exposed, and how many.
    pub children_exposed: Answer,
    pub children_count: Option<i32>,
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

impl AgencyReferral {
    /// Field by field: a field added to `CcasReferral` reaches agencies only when added here.
    pub fn of(r: CcasReferral, unit_view: UnitView, now: NaiveDateTime) -> Self {
        let personal_data_until = unit_view.shown_until(r.status, r.status_changed_at);
        let minimised = personal_data_until.is_some_and(|until| until <= now);
        let person = if minimised { AgencyReferralPerson::minimised } else { AgencyReferralPerson::shown };
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
            summary: (!minimised).then_some(r.summary),
            judicial_proceedings: r.judicial_proceedings,
            police_contact: r.police_contact,
            children_exposed: r.children_exposed,
            children_count: r.children_count,
            persons: r.persons.into_iter().map(person).collect(),
            personal_data_until,
            minimised,
        }
    }
}

/// A referral in whichever view the caller is entitled to.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ReferralView {
    Ccas(Box<CcasReferral>),
    Agency(Box<AgencyReferral>),
}

impl ReferralView {
    pub fn id(&self) -> &str {
        match self {
            ReferralView::Ccas(r) => &r.id,
            ReferralView::Agency(r) => &r.id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_come_from_whichever_names_are_known() {
        assert_eq!(initials(Some("marie"), Some("Durand")).as_deref(), Some("M. D."));
        assert_eq!(initials(None, Some(" Élise")).as_deref(), Some("É."));
        assert_eq!(initials(Some(""), None), None);
    }

    #[test]
    fn a_referral_shows_its_persons_until_settled_for_the_period() -> Result<(), String> {
        let since = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).and_then(|d| d.and_hms_opt(9, 0, 0)).ok_or("date")?;
        let view = UnitView::days(30);
        assert_eq!(view.shown_until(ReferralStatus::Received, since), None);
        assert_eq!(view.shown_until(ReferralStatus::ContactAttempted, since), None);
        assert_eq!(view.shown_until(ReferralStatus::Declined, since), Some(since + chrono::Duration::days(30)));
        assert_eq!(UnitView::days(0).shown_until(ReferralStatus::Accepted, since), Some(since));
        Ok(())
    }
}
