//! The contract: the checked-in `openapi/openapi.json` is what the code generates; every
//! operation documents its scopes and errors; every request body example is accepted.

use std::collections::HashMap;

use relais_api::auth::Scope;
use relais_tests::{TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

fn generated() -> Value {
    serde_json::to_value(relais_api::app::openapi()).expect("serialisable")
}

fn checked_in_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json")
}

#[test]
fn the_checked_in_contract_is_what_the_code_generates() {
    let generated = relais_api::cli::openapi_json().expect("document");
    if std::env::var("UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(checked_in_path(), format!("{generated}\n")).expect("write openapi.json");
    }
    let checked_in = std::fs::read_to_string(checked_in_path()).unwrap_or_default();
    assert!(
        checked_in.trim_end() == generated.trim_end(),
        "openapi/openapi.json is stale: run `make openapi` (UPDATE_OPENAPI=1 cargo test -p relais-tests openapi) and commit it"
    );
}

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            ops.push((method.to_uppercase(), path.clone(), op.clone()));
        }
    }
    ops
}

#[test]
fn every_operation_documents_its_scopes_and_errors() {
    let doc = generated();
    assert_eq!(doc["openapi"], "3.1.0");
    for (method, path, op) in operations(&doc) {
        let name = format!("{method} {path}");
        let security = op["security"].as_array().unwrap_or_else(|| panic!("{name}: no security"));
        let responses = op["responses"].as_object().unwrap_or_else(|| panic!("{name}: no responses"));
        assert!(op["summary"].is_string(), "{name}: no summary");
        let public = security.iter().all(|s| s.as_object().is_some_and(|o| o.is_empty()));
        if !public {
            for requirement in security {
                let scopes = requirement["oauth2"].as_array().unwrap_or_else(|| panic!("{name}: a requirement without scopes"));
                assert!(!scopes.is_empty(), "{name}: empty scopes");
            }
            for status in ["401", "403", "503"] {
                assert!(responses.contains_key(status), "{name}: {status} not documented");
            }
        }
        if op.get("requestBody").is_some() {
            assert!(responses.contains_key("422") || responses.contains_key("400"), "{name}: body errors not documented");
        }
        if path.contains('{') && !public {
            assert!(responses.contains_key("404"), "{name}: 404 not documented");
        }
    }
}

/// Documented placeholder ids in the examples, replaced by real ones of the test world.
fn substitute(example: &str, app: &TestApp, case: &relais_tests::Case) -> String {
    example
        .replace("00000000-0000-4000-8000-000000000001", &app.world.ccas_a)
        .replace("00000000-0000-4000-8000-000000000002", &app.world.police_a)
        .replace("00000000-0000-4000-8000-000000000003", &case.site)
        .replace("00000000-0000-4000-8000-000000000004", &case.coordinator)
        .replace("00000000-0000-4000-8000-000000000005", &case.situation)
        .replace("00000000-0000-4000-8000-000000000006", &case.person)
}

fn token_for(app: &TestApp, scope: &str) -> String {
    let w = &app.world;
    match scope {
        "ccas" => app.token(&w.ccas_a, &[Scope::Ccas]),
        "gendarmerie" => app.token(&w.brigade_a, &[Scope::Gendarmerie]),
        "police_municipale" => app.token(&w.police_a, &[Scope::PoliceMunicipale]),
        "police_nationale" => app.token(&w.commissariat_a, &[Scope::PoliceNationale]),
        "reports" => app.token(&w.ccas_a, &[Scope::Reports]),
        "admin" => app.token(&w.ccas_a, &[Scope::Admin]),
        other => panic!("unknown scope {other}"),
    }
}

#[actix_web::test]
async fn every_json_request_example_is_accepted_as_is() {
    let app = spawn_app().await;
    let case = app.case().await;
    let doc = generated();
    let schemas = &doc["components"]["schemas"];
    let mut ops: Vec<_> = operations(&doc)
        .into_iter()
        .filter(|(_, _, op)| op["requestBody"]["content"]["application/json"].is_object())
        // Public routes (the password change) need an account's credentials: their own tests.
        .filter(|(_, _, op)| op["security"][0]["oauth2"].is_array())
        .collect();
    // Creations first: updates act on what they created; closing a file last, since a closed
    // file takes nothing new.
    ops.sort_by_key(|(method, path, _)| (path.ends_with("/close"), method != "POST", path.contains('{')));
    let mut created: HashMap<String, String> = HashMap::new();
    let mut creations: HashMap<String, (Value, String)> = HashMap::new();
    for (method, path, op) in ops {
        let name = format!("{method} {path}");
        let reference = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: inline body schema"));
        let schema = &schemas[reference.trim_start_matches("#/components/schemas/")];
        let example = schema.get("example").unwrap_or_else(|| panic!("{name}: {reference} has no example"));
        let body: Value = serde_json::from_str(&substitute(&example.to_string(), &app, &case)).expect("json");
        let scope = op["security"][0]["oauth2"][0].as_str().unwrap_or_else(|| panic!("{name}: no scope")).to_owned();
        if method == "POST" && !path.contains('{') {
            creations.insert(path.clone(), (body.clone(), scope.clone()));
        }
        let concrete = match path.split_once("/{id}") {
            // Triage actions consume their referral: each gets a fresh one.
            Some((collection, rest)) if collection == "/api/v1/referrals" && !rest.is_empty() => {
                let (parent, parent_scope) = creations.get(collection).unwrap_or_else(|| panic!("{name}: no example creates {collection}"));
                let fresh: Value = app.post(collection, &token_for(&app, parent_scope), parent).await.json().await.expect("json");
                path.replace("{id}", fresh["id"].as_str().expect("id"))
            }
            // Only an orientation has a follow-up: one is recorded for it.
            Some(("/api/v1/interventions", "/follow-up")) => {
                let ccas = token_for(&app, "ccas");
                let partner: Value =
                    app.post("/api/v1/partners", &ccas, &json!({"name": "Partenaire", "kind": "health"})).await.json().await.expect("json");
                let orientation = json!({"situation_id": case.situation, "kind": "orientation", "occurred_at": "2026-03-30T08:00:00Z",
                                         "coordinator_id": case.coordinator, "partner_id": partner["id"]});
                let recorded: Value = app.post("/api/v1/interventions", &ccas, &orientation).await.json().await.expect("json");
                path.replace("{id}", recorded["id"].as_str().expect("id"))
            }
            Some((collection, _)) => {
                let id = created.get(collection).unwrap_or_else(|| panic!("{name}: nothing created at {collection}"));
                path.replace("{id}", id)
            }
            None => path.clone(),
        };
        let concrete = match created.get("/api/v1/persons") {
            Some(person) => concrete.replace("{person_id}", person),
            None => concrete,
        };
        let token = token_for(&app, &scope);
        let etag = if method == "PATCH" || method == "PUT" {
            app.get(&concrete, &token).await.headers().get("etag").and_then(|v| v.to_str().ok()).map(str::to_owned)
        } else {
            None
        };
        let mut request = app.request(Method::from_bytes(method.as_bytes()).expect("method"), &concrete, Some(&token)).json(&body);
        if let Some(etag) = etag {
            request = request.header("If-Match", etag);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "{name}: the example was refused with {status}: {answer}");
        if let Some(id) = answer["id"].as_str().or(answer["client"]["id"].as_str()).or(answer["subscription"]["id"].as_str()) {
            created.insert(path.clone(), id.to_owned());
        }
    }
}

/// The properties a schema declares and those it requires, through `$ref` and `allOf`.
fn shape(doc: &Value, schema: &Value) -> (serde_json::Map<String, Value>, Vec<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return shape(doc, &doc["components"]["schemas"][name]);
    }
    let mut properties = schema["properties"].as_object().cloned().unwrap_or_default();
    let mut required: Vec<String> =
        schema["required"].as_array().into_iter().flatten().filter_map(|r| r.as_str().map(str::to_owned)).collect();
    for part in schema["allOf"].as_array().into_iter().flatten() {
        let (p, r) = shape(doc, part);
        properties.extend(p);
        required.extend(r);
    }
    (properties, required)
}

/// A value can match `a` but not `b`: `a` requires a property `b` does not declare, or both
/// pin a property to disjoint values (`enum`).
fn excludes(doc: &Value, a: &Value, b: &Value) -> bool {
    let ((a_props, a_required), (b_props, _)) = (shape(doc, a), shape(doc, b));
    a_required.iter().any(|name| match (a_props.get(name).and_then(|p| p["enum"].as_array()), b_props.get(name)) {
        (_, None) => true,
        (Some(a_values), Some(b_prop)) => b_prop["enum"].as_array().is_some_and(|b_values| a_values.iter().all(|v| !b_values.contains(v))),
        (None, Some(_)) => false,
    })
}

#[test]
fn every_one_of_resolves_to_exactly_one_branch() {
    let doc = generated();
    let mut checked = 0;
    let mut ambiguous = Vec::new();
    for (name, schema) in doc["components"]["schemas"].as_object().expect("schemas") {
        let Some(branches) = schema["oneOf"].as_array() else { continue };
        // `null` beside one schema (an optional field) is told apart by its type.
        let objects: Vec<&Value> = branches.iter().filter(|b| b["type"] != "null").collect();
        for (i, a) in objects.iter().enumerate() {
            for b in &objects[i + 1..] {
                checked += 1;
                if !(excludes(&doc, a, b) && excludes(&doc, b, a)) {
                    ambiguous.push(format!("{name}: {a} / {b}"));
                }
            }
        }
    }
    assert!(checked >= 3, "the document has its oneOf schemas");
    assert!(ambiguous.is_empty(), "branches a value could match both of:\n{}", ambiguous.join("\n"));
}

/// Every `$ref` in a JSON document.
fn references<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
    match value {
        Value::Object(members) => {
            for (name, member) in members {
                match member {
                    Value::String(target) if name == "$ref" => found.push(target),
                    other => references(other, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, found)),
        _ => {}
    }
}

#[test]
fn every_reference_resolves() {
    let doc = generated();
    let mut found = Vec::new();
    references(&doc, &mut found);
    let dangling: Vec<&&str> = found.iter().filter(|r| doc.pointer(r.trim_start_matches('#')).is_none()).collect();
    assert!(!found.is_empty());
    assert!(dangling.is_empty(), "references to nothing (a code generator stops there): {dangling:?}");
}
