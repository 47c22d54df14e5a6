use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One bucket or the whole period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Period,
    Month,
}

/// A layout field pinned to one value, so that a reader tells the layouts apart.
pub(super) fn pinned_layout(layout: &str) -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some([layout])).build()
}

fn standard_layout() -> utoipa::openapi::schema::Object {
    pinned_layout("standard")
}

/// How the figures are arranged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Relais's own definitions (`ActivityReport`).
    #[default]
    Standard,
    /// The funders' grid: the categories of the 2008 practical guide of the Délégation
    /// interministérielle à la ville (`FundersReport`), for `ccas` and `reports` only.
    Funders,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// First day (Europe/Paris), included.
    pub from: NaiveDate,
    /// Last day (Europe/Paris), included.
    pub to: NaiveDate,
    /// `period` (default): one set of figures; `month`: one per calendar month.
    pub granularity: Option<Granularity>,
    /// `standard` (default) or `funders`.
    #[param(inline)]
    pub layout: Option<Layout>,
}

/// A count; for the `reports` audience, counts from 1 to 4 are suppressed (`value` null,
/// `suppressed` true) so that no one can be recognised from them.
#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
pub struct Count {
    pub value: Option<i64>,
    pub suppressed: bool,
}

/// A count for one category.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Breakdown {
    pub key: String,
    pub count: Count,
}

/// Situations met in the period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SituationsMet {
    /// Situations opened in the period.
    pub opened: Count,
    /// Situations opened before the period and not closed before it started.
    pub ongoing: Count,
    /// `opened` + `ongoing`.
    pub total: Count,
}

/// Delay from the receipt of a referral to a step: the first attempt to contact the person,
/// or the first interview.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactDelay {
    /// Referrals received in the period that reached the step.
    pub referrals: Count,
    /// Median delay in minutes (nearest rank); null when suppressed or without referrals.
    pub median_minutes: Option<i64>,
    /// 90th percentile in minutes (nearest rank).
    pub p90_minutes: Option<i64>,
}

/// The figures of one period, for a CCAS.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Figures {
    pub situations_met: SituationsMet,
    /// Distinct persons who attended an appointment (as one of the persons it expected) or took part in an
    /// in-person intervention in the period; a person in two situations counts once.
    pub persons_received: Count,
    /// Referrals received in the period (the sum of either breakdown below).
    pub referrals_received: Count,
    /// Referrals received in the period, by source.
    pub referrals_by_source: Vec<Breakdown>,
    /// Referrals received in the period, by their status now (`received`,
    /// `contact_attempted`, `accepted`, `declined`).
    pub referrals_by_outcome: Vec<Breakdown>,
    /// Situations met in the period, by problem type (a situation counts once per type).
    pub situations_by_problem_type: Vec<Breakdown>,
    /// Distinct persons of the situations met, by role (a person with two roles counts in both).
    pub persons_by_role: Vec<Breakdown>,
    /// Persons received in the period, by age at their first contact ever (first attended
    /// appointment or in-person intervention): `minor`, `adult`, or `unknown` without a birth
    /// date or year.
    pub persons_by_age_group: Vec<Breakdown>,
    /// Interventions of the period.
    pub interventions_total: Count,
    /// Interventions of the period, by kind.
    pub interventions_by_kind: Vec<Breakdown>,
    /// Orientations of the period, by the kind of the partner.
    pub orientations_by_partner_kind: Vec<Breakdown>,
    /// Orientations of the period, by whether the partner took the person in charge (`yes`,
    /// `no`, `unknown` until the coordinator records it).
    pub orientations_by_outcome: Vec<Breakdown>,
    /// Appointments starting in the period.
    pub appointments_total: Count,
    /// Appointments starting in the period, by `kind:status` (e.g. `scheduled:no_show`).
    pub appointments_by_kind_and_outcome: Vec<Breakdown>,
    /// Concern and prosecutor reports of the period, by kind.
    pub legal_reports_by_kind: Vec<Breakdown>,
    /// Brief anonymous contacts of the period (`/brief-contacts`): counted apart, never among
    /// the persons received or the situations met.
    pub brief_contacts_total: Count,
    /// Brief contacts of the period, by channel (`phone`, `sms`, `letter`, `in_person`).
    pub brief_contacts_by_channel: Vec<Breakdown>,
    /// Brief contacts of the period, by origin (the referral sources).
    pub brief_contacts_by_origin: Vec<Breakdown>,
    pub first_contact_delay: ContactDelay,
    /// Delay from the receipt of a referral to the first interview: the first attended
    /// appointment or in-person intervention of the situation it joined, since its receipt.
    pub first_interview_delay: ContactDelay,
    /// Both delays, by the referrals' origin.
    pub reactivity_by_origin: Vec<OriginReactivity>,
}

/// The reactivity of the coordinators to the referrals of one origin.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OriginReactivity {
    /// The referral source (`gendarmerie`, `police_nationale`, `walk_in`...).
    pub key: String,
    pub first_contact: ContactDelay,
    pub first_interview: ContactDelay,
}

/// The figures of one bucket.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeriodFigures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub figures: Figures,
}

/// The activity report of a CCAS (exact for `ccas`, small counts suppressed for `reports`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActivityReport {
    /// Always `standard`: tells this report from the funders' grid.
    #[schema(schema_with = standard_layout)]
    pub layout: Layout,
    pub ccas_id: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub granularity: Granularity,
    /// True for the `reports` audience: counts from 1 to 4 are suppressed.
    pub small_counts_suppressed: bool,
    pub periods: Vec<PeriodFigures>,
}

/// What a gendarmerie unit or police municipale service learns of its own referrals.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyFigures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Its referrals received in the period.
    pub referrals: i64,
    pub accepted: i64,
    pub declined: i64,
    /// Still `received` or `contact_attempted`.
    pub pending: i64,
    /// Median delay to first contact, in minutes (nearest rank).
    pub first_contact_delay_median_minutes: Option<i64>,
}

/// The activity report of a referring agency: its own referrals, nothing about persons.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyActivityReport {
    pub organisation_id: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub granularity: Granularity,
    pub periods: Vec<AgencyFigures>,
}

/// The report in the caller's view.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ReportView {
    Ccas(ActivityReport),
    Agency(AgencyActivityReport),
    Funders(super::funders::models::FundersReport),
}
