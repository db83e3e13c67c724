//! [`AnyForwarder`]: one of the configured receivers, chosen at run time from the closed
//! [`Target`](super::Target) list (no trait objects: the trait's futures are not object-safe).

use super::forwarder::{FetchedStatus, Forwarder, Outgoing, Receipt, SendError};
use super::retry::RetryPolicy;
use super::{FileForwarder, LaporForwarder, Open311Forwarder};

/// A built forwarder of any target.
#[derive(Debug)]
pub enum AnyForwarder {
    Lapor(Box<LaporForwarder>),
    Open311(Open311Forwarder),
    File(FileForwarder),
}

impl Forwarder for AnyForwarder {
    fn name(&self) -> &'static str {
        match self {
            AnyForwarder::Lapor(f) => f.name(),
            AnyForwarder::Open311(f) => f.name(),
            AnyForwarder::File(f) => f.name(),
        }
    }

    fn retry_policy(&self) -> &RetryPolicy {
        match self {
            AnyForwarder::Lapor(f) => f.retry_policy(),
            AnyForwarder::Open311(f) => f.retry_policy(),
            AnyForwarder::File(f) => f.retry_policy(),
        }
    }

    async fn send(&self, report: &Outgoing) -> Result<Receipt, SendError> {
        match self {
            AnyForwarder::Lapor(f) => f.send(report).await,
            AnyForwarder::Open311(f) => f.send(report).await,
            AnyForwarder::File(f) => f.send(report).await,
        }
    }

    async fn healthcheck(&self) -> Result<(), SendError> {
        match self {
            AnyForwarder::Lapor(f) => f.healthcheck().await,
            AnyForwarder::Open311(f) => f.healthcheck().await,
            AnyForwarder::File(f) => f.healthcheck().await,
        }
    }

    fn supports_status(&self) -> bool {
        match self {
            AnyForwarder::Lapor(f) => f.supports_status(),
            AnyForwarder::Open311(f) => f.supports_status(),
            AnyForwarder::File(f) => f.supports_status(),
        }
    }

    async fn status(&self, tracking_id: &str) -> Result<FetchedStatus, SendError> {
        match self {
            AnyForwarder::Lapor(f) => f.status(tracking_id).await,
            AnyForwarder::Open311(f) => f.status(tracking_id).await,
            AnyForwarder::File(f) => f.status(tracking_id).await,
        }
    }

    fn preview(&self, report: &Outgoing) -> Result<String, SendError> {
        match self {
            AnyForwarder::Lapor(f) => f.preview(report),
            AnyForwarder::Open311(f) => f.preview(report),
            AnyForwarder::File(f) => f.preview(report),
        }
    }
}
