#![allow(clippy::expect_used, reason = "a test fails loudly on what it cannot set up")]

//! The server's logs as a log collector reads them (`RELAIS_LOG_FORMAT=json`): one JSON object
//! per line, a request's route template, status, duration and id, never the path's values.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Deployment, free_port, wait_until_live};

fn get(port: u16, path: &str, headers: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    answer
}

#[test]
fn json_logs_carry_the_route_template_and_the_request_id_echoed_to_the_client() {
    let dir = tempfile::tempdir().expect("dir");
    let env = |command: &mut Command| {
        command
            .env("DATABASE_URL", format!("sqlite://{}", dir.path().join("logs.db").display()))
            .env("RELAIS_JWT_KEY_FILE", dir.path().join("jwt.pem"))
            .env("RELAIS_LOG_FORMAT", "json")
            .env("RUST_LOG", "info");
    };
    let run = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_relais"));
        env(command.args(args));
        let out = command.output().expect("relais");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8").trim().to_owned()
    };
    run(&["key", "generate", "--out", &dir.path().join("jwt.pem").display().to_string()]);
    let ccas = run(&["org", "create", "--kind", "ccas", "--name", "CCAS"]);
    let token = run(&["token", "--org", &ccas, "--sub", "someone", "--scope", "ccas"]);
    let port = free_port();
    let mut command = Command::new(env!("CARGO_BIN_EXE_relais"));
    env(&mut command);
    let mut server = command.arg("serve").env("RELAIS_BIND", format!("127.0.0.1:{port}")).stderr(Stdio::piped()).spawn().expect("serve");
    let started = Instant::now();
    while !get_ok(port) {
        assert!(started.elapsed() < Duration::from_secs(20), "the server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let missing = "a1b2c3d4-0000-4000-8000-00000000dead";
    let answer =
        get(port, &format!("/api/v1/persons/{missing}"), &format!("Authorization: Bearer {token}\r\nX-Request-Id: support-42\r\n"));
    assert!(answer.to_ascii_lowercase().contains("x-request-id: support-42"), "{answer}");
    assert!(answer.contains(r#""request_id":"support-42""#), "the problem names the request: {answer}");
    let made = get(port, "/health/live", "X-Request-Id: <script>\r\n");
    assert!(!made.contains("<script>"), "a header that is no plain token is replaced");
    server.kill().expect("kill");
    server.wait().expect("wait");
    let mut logs = String::new();
    server.stderr.take().expect("stderr").read_to_string(&mut logs).expect("logs");
    let lines: Vec<serde_json::Value> = logs.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert!(lines.iter().all(|l| l["time"].is_string() && l["level"].is_string() && l["target"].is_string() && l["message"].is_string()));
    let request = lines.iter().find(|l| l["request_id"] == "support-42").expect("the request's line");
    assert_eq!(request["route"], "/api/v1/persons/{id}");
    assert_eq!(request["status"], 404);
    assert_eq!(request["method"], "GET");
    assert!(request["duration_ms"].is_number());
    assert!(!logs.contains(missing), "the path's values are never logged");
}

fn get_ok(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_ok() && get(port, "/health/live", "").starts_with("HTTP/1.1 200")
}

/// Each line of `output` as a JSON object with the members every line has.
fn json_lines(stream: &str, output: &[u8]) -> Vec<serde_json::Value> {
    let text = String::from_utf8_lossy(output);
    text.lines()
        .map(|line| {
            let value: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format!("{stream}: not JSON ({e}): {line}")).expect("a JSON line");
            for member in ["time", "level", "target", "message"] {
                assert!(value[member].is_string(), "{stream}: no {member}: {line}");
            }
            value
        })
        .collect()
}

fn in_json(command: &mut Command) -> &mut Command {
    command.env("RELAIS_LOG_FORMAT", "json").env("RUST_LOG", "info")
}

#[test]
fn in_json_mode_every_line_the_process_writes_is_a_json_object() {
    let deployment = Deployment::new();
    // The server with the demo, from its start to its stop.
    let port = free_port();
    let server = in_json(&mut deployment.command(&["serve", "--demo"]))
        .env("RELAIS_BIND", format!("127.0.0.1:{port}"))
        .env("RELAIS_CLOCK_START", "2026-12-03T09:30:00Z")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve");
    wait_until_live(port);
    assert!(get(port, "/api/v1/nothing", "").starts_with("HTTP/1.1 404"), "a request, and its line");
    let _ = Command::new("kill").args(["-TERM", &server.id().to_string()]).status();
    let out = server.wait_with_output().expect("the server's output");
    let stdout = json_lines("stdout", &out.stdout);
    let stderr = json_lines("stderr", &out.stderr);
    let listens = stdout.iter().find(|l| l["message"] == "Relais listens").expect("the start-up line");
    assert_eq!(listens["url"], format!("http://127.0.0.1:{port}"));
    let logins = stdout.iter().find(|l| l["message"] == "demo logins").expect("the demo's logins");
    assert_eq!(logins["logins"][0]["login"], "coordination");
    assert!(stderr.iter().any(|l| l["level"] == "warn" && l["message"].as_str().is_some_and(|m| m.contains("RELAIS_CLOCK_START"))));

    // A command's report, and the error a server ends with.
    for args in [&["migrate"][..], &["retention", "run", "--dry-run"], &["audit", "verify"]] {
        let out = in_json(&mut deployment.command(args)).output().expect("relais");
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let lines = [json_lines("stdout", &out.stdout), json_lines("stderr", &out.stderr)].concat();
        assert!(!lines.is_empty(), "{args:?} reports something");
    }
    let verified = in_json(&mut deployment.command(&["audit", "verify"])).output().expect("relais");
    assert!(json_lines("stdout", &verified.stdout)[0]["entries"].as_u64().is_some_and(|n| n > 0));
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let bind = taken.local_addr().expect("an address").to_string();
    let refused = in_json(deployment.command(&["serve"]).env("RELAIS_BIND", &bind)).output().expect("relais");
    assert_eq!(refused.status.code(), Some(1));
    let last = json_lines("stderr", &refused.stderr).pop().expect("the error line");
    assert_eq!(last["level"], "error");
    assert!(last["message"].as_str().is_some_and(|m| m.starts_with(&format!("cannot listen on {bind}"))), "{last}");
    assert!(json_lines("stdout", &refused.stdout).is_empty());
    // A setting the command line cannot read.
    let misread = in_json(deployment.command(&["serve"]).env("RELAIS_DB_POOL_SIZE", "many")).output().expect("relais");
    assert_eq!(misread.status.code(), Some(2));
    let line = json_lines("stderr", &misread.stderr).pop().expect("the error line");
    assert!(line["message"].as_str().is_some_and(|m| m.contains("RELAIS_DB_POOL_SIZE") || m.contains("many")), "{line}");
}
