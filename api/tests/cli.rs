#![allow(clippy::expect_used, reason = "a test fails loudly on what it cannot set up")]

//! The provisioning commands, run as an operator would: each prints the new id (or token)
//! alone on stdout, and the results work against the API's own checks.

use std::io::Write;
use std::process::{Command, Output, Stdio};

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Env { dir: tempfile::tempdir().expect("dir") }
    }

    fn relais(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_relais"))
            .args(args)
            .env("DATABASE_URL", format!("sqlite://{}", self.dir.path().join("cli.db").display()))
            .env("RELAIS_JWT_KEY_FILE", self.dir.path().join("jwt.pem"))
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run relais");
        if let Some(input) = stdin {
            child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write");
        }
        drop(child.stdin.take());
        child.wait_with_output().expect("output")
    }

    fn ok(&self, args: &[&str], stdin: Option<&str>) -> String {
        let out = self.relais(args, stdin);
        assert!(out.status.success(), "relais {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8").trim_end().to_owned()
    }
}

fn is_uuid(text: &str) -> bool {
    uuid::Uuid::parse_str(text).is_ok()
}

#[test]
fn provisioning_prints_ids_and_refuses_nonsense() {
    let env = Env::new();
    let ccas = env.ok(&["org", "create", "--kind", "ccas", "--name", "CCAS de Villefontaine"], None);
    assert!(is_uuid(&ccas), "{ccas}");
    let brigade = env.ok(&["org", "create", "--kind", "gendarmerie", "--name", "Brigade", "--ccas", &ccas], None);
    assert!(is_uuid(&brigade));
    assert!(!env.relais(&["org", "create", "--kind", "gendarmerie", "--name", "Sans CCAS"], None).status.success());
    assert!(!env.relais(&["org", "create", "--kind", "gendarmerie", "--name", "X", "--ccas", &brigade], None).status.success());

    let user = env
        .ok(&["user", "create", "--org", &ccas, "--login", "admin", "--password-stdin", "--admin"], Some("une phrase de passe longue\n"));
    assert!(is_uuid(&user));
    let short = env.relais(&["user", "create", "--org", &ccas, "--login", "other", "--password-stdin"], Some("short\n"));
    assert!(!short.status.success());
    let taken =
        env.relais(&["user", "create", "--org", &ccas, "--login", "admin", "--password-stdin"], Some("une phrase de passe longue\n"));
    assert!(!taken.status.success());

    let client = env.ok(&["client", "create", "--org", &brigade], None);
    let lines: Vec<&str> = client.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(is_uuid(lines[0]));
    assert!(lines[1].len() >= 40);
    assert!(!env.relais(&["client", "create", "--org", &brigade, "--scope", "ccas"], None).status.success());

    let token = env.ok(&["token", "--org", &brigade, "--sub", "script", "--scope", "gendarmerie", "--ttl", "60"], None);
    assert_eq!(token.split('.').count(), 3);
    assert!(!env.relais(&["token", "--org", &ccas, "--sub", "x", "--scope", "gendarmerie"], None).status.success());
    let key_mode =
        std::fs::metadata(env.dir.path().join("jwt.pem")).map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o777);
    assert_eq!(key_mode.ok(), Some(0o600));
}

#[test]
fn openapi_and_migrate_commands_work() {
    let env = Env::new();
    let doc: serde_json::Value = serde_json::from_str(&env.ok(&["openapi"], None)).expect("json");
    assert_eq!(doc["openapi"], "3.1.0");
    env.ok(&["migrate"], None);
    let bad = Command::new(env!("CARGO_BIN_EXE_relais")).arg("migrate").env("DATABASE_URL", "mysql://nope").output().expect("run");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("sqlite:// or postgres://"));
}
