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
/// The longest username looked at; longer ones are refused outright.
pub const MAX_USERNAME_CHARS: usize = 128;

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
    /// Takes a turn for an attempt, or `Err(wait)` when any key is at its
    /// limit: how long until one attempt leaves the window. The attempt
    /// counts as a failure from the start, so guesses sent at once cannot
    /// all pass before any is counted; [`LoginThrottle::succeed`] takes it back.
    pub fn begin(&self, keys: &[(String, usize)], now: Instant) -> Result<(), Duration> {
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
        if !wait.is_zero() {
            return Err(wait);
        }
        for (key, _) in keys {
            failures.entry(key.clone()).or_default().push_back(now);
        }
        // Forget keys with nothing left in the window, so memory stays small.
        failures.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        Ok(())
    }

    /// A correct password: the account starts afresh, and the address gets
    /// back the turn this attempt took.
    pub fn succeed(&self, keys: &[(String, usize)], started: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (n, (key, _)) in keys.iter().enumerate() {
            if n == 0 {
                failures.remove(key);
            } else if let Some(times) = failures.get_mut(key) {
                if let Some(at) = times.iter().rposition(|t| *t == started) {
                    times.remove(at);
                }
            }
        }
    }
}

/// Invite codes guessed per address (and per account, when logged in) in the window.
pub const INVITE_GUESSES: usize = 10;

/// The keys an invite code attempt counts against: kept apart from logins.
pub fn invite_keys(address: Option<&str>, account_id: Option<i64>) -> Vec<(String, usize)> {
    let mut keys = vec![(
        format!("invite-address:{}", address.unwrap_or("unknown")),
        INVITE_GUESSES,
    )];
    if let Some(id) = account_id {
        keys.push((format!("invite-account:{id}"), INVITE_GUESSES));
    }
    keys
}

impl LoginThrottle {
    /// A right guess: every key gets back the turn this attempt took.
    pub fn give_back(&self, keys: &[(String, usize)], started: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (key, _) in keys {
            if let Some(times) = failures.get_mut(key) {
                if let Some(at) = times.iter().rposition(|t| *t == started) {
                    times.remove(at);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_attempts_lock_the_account_until_the_first_leaves_the_window() {
        let throttle = LoginThrottle::default();
        let start = Instant::now();
        let maria = keys("Maria", Some("10.0.0.1"));
        // Five attempts at once (none answered yet) use up the account's turns.
        for n in 0..PER_ACCOUNT {
            let at = start + Duration::from_secs(n as u64);
            assert_eq!(throttle.begin(&maria, at), Ok(()), "try {n}");
        }
        let now = start + Duration::from_secs(60);
        assert_eq!(throttle.begin(&maria, now), Err(WINDOW - Duration::from_secs(60)));
        // The same account from elsewhere is locked too; another account is not.
        assert!(throttle.begin(&keys("maria", Some("10.0.0.2")), now).is_err());
        assert_eq!(throttle.begin(&keys("ana", Some("10.0.0.2")), now), Ok(()));
        let later = start + WINDOW + Duration::from_secs(1);
        assert_eq!(throttle.begin(&maria, later), Ok(()));
    }

    #[test]
    fn an_address_guessing_many_accounts_is_locked_and_success_gives_turns_back() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        for n in 0..PER_ADDRESS {
            let guess = keys(&format!("user{n}"), Some("10.0.0.9"));
            assert_eq!(throttle.begin(&guess, now), Ok(()));
        }
        assert!(throttle.begin(&keys("someone", Some("10.0.0.9")), now).is_err());
        assert_eq!(throttle.begin(&keys("someone", Some("10.0.0.8")), now), Ok(()));

        let other = LoginThrottle::default();
        let ana = keys("ana", Some("10.0.0.3"));
        for n in 0..PER_ACCOUNT - 1 {
            other.begin(&ana, now + Duration::from_secs(n as u64)).unwrap();
        }
        let right = now + Duration::from_secs(10);
        other.begin(&ana, right).unwrap();
        other.succeed(&keys("ANA", Some("10.0.0.3")), right);
        assert_eq!(
            other.begin(&ana, right),
            Ok(()),
            "the count started again after a success"
        );
        // The address got back the successful attempt's turn: 4 failures and the one just begun.
        let failures = other.failures.lock().unwrap();
        assert_eq!(failures["address:10.0.0.3"].len(), PER_ACCOUNT);
    }

    #[test]
    fn invite_guesses_are_counted_apart_from_logins_and_right_ones_give_the_turn_back() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        let guesses = invite_keys(Some("10.0.0.4"), Some(7));
        for n in 0..INVITE_GUESSES {
            throttle
                .begin(&guesses, now + Duration::from_secs(n as u64))
                .unwrap();
        }
        let later = now + Duration::from_secs(60);
        assert!(throttle.begin(&guesses, later).is_err());
        // The same account guessing from elsewhere is held back too; logging in is not.
        assert!(throttle
            .begin(&invite_keys(Some("10.0.0.5"), Some(7)), later)
            .is_err());
        assert_eq!(throttle.begin(&keys("ana", Some("10.0.0.4")), later), Ok(()));

        let fresh = LoginThrottle::default();
        let one = invite_keys(Some("10.0.0.6"), None);
        for n in 0..INVITE_GUESSES * 2 {
            let at = now + Duration::from_secs(n as u64);
            fresh.begin(&one, at).unwrap();
            fresh.give_back(&one, at);
        }
        assert_eq!(
            fresh.begin(&one, later),
            Ok(()),
            "right guesses are never held against anyone"
        );
    }
}
