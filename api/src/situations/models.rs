use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::code_enum;
use crate::db::schema::situations;
use crate::persons::models::Person;
use crate::vocabulary::{JudicialProceedings, Role};

code_enum!(
    /// Whether the file is open.
    SituationStatus { Open => "open", Closed => "closed" }
);

code_enum!(
    /// Why a file was closed.
    ClosingReason {
        /// The person was oriented to a partner who took over.
        Oriented => "oriented",
        Resolved => "resolved",
        /// The person no longer answers or wishes no follow-up.
        NoFurtherContact => "no_further_contact",
        MovedAway => "moved_away",
        Other => "other",
    }
);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = situations)]
pub struct SituationRow {
    pub id: String,
    pub ccas_id: String,
    pub status: String,
    pub coordinator_id: Option<String>,
    pub judicial_proceedings: String,
    pub opened_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub closing_reason: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A coordinator, as shown on a file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoordinatorRef {
    pub id: String,
    #[schema(example = "Claire Martin")]
    pub display_name: String,
}

/// A person of a situation, with their role in it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SituationPerson {
    pub person: Person,
    pub role: Role,
    /// For `other`: child, relative, witness...
    pub role_detail: Option<String>,
}

/// A case file.
#[derive(Debug, Serialize, ToSchema)]
pub struct Situation {
    pub id: String,
    pub status: SituationStatus,
    /// The coordinator in charge.
    pub coordinator: Option<CoordinatorRef>,
    pub judicial_proceedings: JudicialProceedings,
    pub problem_types: Vec<String>,
    pub persons: Vec<SituationPerson>,
    /// The referrals accepted into this file.
    pub referral_ids: Vec<String>,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub opened_at: NaiveDateTime,
    #[serde(with = "crate::time::rfc3339_option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<NaiveDateTime>,
    pub closing_reason: Option<ClosingReason>,
    /// Also the `ETag`; send it back in `If-Match` to change the file.
    pub version: i32,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

/// A person to hold a role in a situation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PersonRole {
    pub person_id: String,
    pub role: Role,
    #[validate(length(max = 100))]
    #[schema(max_length = 100, example = "enfant")]
    pub role_detail: Option<String>,
}

/// A file to open directly (a referral opens one through its `accept` action).
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "problem_types": ["conflictual_separation"],
    "judicial_proceedings": "no",
    "persons": []
}))]
pub struct NewSituation {
    /// When the file was opened; now when absent (a file recorded afterwards may say when).
    /// Not in the future.
    #[serde(default)]
    pub opened_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The coordinator in charge: a user of the CCAS with the `ccas` scope.
    pub coordinator_id: Option<String>,
    #[serde(default)]
    #[validate(length(max = 12))]
    #[schema(max_items = 12)]
    pub problem_types: Vec<String>,
    #[serde(default = "crate::vocabulary::proceedings_unknown")]
    pub judicial_proceedings: JudicialProceedings,
    #[serde(default)]
    #[validate(length(max = 30), nested)]
    #[schema(max_items = 30)]
    pub persons: Vec<PersonRole>,
}

/// What a PATCH may change (JSON merge patch, RFC 7396).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"judicial_proceedings": "yes"}))]
pub struct SituationChanges {
    pub coordinator_id: Option<String>,
    #[validate(length(max = 12))]
    #[schema(max_items = 12)]
    pub problem_types: Vec<String>,
    pub judicial_proceedings: JudicialProceedings,
}

/// Closing a file.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "oriented"}))]
pub struct CloseSituation {
    pub reason: ClosingReason,
    /// When; now when absent. Not in the future.
    #[serde(default)]
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A role to give a person in a situation.
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"role": "other", "role_detail": "enfant"}))]
pub struct RoleInput {
    pub role: Role,
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub role_detail: Option<String>,
}

/// Filters of the situation list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SituationFilter {
    pub status: Option<SituationStatus>,
    pub coordinator_id: Option<String>,
    pub problem_type: Option<String>,
    pub person_id: Option<String>,
    /// A person's name, ignoring accents and case; or the start of one of their phone numbers,
    /// however written (`06 12`, `+33 6 12`, `0033 612`).
    pub q: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
