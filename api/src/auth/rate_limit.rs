//! A small in-memory limiter of failed sign-ins, per login or client id and per instance.
//! (actix-governor is GPL-3.0; this is the little we need.)

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct FailureLimiter {
    max_failures: u32,
    window: Duration,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl FailureLimiter {
    pub fn new(max_failures: u32, window: Duration) -> Self {
        Self { max_failures, window, failures: Mutex::new(HashMap::new()) }
    }

    /// Seconds to wait when `key` has failed too often in the current window.
    pub fn blocked_for(&self, key: &str) -> Option<u64> {
        let failures = self.failures.lock().ok()?;
        let (count, since) = failures.get(key)?;
        let elapsed = since.elapsed();
        (*count >= self.max_failures && elapsed < self.window).then(|| (self.window - elapsed).as_secs().max(1))
    }

    pub fn record_failure(&self, key: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            let now = Instant::now();
            // Forget old windows so the map cannot grow without bound.
            failures.retain(|_, (_, since)| now.duration_since(*since) < self.window);
            let entry = failures.entry(key.to_owned()).or_insert((0, now));
            entry.0 += 1;
        }
    }

    pub fn record_success(&self, key: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_maximum_and_forgets_on_success() {
        let limiter = FailureLimiter::new(2, Duration::from_secs(60));
        limiter.record_failure("a");
        assert_eq!(limiter.blocked_for("a"), None);
        limiter.record_failure("a");
        assert!(limiter.blocked_for("a").is_some());
        assert_eq!(limiter.blocked_for("b"), None);
        limiter.record_success("a");
        assert_eq!(limiter.blocked_for("a"), None);
    }
}
