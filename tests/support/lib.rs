//! Test support: a real Relais server on a random port over a fresh database (a temporary
//! SQLite file, or a PostgreSQL database copied from a migrated template), and helpers to
//! call it as each audience would.
//!
//! `RELAIS_TEST_BACKEND=postgres` runs the suite on PostgreSQL, at `RELAIS_TEST_POSTGRES_URL`
//! (`tests/with-postgres.sh` starts a throwaway cluster and sets it).

pub mod backend;
pub mod fixtures;

use relais_api::webhooks::delivery::DeliveryPolicy;
use relais_api::webhooks::guard::AllowedHosts;
use std::net::TcpListener;

use actix_web::web;
use relais_api::auth::token::TokenService;
use relais_api::auth::{JwtKeys, Scope};
use relais_api::clock::Clock;
use relais_api::db::{DatabaseUrl, Db};
use relais_api::server::ServerOptions;
use relais_api::state::AppState;
use relais_api::web_client::WebOptions;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;

pub use backend::Backend;
pub use fixtures::World;

pub const ISSUER: &str = "relais-test";
/// Shorter than in production (5 s), so that a test of the slow head's 408 waits less.
pub const HEAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// The instant every test app starts at unless it asks for another: a Wednesday at 11:00 in
/// Paris, in opening hours. Tests never run "as of today": what depends on the date is tested
/// on the dates that matter, by setting the clock ([`TestApp::clock`]).
pub const TEST_NOW: &str = "2026-12-02T10:00:00Z";

/// An instant, from RFC 3339 text written in a test.
pub fn instant(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text).expect("an RFC 3339 instant").with_timezone(&chrono::Utc)
}

/// A manual clock standing at [`TEST_NOW`].
pub fn test_clock() -> Clock {
    Clock::manual(instant(TEST_NOW))
}

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub state: web::Data<AppState>,
    pub db_url: DatabaseUrl,
    pub world: World,
    _database: backend::TestDatabase,
}

impl TestApp {
    /// The server's clock: set it or advance it to run the server, its jobs and the CLI as of
    /// any instant.
    pub fn clock(&self) -> &Clock {
        &self.state.clock
    }

    /// Now, as the server sees it.
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.state.clock.now()
    }
}

/// Starts a server on a fresh database holding the standard [`World`].
pub async fn spawn_app() -> TestApp {
    spawn_app_with_web(WebOptions::default()).await
}

/// Like [`spawn_app`], its clock standing at `at` (RFC 3339).
pub async fn spawn_app_at(at: &str) -> TestApp {
    let clock = Clock::manual(instant(at));
    let (database, world) = fresh_world(&clock).await;
    start(database, world, WebOptions::default(), JwtKeys::ephemeral().expect("a key"), clock)
}

/// Like [`spawn_app`], with the web client's files and CORS configured.
pub async fn spawn_app_with_web(web_options: WebOptions) -> TestApp {
    let clock = test_clock();
    let (database, world) = fresh_world(&clock).await;
    start(database, world, web_options, JwtKeys::ephemeral().expect("a key"), clock)
}

/// Like [`spawn_app`], signing and verifying with these keys (a rotation).
pub async fn spawn_app_with_keys(keys: JwtKeys) -> TestApp {
    let clock = test_clock();
    let (database, world) = fresh_world(&clock).await;
    start(database, world, WebOptions::default(), keys, clock)
}

async fn fresh_world(clock: &Clock) -> (backend::TestDatabase, World) {
    let database = backend::TestDatabase::create();
    let db = Db::new(database.url.clone(), 1);
    let now = clock.now();
    let world = web::block(move || fixtures::World::create(&db, now)).await.expect("block").expect("fixtures");
    (database, world)
}

/// A server on `database` as it is (migrated and filled by the caller), whose organisations are
/// `world`.
pub fn spawn_app_on(database: backend::TestDatabase, world: World) -> TestApp {
    start(database, world, WebOptions::default(), JwtKeys::ephemeral().expect("a key"), test_clock())
}

/// A server whose database cannot be reached (nothing listens on port 1).
pub async fn spawn_app_on_unreachable_database() -> TestApp {
    let world = World {
        ccas_a: uuid::Uuid::new_v4().to_string(),
        brigade_a: String::new(),
        brigade_a2: String::new(),
        police_a: String::new(),
        commissariat_a: String::new(),
        ccas_b: String::new(),
        brigade_b: String::new(),
    };
    start(backend::TestDatabase::unreachable(), world, WebOptions::default(), JwtKeys::ephemeral().expect("a key"), test_clock())
}

fn start(database: backend::TestDatabase, world: World, web_options: WebOptions, keys: JwtKeys, clock: Clock) -> TestApp {
    let db = Db::new(database.url.clone(), 4);
    let tokens = TokenService::new(keys, ISSUER.to_owned(), 900);
    // The test client is the proxy: `X-Forwarded-For` stands for the client's address.
    let proxies = vec![std::net::Ipv4Addr::LOCALHOST.into(), std::net::Ipv6Addr::LOCALHOST.into()];
    // Webhooks may reach the receivers the tests start on this machine.
    let webhooks = DeliveryPolicy { allowed: AllowedHosts(vec!["127.0.0.1".into()]), ..DeliveryPolicy::default() };
    let state =
        web::Data::new(AppState::new(db, tokens, clock).with_web(web_options).with_trusted_proxies(proxies).with_webhooks(webhooks));
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("an address").port();
    let server_state = state.clone();
    let options = ServerOptions { workers: 1, blocking_threads: 4, signals: false, shutdown_timeout: 0, head_timeout: HEAD_TIMEOUT };
    let server = relais_api::server::listen(listener, server_state, &options).expect("listen");
    actix_web::rt::spawn(server);
    TestApp {
        base: format!("http://127.0.0.1:{port}"),
        http: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client"),
        state,
        db_url: database.url.clone(),
        world,
        _database: database,
    }
}

impl TestApp {
    /// The `host:port` the server listens on.
    pub fn address(&self) -> String {
        self.base.trim_start_matches("http://").to_owned()
    }

    /// What the server answers to `request` written as is on a new connection, whole or left
    /// hanging (a head or a body that never ends), read until the server closes it.
    pub async fn raw_answer(&self, request: String) -> String {
        use std::io::{Read, Write};
        let address = self.address();
        web::block(move || {
            let mut stream = std::net::TcpStream::connect(&address).expect("connect");
            stream.write_all(request.as_bytes()).expect("write");
            stream.set_read_timeout(Some(std::time::Duration::from_secs(60))).expect("timeout");
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            answer
        })
        .await
        .expect("block")
    }

    /// A valid token, as `relais token` would sign it.
    pub fn token(&self, org: &str, scopes: &[Scope]) -> String {
        self.state.tokens.issue("test-subject", org, scopes, 600).expect("token")
    }

    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let request = self.http.request(method, format!("{}{path}", self.base));
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.request(Method::GET, path, Some(token)).send().await.expect("request")
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Response {
        self.request(Method::POST, path, Some(token)).json(body).send().await.expect("request")
    }

    pub async fn put(&self, path: &str, token: &str, body: &Value) -> Response {
        self.request(Method::PUT, path, Some(token)).json(body).send().await.expect("request")
    }

    pub async fn patch(&self, path: &str, token: &str, body: &Value) -> Response {
        self.request(Method::PATCH, path, Some(token)).json(body).send().await.expect("request")
    }

    /// A coordinator of CCAS A.
    pub fn ccas_token(&self) -> String {
        self.token(&self.world.ccas_a, &[Scope::Ccas])
    }

    pub fn gendarmerie_token(&self) -> String {
        self.token(&self.world.brigade_a, &[Scope::Gendarmerie])
    }

    pub fn police_token(&self) -> String {
        self.token(&self.world.police_a, &[Scope::PoliceMunicipale])
    }

    pub fn police_nationale_token(&self) -> String {
        self.token(&self.world.commissariat_a, &[Scope::PoliceNationale])
    }

    pub fn admin_token(&self) -> String {
        self.token(&self.world.ccas_a, &[Scope::Admin])
    }

    pub fn reports_token(&self) -> String {
        self.token(&self.world.ccas_a, &[Scope::Reports])
    }
}

/// The password an administrator sets in tests, and the one its owner then chooses.
pub const ADMIN_SET_PASSWORD: &str = "une phrase de passe longue";
pub const OWN_PASSWORD: &str = "ma propre phrase de passe";

impl TestApp {
    /// Signs in with the password grant; the raw answer.
    pub async fn sign_in(&self, login: &str, password: &str) -> Response {
        self.request(Method::POST, "/api/v1/auth/token", None)
            .form(&[("grant_type", "password"), ("username", login), ("password", password)])
            .send()
            .await
            .expect("request")
    }

    /// Changes a password with the current one; the raw answer.
    pub async fn change_password(&self, login: &str, current: &str, new: &str) -> Response {
        self.request(Method::POST, "/api/v1/auth/password", None)
            .json(&serde_json::json!({"login": login, "current_password": current, "new_password": new}))
            .send()
            .await
            .expect("request")
    }

    /// An account created by CCAS A's administrator whose owner then chose [`OWN_PASSWORD`], as
    /// the first sign-in requires; returns the account.
    pub async fn create_user(&self, org: &str, login: &str, admin: bool) -> Value {
        let body = serde_json::json!({"organisation_id": org, "login": login, "display_name": "Claire Martin", "password": ADMIN_SET_PASSWORD, "admin": admin});
        let response = self.post("/api/v1/users", &self.admin_token(), &body).await;
        assert_eq!(response.status(), 201, "create a user");
        let user = json(response).await;
        assert_eq!(self.change_password(login, ADMIN_SET_PASSWORD, OWN_PASSWORD).await.status(), 204, "choose a password");
        user
    }
}

/// What case-work tests need: a site, a coordinator, a person in a situation.
pub struct Case {
    pub site: String,
    pub coordinator: String,
    pub person: String,
    pub situation: String,
}

impl TestApp {
    /// Runs `work` on a connection of the app's database, as the test's setup or inspection.
    pub async fn on_db<T: Send + 'static>(&self, work: impl FnOnce(&mut relais_api::db::DbConnection) -> T + Send + 'static) -> T {
        let db = self.state.db.clone();
        actix_web::web::block(move || work(&mut db.get().expect("a connection"))).await.expect("block")
    }

    pub async fn case(&self) -> Case {
        let id = |v: Value| v["id"].as_str().expect("id").to_owned();
        let site = id(json(self.post("/api/v1/sites", &self.admin_token(), &serde_json::json!({"name": "Brigade"})).await).await);
        let user = serde_json::json!({"organisation_id": self.world.ccas_a, "login": format!("coord.{}", &site[..8]), "display_name": "Claire Martin", "password": "une phrase de passe longue"});
        let coordinator = id(json(self.post("/api/v1/users", &self.admin_token(), &user).await).await);
        let person = id(json(
            self.post(
                "/api/v1/persons",
                &self.ccas_token(),
                &serde_json::json!({"last_name": "Petit", "first_name": format!("Léa {}", &site[..4])}),
            )
            .await,
        )
        .await);
        let body = serde_json::json!({"coordinator_id": coordinator, "persons": [{"person_id": person, "role": "victim"}], "problem_types": ["child_at_risk"]});
        let situation = id(json(self.post("/api/v1/situations", &self.ccas_token(), &body).await).await);
        Case { site, coordinator, person, situation }
    }
}

/// The claims of a JWT, unverified.
pub fn claims_of(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("payload");
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).expect("base64")).expect("json")
}

/// Reads a JSON body, failing the test with the status and text when it is not JSON.
pub async fn json(response: Response) -> Value {
    let status = response.status();
    let text = response.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("status {status}, body not JSON ({e}): {text}"))
}

/// Asserts the status and that the answer is problem+json with that status; returns it.
pub async fn problem(response: Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status, "unexpected status");
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body = json(response).await;
    assert_eq!(body["status"], status);
    assert!(body["type"].as_str().is_some_and(|t| t.starts_with("urn:relais:problem:")), "{body}");
    body
}

/// A valid referral body, as an agency would send it.
pub fn referral_body(last_name: &str) -> Value {
    serde_json::json!({
        "urgency": "urgent",
        "agent_reference": "MDL Test",
        "procedure_reference": "PV 2026/42",
        "problem_types": ["domestic_violence"],
        "summary": "Dispute conjugale, madame souhaite de l'aide.",
        "judicial_proceedings": "yes",
        "persons": [{
            "role": "victim",
            "last_name": last_name,
            "first_name": "Sandrine",
            "age": 34,
            "phone": "06 12 34 56 78",
            "safe_contact": {"call": "yes", "text": "no"},
            "consent": "given"
        }]
    })
}

/// The keys of a JSON object.
pub fn keys(value: &Value) -> std::collections::BTreeSet<String> {
    value.as_object().expect("object").keys().cloned().collect()
}

/// Exactly what an agency may see: what it submitted, the status and its dates.
pub const AGENCY_KEYS: [&str; 18] = [
    "id",
    "source",
    "status",
    "status_changed_at",
    "status_history",
    "received_at",
    "urgency",
    "agent_reference",
    "procedure_reference",
    "problem_types",
    "summary",
    "judicial_proceedings",
    "police_contact",
    "children_exposed",
    "children_count",
    "persons",
    "personal_data_until",
    "minimised",
];

pub fn agency_keys() -> std::collections::BTreeSet<String> {
    AGENCY_KEYS.iter().map(|k| (*k).to_owned()).collect()
}

/// Polls two futures together, so that their requests race.
pub async fn join<A: std::future::Future, B: std::future::Future>(a: A, b: B) -> (A::Output, B::Output) {
    let a = std::pin::pin!(a);
    let b = std::pin::pin!(b);
    let (mut a, mut b) = (a, b);
    let (mut ra, mut rb) = (None, None);
    std::future::poll_fn(|cx| {
        if ra.is_none()
            && let std::task::Poll::Ready(v) = a.as_mut().poll(cx)
        {
            ra = Some(v);
        }
        if rb.is_none()
            && let std::task::Poll::Ready(v) = b.as_mut().poll(cx)
        {
            rb = Some(v);
        }
        if ra.is_some() && rb.is_some() { std::task::Poll::Ready(()) } else { std::task::Poll::Pending }
    })
    .await;
    (ra.expect("a"), rb.expect("b"))
}

/// The Python of the Makefile's venv, where the outside implementations the tests check
/// against live (`standardwebhooks`, `data-inclusion-schema`): `make target/venv/…installed`.
pub fn venv_python() -> String {
    std::env::var("RELAIS_TEST_PYTHON").unwrap_or_else(|_| format!("{}/../target/venv/bin/python", env!("CARGO_MANIFEST_DIR")))
}
