//! The glue: wires collectors, the classifier and the store into the stages of a run.
//!
//! - [`harvest`]: bring posts in (platform collectors, files, the demo feed) and store the new
//!   ones; [`platforms`] runs the collectors concurrently, [`mentions`] keeps the Instagram
//!   webhook's pending mentions;
//! - [`classify`]: predict every `new` item and move it to `flagged` or `dismissed`;
//! - [`forward`]: accepted items become reports in the outbox and go to the receiver once;
//! - [`sync`]: follow forwarded reports up at the receiver;
//! - [`nightly`]: harvest → classify → forward → summary, reporting each stage's failures
//!   without stopping the others.

pub mod classify;
pub mod forward;
pub mod harvest;
pub mod mentions;
pub mod nightly;
pub mod platforms;
pub mod sync;

use crate::catalog::Catalog;
use crate::config::Config;
use crate::store::Store;
use std::collections::HashSet;

/// What every stage needs: the validated config, reference data and the open store.
pub struct Context {
    pub config: Config,
    pub catalog: Catalog,
    pub store: Store,
    /// Show progress bars (stderr is a terminal).
    pub progress: bool,
}

impl Context {
    /// Handles of the city's watched accounts and agencies, lowercase.
    pub fn watched(&self) -> HashSet<String> {
        watched_handles(&self.catalog)
    }
}

/// Handles of the city's watched accounts and agencies, lowercase.
pub fn watched_handles(catalog: &Catalog) -> HashSet<String> {
    catalog
        .accounts
        .iter()
        .map(|a| a.handle.to_lowercase())
        .chain(
            catalog
                .agencies
                .iter()
                .flat_map(|a| a.handles.iter().map(|h| h.to_lowercase())),
        )
        .collect()
}

/// A progress bar on a terminal, nothing otherwise.
/// A progress counter for work of unknown length (a streamed file): items so far and rate.
pub fn counter(show: bool, what: &str) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::new_spinner();
    pb.set_style(
        indicatif::ProgressStyle::with_template("{msg:>10} {spinner} {pos} {per_sec}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    pb.set_message(what.to_string());
    pb
}

pub fn bar(show: bool, len: u64, what: &str) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::new(len);
    pb.set_style(
        indicatif::ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len} {per_sec}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_message(what.to_string());
    pb
}
