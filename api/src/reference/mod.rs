//! Reference data: the problem types ("problématiques") a situation or a partner is about.
//! They live in a table, not in strings scattered through handlers.

use actix_web::{get, web};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Authorized;
use crate::auth::extractor::AnyScope;
use crate::db::DbConnection;
use crate::db::schema::problem_types;
use crate::error::{ApiError, ApiResult};
use crate::openapi::AuthErrors;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_problem_types);
}

/// A problem type.
#[derive(Debug, Serialize, ToSchema, Queryable)]
pub struct ProblemType {
    #[schema(example = "domestic_violence")]
    pub code: String,
    #[schema(example = "Violences conjugales")]
    pub label_fr: String,
}

/// List the problem types, in display order.
#[utoipa::path(
    tag = "reference",
    responses((status = 200, description = "Success", body = Vec<ProblemType>), AuthErrors),
    security(("oauth2" = ["ccas"]), ("oauth2" = ["gendarmerie"]), ("oauth2" = ["police_municipale"]), ("oauth2" = ["police_nationale"]), ("oauth2" = ["reports"]), ("oauth2" = ["admin"]))
)]
#[get("/api/v1/problem-types")]
pub async fn list_problem_types(_caller: Authorized<AnyScope>, state: web::Data<AppState>) -> ApiResult<web::Json<Vec<ProblemType>>> {
    let rows = state.db.run(problem_types_in_order).await?;
    Ok(web::Json(rows))
}

/// Every problem type with its French label, in the order of the reference list.
pub fn problem_types_in_order(conn: &mut crate::db::DbConnection) -> ApiResult<Vec<ProblemType>> {
    Ok(problem_types::table.select((problem_types::code, problem_types::label_fr)).order(problem_types::position).load(conn)?)
}

/// Checks that every code is a known problem type; `field` names the request field.
pub fn check_problem_types(conn: &mut DbConnection, field: &str, codes: &[String]) -> ApiResult<()> {
    let known: Vec<String> = problem_types::table.filter(problem_types::code.eq_any(codes)).select(problem_types::code).load(conn)?;
    let errors: Vec<_> = codes
        .iter()
        .enumerate()
        .filter(|(_, code)| !known.contains(code))
        .map(|(i, code)| crate::error::FieldError::new(format!("{field}[{i}]"), "unknown", format!("{code:?} is not a problem type")))
        .collect();
    if errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(errors)) }
}
