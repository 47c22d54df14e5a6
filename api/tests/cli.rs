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
    // Tokens need the signing key, which is never created behind the operator's back.
    assert!(!env.relais(&["token", "--org", &brigade, "--sub", "script", "--scope", "gendarmerie"], None).status.success());
    let key = env.dir.path().join("jwt.pem");
    let kid = env.ok(&["key", "generate", "--out", &key.display().to_string()], None);
    assert_eq!(kid.len(), 43, "an RFC 7638 thumbprint: {kid}");
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

/// The Python that runs interoperability checks: the test venv's (`make test` creates it),
/// else the system's.
fn python() -> String {
    let venv = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/venv/bin/python");
    if std::path::Path::new(venv).exists() { venv.to_owned() } else { "python3".to_owned() }
}

#[test]
fn keys_are_pkcs8_v1_that_standard_tools_read_and_serve_refuses_to_start_without_one() {
    let env = Env::new();
    let key = env.dir.path().join("jwt.pem");
    let key_path = key.display().to_string();
    let refused = env.relais(&["serve"], None);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("relais key generate"), "the error says what to do");
    assert!(!key.exists(), "serve created no key");
    env.ok(&["key", "generate", "--out", &key_path], None);
    assert!(!env.relais(&["key", "generate", "--out", &key_path], None).status.success(), "a key is never overwritten");
    // OpenSSL 3 reads it.
    let openssl = Command::new("openssl").args(["pkey", "-in", &key_path, "-noout", "-text"]).output().expect("openssl");
    assert!(openssl.status.success(), "openssl pkey: {}", String::from_utf8_lossy(&openssl.stderr));
    assert!(String::from_utf8_lossy(&openssl.stdout).contains("ED25519 Private-Key"));
    // So does Python's `cryptography`.
    let script = "import sys; from cryptography.hazmat.primitives.serialization import load_pem_private_key; \
                  from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey; \
                  k = load_pem_private_key(open(sys.argv[1], 'rb').read(), None); assert isinstance(k, Ed25519PrivateKey); print('ok')";
    let python = Command::new(python()).args(["-c", script, &key_path]).output().expect("python");
    assert_eq!(String::from_utf8_lossy(&python.stdout).trim(), "ok", "{}", String::from_utf8_lossy(&python.stderr));
    // A key written by OpenSSL (v1) and the public half alone (previous rotation) are read too.
    let from_openssl = env.dir.path().join("openssl.pem");
    let public = env.dir.path().join("previous.pub.pem");
    let genpkey = Command::new("openssl").args(["genpkey", "-algorithm", "ed25519", "-out"]).arg(&from_openssl).status().expect("openssl");
    assert!(genpkey.success());
    let pubout = Command::new("openssl").args(["pkey", "-in", &key_path, "-pubout", "-out"]).arg(&public).status().expect("openssl");
    assert!(pubout.success());
    let org = env.ok(&["org", "create", "--kind", "ccas", "--name", "CCAS"], None);
    let token = Command::new(env!("CARGO_BIN_EXE_relais"))
        .args(["token", "--org", &org, "--sub", "script", "--scope", "reports"])
        .env("DATABASE_URL", format!("sqlite://{}", env.dir.path().join("cli.db").display()))
        .env("RELAIS_JWT_KEY_FILE", &from_openssl)
        .env("RELAIS_JWT_PREVIOUS_KEY_FILES", &public)
        .output()
        .expect("token");
    assert!(token.status.success(), "{}", String::from_utf8_lossy(&token.stderr));
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

#[test]
fn a_data_inclusion_file_imports_from_the_command_line_and_exports_back() {
    let env = Env::new();
    let ccas = env.ok(&["org", "create", "--kind", "ccas", "--name", "CCAS de Vienne"], None);
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data_inclusion/sample.json");
    let summary = |out: String| -> serde_json::Value { serde_json::from_str(&out).expect("a summary") };
    let first = summary(env.ok(&["partners", "import", "--data-inclusion", sample, "--ccas", &ccas], None));
    assert_eq!((first["created"].as_u64(), first["updated"].as_u64()), (Some(3), Some(0)));
    let second = summary(env.ok(&["partners", "import", "--data-inclusion", sample, "--ccas", &ccas], None));
    assert_eq!((second["created"].as_u64(), second["updated"].as_u64()), (Some(0), Some(3)), "matched on source and id");
    let exported: serde_json::Value =
        serde_json::from_str(&env.ok(&["partners", "export", "--data-inclusion", "--ccas", &ccas], None)).expect("a document");
    assert_eq!(exported["structures"].as_array().map(Vec::len), Some(3));
    assert!(!env.relais(&["partners", "import", "--data-inclusion", "/nonexistent.json", "--ccas", &ccas], None).status.success());
}
