use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate};
use diesel::RunQueryDsl;

use crate::db::DbConnection;
use crate::error::{ApiError, ApiResult};

/// The size and shape of a generated dataset.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub situations: i64,
    pub ccas: i64,
    pub years: i64,
    /// The day the dataset is generated as of (the last generated year is the one before).
    pub today: NaiveDate,
}

impl Plan {
    /// The first day of the generated years.
    pub fn start(&self) -> ApiResult<NaiveDate> {
        let this_year = self.today.year();
        NaiveDate::from_ymd_opt(this_year - i32::try_from(self.years).unwrap_or(1), 1, 1).ok_or_else(|| ApiError::internal("start"))
    }
}

/// SQL that differs between the backends: only time arithmetic.
struct Dialect {
    postgres: bool,
    start: String,
}

impl Dialect {
    /// The instant `minutes` after the start.
    fn at(&self, minutes: &str) -> String {
        if self.postgres {
            format!("(TIMESTAMP '{} 00:00:00' + ({minutes}) * INTERVAL '1 minute')", self.start)
        } else {
            // "N minutes" carries its own sign: "+-5 minutes" would be NULL.
            format!("datetime('{} 00:00:00', ({minutes}) || ' minutes')", self.start)
        }
    }
}

impl Dialect {
    /// `n` as 8 digits, zero-padded.
    fn digits8(&self, n: &str) -> String {
        if self.postgres { format!("lpad(CAST({n} AS TEXT), 8, '0')") } else { format!("substr('00000000' || ({n}), -8, 8)") }
    }

    /// The instant `minutes` after midnight UTC of `day`.
    fn on(&self, day: NaiveDate, minutes: &str) -> String {
        if self.postgres {
            format!("(TIMESTAMP '{day} 00:00:00' + ({minutes}) * INTERVAL '1 minute')")
        } else {
            format!("datetime('{day} 00:00:00', ({minutes}) || ' minutes')")
        }
    }
}

/// Surnames combined with endings give a thousand distinct names, spread as real ones are
/// (a few hundred persons share the most common prefixes in a CCAS, most share none).
const SURNAMES: &str = "CASE m % 50 WHEN 0 THEN 'Martin' WHEN 1 THEN 'Bernard' WHEN 2 THEN 'Thomas' WHEN 3 THEN 'Petit' WHEN 4 THEN 'Robert' \
WHEN 5 THEN 'Richard' WHEN 6 THEN 'Durand' WHEN 7 THEN 'Dubois' WHEN 8 THEN 'Moreau' WHEN 9 THEN 'Laurent' WHEN 10 THEN 'Simon' \
WHEN 11 THEN 'Michel' WHEN 12 THEN 'Lefebvre' WHEN 13 THEN 'Leroy' WHEN 14 THEN 'Roux' WHEN 15 THEN 'David' WHEN 16 THEN 'Bertrand' \
WHEN 17 THEN 'Morel' WHEN 18 THEN 'Fournier' WHEN 19 THEN 'Girard' WHEN 20 THEN 'Bonnet' WHEN 21 THEN 'Dupont' WHEN 22 THEN 'Lambert' \
WHEN 23 THEN 'Fontaine' WHEN 24 THEN 'Rousseau' WHEN 25 THEN 'Vincent' WHEN 26 THEN 'Muller' WHEN 27 THEN 'Lefevre' WHEN 28 THEN 'Faure' \
WHEN 29 THEN 'Andre' WHEN 30 THEN 'Mercier' WHEN 31 THEN 'Blanc' WHEN 32 THEN 'Guerin' WHEN 33 THEN 'Boyer' WHEN 34 THEN 'Garnier' \
WHEN 35 THEN 'Chevalier' WHEN 36 THEN 'Francois' WHEN 37 THEN 'Legrand' WHEN 38 THEN 'Gauthier' WHEN 39 THEN 'Garcia' WHEN 40 THEN 'Perrin' \
WHEN 41 THEN 'Robin' WHEN 42 THEN 'Clement' WHEN 43 THEN 'Morin' WHEN 44 THEN 'Nicolas' WHEN 45 THEN 'Henry' WHEN 46 THEN 'Roussel' \
WHEN 47 THEN 'Mathieu' WHEN 48 THEN 'Gautier' ELSE 'Masson' END || CASE (m / 50) % 20 WHEN 0 THEN '' WHEN 1 THEN 'eau' WHEN 2 THEN 'on' \
WHEN 3 THEN 'et' WHEN 4 THEN 'in' WHEN 5 THEN 'ot' WHEN 6 THEN 'ier' WHEN 7 THEN 'ard' WHEN 8 THEN 'ez' WHEN 9 THEN 'y' WHEN 10 THEN 'ault' \
WHEN 11 THEN 'aud' WHEN 12 THEN 'as' WHEN 13 THEN 'ois' WHEN 14 THEN 'elle' WHEN 15 THEN 'ane' WHEN 16 THEN 'ic' WHEN 17 THEN 'ol' \
WHEN 18 THEN 'u' ELSE 'an' END";

const FIRST_NAMES: &str = "CASE (m * 7 + k) % 24 WHEN 0 THEN 'Marie' WHEN 1 THEN 'Nathalie' WHEN 2 THEN 'Isabelle' WHEN 3 THEN 'Sylvie' \
WHEN 4 THEN 'Catherine' WHEN 5 THEN 'Sandrine' WHEN 6 THEN 'Julie' WHEN 7 THEN 'Camille' WHEN 8 THEN 'Laura' WHEN 9 THEN 'Sarah' \
WHEN 10 THEN 'Emma' WHEN 11 THEN 'Lea' WHEN 12 THEN 'Jean' WHEN 13 THEN 'Philippe' WHEN 14 THEN 'Nicolas' WHEN 15 THEN 'Christophe' \
WHEN 16 THEN 'Pierre' WHEN 17 THEN 'Julien' WHEN 18 THEN 'Thomas' WHEN 19 THEN 'Kevin' WHEN 20 THEN 'Karim' WHEN 21 THEN 'Mehdi' \
WHEN 22 THEN 'Lucas' ELSE 'Hugo' END";

/// The size of each CCAS's partner directory.
const PARTNERS_PER_CCAS: i64 = 50;

fn seq(n: i64) -> String {
    format!("WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < {n}) ")
}

/// Rows `n` shared out between the `c` CCAS by `n % c`, with `m = n / c` their rank within
/// their CCAS. Categories (status, source, names, ages...) follow `m`, so that every CCAS gets
/// each of them in the same proportions: following `n`, the CCAS whose numbers are multiples
/// of 10 would have every file closed and every person a minor.
fn seq_by_ccas(n: i64, c: i64) -> String {
    format!("WITH RECURSIVE seq(n, m) AS (SELECT 0, 0 UNION ALL SELECT n + 1, (n + 1) / {c} FROM seq WHERE n + 1 < {n}) ")
}

const TWO: &str = "(SELECT 1 AS k UNION ALL SELECT 2 AS k) ks";

const PROBLEMS: &str = "CASE m % 11 WHEN 0 THEN 'domestic_violence' WHEN 1 THEN 'conflictual_separation' WHEN 2 THEN 'domestic_violence' \
WHEN 3 THEN 'family_conflict' WHEN 4 THEN 'child_at_risk' WHEN 5 THEN 'neighbour_dispute' WHEN 6 THEN 'mental_distress' \
WHEN 7 THEN 'housing_precarity' WHEN 8 THEN 'vulnerable_adult' WHEN 9 THEN 'harassment' ELSE 'addiction' END";

/// Fills an empty database; returns the number of rows written.
pub fn generate(conn: &mut DbConnection, plan: &Plan, postgres: bool) -> ApiResult<u64> {
    if plan.situations < 1 || plan.ccas < 1 || plan.years < 1 || plan.ccas > plan.situations {
        return Err(ApiError::validation("situations", "range", "needs situations ≥ ccas ≥ 1 and years ≥ 1"));
    }
    if postgres {
        // A bulk load, not a request: the connection's statement timeout (15 s) would cut the
        // million-row statements short. `LOCAL`: for this transaction only.
        diesel::sql_query("SET LOCAL statement_timeout = 0").execute(conn)?;
    }
    let start = plan.start()?;
    let d = Dialect { postgres, start: start.to_string() };
    let (n_total, c) = (plan.situations, plan.ccas);
    let span = (start + Duration::days(365 * plan.years) - start).num_minutes() - 60 * 24 * 40;
    let off = format!("(CAST(n AS BIGINT) * {span} / {n_total} + 1440)");
    let created = d.at("0");
    let today = plan.today;
    // One referral in fifty is still in an inbox.
    let inbox = (n_total / 50).max(c);
    let statements = vec![
        format!(
            "INSERT INTO organisations (id, kind, name, ccas_id, active, created_at) {} SELECT 'bench-ccas-' || n, 'ccas', 'CCAS ' || n, NULL, TRUE, {created} FROM seq",
            seq(c)
        ),
        format!(
            "INSERT INTO organisations (id, kind, name, ccas_id, active, created_at) {} SELECT 'bench-brigade-' || n, 'gendarmerie', 'Brigade ' || n, 'bench-ccas-' || n, TRUE, {created} FROM seq",
            seq(c)
        ),
        format!(
            "INSERT INTO users (id, organisation_id, login, display_name, password_hash, scopes, active, created_at) {} \
                 SELECT 'bench-user-' || n, 'bench-ccas-' || n, 'bench.user.' || n, 'Coordinatrice ' || n, 'no-login', 'ccas', TRUE, {created} FROM seq",
            seq(c)
        ),
        format!(
            "INSERT INTO sites (id, ccas_id, name, created_at, updated_at) {} SELECT 'bench-site-' || n, 'bench-ccas-' || n, 'Site ' || n, {created}, {created} FROM seq",
            seq(c)
        ),
        format!(
            "INSERT INTO partners (id, ccas_id, name, kind, active, sort_name, search_text, version, created_at, updated_at) {} \
                 SELECT 'bench-partner-' || n, 'bench-ccas-' || (n % {c}), 'Partenaire ' || {SURNAMES}, \
                 CASE m % 4 WHEN 0 THEN 'victim_support' WHEN 1 THEN 'social_services' WHEN 2 THEN 'legal_aid' ELSE 'health' END, \
                 TRUE, lower('partenaire ' || {SURNAMES}), lower('partenaire ' || {SURNAMES}), 1, {created}, {created} FROM seq",
            seq_by_ccas(c * PARTNERS_PER_CCAS, c)
        ),
        format!(
            "INSERT INTO site_opening_hours (site_id, weekday, opens_minute, closes_minute) {} \
                 SELECT 'bench-site-' || (n / 5), n % 5 + 1, 540, 1020 FROM seq",
            seq(c * 5)
        ),
        format!(
            "INSERT INTO situations (id, ccas_id, status, coordinator_id, judicial_proceedings, opened_at, closed_at, closing_reason, search_text, version, created_at, updated_at) {} \
                 SELECT '5e000000-0000-4000-8000-' || (100000000000 + n), 'bench-ccas-' || (n % {c}), CASE WHEN m % 10 < 7 THEN 'closed' ELSE 'open' END, 'bench-user-' || (n % {c}), \
                 'unknown', {opened}, CASE WHEN m % 10 < 7 THEN {closed} ELSE NULL END, CASE WHEN m % 10 < 7 THEN 'oriented' ELSE NULL END, '', 1, {opened}, {opened} FROM seq",
            seq_by_ccas(n_total, c),
            opened = d.at(&off),
            closed = d.at(&format!("{off} + 43200"))
        ),
        format!(
            "INSERT INTO situation_problem_types (situation_id, problem_type) {} SELECT '5e000000-0000-4000-8000-' || (100000000000 + n), {PROBLEMS} FROM seq",
            seq_by_ccas(n_total, c)
        ),
        format!(
            "INSERT INTO persons (id, ccas_id, last_name, first_name, birth_year, phone, safe_to_call, safe_to_text, safe_to_write, name_key, \
                 phone_key, search_text, version, created_at, updated_at, adult_at, first_contact_at, sex, commune) {} \
                 SELECT id, ccas_id, last_name, first_name, 1980, phone, 'unknown', 'unknown', 'unknown', lower(last_name) || '|' || lower(first_name), \
                 '+33' || substr(phone, 2), lower(last_name || ' ' || first_name || ' ' || first_name || ' ' || last_name), 1, opened, opened, adult_at, first_contact_at, \
                 sex, commune FROM ( \
                 SELECT 'bench-p-' || n || '-' || k AS id, 'bench-ccas-' || (n % {c}) AS ccas_id, {SURNAMES} AS last_name, {FIRST_NAMES} AS first_name, \
                 '06' || {phone} AS phone, {opened} AS opened, CASE WHEN m % 5 = 0 THEN {minor} ELSE {adult} END AS adult_at, \
                 CASE (m + k) % 5 WHEN 0 THEN 'male' WHEN 1 THEN NULL ELSE 'female' END AS sex, \
                 CASE m % 7 WHEN 0 THEN NULL WHEN 1 THEN 'Vaulx-Milieu' WHEN 2 THEN 'La Verpillière' WHEN 3 THEN 'L''Isle-d''Abeau' ELSE 'Villefontaine' END AS commune, \
                 CASE WHEN k = 1 THEN {first_contact} ELSE NULL END AS first_contact_at FROM seq, {TWO}) p",
            seq_by_ccas(n_total, c),
            phone = d.digits8("(CAST(n AS BIGINT) * 2 + k) * 7919 % 100000000"),
            opened = d.at(&off),
            first_contact = d.at(&format!("{off} + 2880")),
            minor = d.at(&format!("{off} + 2628000")),
            adult = d.at("0 - 2628000")
        ),
        // The name search terms: each name is one word here.
        "INSERT INTO person_name_terms (ccas_id, term, person_id) \
             SELECT ccas_id, lower(last_name), id FROM persons UNION SELECT ccas_id, lower(first_name), id FROM persons"
            .to_owned(),
        format!(
            "INSERT INTO situation_persons (situation_id, person_id, role, added_at) {} \
                 SELECT '5e000000-0000-4000-8000-' || (100000000000 + n), 'bench-p-' || n || '-' || k, CASE WHEN k = 1 THEN 'victim' WHEN m % 2 = 0 THEN 'alleged_author' ELSE 'other' END, {opened} FROM seq, {TWO}",
            seq_by_ccas(n_total, c),
            opened = d.at(&off)
        ),
        format!(
            "INSERT INTO referrals (id, ccas_id, source, referring_organisation_id, received_at, urgency, summary, judicial_proceedings, status, status_changed_at, \
                 created_by, created_at, updated_at, version, situation_id, decline_reason, first_contact_at, first_contact_delay_minutes) {} \
                 SELECT '5e000001-0000-4000-8000-' || (100000000000 + n), 'bench-ccas-' || (n % {c}), \
                 CASE WHEN m % 10 < 5 THEN 'gendarmerie' WHEN m % 10 < 7 THEN 'police_municipale' WHEN m % 10 = 7 THEN 'partner' WHEN m % 10 = 8 THEN 'walk_in' ELSE 'proactive' END, \
                 CASE WHEN m % 10 < 5 THEN 'bench-brigade-' || (n % {c}) ELSE NULL END, {received}, CASE WHEN m % 5 = 0 THEN 'urgent' ELSE 'normal' END, 'x', 'unknown', \
                 CASE WHEN m % 12 = 0 THEN 'declined' ELSE 'accepted' END, {received}, 'bench', {received}, {received}, 1, \
                 CASE WHEN m % 12 = 0 THEN NULL ELSE '5e000000-0000-4000-8000-' || (100000000000 + n) END, CASE WHEN m % 12 = 0 THEN 'unreachable' ELSE NULL END, \
                 {contact}, (n * 37) % 1440 FROM seq",
            seq_by_ccas(n_total, c),
            received = d.at(&format!("{off} - 1440")),
            contact = d.at(&format!("{off} - 1440 + (n * 37) % 1440"))
        ),
        format!(
            "INSERT INTO appointments (id, ccas_id, site_id, coordinator_id, situation_id, person_id, kind, starts_at, ends_at, status, version, created_at, updated_at) {} \
                 SELECT 'bench-a-' || n || '-' || k, 'bench-ccas-' || (n % {c}), 'bench-site-' || (n % {c}), 'bench-user-' || (n % {c}), '5e000000-0000-4000-8000-' || (100000000000 + n), 'bench-p-' || n || '-1', \
                 CASE WHEN (m + k) % 7 = 0 THEN 'phone' ELSE 'scheduled' END, {starts}, {ends}, \
                 CASE (m + k) % 10 WHEN 0 THEN 'no_show' WHEN 1 THEN 'cancelled' ELSE 'attended' END, 1, {starts}, {starts} FROM seq, {TWO}",
            seq_by_ccas(n_total, c),
            starts = d.at(&format!("{off} + k * 4320")),
            ends = d.at(&format!("{off} + k * 4320 + 45"))
        ),
        format!(
            "INSERT INTO interventions (id, ccas_id, situation_id, kind, occurred_at, duration_minutes, coordinator_id, partner_id, in_person, created_at) {} \
                 SELECT 'bench-i-' || n || '-' || k, 'bench-ccas-' || (n % {c}), '5e000000-0000-4000-8000-' || (100000000000 + n), \
                 CASE WHEN k = 1 THEN 'first_listening' WHEN m % 3 = 0 THEN 'orientation' WHEN m % 3 = 1 THEN 'advice' ELSE 'mediation' END, {at}, 30, \
                 'bench-user-' || (n % {c}), CASE WHEN k = 2 AND m % 3 = 0 THEN 'bench-partner-' || (n % {c}) ELSE NULL END, \
                 CASE WHEN k = 1 OR m % 2 = 0 THEN TRUE ELSE FALSE END, {at} FROM seq, {TWO}",
            seq_by_ccas(n_total, c),
            at = d.at(&format!("{off} + k * 2880"))
        ),
        format!(
            "INSERT INTO intervention_persons (intervention_id, person_id) {} SELECT 'bench-i-' || n || '-' || k, 'bench-p-' || n || '-1' FROM seq, {TWO}",
            seq(n_total)
        ),
        // The inbox: referrals received over the last month, not yet triaged, each naming a victim.
        format!(
            "INSERT INTO referrals (id, ccas_id, source, referring_organisation_id, received_at, urgency, summary, judicial_proceedings, status, \
                 status_changed_at, created_by, created_at, updated_at, version) {} \
                 SELECT '5e000002-0000-4000-8000-' || (100000000000 + n), 'bench-ccas-' || (n % {c}), 'gendarmerie', 'bench-brigade-' || (n % {c}), {received}, \
                 CASE WHEN m % 5 = 0 THEN 'urgent' ELSE 'normal' END, 'x', 'unknown', 'received', {received}, 'bench', {received}, {received}, 1 FROM seq",
            seq_by_ccas(inbox, c),
            received = d.on(today, &format!("0 - 43200 + n * 43200 / {inbox}"))
        ),
        format!(
            "INSERT INTO referral_persons (id, referral_id, position, role, last_name, first_name, phone, consent) {} \
                 SELECT 'bench-rp-' || n, '5e000002-0000-4000-8000-' || (100000000000 + n), 0, 'victim', {SURNAMES}, 'Marie', '07' || {phone}, 'given' FROM seq",
            seq_by_ccas(inbox, c),
            phone = d.digits8("CAST(n AS BIGINT) * 7919 % 100000000")
        ),
        // The coming two weeks: each coordinator has an appointment every weekday hour from 9:00.
        format!(
            "INSERT INTO appointments (id, ccas_id, site_id, coordinator_id, situation_id, person_id, kind, starts_at, ends_at, status, version, created_at, updated_at) {} \
                 SELECT 'bench-ap-' || n, 'bench-ccas-' || (n % {c}), 'bench-site-' || (n % {c}), 'bench-user-' || (n % {c}), \
                 '5e000000-0000-4000-8000-' || (100000000000 + (n % {c} + {c} * ((n / {c}) % {per_ccas}))), 'bench-p-' || (n % {c} + {c} * ((n / {c}) % {per_ccas})) || '-1', 'scheduled', \
                 {starts}, {ends}, 'planned', 1, {created}, {created} FROM seq",
            seq_by_ccas(c * 14 * 8, c),
            per_ccas = (n_total / c).max(1),
            starts = d.on(today, &format!("((n / {c}) / 8) * 1440 + 480 + ((n / {c}) % 8) * 60")),
            ends = d.on(today, &format!("((n / {c}) / 8) * 1440 + 480 + ((n / {c}) % 8) * 60 + 45"))
        ),
        // Each appointment, past or coming, expects its person (the agenda names them).
        "INSERT INTO appointment_persons (appointment_id, person_id) SELECT id, person_id FROM appointments WHERE id LIKE 'bench-a%'"
            .to_owned(),
    ];
    let mut rows = 0;
    for (i, sql) in statements.iter().enumerate() {
        let started = Instant::now();
        let written = diesel::sql_query(sql.as_str()).execute(conn)?;
        eprintln!("  step {:>2}/{}: {written} rows in {:.1} s", i + 1, statements.len(), started.elapsed().as_secs_f64());
        rows += written as u64;
    }
    // Fresh statistics, as a production database has them.
    diesel::sql_query("ANALYZE").execute(conn)?;
    Ok(rows)
}
