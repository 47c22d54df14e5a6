use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::code_enum;
use crate::db::schema::appointments;

code_enum!(
    /// How the appointment takes place.
    AppointmentKind {
        /// Booked in advance, inside the site's opening hours.
        Scheduled => "scheduled",
        /// Received as an emergency, at any time.
        Emergency => "emergency",
        /// A call at an agreed time.
        Phone => "phone",
    }
);

code_enum!(
    /// Where the appointment stands.
    AppointmentStatus { Planned => "planned", Attended => "attended", NoShow => "no_show", Cancelled => "cancelled" }
);

code_enum!(
    /// What happened.
    AppointmentOutcome { Attended => "attended", NoShow => "no_show", Cancelled => "cancelled" }
);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = appointments)]
pub struct AppointmentRow {
    pub id: String,
    pub ccas_id: String,
    pub site_id: String,
    pub coordinator_id: String,
    pub situation_id: Option<String>,
    pub person_id: Option<String>,
    pub kind: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub status: String,
    pub cancel_reason: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A person an appointment expects, named for the agenda.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExpectedPerson {
    pub id: String,
    #[schema(example = "Durand")]
    pub last_name: Option<String>,
    #[schema(example = "Hélène")]
    pub first_name: Option<String>,
}

/// An appointment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Appointment {
    pub id: String,
    pub kind: AppointmentKind,
    pub status: AppointmentStatus,
    pub site_id: String,
    pub coordinator_id: String,
    pub situation_id: Option<String>,
    pub person_id: Option<String>,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: NaiveDateTime,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: NaiveDateTime,
    pub cancel_reason: Option<String>,
    /// The persons expected, in name order (`person_id`, when set, among them).
    pub persons: Vec<ExpectedPerson>,
    /// Also the `ETag`; send it back in `If-Match` to move the appointment.
    pub version: i32,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

impl TryFrom<AppointmentRow> for Appointment {
    type Error = crate::error::ApiError;
    fn try_from(r: AppointmentRow) -> Result<Self, Self::Error> {
        Ok(Appointment {
            kind: AppointmentKind::parse(&r.kind)?,
            status: AppointmentStatus::parse(&r.status)?,
            id: r.id,
            site_id: r.site_id,
            coordinator_id: r.coordinator_id,
            situation_id: r.situation_id,
            person_id: r.person_id,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            cancel_reason: r.cancel_reason,
            persons: Vec::new(),
            version: r.version,
            updated_at: r.updated_at,
        })
    }
}

/// An appointment to book (or an emergency to record), for a situation or a person.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "emergency",
    "site_id": "00000000-0000-4000-8000-000000000003",
    "coordinator_id": "00000000-0000-4000-8000-000000000004",
    "situation_id": "00000000-0000-4000-8000-000000000005",
    "expected_person_ids": ["00000000-0000-4000-8000-000000000006"],
    "starts_at": "2026-11-27T10:00:00Z",
    "ends_at": "2026-11-27T11:00:00Z"
}))]
pub struct AppointmentInput {
    pub kind: AppointmentKind,
    pub site_id: String,
    /// A coordinator of the CCAS (a user with the `ccas` scope).
    pub coordinator_id: String,
    pub situation_id: Option<String>,
    pub person_id: Option<String>,
    /// The persons expected: persons of the situation (or `person_id`). `person_id`, when set,
    /// is expected whether listed or not. None by default.
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub expected_person_ids: Vec<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// The outcome of a planned appointment.
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"outcome": "attended"}))]
pub struct OutcomeInput {
    pub outcome: AppointmentOutcome,
    /// Required for `cancelled`.
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub reason: Option<String>,
}

/// The agenda's filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AgendaFilter {
    pub coordinator_id: Option<String>,
    pub site_id: Option<String>,
    pub situation_id: Option<String>,
    pub status: Option<AppointmentStatus>,
    /// Appointments ending after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Appointments starting before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Free slots of one day.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityQuery {
    pub site: String,
    pub coordinator: String,
    /// The local day (Europe/Paris).
    pub date: NaiveDate,
    /// Minutes, 5 to 480.
    #[param(minimum = 5, maximum = 480)]
    pub duration: i64,
}

/// A free slot.
#[derive(Debug, Serialize, ToSchema)]
pub struct Slot {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// The free slots of a coordinator at a site on one day, on a 15-minute grid.
#[derive(Debug, Serialize, ToSchema)]
pub struct Availability {
    pub date: NaiveDate,
    pub site_id: String,
    pub coordinator_id: String,
    pub duration: i64,
    pub slots: Vec<Slot>,
}
