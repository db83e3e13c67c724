//! The SP4N-LAPOR! integration API: reports as HTTP JSON to a configured URL, the token in a
//! configured header, field names from a configurable mapping, the tracking id read from the
//! response by a JSON pointer, the report id in an `Idempotency-Key` header on every attempt.

mod client;
mod config;
mod models;
#[cfg(test)]
mod tests;

pub use client::LaporForwarder;
pub use config::{KlasifikasiValues, LaporConfig, LaporFields};
pub use models::payload;
