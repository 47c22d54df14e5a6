use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::schema::brief_contacts;
use crate::partners::models::PartnerKind;
use crate::referrals::models::{ContactChannel, Source};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = brief_contacts)]
pub struct BriefContactRow {
    pub id: String,
    pub occurred_at: NaiveDateTime,
    pub channel: String,
    pub origin: String,
    pub partner_kind: Option<String>,
    pub duration_minutes: Option<i32>,
}

/// A brief anonymous contact: no identity, only what is counted.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BriefContact {
    pub id: String,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub occurred_at: NaiveDateTime,
    pub channel: ContactChannel,
    /// Who sent the person, or `walk_in` when they came or called by themselves.
    pub origin: Source,
    pub problem_types: Vec<String>,
    /// The kind of partner the person was oriented to, if any.
    pub partner_kind: Option<PartnerKind>,
    pub duration_minutes: Option<i32>,
}

/// A brief contact to record. Nothing here names anyone: there is no field for it.
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "occurred_at": "2026-11-27T10:15:00Z",
    "channel": "phone",
    "origin": "walk_in",
    "problem_types": ["domestic_violence"],
    "partner_kind": "victim_support",
    "duration_minutes": 15
}))]
pub struct NewBriefContact {
    /// When it happened; now when absent. Not in the future.
    pub occurred_at: Option<DateTime<Utc>>,
    pub channel: ContactChannel,
    pub origin: Source,
    /// Problem type codes (see `/api/v1/problem-types`).
    #[serde(default)]
    #[validate(length(max = 12))]
    #[schema(max_items = 12)]
    pub problem_types: Vec<String>,
    pub partner_kind: Option<PartnerKind>,
    /// Minutes, 1 to 480.
    #[validate(range(min = 1, max = 480))]
    #[schema(minimum = 1, maximum = 480)]
    pub duration_minutes: Option<i32>,
}

/// The list's filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BriefContactFilter {
    /// Contacts at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Contacts before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
