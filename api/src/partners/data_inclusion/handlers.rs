use actix_web::{get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::models::{Document, ImportSummary};
use crate::audit::{self, Action, Outcome};
use crate::auth::extractor::CcasOnly;
use crate::auth::{Authorized, Caller};
use crate::error::ApiResult;
use crate::openapi::{AuthErrors, BodyErrors};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(export_data_inclusion).service(import_data_inclusion);
}

/// The CCAS's active partners as data·inclusion v1 structures and services: one structure per
/// partner and one service (the orientation to it), `source` `relais`; `thematiques` and
/// `publics` mapped from the partner's kind, themes and publics. The coordinators' notes are
/// not exported, nor the free-text opening hours (the schema asks OpenStreetMap's format).
#[utoipa::path(
    tag = "partners",
    responses((status = 200, description = "Success", body = Document), AuthErrors),
    security(("oauth2" = ["ccas"]))
)]
#[get("/api/v1/partners/export/data-inclusion")]
pub async fn export_data_inclusion(caller: Authorized<CcasOnly>, state: web::Data<AppState>) -> ApiResult<web::Json<Document>> {
    let ccas_id = caller.ccas_id.clone();
    Ok(web::Json(state.db.run(move |conn| super::export(conn, &ccas_id)).await?))
}

/// Import a data·inclusion v1 document (up to 64 KiB; larger files with
/// `relais partners import --data-inclusion FILE --ccas ID`). Each structure, with the
/// `thematiques` and `publics` of its services, creates a partner, or updates the one imported
/// before with the same `source` and `id` (its notes and deactivation kept). The file's own
/// categories are kept beside the kind, themes and publics derived from them. A structure
/// without a usable name is skipped, with the reason; a contact that fails Relais's checks is
/// left out.
#[utoipa::path(
    tag = "partners",
    request_body = Document,
    responses((status = 200, description = "What was created, updated and skipped", body = ImportSummary), AuthErrors, BodyErrors),
    security(("oauth2" = ["ccas"]))
)]
#[post("/api/v1/partners/import/data-inclusion")]
pub async fn import_data_inclusion(
    caller: Authorized<CcasOnly>,
    body: web::Json<Document>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<ImportSummary>> {
    let document = body.into_inner();
    let caller: Caller = caller.caller;
    let summary = state
        .db
        .transaction(move |conn| {
            let summary = super::import(conn, &caller.ccas_id, &document, caller.at)?;
            let what = Action { action: "partners.import_data_inclusion", object_type: "ccas", object_id: Some(&caller.ccas_id) };
            audit::record(conn, &caller, what, Outcome::Success)?;
            Ok(summary)
        })
        .await?;
    Ok(web::Json(summary))
}
