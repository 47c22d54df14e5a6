//! Refused requests in the access log, recorded before they answer: a 401 or a 403 in the trail
//! of the caller when its token says who it is (in no trail otherwise), and a 404 on an id that
//! another CCAS owns in that CCAS's trail as well as the caller's.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, web};

use crate::audit::{Action, Actor, Outcome, Record, Trail, owner_of};
use crate::state::AppState;

const ACTION: &str = "request.refused";

pub async fn record_refusals(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let response = next.call(req).await?;
    let status = response.status();
    let refused = matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN);
    if !(refused || status == StatusCode::NOT_FOUND) || !response.request().path().starts_with("/api/") {
        return Ok(response);
    }
    let Some(state) = response.request().app_data::<web::Data<AppState>>().cloned() else { return Ok(response) };
    let request = response.request().clone();
    let trail = if refused { refusal(&state, &request) } else { probes(&state, &request).await? };
    if !trail.is_empty() {
        state.access_log.append(trail).await?;
    }
    Ok(response)
}

/// Who the token says the caller is, if it is a valid token at all.
fn actor(state: &AppState, request: &HttpRequest) -> Option<Actor> {
    let value = request.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let verified = state.tokens.verify(token.trim()).ok()?;
    Some(Actor {
        ccas_id: state.organisations.get(&verified.org).map(|facts| facts.ccas_id),
        scope: crate::auth::scope::join_scopes(&verified.scopes),
        sub: verified.sub,
        organisation_id: verified.org,
        at: state.clock.now(),
    })
}

/// The route refused (`GET /api/v1/referrals/{id}`) and the ids its path named.
fn route_and_ids(request: &HttpRequest) -> (String, Vec<String>) {
    let route = format!("{} {}", request.method(), request.match_pattern().unwrap_or_else(|| request.path().to_owned()));
    let ids = request.match_info().iter().filter(|(name, _)| name.ends_with("id")).map(|(_, value)| value.to_owned()).collect();
    (route, ids)
}

fn refusal(state: &AppState, request: &HttpRequest) -> Trail {
    let (route, ids) = route_and_ids(request);
    let actor = actor(state, request).unwrap_or_else(|| Actor::anonymous(state.clock.now()));
    let what = Action { action: ACTION, object_type: "route", object_id: Some(&route) };
    let mut record = Record::by(actor, what, Outcome::Refused);
    // The objects are the ids the path named, not the route.
    record.objects = ids;
    Trail::of(record)
}

/// A 404 on ids that exist in another CCAS: an entry in the owner's trail; and in the caller's,
/// unless the request was a read (reads record their own outcome, found or not).
async fn probes(state: &AppState, request: &HttpRequest) -> Result<Trail, Error> {
    let (_, ids) = route_and_ids(request);
    if ids.is_empty() {
        return Ok(Trail::default());
    }
    let actor = actor(state, request).unwrap_or_else(|| Actor::anonymous(state.clock.now()));
    let owners = state
        .db
        .read(move |conn| {
            let mut owners = Vec::new();
            for id in ids {
                if let Some((kind, ccas_id)) = owner_of(conn, &id)? {
                    owners.push((kind, ccas_id, id));
                }
            }
            Ok(owners)
        })
        .await?;
    let mut trail = Trail::default();
    for (kind, owner, id) in owners {
        if actor.ccas_id.as_deref() == Some(owner.as_str()) {
            continue;
        }
        let what = || Action { action: ACTION, object_type: kind, object_id: Some(&id) };
        if request.method() != Method::GET {
            trail.push(Record::by(actor.clone(), what(), Outcome::NotFound));
        }
        let in_owner_trail = Actor { ccas_id: Some(owner), ..actor.clone() };
        trail.push(Record::by(in_owner_trail, what(), Outcome::NotFound));
    }
    Ok(trail)
}
