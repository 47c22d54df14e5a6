use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::code_enum;
use crate::db::schema::interventions;

code_enum!(
    /// What the coordinator did.
    InterventionKind {
        FirstListening => "first_listening",
        Advice => "advice",
        /// Orientation to a partner of the directory (names the partner).
        Orientation => "orientation",
        /// Mediation, acting as the relay between the security services and the partners.
        Mediation => "mediation",
        Accompaniment => "accompaniment",
        PhoneFollowUp => "phone_follow_up",
        AdministrativeHelp => "administrative_help",
        /// Information préoccupante to the département's CRIP, for a minor.
        ConcernReport => "concern_report",
        /// Signalement au procureur de la République.
        ProsecutorReport => "prosecutor_report",
    }
);

impl InterventionKind {
    pub fn is_legal_report(self) -> bool {
        matches!(self, InterventionKind::ConcernReport | InterventionKind::ProsecutorReport)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = interventions)]
pub struct InterventionRow {
    pub id: String,
    pub ccas_id: String,
    pub situation_id: String,
    pub kind: String,
    pub occurred_at: NaiveDateTime,
    pub duration_minutes: Option<i32>,
    pub coordinator_id: String,
    pub partner_id: Option<String>,
    pub in_person: bool,
    pub outcome: Option<String>,
    pub report_sent_on: Option<NaiveDate>,
    pub report_recipient: Option<String>,
    pub created_at: NaiveDateTime,
    pub partner_took_over: Option<String>,
    pub took_over_on: Option<NaiveDate>,
}

/// What came of an orientation: whether the partner took the person in charge, and when.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"took_over": "yes", "on": "2026-11-20"}))]
pub struct OrientationFollowUp {
    /// `unknown` until the coordinator learns it.
    pub took_over: crate::vocabulary::Answer,
    /// When the partner took the person in charge (or declined to); with `yes` or `no` only,
    /// not before the orientation, not in the future.
    pub on: Option<NaiveDate>,
}

/// A legal report: when it was sent, and to whom.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct LegalReport {
    pub sent_on: NaiveDate,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "CRIP de l'Isère")]
    pub recipient: String,
}

/// An intervention.
#[derive(Debug, Serialize, ToSchema)]
pub struct Intervention {
    pub id: String,
    pub situation_id: String,
    pub kind: InterventionKind,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub occurred_at: NaiveDateTime,
    pub duration_minutes: Option<i32>,
    pub coordinator_id: String,
    /// For an orientation: the partner.
    pub partner_id: Option<String>,
    /// Met in person (counts the persons as received).
    pub in_person: bool,
    pub person_ids: Vec<String>,
    pub outcome: Option<String>,
    /// For a concern or prosecutor report.
    pub report: Option<LegalReport>,
    /// For an orientation: whether the partner took the person in charge (`unknown` until said).
    pub follow_up: Option<OrientationFollowUp>,
}

/// An intervention to record.
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "situation_id": "00000000-0000-4000-8000-000000000005",
    "kind": "first_listening",
    "occurred_at": "2026-11-27T10:00:00Z",
    "duration_minutes": 45,
    "coordinator_id": "00000000-0000-4000-8000-000000000004",
    "in_person": true,
    "outcome": "Écoute ; rendez-vous proposé la semaine prochaine."
}))]
pub struct NewIntervention {
    pub situation_id: String,
    pub kind: InterventionKind,
    pub occurred_at: DateTime<Utc>,
    #[validate(range(min = 1, max = 600))]
    #[schema(minimum = 1, maximum = 600)]
    pub duration_minutes: Option<i32>,
    /// A coordinator of the CCAS.
    pub coordinator_id: String,
    /// Persons of the situation concerned.
    #[serde(default)]
    #[validate(length(max = 30))]
    #[schema(max_items = 30)]
    pub person_ids: Vec<String>,
    /// Required for an orientation, and only then.
    pub partner_id: Option<String>,
    #[serde(default)]
    pub in_person: bool,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub outcome: Option<String>,
    /// Required for `concern_report` and `prosecutor_report`, and only then.
    #[validate(nested)]
    pub report: Option<LegalReport>,
}

/// Filters of the intervention list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InterventionFilter {
    pub situation_id: Option<String>,
    pub coordinator_id: Option<String>,
    pub kind: Option<InterventionKind>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
