use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::schema::partners;

/// What a partner is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartnerKind {
    VictimSupport,
    SocialServices,
    ChildProtection,
    Health,
    MentalHealth,
    Addiction,
    Housing,
    LegalAid,
    Justice,
    FamilyMediation,
    Employment,
    Other,
}

/// Whom a partner serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PublicServed {
    Everyone,
    Adults,
    Minors,
    Families,
    Victims,
    AllegedAuthors,
    Elderly,
}

macro_rules! snake_case_codec {
    ($t:ty) => {
        impl $t {
            pub fn as_str(self) -> String {
                serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
            }
            pub fn parse(code: &str) -> Option<Self> {
                serde_json::from_value(serde_json::Value::String(code.to_owned())).ok()
            }
        }
    };
}
snake_case_codec!(PartnerKind);
snake_case_codec!(PublicServed);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = partners)]
pub struct PartnerRow {
    pub id: String,
    pub ccas_id: String,
    pub name: String,
    pub kind: String,
    pub address: Option<String>,
    pub commune: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub opening_hours: Option<String>,
    pub notes: Option<String>,
    pub active: bool,
    pub sort_name: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// A partner, as coordinators see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Partner {
    pub id: String,
    #[schema(example = "France Victimes 38")]
    pub name: String,
    pub kind: PartnerKind,
    /// Problem type codes the partner works on.
    pub themes: Vec<String>,
    pub publics: Vec<PublicServed>,
    pub address: Option<String>,
    pub commune: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    /// Free text, e.g. "lun–ven 9h–12h".
    pub opening_hours: Option<String>,
    /// The coordinators' notes; never shown to referring agencies.
    pub notes: Option<String>,
    pub active: bool,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
    /// Also the `ETag`: send it in `If-Match` to replace the partner.
    pub version: i32,
}

/// A directory entry, as referring agencies see it: where to send a person, nothing more.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryEntry {
    pub id: String,
    #[schema(example = "France Victimes 38")]
    pub name: String,
    pub kind: PartnerKind,
    pub themes: Vec<String>,
    pub publics: Vec<PublicServed>,
    pub address: Option<String>,
    pub commune: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub opening_hours: Option<String>,
}

impl From<Partner> for DirectoryEntry {
    /// Field by field: a field added to `Partner` reaches agencies only when added here.
    fn from(p: Partner) -> Self {
        DirectoryEntry {
            id: p.id,
            name: p.name,
            kind: p.kind,
            themes: p.themes,
            publics: p.publics,
            address: p.address,
            commune: p.commune,
            phone: p.phone,
            email: p.email,
            website: p.website,
            opening_hours: p.opening_hours,
        }
    }
}

/// A partner's description, for creation and full replacement.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "France Victimes 38 – antenne de Villefontaine",
    "kind": "victim_support",
    "themes": ["domestic_violence", "harassment"],
    "publics": ["victims"],
    "commune": "Villefontaine",
    "phone": "04 74 00 00 00",
    "email": "contact@example.org",
    "opening_hours": "lun–ven 9h–12h"
}))]
pub struct PartnerInput {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    pub kind: PartnerKind,
    /// Problem type codes (see `/api/v1/problem-types`).
    #[serde(default)]
    #[validate(length(max = 12))]
    #[schema(max_items = 12)]
    pub themes: Vec<String>,
    #[serde(default)]
    #[validate(length(max = 7))]
    #[schema(max_items = 7)]
    pub publics: Vec<PublicServed>,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub address: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub commune: Option<String>,
    /// A phone number (French, or with its country code), or a short number (115, 3919).
    #[validate(length(max = 30), custom(function = "crate::phone::valid_or_short"))]
    #[schema(max_length = 30)]
    pub phone: Option<String>,
    #[validate(email, length(max = 254))]
    #[schema(max_length = 254, format = Email)]
    pub email: Option<String>,
    #[validate(url, length(max = 500))]
    #[schema(max_length = 500)]
    pub website: Option<String>,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub opening_hours: Option<String>,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub notes: Option<String>,
    /// `false` deactivates the partner (partners are never deleted). Default `true`.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// Filters of the partner lists.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PartnerFilter {
    /// Text in the name or commune, ignoring accents and case ("helene" finds "Hélène").
    pub q: Option<String>,
    pub kind: Option<PartnerKind>,
    /// A problem type code the partner works on.
    pub theme: Option<String>,
    /// Coordinators only: `true` (default) active partners, `false` deactivated ones.
    pub active: Option<bool>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
