//! The retry policy: capped exponential backoff with jitter within a run, honouring
//! `Retry-After`; what is still failing at the end waits for the next run.
//!
//! [`deliver`] is the only loop that calls [`Forwarder::send`] repeatedly. Waits use
//! `tokio::time::sleep`, so tests drive them with `tokio::time::pause()`.

use super::forwarder::{Forwarder, Outgoing, Receipt, SendError};
use rand::Rng;
use std::time::Duration;

/// How failed attempts are retried within one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per report per run, the first included (at least 1).
    pub max_attempts: u32,
    /// Wait before the second attempt; doubled for each later one.
    pub initial_backoff: Duration,
    /// Longest wait between attempts; a `Retry-After` longer than this ends the run's attempts.
    pub max_backoff: Duration,
    /// Randomise each wait between half and all of it, so many senders do not retry in step.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt number `attempt` (1-based), before jitter.
    pub fn base_backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(30));
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }

    /// The wait after failed attempt `attempt`, with jitter when enabled.
    pub fn backoff(&self, attempt: u32, rng: &mut impl Rng) -> Duration {
        let base = self.base_backoff(attempt);
        if !self.jitter || base.is_zero() {
            return base;
        }
        let half = base / 2;
        half + Duration::from_nanos(rng.gen_range(0..=half.as_nanos().min(u64::MAX as u128) as u64))
    }
}

/// The outcome of delivering one report within a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub result: Result<Receipt, SendError>,
    /// Requests made.
    pub attempts: u32,
}

/// Sends `report` until it is confirmed, fails for good, or the policy's attempts are spent.
/// `before_retry` runs before every attempt after the first (the outbox counts it).
pub async fn deliver<F: Forwarder>(
    fwd: &F,
    report: &Outgoing,
    mut before_retry: impl FnMut(u32),
) -> Delivery {
    let policy = fwd.retry_policy().clone();
    let max = policy.max_attempts.max(1);
    let mut attempt = 1;
    loop {
        let result = fwd.send(report).await;
        let err = match result {
            Ok(r) => {
                return Delivery {
                    result: Ok(r),
                    attempts: attempt,
                }
            }
            Err(e) => e,
        };
        if !err.retryable() || attempt >= max || matches!(err.http_status(), Some(401 | 403)) {
            return Delivery {
                result: Err(err),
                attempts: attempt,
            };
        }
        let mut wait = policy.backoff(attempt, &mut rand::thread_rng());
        if let Some(asked) = err.retry_after() {
            if asked > policy.max_backoff {
                // the receiver wants a longer pause than a run should sit idle for
                return Delivery {
                    result: Err(err),
                    attempts: attempt,
                };
            }
            wait = wait.max(asked);
        }
        tracing::info!(
            target = fwd.name(),
            report = report.id.as_str(),
            attempt,
            wait_ms = wait.as_millis() as u64,
            error = %err,
            "retrying"
        );
        tokio::time::sleep(wait).await;
        attempt += 1;
        before_retry(attempt);
    }
}

#[cfg(test)]
mod tests {
    use super::super::forwarder::FetchedStatus;
    use super::*;
    use crate::model::{Klasifikasi, ReportDraft};
    use std::sync::Mutex;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy {
            max_attempts: 10,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(5),
            jitter: false,
        };
        let got: Vec<u128> = (1..=6).map(|a| p.base_backoff(a).as_millis()).collect();
        assert_eq!(got, [500, 1000, 2000, 4000, 5000, 5000]);
        assert_eq!(p.base_backoff(1000), Duration::from_secs(5));
        let mut rng = rand::thread_rng();
        let jittered = RetryPolicy { jitter: true, ..p };
        for a in 1..8 {
            let b = jittered.backoff(a, &mut rng);
            let base = jittered.base_backoff(a);
            assert!(b >= base / 2 && b <= base, "{b:?} vs {base:?}");
        }
    }

    /// A scripted receiver: answers from a list, remembers the keys it saw.
    struct Script {
        answers: Mutex<Vec<Result<Receipt, SendError>>>,
        keys: Mutex<Vec<String>>,
        policy: RetryPolicy,
    }

    impl Forwarder for Script {
        fn name(&self) -> &'static str {
            "script"
        }
        fn retry_policy(&self) -> &RetryPolicy {
            &self.policy
        }
        async fn send(&self, report: &Outgoing) -> Result<Receipt, SendError> {
            self.keys.lock().unwrap().push(report.id.clone());
            self.answers.lock().unwrap().remove(0)
        }
        async fn healthcheck(&self) -> Result<(), SendError> {
            Ok(())
        }
        fn supports_status(&self) -> bool {
            false
        }
        async fn status(&self, _: &str) -> Result<FetchedStatus, SendError> {
            Err(SendError::Invalid("no status".into()))
        }
        fn preview(&self, _: &Outgoing) -> Result<String, SendError> {
            Ok(String::new())
        }
    }

    fn outgoing() -> Outgoing {
        Outgoing {
            id: "dgr-1".into(),
            draft: ReportDraft {
                judul: "j".into(),
                isi: "i".into(),
                klasifikasi: Klasifikasi::Pengaduan,
                kategori: "k".into(),
                agency: "dlh".into(),
                instansi: "DLH".into(),
                lokasi: None,
                tanggal_kejadian: None,
                anonim: true,
                rahasia: false,
                sources: vec![],
                created_at: chrono::Utc::now(),
            },
            source_urls: vec![],
            media_urls: vec![],
        }
    }

    fn http(status: u16, retry_after: Option<u64>) -> Result<Receipt, SendError> {
        Err(SendError::Status {
            status,
            message: "x".into(),
            retry_after: retry_after.map(Duration::from_secs),
        })
    }

    fn script(answers: Vec<Result<Receipt, SendError>>, max_attempts: u32) -> Script {
        Script {
            answers: Mutex::new(answers),
            keys: Mutex::new(vec![]),
            policy: RetryPolicy {
                max_attempts,
                initial_backoff: Duration::from_secs(2),
                max_backoff: Duration::from_secs(60),
                jitter: true,
            },
        }
    }

    #[tokio::test(start_paused = true)]
    async fn retries_5xx_then_succeeds_with_the_same_key_and_backs_off() {
        let ok = Ok(Receipt {
            tracking_id: "T-1".into(),
            note: None,
        });
        let s = script(vec![http(500, None), http(503, None), ok], 5);
        let start = tokio::time::Instant::now();
        let mut retries = vec![];
        let d = deliver(&s, &outgoing(), |a| retries.push(a)).await;
        assert_eq!(d.attempts, 3);
        assert_eq!(d.result.unwrap().tracking_id, "T-1");
        assert_eq!(retries, [2, 3]);
        assert_eq!(*s.keys.lock().unwrap(), ["dgr-1", "dgr-1", "dgr-1"]);
        // waits of 1..2 s then 2..4 s (jittered), on the paused clock
        let waited = start.elapsed();
        assert!(
            waited >= Duration::from_secs(3) && waited <= Duration::from_secs(6),
            "{waited:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_4xx_is_not_retried_and_attempts_are_capped() {
        let s = script(vec![http(400, None)], 5);
        let d = deliver(&s, &outgoing(), |_| {}).await;
        assert_eq!(d.attempts, 1);
        assert!(!d.result.unwrap_err().retryable());

        let s = script(vec![http(502, None), http(502, None), http(502, None)], 3);
        let d = deliver(&s, &outgoing(), |_| {}).await;
        assert_eq!(d.attempts, 3);
        assert_eq!(d.result.unwrap_err().http_status(), Some(502));
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_is_honoured_and_a_long_one_ends_the_run() {
        let ok = Ok(Receipt {
            tracking_id: "T".into(),
            note: None,
        });
        let s = script(vec![http(429, Some(20)), ok], 3);
        let start = tokio::time::Instant::now();
        let d = deliver(&s, &outgoing(), |_| {}).await;
        assert!(d.result.is_ok());
        assert!(start.elapsed() >= Duration::from_secs(20));

        let s = script(vec![http(429, Some(3600))], 3);
        let start = tokio::time::Instant::now();
        let d = deliver(&s, &outgoing(), |_| {}).await;
        assert_eq!(d.attempts, 1);
        assert!(start.elapsed() < Duration::from_secs(1));
    }
}
