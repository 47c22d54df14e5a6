//! The floor of the load benchmark: the queries an endpoint runs, in-process, over a pool of
//! the same size at the same concurrency, without HTTP, authentication or the access log. The
//! API's throughput over the floor's says what the layers above the database cost.
//!
//! Each endpoint here names the function its handler calls, with parameters drawn the same way
//! as the load generator's (`tests/bench/relais.lua`): a file, a referral of the unit, a name
//! prefix or a phone prefix of the first generated CCAS.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use serde::de::DeserializeOwned;

use super::Plan;
use crate::auth::{Caller, OrgKind, Scope};
use crate::db::pool::{read_transaction, write_transaction};
use crate::db::{Db, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::referrals::{NewReferralRecord, Reach};

/// The endpoints the benchmark drives, by the name `tests/bench.sh` gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Endpoint {
    Inbox,
    Referrals,
    Situations,
    Situation,
    Timeline,
    PersonName,
    PersonPhone,
    Partners,
    Agenda,
    Availability,
    UnitStatus,
    CreateReferral,
    AddNote,
    Report,
}

/// Name prefixes searched, as typed at a reception desk (the same list as the Lua script's).
pub const NAME_PREFIXES: [&str; 8] = ["mar", "dub", "ber", "lef", "gar", "mor", "pet", "rou"];

/// What one client draws its parameters from.
struct Fixture {
    plan: Plan,
    today: NaiveDate,
    coordinator: Caller,
}

impl Fixture {
    fn new(plan: Plan) -> Self {
        let coordinator = Caller {
            sub: "bench-user-0".into(),
            org_id: "bench-ccas-0".into(),
            org_kind: OrgKind::Ccas,
            ccas_id: "bench-ccas-0".into(),
            scopes: vec![Scope::Ccas],
            at: plan.today.and_time(chrono::NaiveTime::MIN),
        };
        Fixture { plan, today: plan.today, coordinator }
    }

    /// What the first brigade reaches.
    fn unit_reach(&self) -> Reach {
        Reach::Agency { org_id: "bench-brigade-0".into(), unit_view: Default::default(), as_of: self.coordinator.at }
    }

    /// A file of the first CCAS (situation `n` belongs to CCAS `n % ccas`).
    fn situation(&self, rng: &mut Rng) -> String {
        format!("5e000000-0000-4000-8000-{}", 100_000_000_000 + self.plan.ccas * rng.below(self.plan.situations / self.plan.ccas))
    }

    /// An open file (the generator closes those whose rank in their CCAS ends in 0 to 6): the
    /// API refuses a note on a closed one.
    fn open_situation(&self, rng: &mut Rng) -> String {
        loop {
            let rank = rng.below(self.plan.situations / self.plan.ccas);
            if rank % 10 >= 7 {
                return format!("5e000000-0000-4000-8000-{}", 100_000_000_000 + self.plan.ccas * rank);
            }
        }
    }

    /// A referral the first unit sent (sources by rank in the CCAS: below 5, gendarmerie).
    fn unit_referral(&self, rng: &mut Rng) -> String {
        loop {
            let rank = rng.below(self.plan.situations / self.plan.ccas);
            if rank % 10 < 5 {
                return format!("5e000001-0000-4000-8000-{}", 100_000_000_000 + self.plan.ccas * rank);
            }
        }
    }
}

/// A small deterministic generator: each client draws its own sequence.
pub struct Rng(u64);

impl Rng {
    fn below(&mut self, n: i64) -> i64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        i64::try_from(self.0 % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }
}

fn query<T: DeserializeOwned>(text: &str) -> ApiResult<T> {
    serde_urlencoded::from_str(text).map_err(ApiError::internal)
}

/// One request's worth of database work for `endpoint`.
fn once(conn: &mut DbConnection, f: &Fixture, endpoint: Endpoint, rng: &mut Rng) -> ApiResult<()> {
    let ccas = "bench-ccas-0";
    match endpoint {
        Endpoint::Inbox | Endpoint::Referrals => {
            let filter = query(if endpoint == Endpoint::Inbox { "status=received" } else { "limit=50" })?;
            read_transaction(conn, |c| crate::referrals::list_views(c, &Reach::Ccas(ccas.into()), &filter, None, 50)).map(drop)
        }
        Endpoint::Situations => {
            let filter = query("status=open&limit=50")?;
            read_transaction(conn, |c| {
                crate::situations::queries::list(c, ccas, &filter, None, 50).and_then(|r| crate::situations::queries::load_views(c, r))
            })
            .map(drop)
        }
        Endpoint::Situation => {
            let id = f.situation(rng);
            read_transaction(conn, |c| crate::situations::queries::find(c, ccas, &id)).map(drop)
        }
        Endpoint::Timeline => {
            let id = f.situation(rng);
            let (at, after) = crate::situations::timeline_start()?;
            read_transaction(conn, |c| {
                crate::situations::queries::find_row(c, ccas, &id)?;
                crate::situations::timeline_page(c, &id, &f.coordinator.sub, (at, &after), 50)
            })
            .map(drop)
        }
        Endpoint::PersonName | Endpoint::PersonPhone => {
            let text = if endpoint == Endpoint::PersonName {
                format!("q={}", NAME_PREFIXES[usize::try_from(rng.below(8)).unwrap_or(0)])
            } else {
                format!("phone=06{:04}", rng.below(10_000))
            };
            let filter = query(&text)?;
            read_transaction(conn, |c| {
                let rows = crate::persons::queries::list(c, ccas, &filter, None, 50)?;
                rows.into_iter().map(crate::persons::queries::view).collect::<ApiResult<Vec<_>>>()
            })
            .map(drop)
        }
        Endpoint::Partners => {
            let filter = query(&format!("q={}", NAME_PREFIXES[usize::try_from(rng.below(8)).unwrap_or(0)]))?;
            read_transaction(conn, |c| {
                crate::partners::queries::list(c, ccas, &filter, None, 50).and_then(|r| crate::partners::queries::partners_view(c, r))
            })
            .map(drop)
        }
        Endpoint::Agenda => {
            let to = f.today + chrono::Duration::days(7);
            let filter = query(&format!("coordinator_id=bench-user-0&from={}T00:00:00Z&to={to}T00:00:00Z&limit=200", f.today))?;
            read_transaction(conn, |c| crate::appointments::queries::agenda(c, ccas, &filter, None, 200)).map(drop)
        }
        Endpoint::Availability => {
            let day = f.today + chrono::Duration::days(rng.below(14));
            let bounds = crate::appointments::hours::local_day(day).ok_or_else(|| ApiError::internal("day"))?;
            read_transaction(conn, |c| crate::appointments::opening_and_busy(c, ccas, "bench-site-0", "bench-user-0", bounds)).map(drop)
        }
        Endpoint::UnitStatus => {
            let id = f.unit_referral(rng);
            read_transaction(conn, |c| crate::referrals::find_view(c, &f.unit_reach(), &id)).map(drop)
        }
        Endpoint::CreateReferral => {
            let record = NewReferralRecord {
                ccas_id: ccas.into(),
                source: crate::referrals::models::Source::Gendarmerie,
                referring_organisation_id: Some("bench-brigade-0".into()),
                created_by: "bench-unit".into(),
                received_at: f.coordinator.at,
                body: serde_json::from_value(referral_body()).map_err(ApiError::internal)?,
            };
            let reach = f.unit_reach();
            write_transaction(conn, |c| {
                crate::reference::check_problem_types(c, "problem_types", &record.body.problem_types)?;
                let id = crate::referrals::insert_referral(c, &record, f.coordinator.at)?;
                crate::referrals::find_view(c, &reach, &id)
            })
            .map(drop)
        }
        Endpoint::AddNote => {
            let id = f.open_situation(rng);
            let note =
                crate::situations::NewNote { body: "Entretien téléphonique, rappel prévu.".into(), private: false, corrects_id: None };
            write_transaction(conn, |c| {
                crate::situations::queries::find_row(c, ccas, &id)?;
                crate::situations::insert_note(c, &f.coordinator, &id, note)
            })
            .map(drop)
        }
        Endpoint::Report => {
            let year = f.today.year() - 1;
            let report = query(&format!("from={year}-01-01&to={year}-12-31"))?;
            read_transaction(conn, |c| crate::reports::ccas_report(c, ccas, &report, crate::reports::models::Granularity::Period, f.today))
                .map(drop)
        }
    }
}

/// The body a unit sends in the benchmark (the same as the Lua script's).
pub fn referral_body() -> serde_json::Value {
    serde_json::json!({
        "urgency": "normal",
        "problem_types": ["domestic_violence"],
        "summary": "Intervention à domicile, madame souhaite être rappelée.",
        "judicial_proceedings": "unknown",
        "persons": [{"role": "victim", "last_name": "Martin", "first_name": "Sandrine", "phone": "06 12 34 56 78",
                     "safe_contact": {"call": "yes", "text": "no"}, "consent": "given"}]
    })
}

/// What a floor run measured.
#[derive(Debug, serde::Serialize)]
pub struct FloorResult {
    pub endpoint: String,
    pub clients: usize,
    pub requests: usize,
    pub errors: usize,
    pub rps: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
}

/// Runs `endpoint` from `clients` threads for `seconds` over `db`'s pool.
pub fn floor(db: &Db, plan: Plan, endpoint: Endpoint, clients: usize, seconds: f64) -> ApiResult<FloorResult> {
    let fixture = Arc::new(Fixture::new(plan));
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let threads: Vec<_> = (0..clients.max(1))
        .map(|i| {
            let (db, fixture) = (db.clone(), fixture.clone());
            std::thread::spawn(move || {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (u64::try_from(i).unwrap_or(0) + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
                let (mut latencies, mut errors) = (Vec::new(), 0_usize);
                while Instant::now() < deadline {
                    let began = Instant::now();
                    let done = db.get().and_then(|mut conn| once(&mut conn, &fixture, endpoint, &mut rng));
                    match done {
                        Ok(()) => latencies.push(began.elapsed().as_secs_f64() * 1000.0),
                        Err(_) => errors += 1,
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let (mut latencies, mut errors) = (Vec::new(), 0);
    for thread in threads {
        let (mut l, e) = thread.join().map_err(|_| ApiError::internal("a floor client panicked"))?;
        latencies.append(&mut l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies.get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1))).copied().unwrap_or(0.0);
    let name = clap::ValueEnum::to_possible_value(&endpoint).map(|v| v.get_name().to_owned()).unwrap_or_default();
    Ok(FloorResult {
        endpoint: name,
        clients,
        requests: latencies.len(),
        errors,
        rps: latencies.len() as f64 / elapsed,
        p50_ms: at(0.50),
        p95_ms: at(0.95),
        p99_ms: at(0.99),
    })
}
