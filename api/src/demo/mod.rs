//! Demonstration data for `relais serve --demo`: a CCAS with its site, a gendarmerie brigade,
//! a police municipale service, accounts for each, partners and referrals. Every name is
//! fictitious.

mod data;
mod follow_up;
mod year;

use chrono::Duration;
use diesel::prelude::*;

use crate::auth::OrgKind;
use crate::auth::secrets::hash_password;
use crate::clock::Clock;
use crate::db::Db;
use crate::db::schema::organisations;
use crate::error::ApiResult;
use crate::referrals::models::{NewReferral, Source};
use crate::referrals::{NewReferralRecord, insert_referral};

pub const DEMO_PASSWORD: &str = "relais-demo-2026";

/// Logins created by the demo, with what each shows.
pub const DEMO_LOGINS: [(&str, &str); 5] = [
    ("coordination", "coordinatrice du CCAS (scope ccas)"),
    ("coordination2", "seconde coordinatrice (scope ccas)"),
    ("admin", "administratrice du CCAS (scopes ccas admin)"),
    ("gendarme", "brigade de gendarmerie (scope gendarmerie)"),
    ("policier", "police municipale (scope police_municipale)"),
];

pub fn print_logins() {
    let mut text = format!("Demo logins (password: {DEMO_PASSWORD}):");
    for (login, what) in DEMO_LOGINS {
        text.push_str(&format!("\n  {login:<14} {what}"));
    }
    let logins: Vec<_> = DEMO_LOGINS.iter().map(|(login, what)| serde_json::json!({"login": login, "shows": what})).collect();
    crate::log_format::announce(
        crate::log_format::Out::Stdout,
        &text,
        "demo logins",
        serde_json::json!({"password": DEMO_PASSWORD, "logins": logins}),
    );
}

/// Seeds the demo as of the clock's now when no organisation exists yet; does nothing otherwise.
pub fn seed_if_empty(db: &Db, clock: &Clock) -> ApiResult<()> {
    let mut conn = db.get()?;
    let count: i64 = organisations::table.count().get_result(&mut *conn)?;
    if count > 0 {
        log::info!("database not empty: demo data not seeded");
        return Ok(());
    }
    let hash = hash_password(DEMO_PASSWORD)?;
    let now = clock.now();
    conn.transaction(|conn| {
        use crate::organisations::queries::insert as insert_org;
        let ccas = insert_org(conn, OrgKind::Ccas, "CCAS de Villefontaine", None, now)?;
        let brigade = insert_org(conn, OrgKind::Gendarmerie, "Brigade de gendarmerie de Villefontaine", Some(&ccas.id), now)?;
        let police = insert_org(conn, OrgKind::PoliceMunicipale, "Police municipale de Villefontaine", Some(&ccas.id), now)?;
        let users = [
            (&ccas, "coordination", "Claire Martin", false),
            (&ccas, "coordination2", "Sophie Girard", false),
            (&ccas, "admin", "Nadia Benali", true),
            (&brigade, "gendarme", "MDL Julien Garnier", false),
            (&police, "policier", "Brigadier Sophie Roux", false),
        ];
        let mut user_ids = Vec::new();
        for (org, login, name, admin) in users {
            user_ids.push(crate::users::queries::insert(conn, org, login, name, &hash, admin, false, now)?.id);
        }
        let site = crate::sites::queries::SiteRow {
            id: uuid::Uuid::new_v4().to_string(),
            ccas_id: ccas.id.clone(),
            name: "Brigade de Villefontaine".into(),
            address: Some("Place de la Gendarmerie".into()),
            commune: Some("Villefontaine".into()),
            created_at: now,
            updated_at: now,
        };
        let week = crate::sites::hours::parse_week("opening_hours", &crate::sites::hours::default_hours())
            .map_err(crate::error::ApiError::Validation)?;
        crate::sites::queries::insert(conn, &site, &week)?;
        let mut partner_ids = Vec::new();
        for partner in data::partners() {
            let id = uuid::Uuid::new_v4().to_string();
            crate::partners::queries::save(conn, &ccas.id, &id, &partner, true, now)?;
            partner_ids.push(id);
        }
        let context = year::Context {
            ccas_id: &ccas.id,
            brigade_id: &brigade.id,
            police_id: &police.id,
            site_id: &site.id,
            coordinators: [&user_ids[0], &user_ids[1]],
            partner_ids: &partner_ids,
            now,
        };
        year::seed(conn, &context)?;
        for (i, (source, body)) in data::referrals().into_iter().enumerate() {
            let (referrer, created_by) = match source {
                Source::Gendarmerie => (Some(brigade.id.clone()), "demo-gendarme"),
                Source::PoliceMunicipale => (Some(police.id.clone()), "demo-policier"),
                _ => (None, "demo-coordination"),
            };
            let body = NewReferral { partner_id: (source == Source::Partner).then(|| partner_ids[0].clone()), ..body };
            let record = NewReferralRecord {
                ccas_id: ccas.id.clone(),
                source,
                referring_organisation_id: referrer,
                created_by: created_by.to_owned(),
                received_at: now - Duration::hours(7 * i as i64 + 2),
                body,
            };
            insert_referral(conn, &record, now)?;
        }
        Ok(())
    })
}
