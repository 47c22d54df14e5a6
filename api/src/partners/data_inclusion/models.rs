//! The part of data·inclusion's schema v1 (structures and services) that Relais writes and
//! reads. Reading ignores the fields Relais does not keep; writing leaves out what a CCAS's
//! directory does not know.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A structure (an organisation that receives the public).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Structure {
    /// The producer of the data: `relais` for Relais's own partners.
    pub source: String,
    /// `source--identifier`.
    pub id: String,
    /// 3 to 150 characters.
    pub nom: String,
    pub date_maj: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adresse: Option<String>,
    /// E.164 where the number could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courriel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_web: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horaires_accueil: Option<String>,
}

/// A service a structure offers.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Service {
    pub source: String,
    pub structure_id: String,
    pub id: String,
    pub nom: String,
    /// 5 to 10,000 characters.
    pub description: String,
    pub date_maj: NaiveDate,
    /// data·inclusion's `thematiques` codes (e.g. `famille--surmonter-conflits-separation-violence`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thematiques: Option<Vec<String>>,
    /// data·inclusion's `publics` codes (e.g. `familles`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publics: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courriel: Option<String>,
}

/// A data·inclusion document: structures and their services.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "structures": [{"source": "dora", "id": "dora--cidff-38", "nom": "CIDFF de l'Isère", "date_maj": "2026-10-01",
                    "commune": "Grenoble", "telephone": "+33476000000"}],
    "services": [{"source": "dora", "structure_id": "dora--cidff-38", "id": "dora--cidff-38--juridique", "nom": "Permanence juridique",
                  "description": "Information sur les droits des femmes et des familles.", "date_maj": "2026-10-01",
                  "thematiques": ["famille--surmonter-conflits-separation-violence"], "publics": ["femmes", "familles"]}]
}))]
pub struct Document {
    pub structures: Vec<Structure>,
    #[serde(default)]
    pub services: Vec<Service>,
}

/// What an import did.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ImportSummary {
    /// Partners created from structures seen for the first time.
    pub created: usize,
    /// Partners updated from structures imported before (same `source` and `id`).
    pub updated: usize,
    /// Structures left out, with why (`invalid_name`, `duplicate_id`...).
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Skipped {
    pub id: String,
    pub reason: String,
}
