//! The partner directory in data·inclusion's format: the export validated by the models of the
//! `data-inclusion-schema` package (PyPI); a sample file written by hand in that schema
//! imported, then imported again without duplicates, through the API and the command line's
//! code.

use std::io::Write;
use std::process::{Command, Stdio};

use relais_tests::{TestApp, json, problem, spawn_app, venv_python};
use serde_json::{Value, json};

const SAMPLE: &str = include_str!("../data_inclusion/sample.json");

/// The package's verdict on a document: how many structures and services, and the errors.
fn validated(document: &Value) -> Value {
    let mut child = Command::new(venv_python())
        .arg(format!("{}/data_inclusion/validate.py", env!("CARGO_MANIFEST_DIR")))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("validate.py (make target/venv/data-inclusion-schema.installed)");
    child.stdin.take().expect("stdin").write_all(document.to_string().as_bytes()).expect("write");
    serde_json::from_slice(&child.wait_with_output().expect("output").stdout).expect("verdict")
}

async fn partner(app: &TestApp, body: Value) -> String {
    let response = app.post("/api/v1/partners", &app.ccas_token(), &body).await;
    assert_eq!(response.status(), 201);
    json(response).await["id"].as_str().expect("id").to_owned()
}

#[actix_web::test]
async fn the_export_is_valid_data_inclusion_and_keeps_the_coordinators_notes_to_themselves() {
    let app = spawn_app().await;
    let cidff = partner(
        &app,
        json!({"name": "CIDFF de l'Isère.", "kind": "victim_support", "themes": ["domestic_violence"], "publics": ["victims", "families"],
               "phone": "04 76 54 50 30", "email": "contact@cidff38.example.org", "website": "https://cidff38.example.org",
               "commune": "Grenoble", "opening_hours": "lun–ven 9h–12h", "notes": "Demander Mme Martin, jamais le vendredi"}),
    )
    .await;
    partner(&app, json!({"name": "AS", "kind": "social_services", "phone": "3919"})).await;
    let closed = partner(&app, json!({"name": "Ancien partenaire", "kind": "other"})).await;
    let replaced = json!({"name": "Ancien partenaire", "kind": "other", "active": false});
    let current = app.get(&format!("/api/v1/partners/{closed}"), &app.ccas_token()).await;
    let etag = current.headers().get("etag").and_then(|v| v.to_str().ok()).expect("etag").to_owned();
    let put = app.request(reqwest::Method::PUT, &format!("/api/v1/partners/{closed}"), Some(&app.ccas_token())).header("If-Match", etag);
    assert!(put.json(&replaced).send().await.expect("put").status().is_success());

    let document = json(app.get("/api/v1/partners/export/data-inclusion", &app.ccas_token()).await).await;
    let verdict = validated(&document);
    assert_eq!(verdict["errors"], json!([]), "{verdict}");
    assert_eq!((verdict["structures"].as_i64(), verdict["services"].as_i64()), (Some(2), Some(2)), "the active partners only");
    let structure = document["structures"].as_array().expect("structures").iter().find(|s| s["id"] == format!("relais--{cidff}")).cloned();
    let structure = structure.expect("the CIDFF");
    assert_eq!(structure["nom"], "CIDFF de l'Isère", "no final full stop");
    assert_eq!(structure["telephone"], "+33476545030");
    assert_eq!(structure["site_web"], "https://cidff38.example.org/");
    let service = document["services"].as_array().expect("services").iter().find(|s| s["structure_id"] == structure["id"]).cloned();
    let service = service.expect("its service");
    let thematiques: Vec<&str> = service["thematiques"].as_array().expect("thematiques").iter().filter_map(Value::as_str).collect();
    assert!(thematiques.contains(&"famille--surmonter-conflits-separation-violence"), "{thematiques:?}");
    assert_eq!(service["publics"], json!(["familles", "personnes-en-situation-juridique-specifique"]));
    let text = document.to_string();
    for private in ["Mme Martin", "vendredi", "lun–ven"] {
        assert!(!text.contains(private), "{private} left the CCAS");
    }
    problem(app.get("/api/v1/partners/export/data-inclusion", &app.gendarmerie_token()).await, 403).await;
}

#[actix_web::test]
async fn a_data_inclusion_file_imports_once_then_updates_in_place() {
    let app = spawn_app().await;
    let sample: Value = serde_json::from_str(SAMPLE).expect("the sample");
    assert_eq!(validated(&sample)["errors"], json!([]), "the sample is in the schema");
    let ccas = app.ccas_token();
    let first = json(app.post("/api/v1/partners/import/data-inclusion", &ccas, &sample).await).await;
    assert_eq!((first["created"].as_u64(), first["updated"].as_u64()), (Some(3), Some(0)), "{first}");
    let list = json(app.get("/api/v1/partners?limit=50", &ccas).await).await;
    let partners = list["items"].as_array().expect("items").clone();
    let by_name = |name: &str| partners.iter().find(|p| p["name"] == name).cloned().expect(name);
    let cidff = by_name("CIDFF de l'Isère");
    assert_eq!(cidff["kind"], "family_mediation");
    assert_eq!(cidff["themes"], json!(["conflictual_separation", "domestic_violence", "family_conflict"]));
    assert_eq!(cidff["publics"], json!(["families"]));
    assert_eq!(cidff["phone"], "+33476545030");
    assert_eq!(by_name("CSAPA Nord-Isère")["kind"], "addiction");
    assert_eq!(by_name("Accueil de jour de Vienne")["kind"], "housing");

    // A coordinator's note on an imported partner survives the next import.
    let id = cidff["id"].as_str().expect("id");
    let current = app.get(&format!("/api/v1/partners/{id}"), &ccas).await;
    let etag = current.headers().get("etag").and_then(|v| v.to_str().ok()).expect("etag").to_owned();
    let mut noted = json(current).await;
    for field in ["id", "active", "created_at", "updated_at", "version"] {
        noted.as_object_mut().expect("object").remove(field);
    }
    noted["notes"] = json!("Permanence le mardi");
    let put = app.request(reqwest::Method::PUT, &format!("/api/v1/partners/{id}"), Some(&ccas)).header("If-Match", etag);
    assert!(put.json(&noted).send().await.expect("put").status().is_success());
    let mut renamed = sample.clone();
    renamed["structures"][0]["nom"] = json!("CIDFF de l'Isère – antenne Nord");
    let second = json(app.post("/api/v1/partners/import/data-inclusion", &ccas, &renamed).await).await;
    assert_eq!((second["created"].as_u64(), second["updated"].as_u64()), (Some(0), Some(3)), "{second}");
    let again = json(app.get(&format!("/api/v1/partners/{id}"), &ccas).await).await;
    assert_eq!((&again["name"], &again["notes"]), (&json!("CIDFF de l'Isère – antenne Nord"), &json!("Permanence le mardi")));
    let count = json(app.get("/api/v1/partners?limit=50", &ccas).await).await["items"].as_array().map_or(0, Vec::len);
    assert_eq!(count, 3, "no duplicate");
    // A structure without a usable name is skipped, with its reason; the file's own
    // categories are kept beside Relais's.
    let mut unnamed = sample.clone();
    unnamed["structures"] = json!([{"source": "x", "id": "x--1", "nom": "  ", "date_maj": "2026-01-01"}]);
    let third = json(app.post("/api/v1/partners/import/data-inclusion", &ccas, &unnamed).await).await;
    assert_eq!(third["skipped"], json!([{"id": "x--1", "reason": "invalid_name"}]));
    let kept: (Option<String>, Option<String>) = app
        .on_db({
            let id = id.to_owned();
            move |conn| {
                use diesel::prelude::*;
                use relais_api::db::schema::partners;
                partners::table.find(id).select((partners::source_thematiques, partners::source_publics)).first(conn).expect("row")
            }
        })
        .await;
    assert_eq!(kept.1.as_deref(), Some("familles femmes"));
    assert!(
        kept.0.is_some_and(|t| t.contains("difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire"))
    );
    problem(app.post("/api/v1/partners/import/data-inclusion", &app.gendarmerie_token(), &sample).await, 403).await;
    problem(app.post("/api/v1/partners/import/data-inclusion", &ccas, &json!({"services": []})).await, 422).await;
}
