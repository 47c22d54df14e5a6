//! Authentication and authorization as extractors: a handler's signature says which scopes it
//! accepts (`Authorized<CcasOnly>`), and nothing reaches the handler without them.

use std::future::Future;
use std::marker::PhantomData;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};

use super::scope::{OrgKind, Scope, join_scopes};
use super::standing;
use crate::db::deferred;
use crate::error::ApiError;
use crate::state::AppState;

/// The authenticated caller, after its token and its organisation were checked.
#[derive(Debug, Clone)]
pub struct Caller {
    pub sub: String,
    pub org_id: String,
    pub org_kind: OrgKind,
    /// The CCAS whose data this caller may reach: its own id for a CCAS, the CCAS it refers
    /// to for a gendarmerie unit or a police municipale service.
    pub ccas_id: String,
    pub scopes: Vec<Scope>,
    /// The instant the request is handled at, read once from the state's clock: whatever the
    /// request records or compares with "now" uses this one.
    pub at: chrono::NaiveDateTime,
}

impl Caller {
    pub fn has(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }

    /// The request's date in Europe/Paris, where the coordinators work.
    pub fn today(&self) -> chrono::NaiveDate {
        crate::time::paris_date(self.at)
    }

    /// The scopes as recorded in the audit trail.
    pub fn scope_list(&self) -> String {
        join_scopes(&self.scopes)
    }
}

/// A set of scopes, any one of which lets a request through.
pub trait Policy {
    const SCOPES: &'static [Scope];
}

/// Coordinators of a CCAS.
pub struct CcasOnly;
impl Policy for CcasOnly {
    const SCOPES: &'static [Scope] = &[Scope::Ccas];
}

/// Administrators of a CCAS.
pub struct AdminOnly;
impl Policy for AdminOnly {
    const SCOPES: &'static [Scope] = &[Scope::Admin];
}

/// Coordinators, and administrators of the same CCAS (sites, the list of coordinators).
pub struct CcasOrAdmin;
impl Policy for CcasOrAdmin {
    const SCOPES: &'static [Scope] = &[Scope::Ccas, Scope::Admin];
}

/// Coordinators, and the agencies that refer people to them.
pub struct CcasOrAgency;
impl Policy for CcasOrAgency {
    const SCOPES: &'static [Scope] = &[Scope::Ccas, Scope::Gendarmerie, Scope::PoliceMunicipale, Scope::PoliceNationale];
}

/// Any valid token: only for reference data that says nothing about anyone.
pub struct AnyScope;
impl Policy for AnyScope {
    const SCOPES: &'static [Scope] = &Scope::ALL;
}

/// A caller holding one of `P`'s scopes; `acting_as` is the first of them it holds.
pub struct Authorized<P: Policy> {
    pub caller: Caller,
    pub acting_as: Scope,
    policy: PhantomData<P>,
}

impl<P: Policy> Deref for Authorized<P> {
    type Target = Caller;
    fn deref(&self) -> &Caller {
        &self.caller
    }
}

impl<P: Policy> FromRequest for Authorized<P> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let authenticated = authenticate(req.clone());
        Box::pin(async move {
            let caller = authenticated.await?;
            let acting_as = P::SCOPES
                .iter()
                .copied()
                .find(|s| caller.has(*s))
                .ok_or_else(|| ApiError::InsufficientScope { required: join_scopes(P::SCOPES) })?;
            Ok(Authorized { caller, acting_as, policy: PhantomData })
        })
    }
}

fn bearer_token(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req.headers().get(header::AUTHORIZATION).ok_or_else(|| ApiError::InvalidToken("A bearer token is required".to_owned()))?;
    let value = value.to_str().map_err(|_| ApiError::InvalidToken("The Authorization header is malformed".to_owned()))?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => Ok(token.trim().to_owned()),
        _ => Err(ApiError::InvalidToken("The Authorization header must be `Bearer <token>`".to_owned())),
    }
}

async fn authenticate(req: HttpRequest) -> Result<Caller, ApiError> {
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(|| ApiError::internal("application state missing"))?.clone();
    let at = state.clock.now();
    let token = bearer_token(&req)?;
    let verified = state.tokens.verify(&token)?;
    let rejected = |why: &str| ApiError::InvalidToken(why.to_owned());
    let facts = match state.organisations.get(&verified.org) {
        Some(facts) => {
            // The organisation is known: its standing and the subject's are read in the
            // handler's own database hop.
            let (org, sub, ver) = (verified.org.clone(), verified.sub.clone(), verified.ver);
            if let Err(check) = deferred::defer(Box::new(move |conn| standing::check(conn, &org, &sub, ver))) {
                state.db.run(check).await?;
            }
            facts
        }
        None => {
            // First sight of the organisation: read everything in a hop of its own, and
            // remember what never changes.
            let (org, sub, ver) = (verified.org.clone(), verified.sub.clone(), verified.ver);
            let facts = state.db.run(move |conn| standing::check_and_describe(conn, &org, &sub, ver)).await?;
            state.organisations.remember(&verified.org, facts.clone());
            facts
        }
    };
    super::scope::check_scopes_fit(&verified.scopes, facts.kind).map_err(|_| rejected("The token's scopes do not fit its organisation"))?;
    Ok(Caller { sub: verified.sub, org_id: verified.org, org_kind: facts.kind, ccas_id: facts.ccas_id, scopes: verified.scopes, at })
}
