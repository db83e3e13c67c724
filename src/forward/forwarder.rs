//! The [`Forwarder`] contract every receiver implements, and the values that cross it.
//!
//! Contract:
//! - [`Forwarder::send`] makes **one** attempt and sends [`Outgoing::id`] as the idempotency
//!   key, unchanged on every attempt of every run, so a receiver that honours it records the
//!   report once however often a crash makes us resend;
//! - `Ok(Receipt)` only when the receiver confirmed the report with a tracking id: a 2xx without
//!   one is [`SendError::NoReceipt`], never a success;
//! - errors say whether trying again can help ([`SendError::retryable`]) and whether the
//!   receiver as a whole is unusable for this run ([`SendError::stops_run`]);
//! - retries are not the forwarder's business: [`super::retry::deliver`] applies the
//!   [`RetryPolicy`] the forwarder carries.

use super::retry::RetryPolicy;
use crate::model::ReportDraft;
use chrono::{DateTime, Utc};
use std::future::Future;
use std::time::Duration;

/// A report as it leaves: the draft, its stable id and the links that go with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    /// Stable report id: the idempotency key.
    pub id: String,
    pub draft: ReportDraft,
    /// Links to the source posts.
    pub source_urls: Vec<String>,
    /// Photos or videos attached to the source posts.
    pub media_urls: Vec<String>,
}

/// The receiver's confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The receiver's id for the report (LAPOR tracking id, Open311 service_request_id or
    /// `token:...`, the file line).
    pub tracking_id: String,
    /// Anything else worth keeping (Open311 service_notice, the file name).
    pub note: Option<String>,
}

/// A status fetched from the receiver for a forwarded report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedStatus {
    pub status: String,
    pub note: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
    /// A better tracking id learned on the way (an Open311 token resolved to the request id).
    pub resolved_id: Option<String>,
}

/// Why an attempt failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("no answer within {0} ms")]
    Timeout(u64),
    #[error("cannot connect: {0}")]
    Connect(String),
    #[error("HTTP {status}: {message}")]
    Status {
        status: u16,
        /// The receiver's own message, or the start of its body.
        message: String,
        /// What a `Retry-After` header asked for.
        retry_after: Option<Duration>,
    },
    #[error("the receiver answered without a tracking id: {0}")]
    NoReceipt(String),
    #[error("the report cannot be sent: {0}")]
    Invalid(String),
    #[error("request failed: {0}")]
    Transport(String),
    #[error("cannot write: {0}")]
    Io(String),
}

impl SendError {
    /// Whether another attempt can succeed: timeouts, connection and transport errors, 408,
    /// 429, 5xx, and 401/403 (a token to renew, not a bad report); not other 4xx, a missing
    /// receipt or an invalid report.
    pub fn retryable(&self) -> bool {
        match self {
            SendError::Timeout(_)
            | SendError::Connect(_)
            | SendError::Transport(_)
            | SendError::Io(_) => true,
            SendError::Status { status, .. } => {
                matches!(status, 401 | 403 | 408 | 429) || *status >= 500
            }
            SendError::NoReceipt(_) | SendError::Invalid(_) => false,
        }
    }

    /// Whether the receiver is unusable for the rest of this run (down, rate limited, token
    /// refused): the other reports wait for the next run instead of failing one by one.
    pub fn stops_run(&self) -> bool {
        match self {
            SendError::Timeout(_)
            | SendError::Connect(_)
            | SendError::Transport(_)
            | SendError::Io(_) => true,
            SendError::Status { status, .. } => matches!(status, 401 | 403 | 429) || *status >= 500,
            _ => false,
        }
    }

    /// The HTTP status, when there was a response.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            SendError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The wait a `Retry-After` header asked for.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            SendError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// A receiver of reports.
pub trait Forwarder: Send + Sync {
    /// The target name (`lapor`, `open311`, `file`).
    fn name(&self) -> &'static str;

    /// How failed attempts are retried within a run.
    fn retry_policy(&self) -> &RetryPolicy;

    /// One attempt to deliver `report`, with its id as the idempotency key.
    fn send(&self, report: &Outgoing) -> impl Future<Output = Result<Receipt, SendError>> + Send;

    /// Whether the receiver answers at all, before a batch is sent to it.
    fn healthcheck(&self) -> impl Future<Output = Result<(), SendError>> + Send;

    /// Whether [`Forwarder::status`] can follow a forwarded report up.
    fn supports_status(&self) -> bool;

    /// The receiver's current status of a forwarded report.
    fn status(
        &self,
        tracking_id: &str,
    ) -> impl Future<Output = Result<FetchedStatus, SendError>> + Send;

    /// What [`Forwarder::send`] would send, for `--dry-run` (no secrets in it).
    fn preview(&self, report: &Outgoing) -> Result<String, SendError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(s: u16) -> SendError {
        SendError::Status {
            status: s,
            message: String::new(),
            retry_after: None,
        }
    }

    #[test]
    fn retry_classes() {
        for s in [408, 429, 500, 502, 503, 504, 401, 403] {
            assert!(status(s).retryable(), "{s}");
        }
        for s in [400, 404, 409, 410, 413, 422] {
            assert!(!status(s).retryable(), "{s}");
            assert!(!status(s).stops_run(), "{s}");
        }
        assert!(SendError::Timeout(10).retryable() && SendError::Timeout(10).stops_run());
        assert!(!SendError::NoReceipt("{}".into()).retryable());
        assert!(!status(408).stops_run());
        assert!(status(503).stops_run());
    }
}
