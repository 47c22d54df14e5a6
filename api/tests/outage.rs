#![allow(clippy::expect_used, clippy::unwrap_used, reason = "a test fails loudly on what it cannot set up")]

//! A PostgreSQL outage, with the release of the real server: a cluster of the test's own,
//! stopped (`pg_ctl stop -m immediate`), started again, and frozen (every process paused).
//! The server waits for the database at start instead of exiting; while the database is away
//! every request answers 503 within a bound, never 500; once it is back the server recovers by
//! itself. Runs with `RELAIS_TEST_BACKEND=postgres` (it needs Debian's PostgreSQL binaries).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{Deployment, call, exchange, free_port, wait_until_live};

/// A PostgreSQL cluster this test may stop, start and freeze.
struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    as_root: bool,
}

impl Cluster {
    fn create() -> Self {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("Debian's PostgreSQL binaries")
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|p| p.join("initdb").exists())
            .max()
            .expect("initdb");
        let dir = tempfile::tempdir().expect("dir");
        let as_root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        if as_root {
            assert!(Command::new("chown").arg("postgres:").arg(dir.path()).status().expect("chown").success());
        }
        let cluster = Cluster { dir, bin, port: free_port(), as_root };
        let data = cluster.data();
        cluster.run("initdb", &["-D", &data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
        cluster.start();
        cluster.run("createdb", &["-h", "127.0.0.1", "-p", &cluster.port.to_string(), "-U", "postgres", "relais"]);
        cluster
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/relais", self.port)
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let (ok, err) = self.try_run(tool, args);
        assert!(ok, "{tool}: {err}");
    }

    fn try_run(&self, tool: &str, args: &[&str]) -> (bool, String) {
        let program = self.bin.join(tool);
        let mut command = if self.as_root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        match command.args(args).stdin(Stdio::null()).output() {
            Ok(out) => (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned()),
            Err(e) => (false, e.to_string()),
        }
    }

    fn start(&self) {
        let options = format!("-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off", self.port, self.dir.path().display());
        let log = self.dir.path().join("server.log").display().to_string();
        self.run("pg_ctl", &["-D", &self.data(), "-w", "-l", &log, "-o", &options, "start"]);
    }

    fn stop(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "immediate", "stop"]);
    }

    /// Pauses (or resumes) the postmaster and every backend: a server that accepts
    /// connections and answers nothing.
    fn signal_all(&self, signal: &str) -> bool {
        let Ok(pid_file) = std::fs::read_to_string(self.dir.path().join("data/postmaster.pid")) else { return false };
        let Some(postmaster) = pid_file.lines().next().map(|l| l.trim().to_owned()) else { return false };
        let children = Command::new("pgrep").args(["-P", &postmaster]).output().map(|o| o.stdout).unwrap_or_default();
        let mut pids: Vec<String> = String::from_utf8_lossy(&children).split_whitespace().map(str::to_owned).collect();
        pids.push(postmaster);
        Command::new("kill").arg(format!("-{signal}")).args(&pids).status().is_ok_and(|s| s.success())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.signal_all("CONT");
        self.try_run("pg_ctl", &["-D", &self.data(), "-m", "immediate", "stop"]);
    }
}

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn relais(cluster: &Cluster, key: &std::path::Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_relais"));
    command
        .args(args)
        .env("DATABASE_URL", cluster.url())
        .env("RELAIS_JWT_KEY_FILE", key)
        .env("RELAIS_DB_STATEMENT_TIMEOUT_MS", "1000")
        .env("RELAIS_DB_CHECKOUT_TIMEOUT_MS", "1000")
        .env("RUST_LOG", "error")
        .stdin(Stdio::null());
    command
}

fn output(mut command: Command) -> String {
    let out = command.output().expect("relais");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8").trim_end().to_owned()
}

/// Polls `path` until it answers `status`, within `limit`; every answer on the way must be 200
/// or 503 (never a 500) and come within `bound`.
fn until(port: u16, token: &str, path: &str, status: u16, limit: Duration, bound: Duration) -> Vec<u16> {
    let started = Instant::now();
    let mut seen = Vec::new();
    loop {
        let asked = Instant::now();
        let (answer, body) = call(port, "GET", path, token, "");
        assert!(asked.elapsed() < bound, "{path} took {:?}", asked.elapsed());
        assert!(matches!(answer, 200 | 503), "{path} answered {answer}: {body}");
        if answer == 503 {
            assert!(body.contains("urn:relais:problem:service_unavailable"), "{body}");
        }
        seen.push(answer);
        if answer == status {
            return seen;
        }
        assert!(started.elapsed() < limit, "{path} never answered {status}: {seen:?}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn the_server_waits_for_postgresql_answers_503_while_it_is_away_and_recovers_by_itself() {
    if std::env::var("RELAIS_TEST_BACKEND").as_deref() != Ok("postgres") {
        return;
    }
    let cluster = Cluster::create();
    let key = cluster.dir.path().join("jwt.pem");
    output(relais(&cluster, &key, &["key", "generate", "--out", &key.display().to_string()]));
    let ccas = output(relais(&cluster, &key, &["org", "create", "--kind", "ccas", "--name", "CCAS"]));
    let token = output(relais(&cluster, &key, &["token", "--org", &ccas, "--sub", "outage-test", "--scope", "ccas", "--ttl", "600"]));

    // Started while the database is down, the server waits for it.
    cluster.stop();
    let port = free_port();
    let mut command = relais(&cluster, &key, &["serve"]);
    command.env("RELAIS_BIND", format!("127.0.0.1:{port}")).stdout(Stdio::null()).stderr(Stdio::null());
    let mut server = Server { child: command.spawn().expect("serve"), port };
    std::thread::sleep(Duration::from_secs(3));
    assert!(server.child.try_wait().expect("status").is_none(), "the server exited instead of waiting for the database");
    cluster.start();
    let bound = Duration::from_secs(8);
    let started = Instant::now();
    while call(server.port, "GET", "/health/ready", "", "").0 != 200 {
        assert!(started.elapsed() < Duration::from_secs(40), "the server did not come up once the database did");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(call(port, "GET", "/api/v1/persons", &token, "").0, 200);

    // Stopped at once: 503 within the bound, the readiness probe too; then back by itself.
    cluster.stop();
    for path in ["/api/v1/persons", "/health/ready", "/api/v1/persons"] {
        until(port, &token, path, 503, Duration::from_secs(10), bound);
    }
    cluster.start();
    until(port, &token, "/api/v1/persons", 200, Duration::from_secs(30), bound);
    until(port, &token, "/health/ready", 200, Duration::from_secs(10), bound);

    // Frozen: connections are accepted and nothing answers. 503 within the bound.
    assert!(cluster.signal_all("STOP"));
    for path in ["/api/v1/persons", "/health/ready"] {
        until(port, &token, path, 503, Duration::from_secs(10), bound);
    }
    assert!(cluster.signal_all("CONT"));
    until(port, &token, "/api/v1/persons", 200, Duration::from_secs(30), bound);
}

/// One request's answer and how long it took.
struct Timed {
    path: &'static str,
    status: u16,
    head: String,
    took: Duration,
}

/// `requests` sent at once (method, path, body), each answer timed.
fn all_at_once(port: u16, token: &str, requests: &[(&'static str, &'static str, &'static str)]) -> Vec<Timed> {
    let threads: Vec<_> = requests
        .iter()
        .map(|&(method, path, body)| {
            let token = token.to_owned();
            std::thread::spawn(move || {
                let asked = Instant::now();
                let (status, head, _) = exchange(port, method, path, &token, body);
                Timed { path, status, head, took: asked.elapsed() }
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().expect("a request")).collect()
}

/// Readiness says 503 within 2 s, every other request 503 with `Retry-After` within 6 s.
fn bounded(answers: &[Timed], what: &str) {
    for answer in answers {
        let limit = if answer.path == "/health/ready" { Duration::from_secs(2) } else { Duration::from_secs(6) };
        assert!(answer.took < limit, "{what}: {} took {:?}", answer.path, answer.took);
        assert_eq!(answer.status, 503, "{what}: {} answered {}", answer.path, answer.status);
        assert!(answer.head.to_ascii_lowercase().contains("retry-after:"), "{what}: {} without Retry-After", answer.path);
    }
    let slowest = |ready: bool| answers.iter().filter(|a| (a.path == "/health/ready") == ready).map(|a| a.took).max().unwrap_or_default();
    eprintln!("{what}: {} answers, readiness within {:?}, the others within {:?}", answers.len(), slowest(true), slowest(false));
}

const PERSON: &str = r#"{"last_name": "Verrou"}"#;

/// Sixteen requests at once: reads, writes and readiness probes.
const MIXED: [(&str, &str, &str); 16] = [
    ("GET", "/health/ready", ""),
    ("GET", "/api/v1/persons", ""),
    ("POST", "/api/v1/persons", PERSON),
    ("GET", "/api/v1/referrals", ""),
    ("GET", "/health/ready", ""),
    ("GET", "/api/v1/situations", ""),
    ("POST", "/api/v1/persons", PERSON),
    ("GET", "/api/v1/appointments", ""),
    ("GET", "/health/ready", ""),
    ("GET", "/api/v1/partners", ""),
    ("POST", "/api/v1/persons", PERSON),
    ("GET", "/api/v1/interventions", ""),
    ("GET", "/health/ready", ""),
    ("GET", "/api/v1/persons?q=mar", ""),
    ("POST", "/api/v1/persons", PERSON),
    ("GET", "/api/v1/brief-contacts", ""),
];

#[test]
fn a_frozen_postgresql_gets_bounded_answers_with_the_default_settings() {
    if std::env::var("RELAIS_TEST_BACKEND").as_deref() != Ok("postgres") {
        return;
    }
    let cluster = Cluster::create();
    let key = cluster.dir.path().join("jwt.pem");
    let defaults = |args: &[&str]| {
        let mut command = relais(&cluster, &key, args);
        command.env_remove("RELAIS_DB_STATEMENT_TIMEOUT_MS").env_remove("RELAIS_DB_CHECKOUT_TIMEOUT_MS");
        command
    };
    output(defaults(&["key", "generate", "--out", &key.display().to_string()]));
    let ccas = output(defaults(&["org", "create", "--kind", "ccas", "--name", "CCAS"]));
    let token = output(defaults(&["token", "--org", &ccas, "--sub", "frozen-test", "--scope", "ccas", "--ttl", "600"]));
    let port = free_port();
    let mut command = defaults(&["serve"]);
    command.env("RELAIS_BIND", format!("127.0.0.1:{port}")).stdout(Stdio::null()).stderr(Stdio::null());
    let _server = Server { child: command.spawn().expect("serve"), port };
    wait_until_live(port);
    until(port, &token, "/api/v1/persons", 200, Duration::from_secs(30), Duration::from_secs(8));

    assert!(cluster.signal_all("STOP"));
    bounded(&all_at_once(port, &token, &MIXED), "PostgreSQL frozen");
    assert!(cluster.signal_all("CONT"));
    until(port, &token, "/api/v1/persons", 200, Duration::from_secs(30), Duration::from_secs(8));
}

#[test]
fn an_sqlite_write_lock_held_by_another_process_gets_bounded_answers() {
    if std::env::var("RELAIS_TEST_BACKEND").as_deref() == Ok("postgres") {
        return;
    }
    let deployment = Deployment::new();
    let ccas = deployment.ok(&["org", "create", "--kind", "ccas", "--name", "CCAS"]);
    let token = deployment.ok(&["token", "--org", &ccas, "--sub", "locked-test", "--scope", "ccas", "--ttl", "600"]);
    let port = free_port();
    let _server =
        Server { child: deployment.command(&["serve"]).env("RELAIS_BIND", format!("127.0.0.1:{port}")).spawn().expect("serve"), port };
    wait_until_live(port);
    assert_eq!(call(port, "GET", "/api/v1/persons", &token, "").0, 200);
    // Another process takes the write lock and keeps it.
    let path = deployment.url.strip_prefix("sqlite://").expect("an SQLite deployment").to_owned();
    let hold = "import sqlite3, sys, time\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\nc.execute('BEGIN IMMEDIATE')\nprint('locked', flush=True)\ntime.sleep(60)\n";
    let mut holder = Command::new("python3").args(["-c", hold, &path]).stdout(Stdio::piped()).spawn().expect("python3");
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(holder.stdout.take().expect("stdout")), &mut line).expect("locked");
    assert_eq!(line.trim(), "locked");
    let writes_and_probes: Vec<_> =
        MIXED.iter().copied().filter(|(method, path, _)| *method == "POST" || *path == "/health/ready").collect();
    bounded(&all_at_once(port, &token, &writes_and_probes), "SQLite locked by another process");
    let _ = holder.kill();
    let _ = holder.wait();
    until(port, &token, "/health/ready", 200, Duration::from_secs(15), Duration::from_secs(8));
    let (created, _) = call(port, "POST", "/api/v1/persons", &token, PERSON);
    assert_eq!(created, 201, "writes again once the lock is released");
}
