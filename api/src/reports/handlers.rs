use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::calendar::{CalendarPeriod, ended_in_year};
use super::csv;
use super::figures::{agency_figures, ccas_figures};
use super::models::{ActivityReport, AgencyActivityReport, Granularity, PeriodFigures, ReportQuery, ReportView};
use super::periods::split;
use super::protection::protect;
use crate::auth::extractor::Policy;
use crate::auth::{Authorized, Scope};
use crate::db::DbConnection;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::Query;
use crate::openapi::{AuthErrors, QueryErrors};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(activity_report);
}

/// The exact report of a CCAS, for its coordinators (also what `relais bench` times).
pub fn ccas_report(conn: &mut DbConnection, ccas_id: &str, query: &ReportQuery, granularity: Granularity) -> ApiResult<ActivityReport> {
    let periods = begun(split(query.from, query.to, granularity == Granularity::Month)?)
        .iter()
        .map(|p| Ok(PeriodFigures { from: p.from, to: p.to, figures: ccas_figures(conn, ccas_id, p)? }))
        .collect::<ApiResult<_>>()?;
    Ok(ActivityReport { ccas_id: ccas_id.to_owned(), from: query.from, to: query.to, granularity, small_counts_suppressed: false, periods })
}

/// The buckets that have begun: a month still to come has nothing to count (its "ongoing"
/// files would be today's open ones), so it is not in the report.
fn begun(mut periods: Vec<super::periods::Period>) -> Vec<super::periods::Period> {
    let today = crate::time::local_today();
    if periods.len() > 1 {
        periods.retain(|p| p.from <= today);
    }
    periods
}

/// The report a reporting tool reads: one calendar month, quarter or year that has ended, its
/// figures protected together with every period of its year that has ended (see
/// [`super::protection`]).
pub fn published_report(
    conn: &mut DbConnection,
    ccas_id: &str,
    query: &ReportQuery,
    granularity: Granularity,
    today: chrono::NaiveDate,
) -> ApiResult<ActivityReport> {
    let asked = published_period(query, today)?;
    let periods = ended_in_year(asked.year, today)?;
    let mut figures = periods
        .iter()
        .map(|p| {
            let (from, to) = p.bounds()?;
            let period = split(from, to, false)?.pop().ok_or_else(|| ApiError::internal("a period"))?;
            ccas_figures(conn, ccas_id, &period)
        })
        .collect::<ApiResult<Vec<_>>>()?;
    protect(&periods, &mut figures);
    let wanted = if granularity == Granularity::Month { asked.months() } else { vec![asked] };
    let periods = wanted
        .iter()
        .map(|w| {
            let (from, to) = w.bounds()?;
            let i = periods.iter().position(|p| p == w).ok_or_else(|| ApiError::internal("an ended period"))?;
            Ok(PeriodFigures { from, to, figures: figures[i].clone() })
        })
        .collect::<ApiResult<_>>()?;
    Ok(ActivityReport { ccas_id: ccas_id.to_owned(), from: query.from, to: query.to, granularity, small_counts_suppressed: true, periods })
}

fn published_period(query: &ReportQuery, today: chrono::NaiveDate) -> ApiResult<CalendarPeriod> {
    let asked = CalendarPeriod::of(query.from, query.to)?;
    if !asked.has_ended(today)? {
        return Err(ApiError::validation(
            "to",
            "period_not_ended",
            "reporting tools read periods that have ended: a running period changes every day",
        ));
    }
    Ok(asked)
}

/// Everyone who reads figures: coordinators, reporting tools, and the referring agencies
/// (for their own referrals).
pub struct ReportReaders;
impl Policy for ReportReaders {
    const SCOPES: &'static [Scope] = &[Scope::Ccas, Scope::Reports, Scope::Gendarmerie, Scope::PoliceMunicipale, Scope::PoliceNationale];
}

/// The activity report for a period, as JSON or, with `Accept: text/csv`, as CSV (French
/// headers, `;` separator, UTF-8 with BOM).
///
/// `ccas` gets the exact figures of its CCAS, for any range of days. `reports` gets the same
/// figures for a calendar month, quarter or year that has ended (422 otherwise), never a
/// record, with counts from 1 to 4 suppressed (null, `suppressed: true`) and, so that none can
/// be computed back, others with them (secondary suppression): a total minus its visible parts,
/// a quarter or year minus its visible months, or any combination of the figures of the
/// year's months, quarters and the year never gives a suppressed count; a period's figures do
/// not change when later periods of its year end. A gendarmerie unit
/// or police municipale service gets the figures of its own referrals only (received,
/// accepted, declined, pending, median delay to first contact), nothing about persons.
///
/// Definitions, for a period `[from, to]` of local days (Europe/Paris):
/// - situations met: opened in the period, plus ongoing ones (opened before it and not closed
///   before it started);
/// - persons received: distinct persons who attended an appointment (as its person) or took
///   part in an in-person intervention in the period; a person in two situations counts once;
/// - referrals by source and by outcome: referrals received in the period, by source, and by
///   their status now;
/// - situations by problem type and persons by role: over the situations met;
/// - persons by age group: persons received, minor or adult at their first contact ever
///   (with only a birth year, a minor during the whole year they turn 18);
/// - interventions by kind, orientations by partner kind, legal reports by kind: those that
///   took place in the period; appointments by `kind:status`: those starting in it;
/// - delay to first contact: from the receipt of a referral received in the period to its
///   first contact attempt; median and 90th percentile by nearest rank, in minutes.
#[utoipa::path(
    tag = "reports",
    params(ReportQuery),
    responses(
        (status = 200, description = "The report in the caller's view", content(
            (ReportView = "application/json"),
            (String = "text/csv")
        )),
        AuthErrors,
        QueryErrors,
    ),
    security(("oauth2" = ["ccas"]), ("oauth2" = ["reports"]), ("oauth2" = ["gendarmerie"]), ("oauth2" = ["police_municipale"]), ("oauth2" = ["police_nationale"]))
)]
#[get("/api/v1/reports/activity")]
pub async fn activity_report(
    req: HttpRequest,
    caller: Authorized<ReportReaders>,
    query: Query<ReportQuery>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let granularity = query.granularity.unwrap_or(Granularity::Period);
    let periods = split(query.from, query.to, granularity == Granularity::Month)?;
    let acting_as = caller.acting_as;
    let today = crate::time::local_today();
    if acting_as == Scope::Reports {
        published_period(&query, today)?;
    }
    let (org_id, ccas_id) = (caller.org_id.clone(), caller.ccas_id.clone());
    let view = {
        let query = query.clone();
        state
            .report(move |conn| match acting_as {
                Scope::Ccas => Ok(ReportView::Ccas(ccas_report(conn, &ccas_id, &query, granularity)?)),
                Scope::Reports => Ok(ReportView::Ccas(published_report(conn, &ccas_id, &query, granularity, today)?)),
                _ => {
                    let periods = begun(periods).iter().map(|p| agency_figures(conn, &org_id, p)).collect::<ApiResult<_>>()?;
                    Ok(ReportView::Agency(AgencyActivityReport {
                        organisation_id: org_id,
                        from: query.from,
                        to: query.to,
                        granularity,
                        periods,
                    }))
                }
            })
            .await?
    };
    if !crate::http::csv::wanted(&req) {
        return Ok(HttpResponse::Ok().json(view));
    }
    let (body, name) = match &view {
        ReportView::Ccas(report) => {
            let types = state.db.run(crate::reference::problem_types_in_order).await?;
            let labels = types.into_iter().map(|t| (t.code, t.label_fr)).collect();
            (csv::ccas(report, &labels), "bilan-activite")
        }
        ReportView::Agency(report) => (csv::agency(report), "bilan-saisines"),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}-{}-{}.csv\"", query.from, query.to)))
        .body(body))
}
