//! Login throttling: failed attempts are counted per account and per client address in a fixed
//! window; past the limit every attempt is refused (even with the right password) until the
//! window that started with the first failure ends.
//!
//! Kept in memory: a restart clears it, which is acceptable for a staff tool behind a reverse
//! proxy; the map is pruned so a flood of made-up names cannot grow it without bound.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many entries may accumulate before stale ones are pruned.
const PRUNE_AT: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    since: Instant,
}

/// Failed-login counters.
#[derive(Debug)]
pub struct Throttle {
    per_account: u32,
    per_address: u32,
    window: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

impl Throttle {
    /// Allows `max_failures` per account and four times as many per address within `window`.
    pub fn new(max_failures: u32, window: Duration) -> Throttle {
        Throttle {
            per_account: max_failures.max(1),
            per_address: max_failures.max(1).saturating_mul(4),
            window,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn keys(account: &str, address: &str) -> [(String, bool); 2] {
        [
            (format!("u:{}", account.to_lowercase()), true),
            (format!("a:{address}"), false),
        ]
    }

    /// `Err(seconds to wait)` when this account or address is locked out at `now`.
    pub fn check(&self, account: &str, address: &str, now: Instant) -> Result<(), u64> {
        let map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let mut wait = 0u64;
        for (key, is_account) in Self::keys(account, address) {
            let limit = if is_account {
                self.per_account
            } else {
                self.per_address
            };
            if let Some(e) = map.get(&key) {
                let end = e.since + self.window;
                if e.failures >= limit && now < end {
                    wait = wait.max((end - now).as_secs().max(1));
                }
            }
        }
        if wait > 0 {
            Err(wait)
        } else {
            Ok(())
        }
    }

    /// Counts a failed attempt.
    pub fn fail(&self, account: &str, address: &str, now: Instant) {
        let mut map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= PRUNE_AT {
            let window = self.window;
            map.retain(|_, e| now.saturating_duration_since(e.since) < window);
        }
        for (key, _) in Self::keys(account, address) {
            let e = map.entry(key).or_insert(Entry {
                failures: 0,
                since: now,
            });
            if now.saturating_duration_since(e.since) >= self.window {
                *e = Entry {
                    failures: 0,
                    since: now,
                };
            }
            e.failures += 1;
        }
    }

    /// Clears the account's counter after a successful login (the address keeps its count, so
    /// one valid account cannot be used to reset guessing at others).
    pub fn succeed(&self, account: &str) {
        let mut map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&format!("u:{}", account.to_lowercase()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_is_locked_after_limit_until_window_ends() {
        let t = Throttle::new(3, Duration::from_secs(600));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(t.check("rina", "1.2.3.4", t0).is_ok());
            t.fail("rina", "1.2.3.4", t0);
        }
        let wait = t.check("rina", "9.9.9.9", t0).unwrap_err();
        assert_eq!(wait, 600);
        assert!(t.check("budi", "9.9.9.9", t0).is_ok());
        assert!(
            t.check("RINA", "9.9.9.9", t0).is_err(),
            "names are case-folded"
        );
        let later = t0 + Duration::from_secs(601);
        assert!(t.check("rina", "1.2.3.4", later).is_ok());
    }

    #[test]
    fn address_is_locked_across_accounts() {
        let t = Throttle::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        for i in 0..8 {
            t.fail(&format!("user{i}"), "5.5.5.5", t0);
        }
        assert!(t.check("someone-new", "5.5.5.5", t0).is_err());
        assert!(t.check("someone-new", "6.6.6.6", t0).is_ok());
    }

    #[test]
    fn success_clears_the_account() {
        let t = Throttle::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        t.fail("rina", "1.1.1.1", t0);
        t.succeed("rina");
        t.fail("rina", "1.1.1.1", t0);
        assert!(t.check("rina", "1.1.1.1", t0).is_ok());
    }
}
