//! Browser sessions: the `refresh_token` grant with one-time tokens in an HttpOnly cookie,
//! reuse detection ending the whole session, inactivity, credentials changes and sign-out.

use relais_tests::{TestApp, json, problem, spawn_app};
use reqwest::Method;
use serde_json::Value;

const LOGIN: &str = "c.martin";

/// The `Set-Cookie` header of an answer, whole.
fn set_cookie(response: &reqwest::Response) -> String {
    response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).expect("a Set-Cookie header").to_owned()
}

/// The refresh token a `Set-Cookie` header carries.
fn cookie_value(header: &str) -> String {
    header.split(';').next().and_then(|pair| pair.trim().strip_prefix("relais_refresh=")).expect("the relais_refresh cookie").to_owned()
}

async fn signed_in(app: &TestApp) -> (Value, String) {
    app.create_user(&app.world.ccas_a, LOGIN, false).await;
    let response = app.sign_in(LOGIN, relais_tests::OWN_PASSWORD).await;
    assert_eq!(response.status(), 200);
    let cookie = set_cookie(&response);
    (json(response).await, cookie_value(&cookie))
}

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    app.request(Method::POST, "/api/v1/auth/token", None)
        .header("Cookie", format!("relais_refresh={token}"))
        .form(&[("grant_type", "refresh_token")])
        .send()
        .await
        .expect("request")
}

async fn actions_logged(app: &TestApp, action: &str) -> Vec<Value> {
    let page = json(app.get(&format!("/api/v1/audit-events?action={action}"), &app.admin_token()).await).await;
    page["items"].as_array().expect("items").clone()
}

#[actix_web::test]
async fn signing_in_sets_a_refresh_cookie_scripts_cannot_read() {
    let app = spawn_app().await;
    app.create_user(&app.world.ccas_a, LOGIN, false).await;
    let response = app.sign_in(LOGIN, relais_tests::OWN_PASSWORD).await;
    let header = set_cookie(&response);
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/v1/auth/token", "Max-Age=1800"] {
        assert!(header.split("; ").any(|a| a == attribute), "{attribute} missing from {header}");
    }
    let body = json(response).await;
    assert_eq!(body["refresh_expires_in"], 1800);
    assert!(body.get("refresh_token").is_none(), "the refresh token stays out of the body");
    assert!(!body.to_string().contains(&cookie_value(&header)));
    // Software clients get no session.
    let body = serde_json::json!({"organisation_id": app.world.police_a, "label": "Logiciel PM"});
    let created = json(app.post("/api/v1/api-clients", &app.admin_token(), &body).await).await;
    let id = created["client"]["id"].as_str().expect("id").to_owned();
    let secret = created["client_secret"].as_str().expect("secret").to_owned();
    let client = app
        .request(Method::POST, "/api/v1/auth/token", None)
        .form(&[("grant_type", "client_credentials"), ("client_id", id.as_str()), ("client_secret", secret.as_str())])
        .send()
        .await
        .expect("request");
    assert_eq!(client.status(), 200);
    assert!(client.headers().get("set-cookie").is_none());
    assert!(json(client).await.get("refresh_expires_in").is_none());
}

#[actix_web::test]
async fn a_refresh_token_works_once_and_its_reuse_ends_the_whole_session() {
    let app = spawn_app().await;
    let (_, first) = signed_in(&app).await;
    let response = refresh(&app, &first).await;
    assert_eq!(response.status(), 200);
    let second = cookie_value(&set_cookie(&response));
    assert_ne!(first, second);
    let body = json(response).await;
    assert_eq!(body["scope"], "ccas");
    let access = body["access_token"].as_str().expect("token");
    assert_eq!(app.get("/api/v1/referrals", access).await.status(), 200);
    // The first token again: someone copied it. The session ends, for the copy and the original.
    let reused = refresh(&app, &first).await;
    assert!(set_cookie(&reused).contains("Max-Age=0"), "the cookie is cleared");
    let answer = problem(reused, 400).await;
    assert_eq!(answer["code"], "invalid_grant");
    assert_eq!(problem(refresh(&app, &second).await, 400).await["code"], "invalid_grant");
    let failures: Vec<Value> = actions_logged(&app, "auth.refresh").await.into_iter().filter(|e| e["outcome"] == "failure").collect();
    assert_eq!(failures.len(), 1, "the reuse is in the access log");
    assert!(!failures[0]["actor_sub"].as_str().unwrap_or_default().is_empty());
}

#[actix_web::test]
async fn two_refreshes_with_one_token_at_once_leave_no_live_session() {
    let app = spawn_app().await;
    let (_, token) = signed_in(&app).await;
    let answers = futures_util::future::join_all([refresh(&app, &token), refresh(&app, &token)]).await;
    let statuses: Vec<u16> = answers.iter().map(|a| a.status().as_u16()).collect();
    assert!(statuses.contains(&400), "{statuses:?}");
    for answer in answers {
        if answer.status() == 200 {
            let next = cookie_value(&set_cookie(&answer));
            problem(refresh(&app, &next).await, 400).await;
        }
    }
}

#[actix_web::test]
async fn a_session_ends_after_inactivity_a_credentials_change_and_sign_out() {
    let app = spawn_app().await;
    let (_, token) = signed_in(&app).await;
    // Thirty minutes without a refresh.
    app.clock().advance(chrono::Duration::minutes(30));
    let expired = problem(refresh(&app, &token).await, 400).await;
    assert_eq!(expired["detail"], "The session expired");

    // A password change ends the sessions opened before it.
    let token = cookie_value(&set_cookie(&app.sign_in(LOGIN, relais_tests::OWN_PASSWORD).await));
    let changed = app.change_password(LOGIN, relais_tests::OWN_PASSWORD, "une autre phrase de passe assez longue").await;
    assert_eq!(changed.status(), 204);
    assert_eq!(problem(refresh(&app, &token).await, 400).await["detail"], "The account changed since the session began");

    // Sign-out ends it at once and clears the cookie; signing out twice is harmless.
    let signed = app.sign_in(LOGIN, "une autre phrase de passe assez longue").await;
    let token = cookie_value(&set_cookie(&signed));
    let revoke = || app.request(Method::POST, "/api/v1/auth/token/revoke", None).header("Cookie", format!("relais_refresh={token}")).send();
    let out = revoke().await.expect("request");
    assert_eq!(out.status(), 204);
    assert!(set_cookie(&out).contains("Max-Age=0"));
    assert_eq!(revoke().await.expect("request").status(), 204);
    assert_eq!(problem(refresh(&app, &token).await, 400).await["detail"], "The session has ended");
    assert_eq!(actions_logged(&app, "auth.sign_out").await.len(), 1);
    // Sessions past their end (twelve hours after they began) are deleted, tokens included, by
    // the daily retention run.
    app.clock().advance(chrono::Duration::hours(12) + chrono::Duration::seconds(1));
    let now = app.now();
    let left = app
        .on_db(move |conn| {
            use diesel::prelude::*;
            use relais_api::db::schema::{refresh_tokens, sessions};
            let policy = relais_api::retention::Policy { months: 24, audit_months: 12, as_of: now.date() };
            relais_api::db::pool::write_transaction(conn, |conn| relais_api::retention::run(conn, &policy, false, now)).expect("retention");
            let sessions: i64 = sessions::table.count().get_result(conn).expect("count");
            let tokens: i64 = refresh_tokens::table.count().get_result(conn).expect("count");
            (sessions, tokens)
        })
        .await;
    assert_eq!(left, (0, 0));
    // Without any cookie: nothing to refresh.
    let bare =
        app.request(Method::POST, "/api/v1/auth/token", None).form(&[("grant_type", "refresh_token")]).send().await.expect("request");
    assert_eq!(problem(bare, 400).await["code"], "invalid_grant");
}

/// The idle end and the maximum end of a session, to the second, with the clock moved.
#[actix_web::test]
async fn a_session_lives_thirty_idle_minutes_and_twelve_hours_at_most() {
    use chrono::Duration;
    let app = spawn_app().await;
    let (_, mut token) = signed_in(&app).await;
    // A second before the thirty idle minutes: refreshed.
    app.clock().advance(Duration::minutes(30) - Duration::seconds(1));
    let refreshed = refresh(&app, &token).await;
    assert_eq!(refreshed.status(), 200);
    token = cookie_value(&set_cookie(&refreshed));
    // Thirty minutes to the second without a refresh: ended.
    app.clock().advance(Duration::minutes(30));
    assert_eq!(problem(refresh(&app, &token).await, 400).await["detail"], "The session expired");

    // However active, a session ends twelve hours after it began.
    let signed = app.sign_in(LOGIN, relais_tests::OWN_PASSWORD).await;
    assert_eq!(signed.status(), 200);
    let mut token = cookie_value(&set_cookie(&signed));
    let began = app.now();
    while app.now() + Duration::minutes(25) < began + Duration::hours(12) {
        app.clock().advance(Duration::minutes(25));
        let refreshed = refresh(&app, &token).await;
        assert_eq!(refreshed.status(), 200, "refreshed at {}", app.now() - began);
        token = cookie_value(&set_cookie(&refreshed));
    }
    app.clock().set((began + Duration::hours(12) - Duration::seconds(1)).and_utc());
    let last = refresh(&app, &token).await;
    assert_eq!(last.status(), 200, "a second before the twelve hours");
    let token = cookie_value(&set_cookie(&last));
    app.clock().advance(Duration::seconds(1));
    assert_eq!(problem(refresh(&app, &token).await, 400).await["detail"], "The session expired");
}
