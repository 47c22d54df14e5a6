use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::calendar::{CalendarPeriod, ended_in_year};
use super::csv;
use super::figures::{agency_figures, ccas_figures};
use super::funders::funders_figures;
use super::funders::models::{FundersPeriod, FundersReport};
use super::models::{ActivityReport, AgencyActivityReport, Granularity, Layout, PeriodFigures, ReportQuery, ReportView};
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
/// `today` (Europe/Paris) ends the months that have begun.
pub fn ccas_report(
    conn: &mut DbConnection,
    ccas_id: &str,
    query: &ReportQuery,
    granularity: Granularity,
    today: chrono::NaiveDate,
) -> ApiResult<ActivityReport> {
    let periods = begun(split(query.from, query.to, granularity == Granularity::Month)?, today)
        .iter()
        .map(|p| Ok(PeriodFigures { from: p.from, to: p.to, figures: ccas_figures(conn, ccas_id, p)? }))
        .collect::<ApiResult<_>>()?;
    Ok(ActivityReport {
        layout: Layout::Standard,
        ccas_id: ccas_id.to_owned(),
        from: query.from,
        to: query.to,
        granularity,
        small_counts_suppressed: false,
        periods,
    })
}

/// The buckets that have begun: a month still to come has nothing to count (its "ongoing"
/// files would be today's open ones), so it is not in the report.
fn begun(mut periods: Vec<super::periods::Period>, today: chrono::NaiveDate) -> Vec<super::periods::Period> {
    if periods.len() > 1 {
        periods.retain(|p| p.from <= today);
    }
    periods
}

/// The exact funders' grid of a CCAS, for its coordinators.
pub fn ccas_funders_report(
    conn: &mut DbConnection,
    ccas_id: &str,
    query: &ReportQuery,
    granularity: Granularity,
    today: chrono::NaiveDate,
) -> ApiResult<FundersReport> {
    let periods = begun(split(query.from, query.to, granularity == Granularity::Month)?, today)
        .iter()
        .map(|p| {
            let standard = ccas_figures(conn, ccas_id, p)?;
            Ok(FundersPeriod { from: p.from, to: p.to, figures: funders_figures(conn, ccas_id, p, &standard)? })
        })
        .collect::<ApiResult<_>>()?;
    Ok(FundersReport {
        layout: Layout::Funders,
        ccas_id: ccas_id.to_owned(),
        from: query.from,
        to: query.to,
        granularity,
        small_counts_suppressed: false,
        periods,
    })
}

/// What a reporting tool reads, in both layouts: one calendar month, quarter or year that has
/// ended, its figures protected together with every period of its year that has ended (see
/// [`super::protection`]), the standard figures and the funders' grid as one set of cells.
pub struct Published {
    pub standard: ActivityReport,
    pub funders: FundersReport,
}

pub fn published_reports(
    conn: &mut DbConnection,
    ccas_id: &str,
    query: &ReportQuery,
    granularity: Granularity,
    today: chrono::NaiveDate,
) -> ApiResult<Published> {
    let asked = published_period(query, today)?;
    let periods = ended_in_year(asked.year, today)?;
    let mut figures = Vec::with_capacity(periods.len());
    let mut funders = Vec::with_capacity(periods.len());
    for p in &periods {
        let (from, to) = p.bounds()?;
        let period = split(from, to, false)?.pop().ok_or_else(|| ApiError::internal("a period"))?;
        let standard = ccas_figures(conn, ccas_id, &period)?;
        funders.push(funders_figures(conn, ccas_id, &period, &standard)?);
        figures.push(standard);
    }
    protect(&periods, &mut figures, &mut funders);
    let wanted = if granularity == Granularity::Month { asked.months() } else { vec![asked] };
    let (mut standard, mut grid) = (Vec::new(), Vec::new());
    for w in &wanted {
        let (from, to) = w.bounds()?;
        let i = periods.iter().position(|p| p == w).ok_or_else(|| ApiError::internal("an ended period"))?;
        standard.push(PeriodFigures { from, to, figures: figures[i].clone() });
        grid.push(FundersPeriod { from, to, figures: funders[i].clone() });
    }
    let (ccas_id, from, to) = (ccas_id.to_owned(), query.from, query.to);
    Ok(Published {
        standard: ActivityReport {
            layout: Layout::Standard,
            ccas_id: ccas_id.clone(),
            from,
            to,
            granularity,
            small_counts_suppressed: true,
            periods: standard,
        },
        funders: FundersReport { layout: Layout::Funders, ccas_id, from, to, granularity, small_counts_suppressed: true, periods: grid },
    })
}

/// The standard layout of [`published_reports`].
pub fn published_report(
    conn: &mut DbConnection,
    ccas_id: &str,
    query: &ReportQuery,
    granularity: Granularity,
    today: chrono::NaiveDate,
) -> ApiResult<ActivityReport> {
    Ok(published_reports(conn, ccas_id, query, granularity, today)?.standard)
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
    let layout = query.layout.unwrap_or_default();
    let today = caller.today();
    if acting_as == Scope::Reports {
        published_period(&query, today)?;
    }
    if layout == Layout::Funders && !matches!(acting_as, Scope::Ccas | Scope::Reports) {
        // A unit's figures are its own referrals; the grid describes the post's whole work.
        return Err(ApiError::InsufficientScope { required: "ccas, reports".into() });
    }
    let (org_id, ccas_id) = (caller.org_id.clone(), caller.ccas_id.clone());
    let view = {
        let query = query.clone();
        state
            .report(move |conn| match acting_as {
                Scope::Ccas if layout == Layout::Funders => {
                    Ok(ReportView::Funders(ccas_funders_report(conn, &ccas_id, &query, granularity, today)?))
                }
                Scope::Ccas => Ok(ReportView::Ccas(ccas_report(conn, &ccas_id, &query, granularity, today)?)),
                Scope::Reports => {
                    let published = published_reports(conn, &ccas_id, &query, granularity, today)?;
                    Ok(match layout {
                        Layout::Funders => ReportView::Funders(published.funders),
                        Layout::Standard => ReportView::Ccas(published.standard),
                    })
                }
                _ => {
                    let periods = begun(periods, today).iter().map(|p| agency_figures(conn, &org_id, p)).collect::<ApiResult<_>>()?;
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
        ReportView::Funders(report) => (super::funders::funders_csv(report), "grille-financeurs"),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}-{}-{}.csv\"", query.from, query.to)))
        .body(body))
}
