//! Reading or writing personal data leaves an audit event, with ids only.

use diesel::prelude::*;
use relais_api::audit::{Broken, catch_up, verify};
use relais_api::db::DbConnection;
use relais_api::db::schema::audit_events as events;
use relais_tests::{TestApp, json, referral_body, spawn_app};

#[actix_web::test]
async fn referral_reads_and_writes_are_audited_without_personal_data() {
    let app = spawn_app().await;
    let created = json(app.post("/api/v1/referrals", &app.gendarmerie_token(), &referral_body("Lefèvre")).await).await;
    let id = created["id"].as_str().expect("id");
    app.get(&format!("/api/v1/referrals/{id}"), &app.ccas_token()).await;
    app.get("/api/v1/referrals", &app.ccas_token()).await;
    // A probe from another unit: 404 for it, recorded for the administrator.
    let other = app.token(&app.world.brigade_a2, &[relais_api::auth::Scope::Gendarmerie]);
    app.get(&format!("/api/v1/referrals/{id}"), &other).await;
    let events = json(app.get("/api/v1/audit-events?limit=200", &app.admin_token()).await).await;
    let items = events["items"].as_array().expect("items");
    let actions: Vec<(&str, &str)> =
        items.iter().map(|e| (e["action"].as_str().unwrap_or(""), e["outcome"].as_str().unwrap_or(""))).collect();
    assert_eq!(
        actions,
        [("referral.read", "not_found"), ("referral.list", "success"), ("referral.read", "success"), ("referral.create", "success")]
    );
    assert_eq!(items[0]["object_id"], id);
    assert!(items[1]["object_id"].is_null(), "a list names no one object");
    assert_eq!(items[3]["object_id"], id);
    assert_eq!(items[3]["organisation_id"], app.world.brigade_a.as_str());
    assert_eq!(items[3]["scope"], "gendarmerie");
    let text = events.to_string();
    for personal in ["Lefèvre", "Sandrine", "06 12 34 56 78", "Dispute"] {
        assert!(!text.contains(personal), "the audit trail holds {personal:?}");
    }
    let filtered = json(app.get(&format!("/api/v1/audit-events?object_id={id}"), &app.admin_token()).await).await;
    // The list reached the referral too: four events reached it.
    assert_eq!(filtered["items"].as_array().map(Vec::len), Some(4));
    // Another CCAS's administrator sees none of it.
    let admin_b = app.token(&app.world.ccas_b, &[relais_api::auth::Scope::Admin]);
    let foreign = json(app.get("/api/v1/audit-events", &admin_b).await).await;
    assert_eq!(foreign["items"].as_array().map(Vec::len), Some(0));
}

/// Runs `work` on a connection of the app's database, off the async runtime.
async fn on_db<T: Send + 'static>(app: &TestApp, work: impl FnOnce(&mut DbConnection) -> T + Send + 'static) -> T {
    let db = app.state.db.clone();
    actix_web::web::block(move || work(&mut db.get().expect("a connection"))).await.expect("block")
}

/// An app whose log holds 7 sealed entries: 3 creations, 3 reads, and a list that returned the
/// 3 referrals (one entry, three objects).
async fn app_with_a_sealed_log() -> TestApp {
    let app = spawn_app().await;
    for name in ["Lefèvre", "Martin", "Durand"] {
        let created = json(app.post("/api/v1/referrals", &app.gendarmerie_token(), &referral_body(name)).await).await;
        app.get(&format!("/api/v1/referrals/{}", created["id"].as_str().expect("id")), &app.ccas_token()).await;
    }
    app.get("/api/v1/referrals", &app.ccas_token()).await;
    on_db(&app, |conn| catch_up(conn).expect("seal")).await;
    app
}

#[actix_web::test]
async fn the_chain_verifies_and_names_the_entry_edited() {
    let app = app_with_a_sealed_log().await;
    let verified = on_db(&app, verify).await.expect("an untouched chain verifies");
    assert_eq!(verified.entries, 7);
    assert_eq!(verified.head_seq, 7);
    assert_eq!(verified.head_hash.len(), 64);
    let edited = on_db(&app, |conn| {
        diesel::update(events::table.filter(events::seq.eq(Some(4_i64))))
            .set(events::action.eq("referral.list"))
            .execute(conn)
            .expect("edit");
        verify(conn)
    })
    .await;
    assert!(matches!(edited, Err(Broken::Edited { seq: 4, .. })), "{edited:?}");
}

#[actix_web::test]
async fn the_chain_names_entries_deleted_in_the_middle_or_at_the_end() {
    let app = app_with_a_sealed_log().await;
    let missing = on_db(&app, |conn| {
        diesel::delete(events::table.filter(events::seq.eq(Some(2_i64)))).execute(conn).expect("delete");
        verify(conn)
    })
    .await;
    assert_eq!(missing, Err(Broken::Missing { from: 2, to: 2 }));

    let app = app_with_a_sealed_log().await;
    let cut = on_db(&app, |conn| {
        diesel::delete(events::table.filter(events::seq.eq(Some(7_i64)))).execute(conn).expect("delete");
        verify(conn)
    })
    .await;
    assert_eq!(cut, Err(Broken::Truncated { last: 6, head: 7 }));
}

#[actix_web::test]
async fn an_object_removed_from_a_list_entry_breaks_the_chain() {
    use relais_api::db::schema::audit_event_objects as objects;
    let app = app_with_a_sealed_log().await;
    let removed = on_db(&app, |conn| {
        let (list, reached): (String, Option<String>) = events::table
            .filter(events::action.eq("referral.list"))
            .select((events::id, events::object_ids))
            .first(conn)
            .expect("the list");
        let reached = reached.expect("objects");
        assert_eq!(reached.split(' ').count(), 3, "the list reached the three referrals");
        let indexed: i64 = objects::table.filter(objects::entry_id.eq(&list)).count().get_result(conn).expect("count");
        assert_eq!(indexed, 3, "and they are indexed");
        let fewer = reached.split(' ').skip(1).collect::<Vec<_>>().join(" ");
        diesel::update(events::table.find(&list)).set(events::object_ids.eq(fewer)).execute(conn).expect("edit");
        verify(conn)
    })
    .await;
    assert!(matches!(removed, Err(Broken::Edited { seq: 7, .. })), "{removed:?}");
}

#[actix_web::test]
async fn a_moved_entry_breaks_the_chain() {
    let app = app_with_a_sealed_log().await;
    let moved = on_db(&app, |conn| {
        // Swap the positions of entries 5 and 6 (through a free position).
        for (from, to) in [(5_i64, 1_000_i64), (6, 5), (1_000, 6)] {
            diesel::update(events::table.filter(events::seq.eq(Some(from)))).set(events::seq.eq(Some(to))).execute(conn).expect("move");
        }
        verify(conn)
    })
    .await;
    assert!(matches!(moved, Err(Broken::Edited { seq: 5, .. })), "{moved:?}");
}
