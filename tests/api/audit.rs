//! Reading or writing personal data leaves an audit event, with ids only.

use relais_tests::{json, referral_body, spawn_app};

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
    assert_eq!(items[3]["object_id"], id);
    assert_eq!(items[3]["organisation_id"], app.world.brigade_a.as_str());
    assert_eq!(items[3]["scope"], "gendarmerie");
    let text = events.to_string();
    for personal in ["Lefèvre", "Sandrine", "06 12 34 56 78", "Dispute"] {
        assert!(!text.contains(personal), "the audit trail holds {personal:?}");
    }
    let filtered = json(app.get(&format!("/api/v1/audit-events?object_id={id}"), &app.admin_token()).await).await;
    assert_eq!(filtered["items"].as_array().map(Vec::len), Some(3));
    // Another CCAS's administrator sees none of it.
    let admin_b = app.token(&app.world.ccas_b, &[relais_api::auth::Scope::Admin]);
    let foreign = json(app.get("/api/v1/audit-events", &admin_b).await).await;
    assert_eq!(foreign["items"].as_array().map(Vec::len), Some(0));
}
