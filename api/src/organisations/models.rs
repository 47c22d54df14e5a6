use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::OrgKind;
use crate::db::schema::organisations;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organisations)]
pub struct OrganisationRow {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub ccas_id: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

/// An organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Organisation {
    pub id: String,
    pub kind: OrgKind,
    #[schema(example = "Brigade de gendarmerie de Villefontaine")]
    pub name: String,
    /// For a gendarmerie unit or police municipale service: the CCAS it refers people to.
    pub ccas_id: Option<String>,
    pub active: bool,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

impl TryFrom<OrganisationRow> for Organisation {
    type Error = crate::error::ApiError;
    fn try_from(row: OrganisationRow) -> Result<Self, Self::Error> {
        Ok(Organisation {
            kind: row.kind.parse().map_err(crate::error::ApiError::internal)?,
            id: row.id,
            name: row.name,
            ccas_id: row.ccas_id,
            active: row.active,
            created_at: row.created_at,
        })
    }
}

/// A new referring organisation of the administrator's CCAS.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "gendarmerie", "name": "Brigade de gendarmerie de L'Isle-d'Abeau"}))]
pub struct NewOrganisation {
    /// `gendarmerie`, `police_municipale` or `police_nationale` (a CCAS is created by the host
    /// with `relais org create`).
    pub kind: OrgKind,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
}

/// Changes to an organisation; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": false}))]
pub struct OrganisationChanges {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// A deactivated organisation's tokens and accounts stop working.
    pub active: Option<bool>,
}
