//! Collectors: everything that brings posts in. Each source turns what it reads into canonical
//! [`Post`](crate::model::Post)s; storing them and saving cursors is the pipeline's job.
//!
//! - [`file`]: JSONL in our Post shape, CSV exports and twarc2 JSONL, for staff who already
//!   harvest with other tools;
//! - [`demo`]: the embedded demo feed, the default source of a first run with no API tokens;
//! - one folder per platform API: [`x`], [`instagram`], [`facebook`], [`youtube`], [`mastodon`],
//!   each with `config.rs` (settings, defaults, `build()`), `client.rs` (HTTP calls),
//!   `models.rs` (wire types and their conversion to posts) and `tests.rs`;
//! - shared machinery: [`sink`] (how pages leave a collector), [`retry`] (backoff and rate-limit
//!   policy), [`http`] (requests under that policy), [`window`] and [`watermark`] (cursors), [`cursor`]
//!   (what every stream does with its cursor).
//!
//! Collectors never touch the store: they hand each page of posts and the cursor that covers it
//! to a [`Sink`], which the pipeline implements by storing the posts and only then saving the
//! cursor. That order is what makes a crash between two pages lose nothing.

pub mod config;
pub mod cursor;
pub mod demo;
mod error;
pub mod facebook;
pub mod file;
pub mod graph;
pub mod http;
pub mod instagram;
pub mod mastodon;
pub mod retry;
pub mod sink;
pub mod watermark;
pub mod window;
pub mod x;
pub mod youtube;

pub use config::CollectConfig;
pub use error::{settle, BuildError, CollectError};
pub use sink::{Mention, Page, RunStats, Sink, SinkError};

use crate::model::Platform;
use std::future::Future;

/// The platforms with an API collector: a closed list, in harvest order. Adding one is a code
/// change (a folder here, a section in [`CollectConfig`], an arm in the pipeline).
pub const PLATFORMS: [Platform; 5] = [
    Platform::X,
    Platform::Instagram,
    Platform::Facebook,
    Platform::Youtube,
    Platform::Mastodon,
];

/// One platform's harvester.
///
/// Contract: `run` walks every stream the collector is configured for (mentions of each watched
/// account, a search, a hashtag, …), resuming each from the cursor the sink returns for its key.
/// For each page it calls [`Sink::commit`] with the page's posts *and* the cursor value that is
/// valid once those posts are stored; it never commits a cursor ahead of posts it has not handed
/// over. A failure that concerns one stream (an unknown account, a malformed body) is recorded in
/// `stats.errors` and the next stream runs; a failure that concerns the whole platform (rate
/// limit beyond `max_wait_secs`, exhausted quota, rejected token, server down after every retry)
/// ends the run with `Err`, cursors kept. Tokens never appear in errors or logs.
pub trait Collector: Send {
    /// The platform this collector harvests.
    fn platform(&self) -> Platform;

    /// Harvests into `sink`, counting into `stats`.
    fn run<'a>(
        &'a mut self,
        sink: &'a mut (dyn Sink + Send),
        stats: &'a mut RunStats,
    ) -> impl Future<Output = Result<(), CollectError>> + Send + 'a;
}
