//! Plain data shared by every stage: the canonical [`Post`], the classifier's [`Prediction`],
//! review [`Status`] with its legal transitions, reviewers' [`Decision`]s and [`AuditEntry`]s, and
//! the report outbox's [`OutboxRecord`] with its [`ReportState`].
//!
//! Serde only: no I/O and no behaviour beyond small invariants (post identity, the transition
//! table), so every module can depend on it.

mod outbox;
mod post;
mod report;
mod review;

pub use outbox::{OutboxEvent, OutboxRecord, RemoteStatus, ReportState};
pub use post::{Platform, Post, PostId};
pub use report::{Klasifikasi, ReportDraft};
pub use review::{AuditEntry, Decision, Item, Prediction, Reason, Status, TransitionError};
