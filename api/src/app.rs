//! The app factory, shared by `relais serve` and the tests, and the OpenAPI document it yields.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpResponse, web};
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, UtoipaApp};
use utoipa_swagger_ui::SwaggerUi;

use crate::http::extract;
use crate::http::fallback::{KnownRoutes, not_found_or_not_allowed};
use crate::http::logging::log_request;
use crate::openapi::ApiDoc;
use crate::state::AppState;
use crate::web_client;

/// Every documented route. Register handlers with `.service(...)`: `.route(...)` would drop
/// them from the OpenAPI document.
fn routes<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    app.configure(crate::health::configure)
        .service(crate::auth::token_endpoint::issue_token)
        .service(crate::auth::session_endpoint::sign_out)
        .service(crate::auth::password::change_password)
        .service(crate::auth::token_endpoint::jwks)
        .configure(crate::reference::configure)
        .configure(crate::organisations::configure)
        .configure(crate::sites::configure)
        .configure(crate::users::configure)
        .configure(crate::api_clients::configure)
        .configure(crate::partners::configure)
        .configure(crate::persons::configure)
        .configure(crate::situations::configure)
        .configure(crate::appointments::configure)
        .configure(crate::brief_contacts::configure)
        .configure(crate::interventions::configure)
        .configure(crate::reports::configure)
        .configure(crate::referrals::configure)
        .configure(crate::audit::configure)
        .configure(crate::webhooks::configure)
}

/// The OpenAPI document, exactly as the server serves it at `/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes(App::new().into_utoipa_app().openapi(ApiDoc::openapi())).split_for_parts().1
}

pub fn build(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<ServiceRequest, Config = (), Response = ServiceResponse<impl MessageBody>, Error = actix_web::Error, InitError = ()>,
> {
    let (app, api) = routes(App::new().into_utoipa_app().openapi(ApiDoc::openapi())).split_for_parts();
    let known_routes = web::Data::new(KnownRoutes::from_openapi(&api));
    let static_dir = state.web.static_dir.clone();
    let cors = Condition::new(!state.web.cors_origins.is_empty(), web_client::cors(&state.web.cors_origins));
    app.app_data(state)
        .app_data(known_routes)
        .app_data(extract::json_config())
        .app_data(extract::form_config())
        .app_data(extract::path_config())
        .app_data(extract::payload_config())
        .service(web::resource("/docs").to(|| async { HttpResponse::PermanentRedirect().insert_header(("Location", "/docs/")).finish() }))
        .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", api))
        .configure(|cfg| {
            if let Some(dir) = static_dir {
                cfg.service(web_client::static_files(&dir));
            }
        })
        .default_service(web::to(not_found_or_not_allowed))
        .wrap(from_fn(crate::http::input::check_input))
        .wrap(from_fn(crate::http::deferred::run_deferred_checks))
        .wrap(from_fn(crate::http::refusals::record_refusals))
        .wrap(from_fn(web_client::security_headers))
        .wrap(cors)
        .wrap(from_fn(log_request))
}
