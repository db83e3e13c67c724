//! The report outbox record: a report draft on its way to a receiver (LAPOR, Open311, a file)
//! and what happened to it. Stored by `store::Outbox`; read by the CLI, the web item page and
//! the dashboard.
//!
//! ```text
//! ready ──► sending ──► forwarded(tracking id)
//!   ▲          │
//!   │          └──► failed(retryable | permanent, reason)
//!   └──────────────────────┘  (retryable: next run; permanent: after staff requeue it)
//! ```
//! A record in `sending` when a run starts was interrupted between the request and the receipt:
//! it is sent again with the same idempotency key, so a receiver that honours the key records it
//! once. Nothing becomes `forwarded` without a tracking id from the receiver.

use super::ReportDraft;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a report is on its way out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReportState {
    /// Drafted from accepted items, not sent yet.
    Ready,
    /// A request is (or was, when a run died) in flight.
    Sending { attempt: u32, since: DateTime<Utc> },
    /// The receiver confirmed it with a tracking id.
    Forwarded {
        tracking_id: String,
        at: DateTime<Utc>,
    },
    /// The last attempt failed.
    Failed {
        /// Permanent: the receiver refused the report itself (4xx); staff must look.
        permanent: bool,
        /// Why, with the receiver's own message when it gave one.
        reason: String,
        /// HTTP status, when there was a response.
        #[serde(default)]
        http_status: Option<u16>,
        at: DateTime<Utc>,
    },
}

impl ReportState {
    /// The short name used in lists and filters.
    pub fn name(&self) -> &'static str {
        match self {
            ReportState::Ready => "ready",
            ReportState::Sending { .. } => "sending",
            ReportState::Forwarded { .. } => "forwarded",
            ReportState::Failed {
                permanent: true, ..
            } => "failed-permanent",
            ReportState::Failed { .. } => "failed-retryable",
        }
    }

    /// Every state name, for `--status` help.
    pub const NAMES: [&'static str; 6] = [
        "ready",
        "sending",
        "forwarded",
        "failed",
        "failed-retryable",
        "failed-permanent",
    ];

    /// Whether a filter name (`failed` matches both kinds) selects this state.
    pub fn matches(&self, filter: &str) -> bool {
        let n = self.name();
        n == filter || (filter == "failed" && n.starts_with("failed"))
    }

    /// Whether the next forward run should (re)send it.
    pub fn due(&self) -> bool {
        matches!(
            self,
            ReportState::Ready
                | ReportState::Sending { .. }
                | ReportState::Failed {
                    permanent: false,
                    ..
                }
        )
    }
}

impl fmt::Display for ReportState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportState::Forwarded { tracking_id, .. } => write!(f, "forwarded ({tracking_id})"),
            ReportState::Failed { reason, .. } => write!(f, "{}: {reason}", self.name()),
            _ => f.write_str(self.name()),
        }
    }
}

/// One change of a record's state, kept in its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEvent {
    pub at: DateTime<Utc>,
    /// The state name entered.
    pub state: String,
    /// Details: attempt count, receiver message, tracking id.
    #[serde(default)]
    pub note: Option<String>,
}

/// The receiver's status of a forwarded report, as fetched by `dengar sync`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemoteStatus {
    /// When we saw it.
    pub fetched_at: DateTime<Utc>,
    /// The receiver's status word (`open`, `closed`, `proses`, `selesai`...).
    pub status: String,
    /// The receiver's note (follow-up text, status_notes).
    #[serde(default)]
    pub note: Option<String>,
    /// When the receiver says it changed, when it says.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A report in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxRecord {
    /// Stable report id, derived from the main item: also the idempotency key.
    pub id: String,
    /// The item whose report this is.
    pub main_item: String,
    /// Every item in the report (the main one first, then merged ones).
    pub items: Vec<String>,
    pub draft: ReportDraft,
    pub state: ReportState,
    /// The receiver the report is bound to once a request has gone out (`lapor`, `open311`,
    /// `file`): it is never sent to another one, which could record it twice.
    #[serde(default)]
    pub target: Option<String>,
    /// Requests made so far, over every run.
    #[serde(default)]
    pub attempts: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// State changes, oldest first.
    #[serde(default)]
    pub history: Vec<OutboxEvent>,
    /// The receiver's statuses, oldest first, one per change.
    #[serde(default)]
    pub remote: Vec<RemoteStatus>,
}

impl OutboxRecord {
    /// The receiver's tracking id, once forwarded.
    pub fn tracking_id(&self) -> Option<&str> {
        match &self.state {
            ReportState::Forwarded { tracking_id, .. } => Some(tracking_id),
            _ => None,
        }
    }

    /// The receiver's message of the last failure (shown to staff).
    pub fn receiver_message(&self) -> Option<&str> {
        match &self.state {
            ReportState::Failed { reason, .. } => Some(reason),
            _ => None,
        }
    }

    /// The latest status from the receiver.
    pub fn remote_status(&self) -> Option<&RemoteStatus> {
        self.remote.last()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_names_and_filters() {
        let now = Utc::now();
        let perm = ReportState::Failed {
            permanent: true,
            reason: "judul wajib diisi".into(),
            http_status: Some(422),
            at: now,
        };
        assert_eq!(perm.name(), "failed-permanent");
        assert!(perm.matches("failed") && perm.matches("failed-permanent"));
        assert!(!perm.due());
        assert!(ReportState::Ready.due());
        assert!(ReportState::Sending {
            attempt: 1,
            since: now
        }
        .due());
        let json = serde_json::to_string(&perm).unwrap();
        assert!(json.contains("\"state\":\"failed\""), "{json}");
        let back: ReportState = serde_json::from_str(&json).unwrap();
        assert_eq!(back, perm);
    }
}
