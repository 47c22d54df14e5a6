use actix_web::{get, web};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::models::ReferralFilter;
use super::queries::{Loaded, ReferralRow, load_details};
use super::views::{AgencyReferral, CcasReferral, ReferralView, UnitView};
use crate::audit::Action;
use crate::auth::extractor::CcasOrAgency;
use crate::auth::{Authorized, Caller, Scope};
use crate::db::DbConnection;
use crate::db::schema::referrals;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::Query;
use crate::http::pagination::{Cursor, Page, PageParams};
use crate::openapi::{AuthErrors, NotFoundError, QueryErrors};
use crate::state::AppState;
use crate::time::utc;

/// Which referrals a caller may see.
#[derive(Debug, Clone)]
pub enum Reach {
    /// All referrals addressed to this CCAS.
    Ccas(String),
    /// The referrals this agency submitted, minimised once settled for a while.
    /// `as_of` is the request's instant, from which the minimisation counts.
    Agency { org_id: String, unit_view: UnitView, as_of: chrono::NaiveDateTime },
}

impl Reach {
    pub fn of(caller: &Authorized<CcasOrAgency>, unit_view: UnitView) -> Self {
        match caller.acting_as {
            Scope::Ccas => Reach::Ccas(caller.ccas_id.clone()),
            _ => Reach::Agency { org_id: caller.org_id.clone(), unit_view, as_of: caller.at },
        }
    }

    fn filter<'a>(
        &self,
        query: referrals::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend>,
    ) -> referrals::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend> {
        match self {
            Reach::Ccas(ccas_id) => query.filter(referrals::ccas_id.eq(ccas_id.clone())),
            Reach::Agency { org_id, .. } => query.filter(referrals::referring_organisation_id.eq(org_id.clone())),
        }
    }

    pub fn view(&self, loaded: Loaded) -> ApiResult<ReferralView> {
        match self {
            Reach::Ccas(_) => Ok(ReferralView::Ccas(Box::new(loaded.into_ccas_view()?))),
            Reach::Agency { unit_view, as_of, .. } => {
                Ok(ReferralView::Agency(Box::new(AgencyReferral::of(loaded.into_ccas_view()?, *unit_view, *as_of))))
            }
        }
    }
}

/// Loads one referral within reach, or 404.
pub fn find_view(conn: &mut DbConnection, reach: &Reach, id: &str) -> ApiResult<ReferralView> {
    let row: ReferralRow =
        reach.filter(referrals::table.into_boxed()).filter(referrals::id.eq(id)).select(ReferralRow::as_select()).first(conn)?;
    let loaded = load_details(conn, vec![row])?.pop().ok_or(ApiError::NotFound)?;
    reach.view(loaded)
}

/// A page of referrals, tagged with its view (`view`: `ccas` or `agency`), so that a reader
/// (and a validator) knows which one it holds even when the page is empty.
#[derive(Serialize, ToSchema)]
#[serde(tag = "view", rename_all = "snake_case")]
pub enum ReferralPage {
    Ccas(Page<CcasReferral>),
    Agency(Page<AgencyReferral>),
}

impl ReferralPage {
    fn of(reach: &Reach, page: Page<ReferralView>) -> Self {
        let next_cursor = page.next_cursor;
        match reach {
            Reach::Ccas(_) => {
                let items = page.items.into_iter().filter_map(|v| if let ReferralView::Ccas(r) = v { Some(*r) } else { None }).collect();
                ReferralPage::Ccas(Page { items, next_cursor })
            }
            Reach::Agency { .. } => {
                let items = page.items.into_iter().filter_map(|v| if let ReferralView::Agency(r) = v { Some(*r) } else { None }).collect();
                ReferralPage::Agency(Page { items, next_cursor })
            }
        }
    }
}

/// List referrals, most recently received first.
///
/// Coordinators (`ccas`) get every referral addressed to their CCAS, as `CcasReferral`, in a
/// page with `view: ccas`.
/// A gendarmerie unit or police municipale service gets the referrals it submitted, as
/// `AgencyReferral`: what it sent, the status and its dates, nothing else; 30 days (by default)
/// after a referral is accepted or declined, only the persons' roles and initials remain; the
/// page says `view: agency`.
#[utoipa::path(
    tag = "referrals",
    params(ReferralFilter),
    responses((status = 200, description = "Success", body = ReferralPage), AuthErrors, QueryErrors),
    security(("oauth2" = ["ccas"]), ("oauth2" = ["gendarmerie"]), ("oauth2" = ["police_municipale"]), ("oauth2" = ["police_nationale"]))
)]
#[get("/api/v1/referrals")]
pub async fn list_referrals(
    caller: Authorized<CcasOrAgency>,
    filter: Query<ReferralFilter>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<ReferralPage>> {
    let filter = filter.into_inner();
    let paging = PageParams { limit: filter.limit, cursor: filter.cursor.clone() };
    let limit = paging.limit()?;
    let after = paging.time_cursor()?;
    let reach = Reach::of(&caller, state.unit_view);
    if filter.source.is_some() && matches!(reach, Reach::Agency { .. }) {
        return Err(ApiError::validation("source", "invalid", "only coordinators filter by source"));
    }
    if filter.situation_id.is_some() && matches!(reach, Reach::Agency { .. }) {
        return Err(ApiError::validation("situation_id", "invalid", "only coordinators filter by situation"));
    }
    let caller: Caller = caller.caller;
    let page = state
        .read(move |conn, trail| {
            let page = list_views(conn, &reach, &filter, after, limit)?;
            trail.listed(&caller, "referral.list", "referral", page.items.iter().map(ReferralView::id));
            Ok(ReferralPage::of(&reach, page))
        })
        .await?;
    Ok(web::Json(page))
}

/// A page of the referrals within reach, newest first, in the caller's view.
pub fn list_views(
    conn: &mut DbConnection,
    reach: &Reach,
    filter: &ReferralFilter,
    after: Option<(chrono::NaiveDateTime, String)>,
    limit: i64,
) -> ApiResult<Page<ReferralView>> {
    let mut query =
        reach.filter(referrals::table.into_boxed()).order((referrals::received_at.desc(), referrals::id.desc())).limit(limit + 1);
    if let Some(status) = filter.status {
        query = query.filter(referrals::status.eq(status.as_str()));
    }
    if let Some(source) = filter.source {
        query = query.filter(referrals::source.eq(source.as_str()));
    }
    if let Some(urgency) = filter.urgency {
        query = query.filter(referrals::urgency.eq(urgency.as_str()));
    }
    if let Some(situation) = &filter.situation_id {
        query = query.filter(referrals::situation_id.eq(situation.clone()));
    }
    if let Some((at, id)) = after {
        query = query.filter(referrals::received_at.lt(at).or(referrals::received_at.eq(at).and(referrals::id.lt(id))));
    }
    let rows: Vec<ReferralRow> = query.select(ReferralRow::as_select()).load(conn)?;
    let page = Page::from_rows(rows, limit, |r| Cursor { key: utc(r.received_at).to_rfc3339(), id: r.id.clone() });
    page.map_items(|rows| load_details(conn, rows)?.into_iter().map(|l| reach.view(l)).collect())
}

/// Read one referral, in the caller's view. Outside the caller's reach: 404.
#[utoipa::path(
    tag = "referrals",
    params(("id" = String, Path, description = "Referral id")),
    responses((status = 200, description = "Success", body = ReferralView), AuthErrors, NotFoundError),
    security(("oauth2" = ["ccas"]), ("oauth2" = ["gendarmerie"]), ("oauth2" = ["police_municipale"]), ("oauth2" = ["police_nationale"]))
)]
#[get("/api/v1/referrals/{id}")]
pub async fn get_referral(
    caller: Authorized<CcasOrAgency>,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<ReferralView>> {
    let reach = Reach::of(&caller, state.unit_view);
    let caller: Caller = caller.caller;
    let id = id.into_inner();
    let found = state
        .read(move |conn, trail| {
            let found = find_view(conn, &reach, &id);
            trail.read(&caller, Action { action: "referral.read", object_type: "referral", object_id: Some(&id) }, found)
        })
        .await?;
    Ok(web::Json(found))
}
