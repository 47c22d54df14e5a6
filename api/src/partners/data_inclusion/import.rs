//! A data·inclusion file into the CCAS's partners: each structure (with the `thematiques` and
//! `publics` of its services) becomes a partner, found again by its `source` and `id` so that a
//! second import updates it rather than adding a copy. The file's categories are kept as they
//! were beside the kind, themes and publics Relais derives from them; the coordinators' notes
//! and a partner's deactivation are left as they are.

use std::collections::HashSet;

use diesel::prelude::*;
use validator::Validate;

use super::mapping::{kind_of, publics_of, themes_of};
use super::models::{Document, ImportSummary, Skipped, Structure};
use crate::db::DbConnection;
use crate::db::schema::partners;
use crate::error::ApiResult;
use crate::partners::models::PartnerInput;
use crate::partners::queries::save;

fn clipped(value: Option<&String>, max: usize) -> Option<String> {
    value.map(|v| v.trim().chars().take(max).collect::<String>()).filter(|v| !v.is_empty())
}

/// The codes of one list (`thematiques` or `publics`) across a structure's services, sorted, each once.
fn union<'a>(lists: impl Iterator<Item = &'a Option<Vec<String>>>) -> Vec<String> {
    let mut all: Vec<String> = lists.flatten().flatten().cloned().collect();
    all.sort();
    all.dedup();
    all
}

pub fn import(conn: &mut DbConnection, ccas_id: &str, document: &Document, now: chrono::NaiveDateTime) -> ApiResult<ImportSummary> {
    let mut summary = ImportSummary::default();
    let mut seen = HashSet::new();
    for structure in &document.structures {
        let skip = |reason: &str| Skipped { id: structure.id.clone(), reason: reason.to_owned() };
        if !seen.insert((structure.source.clone(), structure.id.clone())) {
            summary.skipped.push(skip("duplicate_id"));
            continue;
        }
        if structure.source.trim().is_empty() || structure.id.trim().is_empty() || structure.id.len() > 300 {
            summary.skipped.push(skip("invalid_id"));
            continue;
        }
        let services: Vec<_> = document.services.iter().filter(|s| s.structure_id == structure.id).collect();
        let thematiques = union(services.iter().map(|s| &s.thematiques));
        let publics = union(services.iter().map(|s| &s.publics));
        let existing: Option<(String, Option<String>, bool)> = partners::table
            .filter(partners::ccas_id.eq(ccas_id))
            .filter(partners::source_name.eq(&structure.source))
            .filter(partners::source_id.eq(&structure.id))
            .select((partners::id, partners::notes, partners::active))
            .first(conn)
            .optional()?;
        let input = partner_input(structure, &thematiques, &publics, existing.as_ref());
        if input.name.is_empty() {
            summary.skipped.push(skip("invalid_name"));
            continue;
        }
        if input.validate().is_err() {
            summary.skipped.push(skip("invalid_fields"));
            continue;
        }
        let (id, is_new) = match &existing {
            Some((id, _, _)) => (id.clone(), false),
            None => (uuid::Uuid::new_v4().to_string(), true),
        };
        save(conn, ccas_id, &id, &input, is_new, now)?;
        diesel::update(partners::table.find(&id))
            .set((
                partners::source_name.eq(&structure.source),
                partners::source_id.eq(&structure.id),
                partners::source_thematiques.eq(thematiques.join(" ")),
                partners::source_publics.eq(publics.join(" ")),
            ))
            .execute(conn)?;
        if is_new {
            summary.created += 1;
        } else {
            summary.updated += 1;
        }
    }
    Ok(summary)
}

/// What Relais keeps of a structure; a contact that does not pass Relais's checks is left out
/// rather than refusing the whole structure.
fn partner_input(
    structure: &Structure,
    thematiques: &[String],
    publics: &[String],
    existing: Option<&(String, Option<String>, bool)>,
) -> PartnerInput {
    let phone = clipped(structure.telephone.as_ref(), 30).filter(|p| crate::phone::valid_or_short(p).is_ok());
    let email = clipped(structure.courriel.as_ref(), 254).filter(validator::ValidateEmail::validate_email);
    let website = clipped(structure.site_web.as_ref(), 500).filter(validator::ValidateUrl::validate_url);
    PartnerInput {
        name: clipped(Some(&structure.nom), 200).unwrap_or_default(),
        kind: kind_of(thematiques),
        themes: themes_of(thematiques),
        publics: publics_of(publics),
        address: clipped(structure.adresse.as_ref(), 500),
        commune: clipped(structure.commune.as_ref(), 200),
        phone,
        email,
        website,
        opening_hours: clipped(structure.horaires_accueil.as_ref(), 500),
        notes: existing.and_then(|(_, notes, _)| notes.clone()),
        active: existing.is_none_or(|(_, _, active)| *active),
    }
}
