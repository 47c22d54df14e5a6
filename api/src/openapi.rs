//! The OpenAPI document: its header, security scheme, tags, and the error answers shared by
//! the operations. Paths and schemas are collected from the handlers by utoipa-actix-web.

use utoipa::openapi::security::{ClientCredentials, Flow, OAuth2, Password, Scopes, SecurityScheme};
use utoipa::{IntoResponses, Modify, OpenApi};

use crate::auth::Scope;
use crate::error::Problem;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Relais API",
        description = "Case management for the social coordinators (ISCG) working in gendarmerie \
brigades and police stations on behalf of a CCAS. Gendarmerie units and police municipale services \
refer people; coordinators receive them, act and orient them; reporting tools read aggregate figures.\n\n\
Errors are RFC 9457 problem+json. Lists use keyset pagination (`limit`, `cursor`). Times are RFC 3339 \
in UTC. An object outside the caller's reach answers 404, as if it did not exist.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
        version = "1.0.0"
    ),
    modifiers(&SecurityAddon),
    tags(
        (name = "auth", description = "Tokens and public keys"),
        (name = "referrals", description = "Saisines: how situations reach the coordinators"),
        (name = "partners", description = "The directory of partners people are oriented to"),
        (name = "persons", description = "Persons received, with safe-contact flags"),
        (name = "situations", description = "Case files: persons and roles, notes, timeline"),
        (name = "appointments", description = "The agenda: bookings, emergencies, outcomes, free slots"),
        (name = "interventions", description = "What the coordinators did: listening, orientation, reports"),
        (name = "brief-contacts", description = "Brief anonymous contacts: counted without a named file"),
        (name = "reports", description = "The activity report: aggregate figures, small counts suppressed for reporting tools"),
        (name = "reference", description = "Reference data"),
        (name = "organisations", description = "CCAS, gendarmerie units, police municipale services"),
        (name = "sites", description = "Where the coordinators receive people, with opening hours"),
        (name = "users", description = "Accounts of people"),
        (name = "api_clients", description = "Accounts of software (client credentials)"),
        (name = "audit", description = "Who read or wrote what"),
        (name = "webhooks", description = "Signed notifications to the units' software (Standard Webhooks 1.0)"),
        (name = "health", description = "Liveness and readiness probes"),
    )
)]
pub struct ApiDoc;

struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scopes = || Scopes::from_iter(Scope::ALL.map(|s| (s.as_str().to_owned(), s.description().to_owned())));
        let flows = [
            Flow::Password(Password::new("/api/v1/auth/token", scopes())),
            Flow::ClientCredentials(ClientCredentials::new("/api/v1/auth/token", scopes())),
        ];
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "oauth2",
            SecurityScheme::OAuth2(OAuth2::with_description(
                flows,
                "JWT access tokens (RFC 9068, EdDSA) from the token endpoint; the `org` claim names the \
organisation, whose kind must fit the scopes.",
            )),
        );
    }
}

/// Errors of any authenticated operation.
#[derive(IntoResponses)]
pub enum AuthErrors {
    /// Missing, invalid or expired token (`WWW-Authenticate: Bearer error="invalid_token"`).
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// The token lacks the scope (`WWW-Authenticate: Bearer error="insufficient_scope"`).
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// The database cannot be reached.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// A bad filter, limit or cursor.
#[derive(IntoResponses)]
pub enum QueryErrors {
    /// A query parameter is not valid; one entry per field.
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
}

/// The object does not exist or is outside the caller's reach.
#[derive(IntoResponses)]
pub enum NotFoundError {
    /// Not found (or not yours).
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
}

/// Errors of an operation that reads a JSON body.
#[derive(IntoResponses)]
pub enum BodyErrors {
    /// Malformed JSON.
    #[response(status = 400, content_type = "application/problem+json")]
    Malformed(Problem),
    /// The body is larger than 64 KiB.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// The body is not `application/json`.
    #[response(status = 415, content_type = "application/problem+json")]
    NotJson(Problem),
    /// Validation failed: one entry per invalid field in `errors`.
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
}

/// Optimistic concurrency on a versioned resource.
#[derive(IntoResponses)]
pub enum VersionErrors {
    /// `If-Match` does not match the current version: someone changed it since.
    #[response(status = 412, content_type = "application/problem+json")]
    Stale(Problem),
    /// `If-Match` is missing.
    #[response(status = 428, content_type = "application/problem+json")]
    Missing(Problem),
}

/// The write conflicts with existing data.
#[derive(IntoResponses)]
pub enum ConflictError {
    /// Conflict, e.g. a login already taken.
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
}
