#![allow(clippy::expect_used, reason = "a test fails loudly on what it cannot set up")]

//! The integration guide runs: its examples (`examples/`, Python with `requests` and
//! `standardwebhooks`) against the real server, as a police municipale's software would use
//! them, so that `docs/integration.md` cannot rot. On SQLite, or on PostgreSQL with
//! `RELAIS_TEST_BACKEND=postgres`.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{Deployment, call, free_port};
use serde_json::Value;

fn python() -> String {
    std::env::var("RELAIS_TEST_PYTHON").unwrap_or_else(|_| format!("{}/../target/venv/bin/python", env!("CARGO_MANIFEST_DIR")))
}

fn example(name: &str) -> Command {
    let dir = format!("{}/../examples", env!("CARGO_MANIFEST_DIR"));
    let mut command = Command::new(python());
    command.arg(format!("{dir}/{name}")).current_dir(dir);
    command
}

/// Runs an example to its end; its JSON lines.
fn run(mut command: Command) -> Vec<Value> {
    let out = command.output().expect("python");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8").lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
}

/// The lines a running example prints, as they come.
fn lines_of(stdout: ChildStdout) -> mpsc::Receiver<Value> {
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if sender.send(serde_json::from_str(&line).expect("a JSON line")).is_err() {
                return;
            }
        }
    });
    lines
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_integration_guide_examples_run_against_the_server() {
    let deployment = Deployment::new();
    let ccas = deployment.ok(&["org", "create", "--kind", "ccas", "--name", "CCAS"]);
    let police = deployment.ok(&["org", "create", "--kind", "police_municipale", "--name", "Police municipale", "--ccas", &ccas]);
    let created = deployment.ok(&["client", "create", "--org", &police, "--label", "Logiciel de la PM"]);
    let (client_id, client_secret) = created.split_once('\n').expect("id and secret");
    let coordinator = deployment.ok(&["token", "--org", &ccas, "--sub", "guide-test", "--scope", "ccas", "--ttl", "600"]);
    let port = free_port();
    let with_credentials = |mut command: Command| {
        command
            .env("RELAIS_URL", format!("http://127.0.0.1:{port}"))
            .env("RELAIS_CLIENT_ID", client_id)
            .env("RELAIS_CLIENT_SECRET", client_secret);
        command
    };

    // The software sends its referral while Relais is still starting: it retries until it
    // answers, then sends it again with the same key, as after a lost answer.
    let mut send = with_credentials(example("send_referral.py"));
    send.arg("PV-2026-000123").env("RELAIS_MAX_ATTEMPTS", "8").stdout(Stdio::piped()).stderr(Stdio::piped());
    let send = send.spawn().expect("send_referral.py");
    std::thread::sleep(Duration::from_secs(1));
    let _server = Running(deployment.serve_with(port, &[("RELAIS_WEBHOOK_ALLOWED_HOSTS", "127.0.0.1")]));
    let out = send.wait_with_output().expect("send_referral.py");
    let retries = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{retries}");
    assert!(retries.contains("POST /api/v1/referrals: ConnectionError; retrying"), "it retried: {retries}");
    let sent: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(sent["status"], "received");
    assert_eq!(sent["same_referral"], true, "{sent}");
    let id = sent["id"].as_str().expect("id");
    let (status, page) = call(port, "GET", "/api/v1/referrals", &coordinator, "");
    assert_eq!(status, 200);
    let page: Value = serde_json::from_str(&page).expect("json");
    assert_eq!(page["items"].as_array().map(Vec::len), Some(1), "the retries created nothing");

    // Subscribe, and start the receiver with the secret.
    let receiver_port = free_port();
    let mut subscribe = with_credentials(example("subscribe.py"));
    subscribe.arg(format!("http://127.0.0.1:{receiver_port}/relais"));
    let subscription = &run(subscribe)[0];
    let secret = subscription["secret"].as_str().expect("secret");
    let mut receiver = example("webhook_receiver.py");
    receiver.arg(receiver_port.to_string()).env("RELAIS_WEBHOOK_SECRET", secret).stdout(Stdio::piped());
    let mut receiver = Running(receiver.spawn().expect("receiver"));
    let events = lines_of(receiver.0.stdout.take().expect("stdout"));
    assert_eq!(events.recv_timeout(Duration::from_secs(10)).expect("listening")["listening"], receiver_port);

    // The coordinators try to reach the person: the receiver hears it, signature verified.
    let attempt = r#"{"channel": "phone", "outcome": "no_answer"}"#;
    let (status, answer) = call(port, "POST", &format!("/api/v1/referrals/{id}/contact-attempts"), &coordinator, attempt);
    assert!((200..300).contains(&status), "{answer}");
    let event = events.recv_timeout(Duration::from_secs(20)).expect("a webhook within the worker's passes");
    assert_eq!(event["type"], "referral.status_changed");
    assert_eq!(event["data"]["id"], id);
    assert_eq!(event["data"]["status"], "contact_attempted");
    assert_eq!(event["data"]["procedure_reference"], "PV-2026-000123");
    // A request without Relais's signature is refused by the receiver.
    let (status, _) = call(receiver_port, "POST", "/relais", "", r#"{"type": "referral.status_changed"}"#);
    assert_eq!(status, 400);

    // The unit's software reads the status, by id and in its list of referrals still waiting.
    let mut follow = with_credentials(example("follow_status.py"));
    follow.arg(id);
    let followed = &run(follow)[0];
    assert_eq!(followed["status"], "contact_attempted");
    assert_eq!(followed["history"], serde_json::json!(["received", "contact_attempted"]));
    let waiting = run(with_credentials(example("follow_status.py")));
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["id"], id);
    assert!(events.try_recv().is_err(), "each event handled once");
}
