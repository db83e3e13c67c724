//! The retry and rate-limit policy shared by every collector: capped exponential backoff with
//! jitter for transient failures, and waiting out a rate limit only when its reset is within
//! `max_wait_secs` (otherwise the platform stops and its cursors stay where they are).
//!
//! Each platform classifies its own answers into a [`Verdict`] (X and Mastodon answer 429 with
//! reset headers, Meta hides its limits in error codes 4/17/32/613, YouTube uses 403
//! `quotaExceeded`); this module only decides how long to wait and when to give up.

use rand::Rng;
use std::time::Duration;

/// What an answer means for the request that got it.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Success: use the body.
    Done,
    /// A transient failure (timeout, 5xx, 408): retry after backoff, or after `after` when the
    /// server said so (`Retry-After`).
    Retry {
        after: Option<Duration>,
        why: String,
    },
    /// Rate limited: retry after `after` (the reset) if that is within `max_wait`, else stop.
    RateLimited {
        after: Option<Duration>,
        why: String,
    },
    /// A quota that will not come back during this run: stop the platform.
    Quota { why: String },
    /// A refusal that retrying cannot fix.
    Refused { why: String },
    /// The token was rejected: every request of the platform would fail the same way.
    Unauthorized { why: String },
}

/// Checked retry settings (built from `[collect]` and the platform's `max_wait_secs`).
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries of one request before giving up (transient failures and rate limits together).
    pub max_retries: u32,
    /// First backoff delay.
    pub base_delay: Duration,
    /// Largest backoff delay.
    pub max_delay: Duration,
    /// Longest total wait for rate limits on one request; a later reset stops the platform.
    pub max_wait: Duration,
    /// Timeout of one HTTP request.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
            max_wait: Duration::from_secs(900),
            timeout: Duration::from_secs(30),
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// Sleep this long, then try again.
    Wait(Duration),
    /// Stop retrying; the reason says why.
    GiveUp(String),
}

impl RetryPolicy {
    /// The backoff before retry number `attempt` (0-based): `base · 2^attempt`, capped at
    /// `max_delay`, with "equal jitter" (uniform in the upper half) so that retries of several
    /// collectors do not fall in step, while the delay still grows.
    pub fn backoff(&self, attempt: u32, rng: &mut impl Rng) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.min(20)))
            .min(self.max_delay);
        let half = exp / 2;
        let jitter_ms = rng.gen_range(0..=half.as_millis().max(1) as u64);
        (half + Duration::from_millis(jitter_ms)).min(self.max_delay)
    }

    /// Decides the next step after attempt number `attempt` (0-based) ended with `verdict`,
    /// given the rate-limit time already waited for this request.
    pub fn plan(
        &self,
        verdict: &Verdict,
        attempt: u32,
        waited: Duration,
        rng: &mut impl Rng,
    ) -> Plan {
        match verdict {
            Verdict::Done => Plan::Wait(Duration::ZERO),
            Verdict::Quota { why } | Verdict::Refused { why } | Verdict::Unauthorized { why } => {
                Plan::GiveUp(why.clone())
            }
            Verdict::Retry { after, why } => {
                if attempt >= self.max_retries {
                    return Plan::GiveUp(why.clone());
                }
                let backoff = self.backoff(attempt, rng);
                // a server's Retry-After is honoured, but never beyond max_delay
                Plan::Wait(after.map_or(backoff, |a| a.min(self.max_delay)))
            }
            Verdict::RateLimited { after, why } => {
                if attempt >= self.max_retries {
                    return Plan::GiveUp(why.clone());
                }
                // a reset in the past (clock skew, or it just passed) still gets a small backoff
                let wait = match after {
                    Some(a) if !a.is_zero() => *a,
                    _ => self.backoff(attempt, rng),
                };
                if waited + wait > self.max_wait {
                    return Plan::GiveUp(format!(
                        "{why}; reset in {} s is beyond max_wait_secs = {}",
                        wait.as_secs(),
                        self.max_wait.as_secs()
                    ));
                }
                Plan::Wait(wait)
            }
        }
    }
}

/// Seconds from now until a Unix-epoch reset time (X `x-rate-limit-reset`); zero if past.
pub fn until_epoch(reset_epoch_secs: i64, now: chrono::DateTime<chrono::Utc>) -> Duration {
    let d = reset_epoch_secs - now.timestamp();
    Duration::from_secs(d.max(0) as u64)
}

/// Time from now until an RFC 3339 reset time (Mastodon `X-RateLimit-Reset`); zero if past.
pub fn until_rfc3339(reset: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let t = chrono::DateTime::parse_from_rfc3339(reset.trim()).ok()?;
    let ms = (t.with_timezone(&chrono::Utc) - now).num_milliseconds();
    Some(Duration::from_millis(ms.max(0) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 4,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            max_wait: Duration::from_secs(60),
            timeout: Duration::from_secs(5),
        }
    }

    #[test]
    fn backoff_grows_is_jittered_and_capped() {
        let p = policy();
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for attempt in 0..10 {
            let exp = (100u64 << attempt).min(1000);
            for _ in 0..50 {
                let d = p.backoff(attempt, &mut rng).as_millis() as u64;
                assert!(d >= exp / 2 && d <= exp, "attempt {attempt}: {d} ms");
            }
        }
        let spread: std::collections::HashSet<_> =
            (0..20).map(|_| p.backoff(3, &mut rng)).collect();
        assert!(spread.len() > 5, "no jitter: {spread:?}");
    }

    #[test]
    fn transient_failures_give_up_after_max_retries() {
        let p = policy();
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let v = Verdict::Retry {
            after: None,
            why: "HTTP 503".into(),
        };
        for attempt in 0..4 {
            assert!(matches!(
                p.plan(&v, attempt, Duration::ZERO, &mut rng),
                Plan::Wait(_)
            ));
        }
        assert_eq!(
            p.plan(&v, 4, Duration::ZERO, &mut rng),
            Plan::GiveUp("HTTP 503".into())
        );
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let p = policy();
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let v = |s| Verdict::Retry {
            after: Some(Duration::from_millis(s)),
            why: "503".into(),
        };
        assert_eq!(
            p.plan(&v(300), 0, Duration::ZERO, &mut rng),
            Plan::Wait(Duration::from_millis(300))
        );
        assert_eq!(
            p.plan(&v(90_000), 0, Duration::ZERO, &mut rng),
            Plan::Wait(Duration::from_millis(1000))
        );
    }

    #[test]
    fn rate_limit_waits_for_a_near_reset_and_stops_for_a_far_one() {
        let p = policy();
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let near = Verdict::RateLimited {
            after: Some(Duration::from_secs(30)),
            why: "429".into(),
        };
        assert_eq!(
            p.plan(&near, 0, Duration::ZERO, &mut rng),
            Plan::Wait(Duration::from_secs(30))
        );
        // the same reset after 40 s already waited would exceed the 60 s budget
        assert!(matches!(
            p.plan(&near, 1, Duration::from_secs(40), &mut rng),
            Plan::GiveUp(_)
        ));
        let far = Verdict::RateLimited {
            after: Some(Duration::from_secs(3600)),
            why: "429".into(),
        };
        match p.plan(&far, 0, Duration::ZERO, &mut rng) {
            Plan::GiveUp(why) => assert!(why.contains("max_wait_secs = 60"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn quota_and_refusals_never_retry() {
        let p = policy();
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        for v in [
            Verdict::Quota { why: "q".into() },
            Verdict::Refused { why: "q".into() },
        ] {
            assert_eq!(
                p.plan(&v, 0, Duration::ZERO, &mut rng),
                Plan::GiveUp("q".into())
            );
        }
    }

    #[test]
    fn reset_headers_parse() {
        let now = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        assert_eq!(until_epoch(1_700_000_090, now), Duration::from_secs(90));
        assert_eq!(until_epoch(1_600_000_000, now), Duration::ZERO);
        let t = "2023-11-14T22:15:00.500000Z";
        assert_eq!(until_rfc3339(t, now), Some(Duration::from_millis(100_500)));
        assert_eq!(until_rfc3339("soon", now), None);
    }
}
