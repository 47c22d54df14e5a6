//! A check deferred to a request's first database hop. Authentication uses it: the caller's
//! standing (organisation active, account not deactivated) is read on the connection and in the
//! blocking hop the handler takes anyway, instead of a hop of its own before the handler.
//!
//! The slot lives for one request (a task-local set by [`scope`], which the app wraps around
//! every handler). [`Db::run`](super::Db::run) takes the check and runs it before the handler's
//! work; a request whose handler reaches no database has it run by the middleware afterwards.

use std::cell::RefCell;
use std::future::Future;

use super::DbConnection;
use crate::error::ApiError;

pub type Check = Box<dyn FnOnce(&mut DbConnection) -> Result<(), ApiError> + Send>;

tokio::task_local! {
    static DEFERRED: RefCell<Option<Check>>;
}

/// Runs one request with a slot for a deferred check.
pub async fn scope<F: Future>(request: F) -> F::Output {
    DEFERRED.scope(RefCell::new(None), request).await
}

/// Defers `check` to the request's next database hop. Outside a request scope the check is
/// handed back, for the caller to run itself.
pub fn defer(check: Check) -> Result<(), Check> {
    if DEFERRED.try_with(|_| ()).is_err() {
        return Err(check);
    }
    DEFERRED.with(|slot| *slot.borrow_mut() = Some(check));
    Ok(())
}

/// The check still waiting, if any; taking it means running it.
pub fn take() -> Option<Check> {
    DEFERRED.try_with(|slot| slot.borrow_mut().take()).ok().flatten()
}
