use actix_web::{HttpRequest, HttpResponse, post, web};

use diesel::prelude::*;
use validator::Validate;

use super::idempotency;
use super::models::{NewReferral, Source};
use super::queries::{NewReferralRecord, insert_referral};
use super::read::{Reach, find_view};
use super::views::ReferralView;
use crate::audit::{self, Action, Outcome};
use crate::auth::extractor::CcasOrAgency;
use crate::auth::{Authorized, Caller, Scope};
use crate::db::DbConnection;
use crate::db::schema::partners;
use crate::error::{ApiError, ApiResult};
use crate::openapi::{AuthErrors, BodyErrors};
use crate::state::AppState;

/// Checks where a referral comes from, against who sends it.
fn resolve_source(caller: &Authorized<CcasOrAgency>, body: &NewReferral) -> ApiResult<Source> {
    let invalid = |field: &str, why: &str| Err(ApiError::validation(field, "invalid", why));
    let agency_source = match caller.acting_as {
        Scope::Gendarmerie => Some(Source::Gendarmerie),
        Scope::PoliceMunicipale => Some(Source::PoliceMunicipale),
        Scope::PoliceNationale => Some(Source::PoliceNationale),
        _ => None,
    };
    match (agency_source, body.source) {
        (Some(own), None) => Ok(own),
        (Some(own), Some(s)) if s == own => Ok(own),
        (Some(_), Some(_)) => invalid("source", "an agency refers under its own kind only"),
        (None, None) => invalid("source", "is required: partner, walk_in or proactive"),
        (None, Some(Source::Gendarmerie | Source::PoliceMunicipale | Source::PoliceNationale)) => {
            invalid("source", "gendarmerie and police referrals are created by those agencies")
        }
        (None, Some(s)) => Ok(s),
    }
    .and_then(|source| match (source, &body.partner_id) {
        (Source::Partner, None) => invalid("partner_id", "is required for a partner referral"),
        (Source::Partner, Some(_)) => Ok(source),
        (_, Some(_)) => invalid("partner_id", "only a partner referral names a partner"),
        (_, None) => Ok(source),
    })
}

fn check_partner(conn: &mut DbConnection, ccas_id: &str, partner_id: Option<&str>) -> ApiResult<()> {
    let Some(partner_id) = partner_id else { return Ok(()) };
    let known =
        diesel::select(diesel::dsl::exists(partners::table.filter(partners::id.eq(partner_id)).filter(partners::ccas_id.eq(ccas_id))))
            .get_result::<bool>(conn)?;
    if known { Ok(()) } else { Err(ApiError::validation("partner_id", "unknown", "is not a partner of this CCAS")) }
}

/// Create a referral.
///
/// A gendarmerie unit or police municipale service refers to its own CCAS; a coordinator
/// records partner, walk-in and proactive referrals. With an `Idempotency-Key` header, a retry
/// with the same key and body answers the first answer again (with `Idempotent-Replayed: true`)
/// and creates nothing; the same key with another body answers 422.
#[utoipa::path(
    tag = "referrals",
    request_body = NewReferral,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: 1 to 200 visible ASCII characters, unique per request")),
    responses(
        (status = 201, description = "Created (or replayed), in the caller's view", body = ReferralView,
            headers(("Location" = String, description = "The referral's URL"))),
        AuthErrors,
        BodyErrors,
    ),
    security(("oauth2" = ["gendarmerie"]), ("oauth2" = ["police_municipale"]), ("oauth2" = ["police_nationale"]), ("oauth2" = ["ccas"]))
)]
#[post("/api/v1/referrals")]
pub async fn create_referral(
    req: HttpRequest,
    caller: Authorized<CcasOrAgency>,
    body: web::Json<NewReferral>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    crate::http::validation::all_of(body.validate(), body.birth_date_errors(caller.today()))?;
    body.check_children()?;
    let source = resolve_source(&caller, &body)?;
    let received_at = crate::time::past_or_now("received_at", body.received_at, caller.at)?;
    let key = idempotency::key_of(&req)?;
    let hash = idempotency::request_hash(&body)?;
    let reach = Reach::of(&caller, state.unit_view);
    let caller: Caller = caller.caller;
    let record = NewReferralRecord {
        ccas_id: caller.ccas_id.clone(),
        source,
        referring_organisation_id: matches!(reach, Reach::Agency { .. }).then(|| caller.org_id.clone()),
        created_by: caller.sub.clone(),
        received_at,
        body,
    };
    let attempt = {
        let (reach, caller, key, hash) = (reach.clone(), caller.clone(), key.clone(), hash.clone());
        state.db.transaction(move |conn| create_once(conn, &reach, &caller, key.as_deref(), &hash, &record)).await
    };
    let (view, replayed) = match (attempt, key) {
        // Two requests with one key raced and the other committed first: answer its result.
        (Err(ApiError::Conflict { .. }), Some(key)) => {
            let replay = state
                .db
                .run(move |conn| {
                    let id = idempotency::replayed(conn, &caller.org_id, &key, &hash)?.ok_or(ApiError::NotFound)?;
                    find_view(conn, &reach, &id)
                })
                .await?;
            (replay, true)
        }
        (result, _) => result?,
    };
    let id = view.id().to_owned();
    let mut response = HttpResponse::Created();
    response.insert_header(("Location", format!("/api/v1/referrals/{id}")));
    if replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    Ok(response.json(view))
}

fn create_once(
    conn: &mut DbConnection,
    reach: &Reach,
    caller: &Caller,
    key: Option<&str>,
    hash: &str,
    record: &NewReferralRecord,
) -> ApiResult<(ReferralView, bool)> {
    if let Some(key) = key
        && let Some(existing) = idempotency::replayed(conn, &caller.org_id, key, hash)?
    {
        return Ok((find_view(conn, reach, &existing)?, true));
    }
    crate::reference::check_problem_types(conn, "problem_types", &record.body.problem_types)?;
    check_partner(conn, &record.ccas_id, record.body.partner_id.as_deref())?;
    let id = insert_referral(conn, record, caller.at)?;
    if let Some(key) = key {
        idempotency::remember(conn, &caller.org_id, key, hash, &id, caller.at)?;
    }
    audit::record(conn, caller, Action { action: "referral.create", object_type: "referral", object_id: Some(&id) }, Outcome::Success)?;
    Ok((find_view(conn, reach, &id)?, false))
}
