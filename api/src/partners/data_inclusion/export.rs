//! The CCAS's active partners as data·inclusion structures and services: one structure per
//! partner, and one service, the orientation the coordinators make to it. The coordinators'
//! notes about a partner are never exported.

use diesel::prelude::*;

use super::mapping::{public_of, thematiques_of_kind, thematiques_of_theme};
use super::models::{Document, Service, Structure};
use crate::db::DbConnection;
use crate::db::schema::partners;
use crate::error::ApiResult;
use crate::partners::models::{Partner, PartnerRow};
use crate::partners::queries::partners_view;

pub const SOURCE: &str = "relais";

pub fn export(conn: &mut DbConnection, ccas_id: &str) -> ApiResult<Document> {
    let rows: Vec<PartnerRow> = partners::table
        .filter(partners::ccas_id.eq(ccas_id))
        .filter(partners::active.eq(true))
        .order((partners::sort_name, partners::id))
        .select(PartnerRow::as_select())
        .load(conn)?;
    let partners = partners_view(conn, rows)?;
    let structures = partners.iter().map(structure).collect();
    let services = partners.iter().map(service).collect();
    Ok(Document { structures, services })
}

fn structure_id(p: &Partner) -> String {
    format!("{SOURCE}--{}", p.id)
}

/// A name as data·inclusion takes it: 3 to 150 characters, no final full stop.
fn name(raw: &str, kind: &str) -> String {
    let trimmed = raw.trim().trim_end_matches('.').trim();
    let named = if trimmed.chars().count() < 3 { format!("{trimmed} – {kind}") } else { trimmed.to_owned() };
    named.chars().take(150).collect()
}

fn kind_label(p: &Partner) -> &'static str {
    crate::reports::labels::partner_kind(&p.kind.as_str()).unwrap_or("Partenaire")
}

fn website(raw: Option<&str>) -> Option<String> {
    let raw = raw?.trim();
    if raw.is_empty() || raw.contains(char::is_whitespace) {
        return None;
    }
    let url = if raw.starts_with("http://") || raw.starts_with("https://") { raw.to_owned() } else { format!("https://{raw}") };
    reqwest::Url::parse(&url).ok().filter(|u| u.host_str().is_some_and(|h| h.contains('.'))).map(|u| u.to_string())
}

fn structure(p: &Partner) -> Structure {
    Structure {
        source: SOURCE.to_owned(),
        id: structure_id(p),
        nom: name(&p.name, kind_label(p)),
        date_maj: p.updated_at.date(),
        commune: p.commune.clone().filter(|c| !c.trim().is_empty()),
        adresse: p.address.clone().filter(|a| !a.trim().is_empty()),
        telephone: crate::phone::e164(p.phone.as_deref()),
        courriel: p.email.clone(),
        site_web: website(p.website.as_deref()),
        // Relais keeps opening hours as free text, not in the OpenStreetMap format the schema asks.
        horaires_accueil: None,
    }
}

fn service(p: &Partner) -> Service {
    let mut thematiques: Vec<String> = thematiques_of_kind(p.kind)
        .iter()
        .chain(p.themes.iter().flat_map(|t| thematiques_of_theme(t).iter()))
        .map(|t| (*t).to_owned())
        .collect();
    thematiques.sort();
    thematiques.dedup();
    let mut publics: Vec<String> = p.publics.iter().filter_map(|pub_| public_of(*pub_)).map(str::to_owned).collect();
    publics.sort();
    publics.dedup();
    Service {
        source: SOURCE.to_owned(),
        structure_id: structure_id(p),
        id: format!("{}--orientation", structure_id(p)),
        nom: name(kind_label(p), "orientation"),
        description: format!(
            "Partenaire vers lequel les intervenants sociaux en commissariat et en gendarmerie orientent les personnes : {}.",
            kind_label(p).to_lowercase()
        ),
        date_maj: p.updated_at.date(),
        thematiques: (!thematiques.is_empty()).then_some(thematiques),
        publics: (!publics.is_empty()).then_some(publics),
        commune: p.commune.clone().filter(|c| !c.trim().is_empty()),
        telephone: crate::phone::e164(p.phone.as_deref()),
        courriel: p.email.clone(),
    }
}
