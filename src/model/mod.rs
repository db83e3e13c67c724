//! Plain data shared by every stage: the canonical [`Post`], the classifier's [`Prediction`],
//! review [`Status`] with its legal transitions, reviewers' [`Decision`]s and [`AuditEntry`]s.
//!
//! Serde only: no I/O and no behaviour beyond small invariants (post identity, the transition
//! table), so every module can depend on it.

mod post;
mod report;
mod review;

pub use post::{Platform, Post, PostId};
pub use report::{Klasifikasi, ReportDraft};
pub use review::{AuditEntry, Decision, Item, Prediction, Reason, Status, TransitionError};
