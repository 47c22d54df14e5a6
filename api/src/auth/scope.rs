//! Scopes (what a token may do) and organisation kinds (who holds it), and how they must agree.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Kind of an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// Centre communal d'action sociale: employs the coordinators, owns the case files.
    Ccas,
    /// Brigade de gendarmerie: refers people to its CCAS.
    Gendarmerie,
    /// Police municipale: refers people to its CCAS, often through its own software.
    PoliceMunicipale,
    /// Commissariat de police nationale: refers people to its CCAS, as a gendarmerie unit does
    /// (a post in a commissariat, or serving a mixed zone).
    PoliceNationale,
}

impl OrgKind {
    pub const ALL: [OrgKind; 4] = [OrgKind::Ccas, OrgKind::Gendarmerie, OrgKind::PoliceMunicipale, OrgKind::PoliceNationale];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Ccas => "ccas",
            OrgKind::Gendarmerie => "gendarmerie",
            OrgKind::PoliceMunicipale => "police_municipale",
            OrgKind::PoliceNationale => "police_nationale",
        }
    }

    /// The scope that a member of such an organisation works with.
    pub fn working_scope(self) -> Scope {
        match self {
            OrgKind::Ccas => Scope::Ccas,
            OrgKind::Gendarmerie => Scope::Gendarmerie,
            OrgKind::PoliceMunicipale => Scope::PoliceMunicipale,
            OrgKind::PoliceNationale => Scope::PoliceNationale,
        }
    }

    /// Whether this kind refers people to a CCAS (and so belongs to one).
    pub fn is_referring_agency(self) -> bool {
        !matches!(self, OrgKind::Ccas)
    }
}

impl FromStr for OrgKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| format!("unknown organisation kind {s:?}"))
    }
}

impl fmt::Display for OrgKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An OAuth scope carried by an access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Ccas,
    Gendarmerie,
    PoliceMunicipale,
    PoliceNationale,
    Reports,
    Admin,
}

impl Scope {
    pub const ALL: [Scope; 6] =
        [Scope::Ccas, Scope::Gendarmerie, Scope::PoliceMunicipale, Scope::PoliceNationale, Scope::Reports, Scope::Admin];

    /// The scopes of the units that refer people: each sees its own referrals only.
    pub const REFERRING: [Scope; 3] = [Scope::Gendarmerie, Scope::PoliceMunicipale, Scope::PoliceNationale];

    /// Whether an API client may hold the scope. Case content (`ccas`) is for the people who
    /// work the files, and `admin` makes accounts: neither goes to software.
    pub fn allowed_to_clients(self) -> bool {
        !matches!(self, Scope::Ccas | Scope::Admin)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Ccas => "ccas",
            Scope::Gendarmerie => "gendarmerie",
            Scope::PoliceMunicipale => "police_municipale",
            Scope::PoliceNationale => "police_nationale",
            Scope::Reports => "reports",
            Scope::Admin => "admin",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Scope::Ccas => "CCAS coordinator: the case files of its own CCAS",
            Scope::Gendarmerie => "Gendarmerie unit: creates referrals and follows their status",
            Scope::PoliceMunicipale => "Police municipale service: creates referrals and follows their status",
            Scope::PoliceNationale => "Police nationale commissariat: creates referrals and follows their status",
            Scope::Reports => "Reporting tool: aggregate figures only, small counts suppressed",
            Scope::Admin => "Administrator: organisations, users, API clients and the audit trail of its CCAS",
        }
    }

    /// The only organisation kind whose tokens may carry this scope: a `gendarmerie` scope
    /// on a CCAS is refused, and so on.
    pub fn required_org_kind(self) -> OrgKind {
        match self {
            Scope::Ccas | Scope::Reports | Scope::Admin => OrgKind::Ccas,
            Scope::Gendarmerie => OrgKind::Gendarmerie,
            Scope::PoliceMunicipale => OrgKind::PoliceMunicipale,
            Scope::PoliceNationale => OrgKind::PoliceNationale,
        }
    }
}

impl FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| format!("unknown scope {s:?}"))
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses a space-separated scope list (RFC 6749 §3.3), sorted and without repeats.
pub fn parse_scopes(list: &str) -> Result<Vec<Scope>, String> {
    let mut scopes = list.split_whitespace().map(Scope::from_str).collect::<Result<Vec<_>, _>>()?;
    scopes.sort();
    scopes.dedup();
    Ok(scopes)
}

pub fn join_scopes(scopes: &[Scope]) -> String {
    scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")
}

/// Checks that every scope fits the organisation's kind.
pub fn check_scopes_fit(scopes: &[Scope], kind: OrgKind) -> Result<(), String> {
    match scopes.iter().find(|s| s.required_org_kind() != kind) {
        Some(s) => Err(format!("scope {s} cannot be held by an organisation of kind {kind}")),
        None if scopes.is_empty() => Err("at least one scope is required".to_owned()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_must_fit_the_organisation_kind() {
        assert!(check_scopes_fit(&[Scope::Ccas, Scope::Admin], OrgKind::Ccas).is_ok());
        assert!(check_scopes_fit(&[Scope::Gendarmerie], OrgKind::Ccas).is_err());
        assert!(check_scopes_fit(&[Scope::Ccas], OrgKind::PoliceMunicipale).is_err());
        assert!(check_scopes_fit(&[], OrgKind::Ccas).is_err());
    }

    #[test]
    fn scope_lists_parse_sorted_and_unique() {
        assert_eq!(parse_scopes("admin ccas admin"), Ok(vec![Scope::Ccas, Scope::Admin]));
        assert!(parse_scopes("ccas root").is_err());
    }
}
