#![allow(dead_code, reason = "each test binary uses its own part")]

//! What the binary's tests share: a free port, and one HTTP request on a fresh connection.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::Connection;
use diesel::RunQueryDsl;

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("a port").local_addr().expect("an address").port()
}

/// Returns once the server on `port` answers its liveness probe (20 s at most).
pub fn wait_until_live(port: u16) {
    let started = Instant::now();
    while call(port, "GET", "/health/live", "", "").0 != 200 {
        assert!(started.elapsed() < Duration::from_secs(20), "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One HTTP/1.1 request on a fresh connection: the status (0 when the server is gone) and body.
pub fn call(port: u16, method: &str, path: &str, token: &str, body: &str) -> (u16, String) {
    let (status, _, body) = exchange(port, method, path, token, body);
    (status, body)
}

/// Like [`call`], with the answer's head (status line and headers) too.
pub fn exchange(port: u16, method: &str, path: &str, token: &str, body: &str) -> (u16, String, String) {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return (0, String::new(), String::new()) };
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return (0, String::new(), String::new());
    }
    let mut answer = String::new();
    if stream.read_to_string(&mut answer).is_err() {
        return (0, String::new(), String::new());
    }
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let (head, body) = answer.split_once("\r\n\r\n").map(|(h, b)| (h.to_owned(), b.to_owned())).unwrap_or_default();
    (status, head, body)
}

/// A deployment of the binary: a key, and a fresh database (SQLite in a temporary folder, or a
/// new database on the test server with `RELAIS_TEST_BACKEND=postgres`).
pub struct Deployment {
    pub dir: tempfile::TempDir,
    pub url: String,
}

impl Deployment {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("dir");
        let url = match std::env::var("RELAIS_TEST_BACKEND").as_deref() {
            Ok("postgres") => {
                let server = std::env::var("RELAIS_TEST_POSTGRES_URL").expect("RELAIS_TEST_POSTGRES_URL");
                let name = format!("relais_crash_{}", uuid::Uuid::new_v4().simple());
                let mut admin = diesel::pg::PgConnection::establish(&server).expect("connect");
                diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).expect("create database");
                let (prefix, _) = server.rsplit_once('/').expect("a database in the URL");
                format!("{prefix}/{name}")
            }
            _ => format!("sqlite://{}", dir.path().join("crash.db").display()),
        };
        let deployment = Deployment { dir, url };
        let key = deployment.dir.path().join("jwt.pem").display().to_string();
        deployment.ok(&["key", "generate", "--out", &key]);
        deployment
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_relais"));
        command
            .args(args)
            .env("DATABASE_URL", &self.url)
            .env("RELAIS_JWT_KEY_FILE", self.dir.path().join("jwt.pem"))
            .env("RUST_LOG", "error")
            .stdin(Stdio::null());
        command
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.command(args).output().expect("run relais");
        assert!(out.status.success(), "relais {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8").trim_end().to_owned()
    }

    pub fn serve(&self, port: u16) -> Child {
        self.serve_with(port, &[])
    }

    /// The server on `port`, with more settings, once it answers.
    pub fn serve_with(&self, port: u16, settings: &[(&str, &str)]) -> Child {
        let child = self
            .command(&["serve"])
            .envs(settings.iter().copied())
            .env("RELAIS_BIND", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the server");
        wait_until_live(port);
        child
    }
}
