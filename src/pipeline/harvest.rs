//! Harvest stage: read sources, store the posts the store does not know yet. Sources are the
//! enabled platform collectors (run concurrently, see [`super::platforms`]), the configured
//! files, and — only when neither is configured — the embedded demo feed.

use super::{bar, Context};
use crate::collect::demo;
use crate::collect::file::{self, LineError};
use crate::model::Post;
use crate::store::Store;
use std::collections::BTreeMap;
use std::path::Path;

/// What one source gave.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SourceReport {
    /// File path or `demo`.
    pub source: String,
    /// Posts read.
    pub read: usize,
    /// Posts stored for the first time.
    pub new: usize,
    /// Posts already in the store.
    pub known: usize,
    /// Lines that could not be imported.
    pub errors: Vec<String>,
    /// A failure that stopped the whole source.
    pub failed: Option<String>,
    /// Posts stored for the first time, per platform (for run records and charts).
    pub new_per_platform: BTreeMap<String, usize>,
    /// Counters of a platform collector (none for files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<super::platforms::PlatformStats>,
}

impl SourceReport {
    fn new(source: &str) -> SourceReport {
        SourceReport {
            source: source.to_string(),
            ..SourceReport::default()
        }
    }

    /// Whether anything went wrong.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.failed.is_some()
    }
}

fn store_all(
    store: &Store,
    report: &mut SourceReport,
    posts: impl IntoIterator<Item = Result<Post, LineError>>,
) {
    for r in posts {
        match r {
            Ok(p) => {
                report.read += 1;
                match store.insert_post(&p) {
                    Ok(true) => {
                        report.new += 1;
                        *report
                            .new_per_platform
                            .entry(p.platform.to_string())
                            .or_default() += 1;
                    }
                    Ok(false) => report.known += 1,
                    Err(e) => report.errors.push(format!("post {}: {e}", p.id())),
                }
            }
            Err(e) => report.errors.push(e.to_string()),
        }
    }
}

/// Posts stored between two flushes of a file import: a crash loses at most this many, and the
/// rerun stores them (the store's keys make it idempotent).
const IMPORT_BATCH: usize = 1000;

/// Imports one file into the store, streaming it: every [`IMPORT_BATCH`] posts are stored and
/// flushed before more is read.
pub fn import_file(ctx: &Context, path: &Path) -> SourceReport {
    let mut report = SourceReport::new(&path.display().to_string());
    let watched = ctx.watched();
    let pb = super::counter(ctx.progress, "import");
    let mut batch = Vec::with_capacity(IMPORT_BATCH);
    let mut flush_failed = None;
    let mut flush = |batch: &mut Vec<Result<Post, LineError>>, report: &mut SourceReport| {
        let n = batch.len() as u64;
        store_all(&ctx.store, report, batch.drain(..));
        if let Err(e) = ctx.store.flush() {
            flush_failed.get_or_insert_with(|| format!("cannot flush the store: {e}"));
        }
        pb.inc(n);
    };
    let read = file::read_file(path, &watched, |r| {
        batch.push(r);
        if batch.len() >= IMPORT_BATCH {
            flush(&mut batch, &mut report);
        }
    });
    flush(&mut batch, &mut report);
    pb.finish_and_clear();
    if let Err(e) = read {
        report.failed = Some(e.to_string());
    } else if let Some(e) = flush_failed {
        report.failed = Some(e);
    }
    tracing::info!(source = %report.source, read = report.read, new = report.new, known = report.known, errors = report.errors.len(), "imported");
    report
}

/// Imports the embedded demo feed.
pub fn import_demo(ctx: &Context) -> SourceReport {
    let mut report = SourceReport::new("demo");
    let (posts, errors) = demo::posts(&ctx.watched());
    let pb = bar(ctx.progress, posts.len() as u64, "demo");
    store_all(
        &ctx.store,
        &mut report,
        posts
            .into_iter()
            .map(Ok)
            .chain(errors.into_iter().map(Err))
            .inspect(|_| pb.inc(1)),
    );
    pb.finish_and_clear();
    if let Err(e) = ctx.store.flush() {
        report.failed = Some(format!("cannot flush the store: {e}"));
    }
    tracing::info!(
        read = report.read,
        new = report.new,
        known = report.known,
        "demo feed imported"
    );
    report
}

/// Runs every configured source: the enabled platform collectors and the configured files, or
/// the demo feed when neither is configured and `harvest.demo` is on.
pub fn run(ctx: &Context) -> Vec<SourceReport> {
    let files = ctx.config.harvest.files.clone();
    let platforms = ctx.config.collect.enabled();
    if files.is_empty() && platforms.is_empty() {
        if ctx.config.harvest.demo {
            return vec![import_demo(ctx)];
        }
        return Vec::new();
    }
    let mut reports = super::platforms::run(ctx, &platforms);
    reports.extend(files.iter().map(|f| import_file(ctx, f)));
    reports
}
