//! What every handler can reach: the database, the token service, the sign-in limiter.

use std::time::Duration;

use crate::auth::rate_limit::FailureLimiter;
use crate::auth::token::TokenService;
use crate::db::Db;
use crate::web_client::WebOptions;

pub struct AppState {
    pub db: Db,
    pub tokens: TokenService,
    pub sign_in_failures: FailureLimiter,
    pub web: WebOptions,
}

impl AppState {
    pub fn new(db: Db, tokens: TokenService) -> Self {
        Self { db, tokens, sign_in_failures: FailureLimiter::new(10, Duration::from_secs(15 * 60)), web: WebOptions::default() }
    }

    pub fn with_web(self, web: WebOptions) -> Self {
        Self { web, ..self }
    }
}
