//! Forwarders: the receivers reports are sent to, behind one [`Forwarder`] trait.
//!
//! - [`lapor`]: the SP4N-LAPOR! integration API, HTTP JSON; URL, auth header and field names are
//!   configuration (each agency's developer account gets its own spec), with a shipped default
//!   mapping; the tracking id is read by a JSON pointer;
//! - [`open311`]: Open311 GeoReport v2 (`POST requests.json`, `GET requests/{id}.json`);
//! - [`file`]: CSV and JSONL files for manual entry in LAPOR's admin panel.
//!
//! Every request carries the report's stable id as its idempotency key; [`retry::deliver`]
//! retries within a run; the outbox (`store::Outbox`) and `pipeline::forward` decide what is
//! sent and record receipts. This module knows nothing of the store.

pub mod config;
pub mod file;
pub mod forwarder;
pub mod http;
pub mod lapor;
pub mod open311;
pub mod retry;

mod any;
#[cfg(test)]
pub(crate) mod testing;

pub use any::AnyForwarder;
pub use config::{ForwardConfig, ForwardConfigError, RetryConfig, Target};
pub use file::FileForwarder;
pub use forwarder::{FetchedStatus, Forwarder, Outgoing, Receipt, SendError};
pub use lapor::LaporForwarder;
pub use open311::Open311Forwarder;
pub use retry::{deliver, Delivery, RetryPolicy};
