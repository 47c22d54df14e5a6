//! The server's log lines: text for a person reading a terminal, or one JSON object per line
//! (`RELAIS_LOG_FORMAT=json`) for a log collector: `time`, `level`, `target`, `message`, and the
//! fields a line carries (a request's `method`, `route`, `status`, `duration_ms`,
//! `request_id`). Lines hold ids only, never a name or a note: what is logged is decided
//! where it is logged, not filtered here.
//!
//! In JSON mode every line the process writes is such an object: the server's announcements
//! ("Relais listens on …", the demo's logins), the reports of commands, errors, even a panic.
//! Only a command's result stays as it is (an id, a token, the OpenAPI document), so that a
//! script can take it from stdout.

use std::io::Write;
use std::sync::OnceLock;

use log::kv::{Key, Value, VisitSource};

/// Collects a record's key-values as JSON members.
struct Members(serde_json::Map<String, serde_json::Value>);

impl<'kvs> VisitSource<'kvs> for Members {
    fn visit_pair(&mut self, key: Key<'kvs>, value: Value<'kvs>) -> Result<(), log::kv::Error> {
        let json = if let Some(n) = value.to_u64() {
            serde_json::Value::from(n)
        } else if let Some(f) = value.to_f64() {
            serde_json::Value::from(f)
        } else {
            serde_json::Value::from(value.to_string())
        };
        self.0.insert(key.as_str().to_owned(), json);
        Ok(())
    }
}

/// Writes the text lines' key-values: only the request id (the rest is in the message).
struct RequestIdOnly<'a>(&'a mut dyn Write);

impl<'kvs> VisitSource<'kvs> for RequestIdOnly<'_> {
    fn visit_pair(&mut self, key: Key<'kvs>, value: Value<'kvs>) -> Result<(), log::kv::Error> {
        if key.as_str() == "request_id" {
            write!(self.0, " request_id={value}").map_err(log::kv::Error::boxed)?;
        }
        Ok(())
    }
}

static JSON: OnceLock<bool> = OnceLock::new();

/// Whether lines are JSON objects (`RELAIS_LOG_FORMAT=json`), as [`init`] found it.
pub fn is_json() -> bool {
    *JSON.get_or_init(|| std::env::var("RELAIS_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")))
}

/// One line as JSON: `time`, `level`, `target`, `message`, then `fields`.
fn json_line(level: &str, target: &str, message: &str, fields: serde_json::Map<String, serde_json::Value>) -> String {
    let mut line = serde_json::Map::new();
    line.insert("time".into(), crate::clock::machine_time().to_rfc3339_opts(chrono::SecondsFormat::Millis, true).into());
    line.insert("level".into(), level.into());
    line.insert("target".into(), target.into());
    line.insert("message".into(), message.into());
    line.extend(fields);
    serde_json::Value::Object(line).to_string()
}

/// Where an announcement goes.
#[derive(Clone, Copy)]
pub enum Out {
    Stdout,
    Stderr,
}

/// What the process tells its operator whatever `RUST_LOG` filters: `text` as it reads in a
/// terminal, or, in JSON mode, one object whose message is `summary` with `fields`.
pub fn announce(out: Out, text: &str, summary: &str, fields: serde_json::Value) {
    let line = if is_json() {
        let fields = match fields {
            serde_json::Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        json_line("info", "relais", summary, fields)
    } else {
        text.to_owned()
    };
    match out {
        Out::Stdout => println!("{line}"),
        Out::Stderr => eprintln!("{line}"),
    }
}

/// The error a command or the server ends with, on stderr.
pub fn fatal(message: &str) {
    if is_json() {
        eprintln!("{}", json_line("error", "relais", message, serde_json::Map::new()));
    } else {
        eprintln!("relais: {message}");
    }
}

/// Starts the logger: the level filter from `RUST_LOG` (default `info`), the format from
/// `RELAIS_LOG_FORMAT` (`text`, the default, or `json`). In JSON mode a panic is a line too.
pub fn init() {
    let mut builder = env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"));
    if is_json() {
        builder.format(|buf, record| {
            let mut members = Members(serde_json::Map::new());
            record.key_values().visit(&mut members).map_err(std::io::Error::other)?;
            let line = json_line(&record.level().as_str().to_lowercase(), record.target(), &record.args().to_string(), members.0);
            writeln!(buf, "{line}")
        });
        std::panic::set_hook(Box::new(|info| {
            let mut fields = serde_json::Map::new();
            if let Some(location) = info.location() {
                fields.insert("location".into(), format!("{}:{}", location.file(), location.line()).into());
            }
            let what =
                info.payload().downcast_ref::<&str>().map(|s| (*s).to_owned()).or_else(|| info.payload().downcast_ref::<String>().cloned());
            eprintln!("{}", json_line("error", "panic", &what.unwrap_or_else(|| "panic".to_owned()), fields));
        }));
    } else {
        builder.format_key_values(|buf, source| source.visit(&mut RequestIdOnly(buf)).map_err(std::io::Error::other));
    }
    builder.init();
}
