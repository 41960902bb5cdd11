//! Login throttling: failed logins are counted per account and per address
//! over a sliding window; past the limit, logins are refused (429) until the
//! oldest failure leaves the window. A correct password clears the account's
//! count. Kept in memory: a restart forgets, which errs towards letting
//! people in.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a failure counts.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures allowed per account in the window.
pub const PER_ACCOUNT: usize = 5;
/// Failures allowed per address in the window (a family may share one).
pub const PER_ADDRESS: usize = 20;

#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// The keys a login attempt counts against, with their limits.
pub fn keys(username: &str, address: Option<&str>) -> Vec<(String, usize)> {
    let mut keys = vec![(format!("account:{}", username.trim().to_lowercase()), PER_ACCOUNT)];
    if let Some(address) = address {
        keys.push((format!("address:{address}"), PER_ADDRESS));
    }
    keys
}

impl LoginThrottle {
    /// `Err(wait)` when any key is at its limit: how long until one failure
    /// leaves the window.
    pub fn check(&self, keys: &[(String, usize)], now: Instant) -> Result<(), Duration> {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let mut wait = Duration::ZERO;
        for (key, limit) in keys {
            let Some(times) = failures.get_mut(key) else {
                continue;
            };
            while times.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
                times.pop_front();
            }
            if times.len() >= *limit {
                if let Some(oldest) = times.front() {
                    wait = wait.max(WINDOW - now.duration_since(*oldest));
                }
            }
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(wait)
        }
    }

    pub fn fail(&self, keys: &[(String, usize)], now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (key, _) in keys {
            failures.entry(key.clone()).or_default().push_back(now);
        }
        // Forget keys with nothing left in the window, so memory stays small.
        failures.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
    }

    /// A correct password: the account starts afresh (the address does not).
    pub fn succeed(&self, username: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(&keys(username, None)[0].0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_the_account_until_the_first_leaves_the_window() {
        let throttle = LoginThrottle::default();
        let start = Instant::now();
        let maria = keys("Maria", Some("10.0.0.1"));
        for n in 0..PER_ACCOUNT {
            assert_eq!(throttle.check(&maria, start), Ok(()), "try {n}");
            throttle.fail(&maria, start + Duration::from_secs(n as u64));
        }
        let now = start + Duration::from_secs(60);
        assert_eq!(throttle.check(&maria, now), Err(WINDOW - Duration::from_secs(60)));
        // The same account from elsewhere is locked too; another account is not.
        assert!(throttle.check(&keys("maria", Some("10.0.0.2")), now).is_err());
        assert_eq!(throttle.check(&keys("ana", Some("10.0.0.2")), now), Ok(()));
        assert_eq!(
            throttle.check(&maria, start + WINDOW + Duration::from_secs(1)),
            Ok(())
        );
    }

    #[test]
    fn an_address_guessing_many_accounts_is_locked_and_success_clears_only_the_account() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        for n in 0..PER_ADDRESS {
            throttle.fail(&keys(&format!("user{n}"), Some("10.0.0.9")), now);
        }
        assert!(throttle.check(&keys("someone", Some("10.0.0.9")), now).is_err());
        assert_eq!(throttle.check(&keys("someone", Some("10.0.0.8")), now), Ok(()));

        let other = LoginThrottle::default();
        let ana = keys("ana", Some("10.0.0.3"));
        for _ in 0..PER_ACCOUNT - 1 {
            other.fail(&ana, now);
        }
        other.succeed("ANA");
        other.fail(&ana, now);
        assert_eq!(
            other.check(&ana, now),
            Ok(()),
            "the count started again after a success"
        );
    }
}
