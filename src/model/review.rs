//! Review state: the status machine every item moves through, the prediction that put it in the
//! queue, the reviewer's decision and the audit entry each change leaves behind.

use super::post::Post;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an item is in its life.
///
/// ```text
/// new ──► flagged ──► accepted ──► reported ──► forwarded
///   └───► dismissed      └──► rejected
/// ```
/// Besides the forward path, reviewers may pull a dismissed post into the queue
/// (`dismissed → flagged`) and undo a decision (`accepted | rejected → flagged`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    New,
    Flagged,
    Dismissed,
    Accepted,
    Rejected,
    Reported,
    Forwarded,
}

/// A transition the status machine does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot move an item from `{from}` to `{to}`: allowed from `{from}` is {allowed}")]
pub struct TransitionError {
    pub from: Status,
    pub to: Status,
    pub allowed: String,
}

impl Status {
    /// Every status, in life order.
    pub const ALL: [Status; 7] = [
        Status::New,
        Status::Flagged,
        Status::Dismissed,
        Status::Accepted,
        Status::Rejected,
        Status::Reported,
        Status::Forwarded,
    ];

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Flagged => "flagged",
            Status::Dismissed => "dismissed",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Reported => "reported",
            Status::Forwarded => "forwarded",
        }
    }

    /// Parses the lowercase name.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s.trim())
    }

    /// A one-byte code used to order index keys.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The statuses reachable from this one.
    pub fn next(self) -> &'static [Status] {
        match self {
            Status::New => &[Status::Flagged, Status::Dismissed],
            Status::Flagged => &[Status::Accepted, Status::Rejected],
            Status::Dismissed => &[Status::Flagged],
            Status::Accepted => &[Status::Reported, Status::Flagged],
            Status::Rejected => &[Status::Flagged],
            Status::Reported => &[Status::Forwarded],
            Status::Forwarded => &[],
        }
    }

    /// Checks a transition against the table.
    pub fn check(self, to: Status) -> Result<(), TransitionError> {
        if self.next().contains(&to) {
            return Ok(());
        }
        let allowed = if self.next().is_empty() {
            "nothing (final state)".to_string()
        } else {
            self.next()
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        Err(TransitionError {
            from: self,
            to,
            allowed,
        })
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A token that pushed a decision, with its signed contribution to the logit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// The feature as shown to reviewers (a word, bigram or cue).
    pub feature: String,
    /// Contribution to the complaint logit (positive pushes towards complaint).
    pub weight: f32,
    /// Byte span in the post text, when the feature comes from one place in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<(usize, usize)>,
}

/// What the classifier said about a post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// Id of the model files that made the prediction.
    pub model_id: String,
    /// Whether it is a public-service complaint.
    pub complaint: bool,
    /// Calibrated probability that it is a complaint.
    pub complaint_score: f32,
    /// The most likely agency code, when it is a complaint.
    pub agency: Option<String>,
    /// Top agencies with probabilities, best first.
    pub agency_scores: Vec<(String, f32)>,
    /// Urgency score in 0..1 (fire, flood, accident, collapse, medical emergency, violence).
    #[serde(default)]
    pub urgency: f32,
    /// Whether the urgency crosses the alert line.
    #[serde(default)]
    pub urgent: bool,
    /// Near-duplicate group id: posts about the same thing share it.
    #[serde(default)]
    pub dup_group: Option<String>,
    /// Features that pushed the complaint decision most.
    #[serde(default)]
    pub reasons: Vec<Reason>,
}

/// A reviewer's (or the pipeline's) decision attached to an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Decision {
    /// Who decided (user name, or `dengar` for the pipeline).
    pub by: String,
    /// When.
    pub at: Option<DateTime<Utc>>,
    /// The agency chosen on accept (may correct the prediction).
    #[serde(default)]
    pub agency: Option<String>,
    /// The LAPOR category chosen on accept.
    #[serde(default)]
    pub category: Option<String>,
    /// The reason given on reject.
    #[serde(default)]
    pub reason: Option<String>,
    /// The report draft as the reviewer accepted it (edited or not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<super::ReportDraft>,
    /// On merge: the item whose report this one joins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<String>,
}

/// A post with everything the pipeline and reviewers added to it: one record in the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub post: Post,
    pub status: Status,
    /// When the status last changed.
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub prediction: Option<Prediction>,
    #[serde(default)]
    pub decision: Option<Decision>,
}

/// One line of the append-only audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Monotonic sequence number.
    pub seq: u64,
    pub at: DateTime<Utc>,
    /// User name, or `dengar` for automatic steps.
    pub actor: String,
    /// What was done (`classify`, `accept`, `reject`, `undo`, `purge`, ...).
    pub action: String,
    /// The item concerned, if any.
    #[serde(default)]
    pub item: Option<String>,
    #[serde(default)]
    pub from: Option<Status>,
    #[serde(default)]
    pub to: Option<Status>,
    /// Why (reject reason, model id, note).
    #[serde(default)]
    pub why: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_path_is_allowed() {
        let path = [
            Status::New,
            Status::Flagged,
            Status::Accepted,
            Status::Reported,
            Status::Forwarded,
        ];
        for w in path.windows(2) {
            assert!(w[0].check(w[1]).is_ok(), "{} -> {}", w[0], w[1]);
        }
        assert!(Status::New.check(Status::Dismissed).is_ok());
        assert!(Status::Flagged.check(Status::Rejected).is_ok());
    }

    #[test]
    fn skipping_review_is_refused_with_a_clear_message() {
        let err = Status::New.check(Status::Accepted).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("`new` to `accepted`"), "{msg}");
        assert!(msg.contains("`flagged`"), "{msg}");
        assert!(Status::Forwarded.check(Status::Flagged).is_err());
        assert!(Status::Dismissed.check(Status::Accepted).is_err());
        assert!(Status::Rejected.check(Status::Reported).is_err());
    }

    #[test]
    fn names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("done"), None);
    }
}
