//! The token endpoint (both grants) and the strict verification of access tokens.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use relais_api::auth::{JwtKeys, Scope};
use relais_tests::{ISSUER, TestApp, claims_of, json, problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn token_request(app: &TestApp, form: &[(&str, &str)]) -> reqwest::Response {
    app.request(Method::POST, "/api/v1/auth/token", None).form(form).send().await.expect("request")
}

async fn create_user(app: &TestApp, org: &str, login: &str, admin: bool) {
    app.create_user(org, login, admin).await;
}

#[actix_web::test]
async fn password_grant_issues_an_rfc9068_token_that_works() {
    let app = spawn_app().await;
    create_user(&app, &app.world.ccas_a, "c.martin", false).await;
    let response =
        token_request(&app, &[("grant_type", "password"), ("username", "c.martin"), ("password", relais_tests::OWN_PASSWORD)]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    let body = json(response).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["scope"], "ccas");
    let token = body["access_token"].as_str().expect("token");
    let header = jsonwebtoken::decode_header(token).expect("header");
    assert_eq!(header.typ.as_deref(), Some("at+jwt"));
    assert_eq!(header.alg, Algorithm::EdDSA);
    assert!(header.kid.is_some());
    let claims = claims_of(token);
    for claim in ["iss", "sub", "aud", "exp", "iat", "nbf", "jti", "scope", "org"] {
        assert!(!claims[claim].is_null(), "missing {claim}");
    }
    assert_eq!(claims["aud"], "relais-api");
    assert_eq!(claims["org"], app.world.ccas_a.as_str());
    assert_eq!(app.get("/api/v1/referrals", token).await.status(), 200);
}

#[actix_web::test]
async fn password_grant_can_narrow_the_scope() {
    let app = spawn_app().await;
    create_user(&app, &app.world.ccas_a, "n.benali", true).await;
    let login = [("grant_type", "password"), ("username", "n.benali"), ("password", relais_tests::OWN_PASSWORD)];
    let narrowed = json(token_request(&app, &[login[0], login[1], login[2], ("scope", "admin")]).await).await;
    assert_eq!(narrowed["scope"], "admin");
    let refused = token_request(&app, &[login[0], login[1], login[2], ("scope", "reports")]).await;
    assert_eq!(problem(refused, 400).await["code"], "invalid_scope");
}

#[actix_web::test]
async fn wrong_credentials_are_refused_and_then_rate_limited() {
    let app = spawn_app().await;
    create_user(&app, &app.world.ccas_a, "c.martin", false).await;
    let wrong = [("grant_type", "password"), ("username", "c.martin"), ("password", "not the password at all")];
    assert_eq!(problem(token_request(&app, &wrong).await, 400).await["code"], "invalid_grant");
    let unknown = [("grant_type", "password"), ("username", "nobody"), ("password", "whatever whatever")];
    assert_eq!(problem(token_request(&app, &unknown).await, 400).await["code"], "invalid_grant");
    // Three free failures from one address, then a growing delay.
    let mut tries = 1;
    let limited = loop {
        let answer = token_request(&app, &wrong).await;
        tries += 1;
        if answer.status() == 429 {
            break answer;
        }
        assert!(tries <= 5, "no limit after {tries} wrong passwords");
    };
    assert!(limited.headers().get("retry-after").is_some());
    problem(limited, 429).await;
    let grant = [("grant_type", "implicit")];
    assert_eq!(problem(token_request(&app, &grant).await, 400).await["code"], "unsupported_grant_type");
}

/// A sign-in from a client address (the test client stands for a trusted proxy).
async fn sign_in_from(app: &TestApp, address: &str, login: &str, password: &str) -> reqwest::Response {
    app.request(Method::POST, "/api/v1/auth/token", None)
        .header("X-Forwarded-For", address)
        .form(&[("grant_type", "password"), ("username", login), ("password", password)])
        .send()
        .await
        .expect("request")
}

#[actix_web::test]
async fn guesses_slow_down_their_author_not_the_coordinator() {
    let app = spawn_app().await;
    create_user(&app, &app.world.ccas_a, "c.martin", false).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(sign_in_from(&app, "203.0.113.9", "c.martin", "une devinette au hasard").await.status().as_u16());
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    // The coordinator, at her own desk, is not locked out.
    assert_eq!(sign_in_from(&app, "198.51.100.20", "c.martin", relais_tests::OWN_PASSWORD).await.status(), 200);
    // Nothing in the throttling table says who or where.
    let keys: Vec<String> = app
        .on_db(|conn| {
            use diesel::prelude::*;
            relais_api::db::schema::sign_in_throttles::table
                .select(relais_api::db::schema::sign_in_throttles::key)
                .load(conn)
                .expect("keys")
        })
        .await;
    assert!(!keys.is_empty() && keys.iter().all(|k| !k.contains("martin") && !k.contains("203.0.113.9")), "{keys:?}");
}

#[actix_web::test]
async fn a_spray_of_logins_from_one_address_slows_down() {
    let app = spawn_app().await;
    let mut limited_at = None;
    for i in 0..30 {
        let answer = sign_in_from(&app, "203.0.113.50", &format!("compte{i}"), "motdepasse-essaye").await;
        if answer.status() == 429 {
            limited_at = Some(i);
            break;
        }
    }
    assert!(limited_at.is_some_and(|i| i <= 22), "{limited_at:?}");
    // Another address is not concerned.
    assert_eq!(problem(sign_in_from(&app, "203.0.113.51", "compte0", "motdepasse-essaye").await, 400).await["code"], "invalid_grant");
}

#[actix_web::test]
async fn parallel_guesses_are_counted_before_any_is_checked() {
    let app = spawn_app().await;
    create_user(&app, &app.world.ccas_a, "c.martin", false).await;
    let guesses = (0..40).map(|i| {
        let app = &app;
        async move { sign_in_from(app, "203.0.113.77", "c.martin", &format!("devinette {i}")).await.status().as_u16() }
    });
    let statuses = futures_util::future::join_all(guesses).await;
    let checked = statuses.iter().filter(|s| **s == 400).count();
    assert!(checked <= 6, "{checked} of 40 parallel guesses were checked: {statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 40 - checked, "{statuses:?}");
}

#[actix_web::test]
async fn client_credentials_grant_works_with_basic_and_form_authentication() {
    let app = spawn_app().await;
    let body = json!({"organisation_id": app.world.police_a, "label": "Logiciel PM"});
    let created = json(app.post("/api/v1/api-clients", &app.admin_token(), &body).await).await;
    let id = created["client"]["id"].as_str().expect("id").to_owned();
    let secret = created["client_secret"].as_str().expect("secret").to_owned();
    let basic = app
        .request(Method::POST, "/api/v1/auth/token", None)
        .basic_auth(&id, Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("request");
    let token = json(basic).await;
    assert_eq!(token["scope"], "police_municipale");
    let access = token["access_token"].as_str().expect("token");
    assert_eq!(claims_of(access)["sub"], id.as_str());
    let form = [("grant_type", "client_credentials"), ("client_id", id.as_str()), ("client_secret", secret.as_str())];
    assert_eq!(token_request(&app, &form).await.status(), 200);
    let wrong = [("grant_type", "client_credentials"), ("client_id", id.as_str()), ("client_secret", "nope")];
    assert_eq!(problem(token_request(&app, &wrong).await, 400).await["code"], "invalid_grant");
    // Revoked: no more tokens.
    let revoke = app.request(Method::DELETE, &format!("/api/v1/api-clients/{id}"), Some(&app.admin_token())).send().await.expect("revoke");
    assert_eq!(revoke.status(), 204);
    problem(token_request(&app, &form).await, 400).await;
}

#[actix_web::test]
async fn jwks_publishes_the_key_that_verifies_tokens() {
    let app = spawn_app().await;
    let jwks = json(app.request(Method::GET, "/.well-known/jwks.json", None).send().await.expect("jwks")).await;
    let key = &jwks["keys"][0];
    assert_eq!(key["kty"], "OKP");
    assert_eq!(key["crv"], "Ed25519");
    assert_eq!(key["alg"], "EdDSA");
    let token = app.ccas_token();
    let kid = jsonwebtoken::decode_header(&token).expect("header").kid;
    assert_eq!(key["kid"].as_str(), kid.as_deref());
    let decoding = jsonwebtoken::DecodingKey::from_ed_components(key["x"].as_str().expect("x")).expect("key");
    let mut validation = jsonwebtoken::Validation::new(Algorithm::EdDSA);
    validation.set_audience(&["relais-api"]);
    // The server's clock is the test's, not this machine's: the expiry is checked against it.
    validation.validate_exp = false;
    let decoded = jsonwebtoken::decode::<Value>(&token, &decoding, &validation).expect("verified by another JWT library");
    let exp = decoded.claims["exp"].as_i64().expect("exp");
    assert!(exp > app.clock().timestamp() && exp <= app.clock().timestamp() + 900, "{exp}");
}

/// Now by the server's clock (the tests set it; tokens are checked against it).
fn now(app: &TestApp) -> i64 {
    app.clock().timestamp()
}

fn claims(app: &TestApp) -> Value {
    json!({"iss": ISSUER, "sub": "someone", "aud": "relais-api", "exp": now(app) + 600, "iat": now(app), "nbf": now(app),
           "jti": "j", "scope": "ccas", "org": app.world.ccas_a})
}

fn sign(keys: &JwtKeys, header: Header, claims: &Value) -> String {
    encode(&header, claims, &keys.encoding).expect("sign")
}

fn at_jwt(alg: Algorithm) -> Header {
    let mut header = Header::new(alg);
    header.typ = Some("at+jwt".into());
    header
}

fn unsigned(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"at+jwt"}"#);
    format!("{header}.{}.", URL_SAFE_NO_PAD.encode(claims.to_string()))
}

#[actix_web::test]
async fn every_kind_of_bad_token_is_a_401_invalid_token() {
    let app = spawn_app().await;
    let keys = &app.state.tokens.keys;
    let with = |patch: Value| {
        let mut c = claims(&app);
        for (k, v) in patch.as_object().expect("object") {
            if v.is_null() {
                c.as_object_mut().expect("object").remove(k);
            } else {
                c[k] = v.clone();
            }
        }
        c
    };
    let good = sign(keys, at_jwt(Algorithm::EdDSA), &claims(&app));
    assert_eq!(app.get("/api/v1/referrals", &good).await.status(), 200, "the baseline token must work");
    let mut tampered = good.clone();
    tampered.replace_range(tampered.len() - 4.., "AAAA");
    let public_key = URL_SAFE_NO_PAD.decode(&keys.current.public_x).expect("x");
    let hs256_with_public_key =
        encode(&at_jwt(Algorithm::HS256), &claims(&app), &EncodingKey::from_secret(&public_key).expect("hmac key")).expect("sign");
    let other_keys = JwtKeys::ephemeral().expect("key");
    let mut plain_jwt = Header::new(Algorithm::EdDSA);
    plain_jwt.typ = Some("JWT".into());
    let cases: Vec<(&str, String)> = vec![
        ("expired", sign(keys, at_jwt(Algorithm::EdDSA), &with(json!({"exp": now(&app) - 120})))),
        ("not yet valid", sign(keys, at_jwt(Algorithm::EdDSA), &with(json!({"nbf": now(&app) + 120})))),
        ("wrong aud", sign(keys, at_jwt(Algorithm::EdDSA), &with(json!({"aud": "another-api"})))),
        ("wrong iss", sign(keys, at_jwt(Algorithm::EdDSA), &with(json!({"iss": "someone-else"})))),
        ("missing exp", sign(keys, at_jwt(Algorithm::EdDSA), &with(json!({"exp": null})))),
        ("missing sub", sign(keys, at_jwt(Algorithm::EdDSA), &with(json!({"sub": null})))),
        ("tampered signature", tampered),
        ("alg none", unsigned(&claims(&app))),
        ("HS256 with the public key", hs256_with_public_key),
        ("typ JWT", sign(keys, plain_jwt, &claims(&app))),
        ("no typ", sign(keys, Header::new(Algorithm::EdDSA), &claims(&app))),
        ("another key", sign(&other_keys, at_jwt(Algorithm::EdDSA), &claims(&app))),
        ("unknown organisation", sign(keys, at_jwt(Algorithm::EdDSA), &with(json!({"org": "00000000-0000-0000-0000-000000000000"})))),
        ("gendarmerie scope on a CCAS", sign(keys, at_jwt(Algorithm::EdDSA), &with(json!({"scope": "gendarmerie"})))),
        ("ccas scope on a brigade", sign(keys, at_jwt(Algorithm::EdDSA), &with(json!({"org": app.world.brigade_a})))),
        ("unknown scope", sign(keys, at_jwt(Algorithm::EdDSA), &with(json!({"scope": "ccas root"})))),
        ("garbage", "not.a.token".to_owned()),
    ];
    for (name, token) in cases {
        let response = app.get("/api/v1/referrals", &token).await;
        let challenge = response.headers().get("www-authenticate").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        assert_eq!(response.status(), 401, "{name}");
        assert_eq!(challenge, r#"Bearer error="invalid_token""#, "{name}");
        problem(response, 401).await;
    }
    let no_header = app.request(Method::GET, "/api/v1/referrals", None).send().await.expect("request");
    problem(no_header, 401).await;
}

#[actix_web::test]
async fn a_valid_token_without_the_scope_is_a_403_insufficient_scope() {
    let app = spawn_app().await;
    let token = app.token(&app.world.ccas_a, &[Scope::Reports]);
    let response = app.get("/api/v1/referrals", &token).await;
    let challenge = response.headers().get("www-authenticate").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(challenge.starts_with(r#"Bearer error="insufficient_scope""#), "{challenge}");
    assert_eq!(problem(response, 403).await["code"], "insufficient_scope");
}

#[actix_web::test]
async fn tokens_of_a_deactivated_organisation_stop_working() {
    let app = spawn_app().await;
    let token = app.gendarmerie_token();
    assert_eq!(app.get("/api/v1/referrals", &token).await.status(), 200);
    let path = format!("/api/v1/organisations/{}", app.world.brigade_a);
    assert_eq!(app.patch(&path, &app.admin_token(), &json!({"active": false})).await.status(), 200);
    problem(app.get("/api/v1/referrals", &token).await, 401).await;
}

#[actix_web::test]
async fn tokens_of_a_deactivated_account_stop_working_at_once() {
    let app = spawn_app().await;
    create_user(&app, &app.world.ccas_a, "c.martin", false).await;
    let form = [("grant_type", "password"), ("username", "c.martin"), ("password", relais_tests::OWN_PASSWORD)];
    let token = json(token_request(&app, &form).await).await["access_token"].as_str().expect("token").to_owned();
    assert_eq!(app.get("/api/v1/referrals", &token).await.status(), 200);
    let users = json(app.get("/api/v1/users", &app.admin_token()).await).await;
    let id = users["items"].as_array().expect("items").iter().find(|u| u["login"] == "c.martin").expect("user")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    app.patch(&format!("/api/v1/users/{id}"), &app.admin_token(), &json!({"active": false})).await;
    problem(app.get("/api/v1/referrals", &token).await, 401).await;
    // The standing is read in the handler's own database hop; a handler that stops before
    // any (a refused body, a scope it does not grant) still answers 401, not its own error.
    problem(app.post("/api/v1/referrals", &token, &json!({"urgency": "soon"})).await, 401).await;
    problem(app.get("/api/v1/audit-events", &token).await, 401).await;
    problem(app.get(&format!("/api/v1/situations/{}", uuid::Uuid::new_v4()), &token).await, 401).await;
}

#[actix_web::test]
async fn tokens_of_the_previous_key_stay_valid_and_the_jwks_publishes_both() {
    let dir = tempfile::tempdir().expect("dir");
    let previous_pem = relais_api::auth::keys::generate_pem().expect("pem");
    let previous_file = dir.path().join("previous.pem");
    std::fs::write(&previous_file, &previous_pem).expect("write");
    let previous = JwtKeys::from_pem(&previous_pem).expect("previous");
    let current = JwtKeys::ephemeral().expect("current").with_previous(std::slice::from_ref(&previous_file)).expect("rotation");
    let app = relais_tests::spawn_app_with_keys(current).await;
    let mut header = at_jwt(Algorithm::EdDSA);
    header.kid = Some(previous.current.kid.clone());
    let signed_before = sign(&previous, header, &claims(&app));
    assert_eq!(app.get("/api/v1/referrals", &signed_before).await.status(), 200);
    // A key that is neither current nor previous, even naming a known kid, is refused.
    let stranger = JwtKeys::ephemeral().expect("key");
    let mut forged = at_jwt(Algorithm::EdDSA);
    forged.kid = Some(previous.current.kid.clone());
    problem(app.get("/api/v1/referrals", &sign(&stranger, forged, &claims(&app))).await, 401).await;
    let mut unknown = at_jwt(Algorithm::EdDSA);
    unknown.kid = Some(stranger.current.kid.clone());
    problem(app.get("/api/v1/referrals", &sign(&stranger, unknown, &claims(&app))).await, 401).await;
    let jwks = json(app.request(Method::GET, "/.well-known/jwks.json", None).send().await.expect("jwks")).await;
    let kids: Vec<&str> = jwks["keys"].as_array().expect("keys").iter().filter_map(|k| k["kid"].as_str()).collect();
    assert_eq!(kids, [app.state.tokens.keys.current.kid.as_str(), previous.current.kid.as_str()]);
}

#[actix_web::test]
async fn password_checks_beyond_the_free_slots_answer_503_instead_of_piling_up() {
    let app = spawn_app().await;
    let slots = std::thread::available_parallelism().map_or(2, usize::from);
    let busy = futures_util::future::join_all(
        (0..slots).map(|_| app.state.check_password(|| std::thread::sleep(std::time::Duration::from_secs(4)))),
    );
    let late = async {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(300)).await;
        app.state.check_password(|| ()).await
    };
    let (done, late) = futures_util::future::join(busy, late).await;
    assert!(done.iter().all(Result::is_ok));
    assert!(matches!(late, Err(relais_api::error::ApiError::Unavailable(_))), "{late:?}");
}
