use actix_web::{HttpResponse, delete, get, post, web};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::queries::{self, ApiClient, ApiClientRow, CreatedApiClient, NewApiClient};
use crate::audit::{self, Action, Outcome};
use crate::auth::extractor::AdminOnly;
use crate::auth::{Authorized, Caller};
use crate::db::schema::api_clients;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::Query;
use crate::http::pagination::{Cursor, Page, PageParams};
use crate::openapi::{AuthErrors, BodyErrors, NotFoundError, QueryErrors};
use crate::organisations::queries::{find_in_tenant, tenant_organisation_ids};
use crate::state::AppState;
use crate::time::utc;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_api_clients).service(create_api_client).service(revoke_api_client);
}

/// List the API clients of the administrator's organisations, oldest first.
#[utoipa::path(
    tag = "api_clients",
    params(PageParams),
    responses((status = 200, description = "Success", body = Page<ApiClient>), AuthErrors, QueryErrors),
    security(("oauth2" = ["admin"]))
)]
#[get("/api/v1/api-clients")]
pub async fn list_api_clients(
    caller: Authorized<AdminOnly>,
    page: Query<PageParams>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Page<ApiClient>>> {
    let limit = page.limit()?;
    let after = page.time_cursor()?;
    let ccas_id = caller.ccas_id.clone();
    let rows: Vec<ApiClientRow> = state
        .db
        .run(move |conn| {
            let mut query = api_clients::table
                .filter(api_clients::organisation_id.eq_any(tenant_organisation_ids(conn, &ccas_id)?))
                .select(ApiClientRow::as_select())
                .order((api_clients::created_at, api_clients::id))
                .limit(limit + 1)
                .into_boxed();
            if let Some((at, id)) = after {
                query = query.filter(api_clients::created_at.gt(at).or(api_clients::created_at.eq(at).and(api_clients::id.gt(id))));
            }
            Ok(query.load(conn)?)
        })
        .await?;
    let page = Page::from_rows(rows, limit, |r| Cursor { key: utc(r.created_at).to_rfc3339(), id: r.id.clone() });
    Ok(web::Json(page.try_map(ApiClient::try_from)?))
}

/// Create an API client; the answer holds its secret, shown this once.
#[utoipa::path(
    tag = "api_clients",
    request_body = NewApiClient,
    responses((status = 201, description = "Created", body = CreatedApiClient), AuthErrors, BodyErrors),
    security(("oauth2" = ["admin"]))
)]
#[post("/api/v1/api-clients")]
pub async fn create_api_client(
    caller: Authorized<AdminOnly>,
    body: web::Json<NewApiClient>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    body.validate()?;
    let caller: Caller = caller.caller;
    let (row, client_secret) = state
        .db
        .transaction(move |conn| {
            let org = find_in_tenant(conn, &caller.ccas_id, &body.organisation_id)
                .map_err(|_| ApiError::validation("organisation_id", "unknown", "is not an organisation of your CCAS"))?;
            let (row, secret) = queries::insert(conn, &org, &body.label, body.scopes, caller.at)?;
            let what = Action { action: "api_client.create", object_type: "api_client", object_id: Some(&row.id) };
            audit::record(conn, &caller, what, Outcome::Success)?;
            Ok((row, secret))
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(CreatedApiClient { client: ApiClient::try_from(row)?, client_secret }))
}

/// Revoke an API client: it can no longer obtain tokens.
#[utoipa::path(
    tag = "api_clients",
    params(("id" = String, Path, description = "API client id")),
    responses((status = 204, description = "Revoked"), AuthErrors, NotFoundError),
    security(("oauth2" = ["admin"]))
)]
#[delete("/api/v1/api-clients/{id}")]
pub async fn revoke_api_client(
    caller: Authorized<AdminOnly>,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let caller: Caller = caller.caller;
    let revoked = state
        .db
        .transaction(move |conn| {
            let revoked = diesel::update(
                api_clients::table
                    .filter(api_clients::id.eq(id.as_str()))
                    .filter(api_clients::organisation_id.eq_any(tenant_organisation_ids(conn, &caller.ccas_id)?)),
            )
            .set(api_clients::active.eq(false))
            .execute(conn)?;
            if revoked > 0 {
                let what = Action { action: "api_client.revoke", object_type: "api_client", object_id: Some(&id) };
                audit::record(conn, &caller, what, Outcome::Success)?;
            }
            Ok(revoked)
        })
        .await?;
    if revoked == 0 { Err(ApiError::NotFound) } else { Ok(HttpResponse::NoContent().finish()) }
}
