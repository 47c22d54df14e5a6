//! The server's log lines: text for a person reading a terminal, or one JSON object per line
//! (`RELAIS_LOG_FORMAT=json`) for a log collector: `time`, `level`, `target`, `message`, and the
//! fields a line carries (a request's `method`, `route`, `status`, `duration_ms`,
//! `request_id`). Lines hold ids only, never a name or a note: what is logged is decided
//! where it is logged, not filtered here.

use std::io::Write;

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

/// Starts the logger: the level filter from `RUST_LOG` (default `info`), the format from
/// `RELAIS_LOG_FORMAT` (`text`, the default, or `json`).
pub fn init() {
    let mut builder = env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"));
    if std::env::var("RELAIS_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        builder.format(|buf, record| {
            let mut members = Members(serde_json::Map::new());
            record.key_values().visit(&mut members).map_err(std::io::Error::other)?;
            let mut line = serde_json::Map::new();
            line.insert("time".into(), crate::clock::machine_time().to_rfc3339_opts(chrono::SecondsFormat::Millis, true).into());
            line.insert("level".into(), record.level().as_str().to_lowercase().into());
            line.insert("target".into(), record.target().into());
            line.insert("message".into(), record.args().to_string().into());
            line.extend(members.0);
            writeln!(buf, "{}", serde_json::Value::Object(line))
        });
    } else {
        builder.format_key_values(|buf, source| source.visit(&mut RequestIdOnly(buf)).map_err(std::io::Error::other));
    }
    builder.init();
}
