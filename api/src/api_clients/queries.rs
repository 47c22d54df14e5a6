use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::scope::{check_scopes_fit, join_scopes, parse_scopes};
use crate::auth::secrets::{hash_client_secret, random_token};
use crate::auth::{OrgKind, Scope};
use crate::db::DbConnection;
use crate::db::schema::api_clients;
use crate::error::{ApiError, ApiResult};
use crate::organisations::models::OrganisationRow;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_clients)]
pub struct ApiClientRow {
    pub id: String,
    pub organisation_id: String,
    pub label: String,
    pub scopes: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

/// An API client (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiClient {
    /// The `client_id` of the client credentials grant.
    pub id: String,
    pub organisation_id: String,
    #[schema(example = "Logiciel de la police municipale")]
    pub label: String,
    pub scopes: Vec<Scope>,
    pub active: bool,
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

impl TryFrom<ApiClientRow> for ApiClient {
    type Error = ApiError;
    fn try_from(row: ApiClientRow) -> Result<Self, ApiError> {
        Ok(ApiClient {
            scopes: parse_scopes(&row.scopes).map_err(ApiError::internal)?,
            id: row.id,
            organisation_id: row.organisation_id,
            label: row.label,
            active: row.active,
            created_at: row.created_at,
        })
    }
}

/// A new API client for one of the administrator's organisations.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organisation_id": "00000000-0000-4000-8000-000000000002", "label": "Logiciel de la police municipale"}))]
pub struct NewApiClient {
    pub organisation_id: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub label: String,
    /// Defaults to the organisation's working scope for a gendarmerie unit or a police
    /// municipale, and to `reports` for a CCAS: clients never hold `ccas` (case content is for
    /// people) nor `admin`.
    pub scopes: Option<Vec<Scope>>,
}

/// A created client, with its secret: shown this once, never again.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiClient {
    pub client: ApiClient,
    pub client_secret: String,
}

pub fn insert(
    conn: &mut DbConnection,
    org: &OrganisationRow,
    label: &str,
    scopes: Option<Vec<Scope>>,
    now: chrono::NaiveDateTime,
) -> ApiResult<(ApiClientRow, String)> {
    let kind: OrgKind = org.kind.parse().map_err(ApiError::internal)?;
    let default = if kind == OrgKind::Ccas { Scope::Reports } else { kind.working_scope() };
    let scopes = scopes.unwrap_or_else(|| vec![default]);
    check_scopes_fit(&scopes, kind).map_err(|why| ApiError::validation("scopes", "invalid", &why))?;
    if let Some(scope) = scopes.iter().find(|s| !s.allowed_to_clients()) {
        return Err(ApiError::validation(
            "scopes",
            "invalid",
            &format!("API clients cannot hold the {scope} scope: case content and administration are for people"),
        ));
    }
    let secret = random_token()?;
    let row = ApiClientRow {
        id: uuid::Uuid::new_v4().to_string(),
        organisation_id: org.id.clone(),
        label: label.to_owned(),
        scopes: join_scopes(&parse_scopes(&join_scopes(&scopes)).map_err(ApiError::internal)?),
        active: true,
        created_at: now,
    };
    diesel::insert_into(api_clients::table)
        .values((
            api_clients::id.eq(&row.id),
            api_clients::organisation_id.eq(&row.organisation_id),
            api_clients::label.eq(&row.label),
            api_clients::secret_hash.eq(hash_client_secret(&secret)),
            api_clients::scopes.eq(&row.scopes),
            api_clients::active.eq(true),
            api_clients::created_at.eq(row.created_at),
        ))
        .execute(conn)?;
    Ok((row, secret))
}
