#![allow(clippy::expect_used, clippy::unwrap_used, reason = "a test fails loudly on what it cannot set up")]

//! Nothing answered goes unrecorded: reads answered just before a `kill -9` of the server all
//! have their access-log entries after a restart, and the chain still verifies. On SQLite, or
//! on PostgreSQL with `RELAIS_TEST_BACKEND=postgres` (a fresh database on the test server).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::prelude::*;
use relais_api::db::DatabaseUrl;

mod common;
use common::{Deployment, call, free_port};

#[test]
fn reads_answered_before_a_kill_9_are_all_in_the_log_after_restart() {
    let deployment = Deployment::new();
    let ccas = deployment.ok(&["org", "create", "--kind", "ccas", "--name", "CCAS"]);
    let token = deployment.ok(&["token", "--org", &ccas, "--sub", "crash-test", "--scope", "ccas", "--ttl", "600"]);
    let port = free_port();
    let mut server = deployment.serve(port);

    let mut persons = Vec::new();
    for i in 0..8 {
        let body = format!(r#"{{"last_name":"Personne{i}","first_name":"Test","confirm_distinct":true}}"#);
        let (status, answer) = call(port, "POST", "/api/v1/persons", &token, &body);
        assert_eq!(status, 201, "{answer}");
        let created: serde_json::Value = serde_json::from_str(&answer).expect("json");
        persons.push(created["id"].as_str().expect("id").to_owned());
    }

    // Sixteen clients read the persons in a loop; each counts the reads answered 200.
    let answered: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..16)
        .map(|n| {
            let (answered, stop, token, persons) = (answered.clone(), stop.clone(), token.clone(), persons.clone());
            std::thread::spawn(move || {
                let mut i = n;
                while !stop.load(Ordering::Relaxed) {
                    let id = &persons[i % persons.len()];
                    if call(port, "GET", &format!("/api/v1/persons/{id}"), &token, "").0 == 200 {
                        *answered.lock().unwrap().entry(id.clone()).or_default() += 1;
                    }
                    i += 1;
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1_500));
    server.kill().expect("kill -9");
    server.wait().expect("reaped");
    stop.store(true, Ordering::Relaxed);
    for reader in readers {
        reader.join().expect("reader");
    }
    let answered = answered.lock().unwrap().clone();
    let total: usize = answered.values().sum();
    assert!(total > 50, "only {total} reads were answered before the kill");

    // Restart on the same database, then count the entries of each person's reads.
    let port = free_port();
    let mut server = deployment.serve(port);
    let url = DatabaseUrl::parse(&deployment.url).expect("url");
    let mut conn = relais_api::db::pool::establish(&url).expect("connect");
    use relais_api::db::schema::audit_events as events;
    for (id, reads) in &answered {
        let recorded: i64 = events::table
            .filter(events::action.eq("person.read"))
            .filter(events::object_id.eq(id))
            .filter(events::outcome.eq("success"))
            .count()
            .get_result(&mut conn)
            .expect("count");
        assert!(recorded >= i64::try_from(*reads).unwrap(), "person {id}: {reads} reads answered, {recorded} recorded");
    }
    server.kill().expect("stop");
    server.wait().expect("reaped");
    let verified = deployment.ok(&["audit", "verify"]);
    assert!(verified.contains("entries verified"), "{verified}");
}
