//! Suppression that holds: a reporting tool reads every period of a year it may ask for, then
//! attacks the answers as a reader would: a total minus its visible parts, a quarter or year
//! minus its visible months, and every combination of the equations it knows (solved by its
//! own Gaussian elimination, not the server's). No suppressed count may come back.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use relais_api::auth::Scope;
use relais_api::bench::{Plan, generate};
use relais_api::db::pool::write_transaction;
use relais_api::reports::models::{Granularity, ReportQuery};
use relais_api::reports::published_report;
use relais_tests::{TestApp, json, spawn_app};
use serde_json::Value;

/// A cell: (period label, figure key). Visible cells have a value, hidden ones none.
type Cells = BTreeMap<(String, String), Option<i64>>;

const LISTS: [(&str, &str); 9] = [
    ("referrals_by_source", "source:"),
    ("referrals_by_outcome", "outcome:"),
    ("situations_by_problem_type", "problem:"),
    ("persons_by_role", "role:"),
    ("persons_by_age_group", "age:"),
    ("interventions_by_kind", "intervention:"),
    ("orientations_by_partner_kind", "orientation:"),
    ("appointments_by_kind_and_outcome", "appointment:"),
    ("legal_reports_by_kind", "legal:"),
];

fn read_cells(label: &str, figures: &Value, cells: &mut Cells) {
    let value = |count: &Value| {
        let v = count["value"].as_i64();
        assert_eq!(v.is_none(), count["suppressed"] == true, "{label}: {count}");
        assert!(v.is_none_or(|n| n == 0 || n >= 5), "{label}: a small count is shown: {count}");
        v
    };
    for (key, pointer) in [
        ("met.opened", "/situations_met/opened"),
        ("met.ongoing", "/situations_met/ongoing"),
        ("met.total", "/situations_met/total"),
        ("persons_received", "/persons_received"),
        ("referrals", "/referrals_received"),
        ("interventions", "/interventions_total"),
        ("appointments", "/appointments_total"),
        ("contacted", "/first_contact_delay/referrals"),
    ] {
        cells.insert((label.to_owned(), key.to_owned()), value(figures.pointer(pointer).expect(pointer)));
    }
    for (field, prefix) in LISTS {
        for item in figures[field].as_array().expect(field) {
            let key = format!("{prefix}{}", item["key"].as_str().expect("key"));
            cells.insert((label.to_owned(), key), value(&item["count"]));
        }
    }
    if figures["first_contact_delay"]["referrals"]["suppressed"] == true {
        assert!(figures["first_contact_delay"]["median_minutes"].is_null(), "{label}: a median of a hidden count");
    }
}

/// A count the funders' grid shares with the standard figures must read the same in both.
fn read_same(label: &str, key: String, count: &Value, cells: &mut Cells) {
    let v = count["value"].as_i64();
    assert_eq!(v.is_none(), count["suppressed"] == true, "{label}: {count}");
    assert!(v.is_none_or(|n| n == 0 || n >= 5), "{label}: a small count is shown: {count}");
    let cell = (label.to_owned(), key);
    if let Some(standard) = cells.get(&cell) {
        assert_eq!(*standard, v, "{cell:?}: the two layouts disagree");
    }
    cells.insert(cell, v);
}

/// The cells of the funders' grid (`layout=funders`), named as the reader's equations name them.
fn read_funders_cells(label: &str, figures: &Value, cells: &mut Cells) {
    for (key, pointer) in [
        ("persons_received", "/persons_received"),
        ("met.total", "/situations_met"),
        ("referrals", "/referrals_received"),
        ("actions", "/actions_total"),
        ("contacted", "/first_contact_delay/referrals"),
    ] {
        read_same(label, key.to_owned(), figures.pointer(pointer).expect(pointer), cells);
    }
    for (field, prefix) in [
        ("persons_by_public", "public:"),
        ("persons_by_sex", "sex:"),
        ("persons_by_age", "age:"),
        ("situations_by_public", "situation_public:"),
        ("referrals_by_origin", "guide_origin:"),
        ("actions_by_kind", "action:"),
    ] {
        for (key, count) in figures[field].as_object().expect(field) {
            read_same(label, format!("{prefix}{key}"), count, cells);
        }
    }
    for (list, name, prefix) in [("persons_by_commune", "commune", "commune:"), ("referrals_by_unit", "organisation_id", "unit:")] {
        for item in figures[list].as_array().expect(list) {
            read_same(label, format!("{prefix}{}", item[name].as_str().unwrap_or_default()), &item["count"], cells);
        }
    }
}

/// `whole = sum of parts`, over cells that may be absent (zero).
struct Equation {
    whole: (String, String),
    parts: Vec<(String, String)>,
}

fn cell(period: &str, key: &str) -> (String, String) {
    (period.to_owned(), key.to_owned())
}

/// What a reader knows of the figures, written from the report's documented definitions.
fn equations(cells: &Cells, months: &[String], quarters: &[String], year: &str) -> Vec<Equation> {
    let keys_of = |period: &str, prefix: &str| -> Vec<(String, String)> {
        cells.keys().filter(|(p, k)| p == period && k.starts_with(prefix)).cloned().collect()
    };
    let mut eqs = Vec::new();
    for p in months.iter().chain(quarters).map(String::as_str).chain(std::iter::once(year)) {
        eqs.push(Equation { whole: cell(p, "met.total"), parts: vec![cell(p, "met.opened"), cell(p, "met.ongoing")] });
        for (total, prefix) in [
            ("referrals", "source:"),
            ("referrals", "outcome:"),
            ("persons_received", "age:"),
            ("interventions", "intervention:"),
            ("intervention:orientation", "orientation:"),
            ("appointments", "appointment:"),
        ] {
            eqs.push(Equation { whole: cell(p, total), parts: keys_of(p, prefix) });
        }
        for (_, legal) in keys_of(p, "legal:") {
            let kind = legal.trim_start_matches("legal:");
            eqs.push(Equation { whole: cell(p, &format!("intervention:{kind}")), parts: vec![cell(p, &legal)] });
        }
        eqs.extend(guide_equations(p, &keys_of));
    }
    let additive = |key: &str| {
        ["met.opened", "referrals", "interventions", "appointments", "contacted", "actions"].contains(&key)
            || ["source:", "outcome:", "intervention:", "orientation:", "appointment:", "legal:", "guide_origin:", "unit:", "action:"]
                .iter()
                .any(|p| key.starts_with(p))
    };
    let keys: BTreeSet<String> = cells.keys().map(|(_, k)| k.clone()).filter(|k| additive(k)).collect();
    let mut sums: Vec<(&str, Vec<&String>)> =
        quarters.iter().zip(months.chunks(3)).map(|(q, ms)| (q.as_str(), ms.iter().collect())).collect();
    sums.push((year, quarters.iter().collect()));
    sums.push((year, months.iter().collect()));
    for (whole, parts) in &sums {
        for key in &keys {
            eqs.push(Equation { whole: cell(whole, key), parts: parts.iter().map(|p| cell(p, key)).collect() });
        }
    }
    for (q, ms) in quarters.iter().zip(months.chunks(3)) {
        eqs.push(Equation { whole: cell(q, "met.ongoing"), parts: vec![cell(&ms[0], "met.ongoing")] });
    }
    eqs.push(Equation { whole: cell(year, "met.ongoing"), parts: vec![cell(&months[0], "met.ongoing")] });
    eqs
}

/// What the funders' grid's definitions (in the OpenAPI document) tell a reader: its totals
/// and how each category regroups the standard figures' categories.
/// The cells of a period whose key starts with a prefix.
type KeysOf<'a> = &'a dyn Fn(&str, &str) -> Vec<(String, String)>;

fn guide_equations(p: &str, keys_of: KeysOf) -> Vec<Equation> {
    let mut eqs = Vec::new();
    for (total, prefix) in [
        ("persons_received", "public:"),
        ("persons_received", "sex:"),
        ("persons_received", "commune:"),
        ("met.total", "situation_public:"),
        ("referrals", "guide_origin:"),
        ("guide_origin:police_gendarmerie", "unit:"),
        ("actions", "action:"),
    ] {
        eqs.push(Equation { whole: cell(p, total), parts: keys_of(p, prefix) });
    }
    let regroup = |whole: &str, prefix: &str, codes: &[&str]| Equation {
        whole: cell(p, whole),
        parts: codes.iter().map(|code| cell(p, &format!("{prefix}{code}"))).collect(),
    };
    eqs.push(regroup("guide_origin:police_gendarmerie", "source:", &["gendarmerie", "police_municipale", "police_nationale", "proactive"]));
    eqs.push(regroup("guide_origin:other_services", "source:", &["partner"]));
    eqs.push(regroup("guide_origin:spontaneous", "source:", &["walk_in"]));
    eqs.push(regroup("action:listening", "intervention:", &["first_listening", "phone_follow_up"]));
    eqs.push(regroup(
        "action:action",
        "intervention:",
        &["advice", "accompaniment", "administrative_help", "concern_report", "prosecutor_report"],
    ));
    eqs.push(regroup("action:orientation", "intervention:", &["orientation"]));
    eqs.push(regroup("action:liaison", "intervention:", &["mediation"]));
    let attended = keys_of(p, "appointment:").into_iter().filter(|(_, k)| k.ends_with(":attended")).collect();
    eqs.push(Equation { whole: cell(p, "action:reception"), parts: attended });
    eqs
}

/// The hidden cells some combination of the equations determines: reduced row echelon form
/// over the hidden cells (coefficients are small integers: floating point is exact enough).
fn determined(cells: &Cells, eqs: &[Equation]) -> Vec<(String, String)> {
    let hidden: Vec<&(String, String)> = cells.iter().filter(|(_, v)| v.is_none()).map(|(k, _)| k).collect();
    let column: BTreeMap<&(String, String), usize> = hidden.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let mut rows: Vec<Vec<f64>> = Vec::new();
    for eq in eqs {
        let mut row = vec![0.0; hidden.len()];
        let mut put = |c: &(String, String), coefficient: f64| {
            if let Some(i) = column.get(c) {
                row[*i] += coefficient;
            }
        };
        put(&eq.whole, -1.0);
        eq.parts.iter().for_each(|p| put(p, 1.0));
        if row.iter().any(|x| *x != 0.0) {
            rows.push(row);
        }
    }
    let mut pivots = Vec::new();
    let mut next = 0;
    for col in 0..hidden.len() {
        let Some(best) = (next..rows.len()).max_by(|a, b| rows[*a][col].abs().total_cmp(&rows[*b][col].abs())) else { break };
        if rows[best][col].abs() < 1e-9 {
            continue;
        }
        rows.swap(next, best);
        let pivot: Vec<f64> = rows[next].iter().map(|x| x / rows[next][col]).collect();
        rows[next] = pivot.clone();
        for (r, row) in rows.iter_mut().enumerate() {
            let factor = row[col];
            if r != next && factor.abs() > 1e-12 {
                row.iter_mut().zip(&pivot).for_each(|(x, p)| *x -= factor * p);
            }
        }
        pivots.push((next, col));
        next += 1;
    }
    pivots
        .into_iter()
        .filter(|(r, c)| rows[*r].iter().enumerate().all(|(j, x)| j == *c || x.abs() < 1e-9))
        .map(|(_, c)| hidden[c].clone())
        .collect()
}

async fn answer(app: &TestApp, token: &str, from: &str, to: &str, granularity: &str) -> Value {
    json(app.get(&format!("/api/v1/reports/activity?from={from}&to={to}&granularity={granularity}"), token).await).await
}

/// Both layouts of one period, read into `cells` under `label`.
async fn read_period(app: &TestApp, token: &str, (from, to): (&str, &str), label: &str, cells: &mut Cells) {
    let standard = answer(app, token, from, to, "period").await;
    read_cells(label, &standard["periods"][0]["figures"], cells);
    let funders = answer(app, token, from, to, "period&layout=funders").await;
    assert_eq!(funders["small_counts_suppressed"], true);
    read_funders_cells(label, &funders["periods"][0]["figures"], cells);
}

#[actix_web::test]
async fn no_suppressed_count_comes_back_from_any_combination_of_a_years_answers() {
    let app = spawn_app().await;
    let postgres = app.db_url.is_postgres();
    // A small CCAS: a dozen situations a month, so that many counts are small.
    let plan = Plan { situations: 300, ccas: 1, years: 2, today: app.now().date() };
    app.on_db(move |conn| write_transaction(conn, |conn| generate(conn, &plan, postgres)).expect("generate")).await;
    let year = app.now().date().year() - 1;
    let token = app.token("bench-ccas-0", &[Scope::Reports]);
    let last_day =
        |m: u32| chrono::NaiveDate::from_ymd_opt(year + i32::from(m == 12), m % 12 + 1, 1).and_then(|d| d.pred_opt()).expect("a day");

    let mut cells = Cells::new();
    let mut months = Vec::new();
    for m in 1..=12 {
        let label = format!("{year}-{m:02}");
        read_period(&app, &token, (&format!("{label}-01"), &last_day(m).to_string()), &label, &mut cells).await;
        months.push(label);
    }
    let mut quarters = Vec::new();
    for q in 1..=4u32 {
        let label = format!("{year}-Q{q}");
        read_period(&app, &token, (&format!("{year}-{:02}-01", 3 * q - 2), &last_day(3 * q).to_string()), &label, &mut cells).await;
        // The months of a quarter, asked together, are the months asked alone.
        let by_month = answer(&app, &token, &format!("{year}-{:02}-01", 3 * q - 2), &last_day(3 * q).to_string(), "month").await;
        for (i, period) in by_month["periods"].as_array().expect("months").iter().enumerate() {
            let mut again = Cells::new();
            read_cells(&months[(3 * q - 3) as usize + i], &period["figures"], &mut again);
            assert!(again.iter().all(|(k, v)| cells.get(k) == Some(v)), "{label}: a month answers differently within its quarter");
        }
        quarters.push(label);
    }
    let year_label = year.to_string();
    read_period(&app, &token, (&format!("{year}-01-01"), &format!("{year}-12-31")), &year_label, &mut cells).await;

    let hidden = cells.values().filter(|v| v.is_none()).count();
    let shown = cells.values().filter(|v| v.is_some_and(|n| n > 0)).count();
    assert!(hidden > 50 && shown > 50, "the dataset exercises suppression: {hidden} hidden, {shown} shown");
    let grid_hidden = |prefix: &str| cells.iter().filter(|((_, k), v)| k.starts_with(prefix) && v.is_none()).count();
    // (Every generated file has a victim: its situations fall in two publics, both large.)
    for prefix in ["public:", "sex:", "commune:", "unit:", "action:"] {
        assert!(grid_hidden(prefix) > 0, "the funders' grid hides some {prefix} counts");
    }
    let eqs = equations(&cells, &months, &quarters, &year_label);
    // Total minus visible parts, quarter or year minus visible months: one equation alone.
    for eq in &eqs {
        let unknown: Vec<&(String, String)> =
            std::iter::once(&eq.whole).chain(&eq.parts).filter(|c| cells.get(*c).is_some_and(Option::is_none)).collect();
        assert_ne!(unknown.len(), 1, "{:?} follows from {:?} = sum of {:?}", unknown, eq.whole, eq.parts);
    }
    // Every combination of them.
    assert_eq!(determined(&cells, &eqs), Vec::<(String, String)>::new());
}

#[actix_web::test]
async fn what_was_answered_about_a_month_stays_once_its_quarter_and_year_have_ended() {
    let app = spawn_app().await;
    let postgres = app.db_url.is_postgres();
    let plan = Plan { situations: 300, ccas: 1, years: 2, today: app.now().date() };
    app.on_db(move |conn| write_transaction(conn, |conn| generate(conn, &plan, postgres)).expect("generate")).await;
    let year = app.now().date().year() - 1;
    let day = move |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(year, m, d).expect("a day");
    let whole_year = ReportQuery { from: day(1, 1), to: day(12, 31), granularity: None, layout: None };
    let month_query =
        move |m: u32| ReportQuery { from: day(m, 1), to: day(m + 1, 1).pred_opt().expect("a day"), granularity: None, layout: None };
    // February as answered on the 2nd of March, of May (February and the first quarter ended),
    // and once the year ended: the same figures every time.
    let answers = app
        .on_db(move |conn| {
            let feb = month_query(2);
            [day(3, 2), day(5, 2), day(12, 31).succ_opt().expect("a day")]
                .into_iter()
                .map(|today| published_report(conn, "bench-ccas-0", &feb, Granularity::Period, today).expect("a report"))
                .map(|r| serde_json::to_value(&r.periods[0].figures).expect("json"))
                .collect::<Vec<_>>()
        })
        .await;
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0], answers[2]);
    // A period is refused until it is over, its last day included.
    let refused =
        app.on_db(move |conn| published_report(conn, "bench-ccas-0", &whole_year, Granularity::Period, day(12, 31)).is_err()).await;
    assert!(refused);
}
