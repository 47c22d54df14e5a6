//! The authorization matrix: every route × every audience, with the expected status. It fails
//! when a documented route is missing from the table, so a new route cannot skip it.

use std::collections::BTreeSet;

use jsonwebtoken::{Algorithm, Header, encode};
use relais_api::auth::{JwtKeys, Scope};
use relais_tests::{TestApp, json, referral_body, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

/// Objects of CCAS A that the routes act on.
struct Objects {
    referral: String,
    partner: String,
    site: String,
    user: String,
    client: String,
    organisation: String,
    person: String,
    situation: String,
    case: relais_tests::Case,
    appointment: String,
    intervention: String,
    brief_contact: String,
    subscription: String,
}

async fn objects(app: &TestApp) -> Objects {
    let id = |v: &Value| v["id"].as_str().expect("id").to_owned();
    let referral = json(app.post("/api/v1/referrals", &app.gendarmerie_token(), &referral_body("Lefèvre")).await).await;
    let partner = json(app.post("/api/v1/partners", &app.ccas_token(), &json!({"name": "Partenaire", "kind": "health"})).await).await;
    let site = json(app.post("/api/v1/sites", &app.admin_token(), &json!({"name": "Site"})).await).await;
    let user = json(app.post("/api/v1/users", &app.admin_token(), &json!({"organisation_id": app.world.brigade_a, "login": "matrix.user", "display_name": "U", "password": "une phrase de passe longue"})).await).await;
    let client =
        json(app.post("/api/v1/api-clients", &app.admin_token(), &json!({"organisation_id": app.world.police_a, "label": "PM"})).await)
            .await;
    let person = json(app.post("/api/v1/persons", &app.ccas_token(), &json!({"last_name": "Matrice", "first_name": "Paul"})).await).await;
    let situation = json(app.post("/api/v1/situations", &app.ccas_token(), &json!({})).await).await;
    let case = app.case().await;
    let appointment = json(app.post("/api/v1/appointments", &app.ccas_token(), &emergency(&case)).await).await;
    let intervention = json(app.post("/api/v1/interventions", &app.ccas_token(), &intervention_body(&case)).await).await;
    let brief_contact = json(app.post("/api/v1/brief-contacts", &app.ccas_token(), &brief_contact_body()).await).await;
    let subscription = json(app.post("/api/v1/webhook-subscriptions", &app.gendarmerie_token(), &subscription_body()).await).await;
    Objects {
        subscription: id(&subscription["subscription"]),
        appointment: id(&appointment),
        intervention: id(&intervention),
        brief_contact: id(&brief_contact),
        case,
        referral: id(&referral),
        partner: id(&partner),
        site: id(&site),
        user: id(&user),
        client: id(&client["client"]),
        organisation: app.world.brigade_a.clone(),
        person: id(&person),
        situation: id(&situation),
    }
}

fn emergency(case: &relais_tests::Case) -> Value {
    json!({"kind": "emergency", "site_id": case.site, "coordinator_id": case.coordinator, "situation_id": case.situation,
           "starts_at": "2026-03-30T08:00:00Z", "ends_at": "2026-03-30T09:00:00Z"})
}

fn brief_contact_body() -> Value {
    json!({"channel": "phone", "origin": "walk_in", "problem_types": ["domestic_violence"]})
}

fn subscription_body() -> Value {
    json!({"url": "https://logiciel.example.fr/relais", "events": ["referral.status_changed"]})
}

fn intervention_body(case: &relais_tests::Case) -> Value {
    json!({"situation_id": case.situation, "kind": "advice", "occurred_at": "2026-03-30T08:00:00Z", "coordinator_id": case.coordinator})
}

/// The audiences, in the order of the `expect` columns.
const AUDIENCES: [&str; 6] = ["ccas", "gendarmerie", "police_municipale", "police_nationale", "reports", "admin"];

struct Case {
    method: &'static str,
    path: &'static str,
    /// Status for each audience of [`AUDIENCES`] with a valid token of CCAS A's world.
    expect: [u16; 6],
    /// Status for a CCAS B token holding `ccas` and `admin`, on CCAS A's objects.
    foreign: u16,
    public: bool,
}

/// `expect` in the order ccas, gendarmerie, police municipale, reports, admin: a commissariat
/// de police nationale is expected to be answered exactly as the police municipale service
/// (a unit of CCAS A that did not send the objects of the table).
const fn case(method: &'static str, path: &'static str, expect: [u16; 5], foreign: u16) -> Case {
    let [ccas, gendarmerie, police_municipale, reports, admin] = expect;
    Case { method, path, expect: [ccas, gendarmerie, police_municipale, police_municipale, reports, admin], foreign, public: false }
}

const fn public(method: &'static str, path: &'static str, status: u16) -> Case {
    Case { method, path, expect: [status; 6], foreign: status, public: true }
}

const X: u16 = 403;

fn table() -> Vec<Case> {
    vec![
        public("GET", "/health/live", 200),
        public("GET", "/health/ready", 200),
        public("POST", "/api/v1/auth/token", 400),
        public("POST", "/api/v1/auth/token/revoke", 204),
        public("POST", "/api/v1/auth/password", 400),
        public("GET", "/.well-known/jwks.json", 200),
        case("GET", "/api/v1/problem-types", [200, 200, 200, 200, 200], 200),
        case("GET", "/api/v1/organisations", [X, X, X, X, 200], 200),
        case("POST", "/api/v1/organisations", [X, X, X, X, 201], 201),
        case("GET", "/api/v1/organisations/{id}", [X, X, X, X, 200], 404),
        case("PATCH", "/api/v1/organisations/{id}", [X, X, X, X, 200], 404),
        case("GET", "/api/v1/sites", [200, X, X, X, 200], 200),
        case("POST", "/api/v1/sites", [X, X, X, X, 201], 201),
        case("GET", "/api/v1/sites/{id}", [200, X, X, X, 200], 404),
        case("PUT", "/api/v1/sites/{id}", [X, X, X, X, 200], 404),
        case("GET", "/api/v1/users", [X, X, X, X, 200], 200),
        case("POST", "/api/v1/users", [X, X, X, X, 201], 422),
        case("PATCH", "/api/v1/users/{id}", [X, X, X, X, 200], 404),
        case("GET", "/api/v1/api-clients", [X, X, X, X, 200], 200),
        case("POST", "/api/v1/api-clients", [X, X, X, X, 201], 422),
        case("DELETE", "/api/v1/api-clients/{id}", [X, X, X, X, 204], 404),
        case("GET", "/api/v1/audit-events", [X, X, X, X, 200], 200),
        case("GET", "/api/v1/partners", [200, X, X, X, X], 200),
        case("POST", "/api/v1/partners", [201, X, X, X, X], 201),
        case("GET", "/api/v1/partners/{id}", [200, X, X, X, X], 404),
        case("PUT", "/api/v1/partners/{id}", [200, X, X, X, X], 404),
        case("GET", "/api/v1/partners/export/data-inclusion", [200, X, X, X, X], 200),
        case("POST", "/api/v1/partners/import/data-inclusion", [200, X, X, X, X], 200),
        case("GET", "/api/v1/directory", [200, 200, 200, X, X], 200),
        case("GET", "/api/v1/directory/{id}", [200, 200, 200, X, X], 404),
        case("GET", "/api/v1/referrals", [200, 200, 200, X, X], 200),
        case("POST", "/api/v1/referrals", [201, 201, 201, X, X], 201),
        // Created by brigade A: the police municipale of the same CCAS gets 404.
        case("GET", "/api/v1/referrals/{id}", [200, 200, 404, X, X], 404),
        case("POST", "/api/v1/referrals/{id}/contact-attempts", [200, X, X, X, X], 404),
        case("POST", "/api/v1/referrals/{id}/accept", [200, X, X, X, X], 404),
        // Accepted just before: declining it is a conflict.
        case("POST", "/api/v1/referrals/{id}/decline", [409, X, X, X, X], 404),
        case("GET", "/api/v1/persons", [200, X, X, X, X], 200),
        case("POST", "/api/v1/persons", [201, X, X, X, X], 201),
        case("GET", "/api/v1/persons/{id}", [200, X, X, X, X], 404),
        case("PATCH", "/api/v1/persons/{id}", [200, X, X, X, X], 404),
        case("GET", "/api/v1/persons/{id}/export", [200, X, X, X, X], 404),
        case("GET", "/api/v1/situations", [200, X, X, X, X], 200),
        case("POST", "/api/v1/situations", [201, X, X, X, X], 201),
        case("GET", "/api/v1/situations/{id}", [200, X, X, X, X], 404),
        case("PATCH", "/api/v1/situations/{id}", [200, X, X, X, X], 404),
        case("POST", "/api/v1/situations/{id}/close", [200, X, X, X, X], 404),
        case("POST", "/api/v1/situations/{id}/reopen", [200, X, X, X, X], 404),
        case("PUT", "/api/v1/situations/{id}/persons/{person_id}", [200, X, X, X, X], 404),
        case("DELETE", "/api/v1/situations/{id}/persons/{person_id}", [200, X, X, X, X], 404),
        case("GET", "/api/v1/situations/{id}/notes", [200, X, X, X, X], 404),
        case("POST", "/api/v1/situations/{id}/notes", [201, X, X, X, X], 404),
        case("GET", "/api/v1/situations/{id}/timeline", [200, X, X, X, X], 404),
        case("GET", "/api/v1/coordinators", [200, X, X, X, 200], 200),
        case("GET", "/api/v1/appointments", [200, X, X, X, X], 200),
        case("POST", "/api/v1/appointments", [201, X, X, X, X], 422),
        case("GET", "/api/v1/appointments/{id}", [200, X, X, X, X], 404),
        case("PATCH", "/api/v1/appointments/{id}", [200, X, X, X, X], 404),
        case("POST", "/api/v1/appointments/{id}/outcome", [200, X, X, X, X], 404),
        case("GET", "/api/v1/availability", [200, X, X, X, X], 422),
        case("GET", "/api/v1/interventions", [200, X, X, X, X], 200),
        case("POST", "/api/v1/interventions", [201, X, X, X, X], 422),
        case("GET", "/api/v1/interventions/{id}", [200, X, X, X, X], 404),
        // The table's intervention is advice: coordinators get 409 (only an orientation has a follow-up).
        case("POST", "/api/v1/interventions/{id}/follow-up", [409, X, X, X, X], 404),
        // Brief anonymous contacts: coordinators only; CCAS B lists and records its own.
        case("GET", "/api/v1/brief-contacts", [200, X, X, X, X], 200),
        case("POST", "/api/v1/brief-contacts", [201, X, X, X, X], 201),
        case("GET", "/api/v1/brief-contacts/{id}", [200, X, X, X, X], 404),
        // Each audience gets its own view: CCAS B its own figures.
        case("GET", "/api/v1/reports/activity", [200, 200, 200, 200, X], 200),
        // The funders' grid describes the post's whole work: not for the units.
        case("GET", "/api/v1/reports/activity?layout=funders", [200, X, X, 200, X], 200),
        // Webhook subscriptions: brigade A's; units subscribe, administrators of the CCAS see
        // and disable them (CCAS B's administrator lists its own, and does not reach A's).
        case("POST", "/api/v1/webhook-subscriptions", [X, 201, 201, X, X], 403),
        case("GET", "/api/v1/webhook-subscriptions", [X, 200, 200, X, 200], 200),
        case("GET", "/api/v1/webhook-subscriptions/{id}", [X, 200, 404, X, 200], 404),
        case("PATCH", "/api/v1/webhook-subscriptions/{id}", [X, 200, 404, X, 200], 404),
        case("POST", "/api/v1/webhook-subscriptions/{id}/rotate-secret", [X, 200, 404, X, X], 403),
        case("GET", "/api/v1/webhook-subscriptions/{id}/deliveries", [X, 200, 404, X, 200], 404),
        // Last: brigade A deletes it.
        case("DELETE", "/api/v1/webhook-subscriptions/{id}", [X, 204, 404, X, X], 403),
    ]
}

fn concrete_path(case: &Case, objects: &Objects) -> String {
    let id = match case.path {
        p if p.starts_with("/api/v1/referrals/") => &objects.referral,
        p if p.starts_with("/api/v1/partners/") || p.starts_with("/api/v1/directory/") => &objects.partner,
        p if p.starts_with("/api/v1/sites/") => &objects.site,
        p if p.starts_with("/api/v1/users/") => &objects.user,
        p if p.starts_with("/api/v1/api-clients/") => &objects.client,
        p if p.starts_with("/api/v1/organisations/") => &objects.organisation,
        p if p.starts_with("/api/v1/persons/") => &objects.person,
        p if p.starts_with("/api/v1/situations/") => &objects.situation,
        p if p.starts_with("/api/v1/appointments/") => &objects.appointment,
        p if p.starts_with("/api/v1/interventions/") => &objects.intervention,
        p if p.starts_with("/api/v1/brief-contacts/") => &objects.brief_contact,
        p if p.starts_with("/api/v1/webhook-subscriptions/") => &objects.subscription,
        "/api/v1/reports/activity" => return "/api/v1/reports/activity?from=2025-01-01&to=2025-12-31".to_owned(),
        "/api/v1/reports/activity?layout=funders" => {
            return "/api/v1/reports/activity?from=2025-01-01&to=2025-12-31&layout=funders".to_owned();
        }
        "/api/v1/availability" => {
            return format!(
                "/api/v1/availability?site={}&coordinator={}&date=2026-03-30&duration=30",
                objects.case.site, objects.case.coordinator
            );
        }
        _ => return case.path.to_owned(),
    };
    case.path.replace("{id}", id).replace("{person_id}", &objects.person)
}

fn body(case: &Case, audience: &str, app: &TestApp, objects: &Objects, n: usize) -> Option<Value> {
    match (case.method, case.path) {
        ("POST", "/api/v1/appointments") => Some(emergency(&objects.case)),
        ("PATCH", "/api/v1/appointments/{id}") => Some(json!({"ends_at": "2026-03-30T09:30:00Z"})),
        ("POST", "/api/v1/appointments/{id}/outcome") => Some(json!({"outcome": "attended"})),
        ("POST", "/api/v1/interventions") => Some(intervention_body(&objects.case)),
        ("POST", "/api/v1/brief-contacts") => Some(brief_contact_body()),
        ("POST", "/api/v1/webhook-subscriptions") => Some(subscription_body()),
        ("POST", "/api/v1/partners/import/data-inclusion") => Some(
            json!({"structures": [{"source": "dora", "id": format!("dora--{n}"), "nom": "Structure importée", "date_maj": "2026-01-01"}]}),
        ),
        ("PATCH", "/api/v1/webhook-subscriptions/{id}") => Some(json!({"enabled": false})),
        ("POST", "/api/v1/interventions/{id}/follow-up") => Some(json!({"took_over": "yes"})),
        ("POST", "/api/v1/organisations") => Some(json!({"kind": "gendarmerie", "name": format!("Brigade {n}")})),
        ("PATCH", "/api/v1/organisations/{id}") => Some(json!({"name": "Brigade A"})),
        ("POST", "/api/v1/sites") | ("PUT", "/api/v1/sites/{id}") => Some(json!({"name": format!("Site {n}")})),
        ("POST", "/api/v1/users") => Some(
            json!({"organisation_id": app.world.brigade_a, "login": format!("user{n}"), "display_name": "U", "password": "une phrase de passe longue"}),
        ),
        ("PATCH", "/api/v1/users/{id}") => Some(json!({"display_name": "Renamed"})),
        ("POST", "/api/v1/api-clients") => Some(json!({"organisation_id": app.world.police_a, "label": "Client"})),
        ("POST", "/api/v1/partners") | ("PUT", "/api/v1/partners/{id}") => {
            Some(json!({"name": format!("Partenaire {n}"), "kind": "housing"}))
        }
        ("POST", "/api/v1/referrals/{id}/contact-attempts") => Some(json!({"channel": "phone", "outcome": "no_answer"})),
        ("POST", "/api/v1/referrals/{id}/accept") => Some(json!({})),
        ("POST", "/api/v1/referrals/{id}/decline") => Some(json!({"reason": "unreachable"})),
        ("POST", "/api/v1/persons") => Some(json!({"last_name": format!("Personne{n}"), "first_name": "Test"})),
        ("PATCH", "/api/v1/persons/{id}") => Some(json!({"commune": "Vienne"})),
        ("POST", "/api/v1/situations") => Some(json!({"problem_types": ["other"]})),
        ("PATCH", "/api/v1/situations/{id}") => Some(json!({"judicial_proceedings": "yes"})),
        ("POST", "/api/v1/situations/{id}/close") => Some(json!({"reason": "resolved"})),
        ("PUT", "/api/v1/situations/{id}/persons/{person_id}") => Some(json!({"role": "victim"})),
        ("POST", "/api/v1/situations/{id}/notes") => Some(json!({"body": "note"})),
        ("POST", "/api/v1/referrals") => {
            let mut body = referral_body("Matrix");
            if audience == "ccas" || audience == "foreign" {
                body["source"] = json!("walk_in");
            }
            Some(body)
        }
        _ => None,
    }
}

async fn send(app: &TestApp, case: &Case, path: &str, token: Option<&str>, body: Option<Value>) -> u16 {
    let method = Method::from_bytes(case.method.as_bytes()).expect("method");
    // Versioned resources: send the current version, read as CCAS A, so only access decides.
    let versioned = (case.method == "PATCH"
        && ["/api/v1/persons/", "/api/v1/situations/", "/api/v1/appointments/"].iter().any(|p| path.starts_with(p)))
        || (case.method == "PUT" && path.starts_with("/api/v1/partners/"));
    let etag = if versioned {
        app.get(path, &app.ccas_token()).await.headers().get("etag").and_then(|v| v.to_str().ok()).map(str::to_owned)
    } else {
        None
    };
    let mut request = app.request(method, path, token);
    if let Some(etag) = etag {
        request = request.header("If-Match", etag);
    }
    if case.path.starts_with("/api/v1/auth/") {
        // Each sign-in from its own address: the matrix is not a guessing attack.
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        request = request.header("X-Forwarded-For", format!("10.{}.{}.{}", n >> 16 & 255, n >> 8 & 255, n & 255));
    }
    if case.path == "/api/v1/auth/token" {
        request = request.form(&[("grant_type", "password"), ("username", "nobody"), ("password", "wrong password")]);
    } else if case.path == "/api/v1/auth/password" {
        let change =
            serde_json::json!({"login": "somebody", "current_password": "wrong password", "new_password": "another long password"});
        request = request.json(&change);
    } else if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("request").status().as_u16()
}

fn token_of(app: &TestApp, audience: &str) -> String {
    let w = &app.world;
    match audience {
        "ccas" => app.token(&w.ccas_a, &[Scope::Ccas]),
        "gendarmerie" => app.token(&w.brigade_a, &[Scope::Gendarmerie]),
        "police_municipale" => app.token(&w.police_a, &[Scope::PoliceMunicipale]),
        "police_nationale" => app.token(&w.commissariat_a, &[Scope::PoliceNationale]),
        "reports" => app.token(&w.ccas_a, &[Scope::Reports]),
        "admin" => app.token(&w.ccas_a, &[Scope::Admin]),
        "foreign" => app.token(&w.ccas_b, &[Scope::Ccas, Scope::Admin]),
        other => panic!("unknown audience {other}"),
    }
}

/// A well-formed token from another issuer and key.
fn other_issuer_token(app: &TestApp) -> String {
    let keys = JwtKeys::ephemeral().expect("key");
    let now = app.clock().timestamp();
    let claims = json!({"iss": "another-issuer", "sub": "x", "aud": "relais-api", "exp": now + 600, "iat": now, "nbf": now, "jti": "j", "scope": "ccas admin", "org": app.world.ccas_a});
    let mut header = Header::new(Algorithm::EdDSA);
    header.typ = Some("at+jwt".into());
    encode(&header, &claims, &keys.encoding).expect("sign")
}

#[actix_web::test]
async fn every_route_answers_every_audience_as_the_table_says() {
    let app = spawn_app().await;
    let objects = objects(&app).await;
    let other_issuer = other_issuer_token(&app);
    let mut failures = Vec::new();
    let mut n = 0;
    for case in table() {
        let path = concrete_path(&case, &objects);
        let mut audiences: Vec<(&str, u16)> = AUDIENCES.iter().copied().zip(case.expect).collect();
        audiences.push(("foreign", case.foreign));
        for (audience, expected) in audiences {
            n += 1;
            let token = token_of(&app, audience);
            let got = send(&app, &case, &path, Some(&token), body(&case, audience, &app, &objects, n)).await;
            if got != expected {
                failures.push(format!("{} {} as {audience}: expected {expected}, got {got}", case.method, case.path));
            }
        }
        let anonymous = if case.public { case.expect[0] } else { 401 };
        for (who, token) in [("no token", None), ("another issuer", Some(other_issuer.as_str()))] {
            n += 1;
            let got = send(&app, &case, &path, token, body(&case, "ccas", &app, &objects, n)).await;
            if got != anonymous {
                failures.push(format!("{} {} with {who}: expected {anonymous}, got {got}", case.method, case.path));
            }
        }
    }
    assert!(failures.is_empty(), "authorization matrix:\n{}", failures.join("\n"));
}

#[actix_web::test]
async fn the_table_covers_every_documented_route() {
    let documented: BTreeSet<String> = relais_api::app::openapi()
        .paths
        .paths
        .iter()
        .flat_map(|(path, item)| {
            [
                ("GET", item.get.is_some()),
                ("POST", item.post.is_some()),
                ("PUT", item.put.is_some()),
                ("PATCH", item.patch.is_some()),
                ("DELETE", item.delete.is_some()),
            ]
            .into_iter()
            .filter(|(_, present)| *present)
            .map(move |(method, _)| format!("{method} {path}"))
        })
        .collect();
    // A row may try one variant of a route (`?layout=funders`): the route is the path.
    let tested: BTreeSet<String> = table().iter().map(|c| format!("{} {}", c.method, c.path.split('?').next().unwrap_or(c.path))).collect();
    let missing: Vec<_> = documented.difference(&tested).collect();
    let stale: Vec<_> = tested.difference(&documented).collect();
    assert!(missing.is_empty(), "routes missing from the authorization matrix: {missing:?}");
    assert!(stale.is_empty(), "matrix rows for routes that do not exist: {stale:?}");
}
