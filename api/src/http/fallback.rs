//! What answers when no route matched: 405 with `Allow` when the path exists with other
//! methods, 404 otherwise, both as problem+json.

use actix_web::dev::ResourceDef;
use actix_web::{HttpRequest, HttpResponse, web};
use utoipa::openapi::OpenApi;

use crate::error::ApiError;

/// Each documented path, with the methods it answers.
pub struct KnownRoutes(Vec<(ResourceDef, String)>);

impl KnownRoutes {
    pub fn from_openapi(api: &OpenApi) -> Self {
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let mut methods: Vec<String> = Vec::new();
                let ops = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ];
                methods.extend(ops.iter().filter(|(_, present)| *present).map(|(m, _)| (*m).to_owned()));
                (ResourceDef::new(path.as_str()), methods.join(", "))
            })
            .collect();
        Self(routes)
    }
}

pub async fn not_found_or_not_allowed(req: HttpRequest, routes: web::Data<KnownRoutes>) -> Result<HttpResponse, ApiError> {
    match routes.0.iter().find(|(def, _)| def.is_match(req.path())) {
        Some((_, allow)) => Err(ApiError::MethodNotAllowed { allow: allow.clone() }),
        None => Err(ApiError::NotFound),
    }
}
