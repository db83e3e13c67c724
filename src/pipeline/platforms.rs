//! Runs the platform collectors: each enabled platform is built from its `[collect.<platform>]`
//! section (token read from the environment now) and run concurrently with the others under the
//! time budget, into a [`StoreSink`] that stores each page's posts and only then saves its
//! cursors. One platform failing is reported in its [`SourceReport`]; the others carry on.

use super::harvest::SourceReport;
use super::mentions::StoreInbox;
use super::Context;
use crate::collect::file::MAX_TEXT_BYTES;
use crate::collect::{CollectError, Collector, Mention, Page, RunStats, Sink, SinkError};
use crate::model::Platform;
use crate::store::Store;
use std::time::{Duration, Instant};

/// Stores pages of one platform and counts what happened.
pub struct StoreSink {
    store: Store,
    inbox: StoreInbox,
    pub read: usize,
    pub new: usize,
    pub known: usize,
    /// Posts refused before storing (empty id, oversized text).
    pub refused: Vec<String>,
}

impl StoreSink {
    /// A sink over the store.
    pub fn new(store: &Store) -> Result<StoreSink, SinkError> {
        Ok(StoreSink {
            inbox: StoreInbox::open(store).map_err(|e| SinkError(e.to_string()))?,
            store: store.clone(),
            read: 0,
            new: 0,
            known: 0,
            refused: Vec::new(),
        })
    }
}

fn sink_err(e: impl std::fmt::Display) -> SinkError {
    SinkError(e.to_string())
}

impl Sink for StoreSink {
    fn cursor(&self, key: &str) -> Result<Option<String>, SinkError> {
        self.store.cursor(key).map_err(sink_err)
    }

    fn commit(&mut self, page: Page) -> Result<(), SinkError> {
        let had_posts = !page.posts.is_empty();
        for p in &page.posts {
            if p.native_id.trim().is_empty() || p.text.len() > MAX_TEXT_BYTES {
                self.refused.push(format!(
                    "post {}: empty id or text over {MAX_TEXT_BYTES} bytes",
                    p.id()
                ));
                continue;
            }
            self.read += 1;
            match self.store.insert_post(p).map_err(sink_err)? {
                true => self.new += 1,
                false => self.known += 1,
            }
        }
        // set_cursor flushes: the cursor is never durable before the posts it covers
        for (k, v) in &page.cursors {
            self.store.set_cursor(k, v).map_err(sink_err)?;
        }
        if page.cursors.is_empty() && had_posts {
            self.store.flush().map_err(sink_err)?;
        }
        if !page.done_mentions.is_empty() {
            for m in &page.done_mentions {
                self.inbox.forget(m).map_err(sink_err)?;
            }
            self.store.flush().map_err(sink_err)?;
        }
        Ok(())
    }

    fn pending_mentions(&self) -> Result<Vec<Mention>, SinkError> {
        self.inbox.pending().map_err(sink_err)
    }
}

/// Runs one collector under the time budget and reports.
pub async fn run_collector<C: Collector>(
    mut collector: C,
    store: Store,
    budget: Duration,
) -> SourceReport {
    let platform = collector.platform();
    let mut report = SourceReport {
        source: platform.to_string(),
        ..SourceReport::default()
    };
    let mut sink = match StoreSink::new(&store) {
        Ok(s) => s,
        Err(e) => {
            report.failed = Some(format!("{platform}: {e}"));
            return report;
        }
    };
    let mut stats = RunStats::default();
    let started = Instant::now();
    let outcome = tokio::time::timeout(budget, collector.run(&mut sink, &mut stats)).await;
    let failed = match outcome {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(e),
        Err(_) => Some(CollectError::Budget(budget.as_secs())),
    };
    if let Some(e) = &failed {
        tracing::warn!(platform = %platform, "{e}");
    }
    report.read = sink.read;
    report.new = sink.new;
    report.known = sink.known;
    report.errors = stats.errors.clone();
    report.errors.extend(sink.refused.iter().cloned());
    report.failed = failed.map(|e| format!("{platform}: {e}"));
    report.platform = Some(PlatformStats {
        pages: stats.pages,
        requests: stats.requests,
        retries: stats.retries,
        partial_errors: stats.partial_errors,
        secs: started.elapsed().as_secs_f64(),
    });
    tracing::info!(platform = %platform, read = report.read, new = report.new, known = report.known, pages = stats.pages, errors = report.errors.len(), failed = report.failed.is_some(), "harvested");
    report
}

/// Counters of a platform run, shown in the summary.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PlatformStats {
    pub pages: usize,
    pub requests: usize,
    pub retries: usize,
    /// Partial errors the platform reported inside successful answers.
    pub partial_errors: usize,
    pub secs: f64,
}

fn failed(platform: Platform, why: String) -> SourceReport {
    SourceReport {
        source: platform.to_string(),
        failed: Some(format!("{platform}: {why}")),
        ..SourceReport::default()
    }
}

/// Runs `platforms` concurrently (async).
pub async fn run_async(ctx: &Context, platforms: &[Platform]) -> Vec<SourceReport> {
    let c = &ctx.config.collect;
    let budget = Duration::from_secs(c.time_budget_secs);
    let mut set = tokio::task::JoinSet::new();
    let mut reports = Vec::new();
    for (i, &p) in platforms.iter().enumerate() {
        let store = ctx.store.clone();
        let spawned = match p {
            Platform::X => {
                c.x.build(c, &ctx.catalog)
                    .map(|k| set.spawn(async move { (i, run_collector(k, store, budget).await) }))
            }
            Platform::Instagram => c
                .instagram
                .build(c, &ctx.catalog)
                .map(|k| set.spawn(async move { (i, run_collector(k, store, budget).await) })),
            Platform::Facebook => c
                .facebook
                .build(c, &ctx.catalog)
                .map(|k| set.spawn(async move { (i, run_collector(k, store, budget).await) })),
            Platform::Youtube => c
                .youtube
                .build(c, &ctx.catalog)
                .map(|k| set.spawn(async move { (i, run_collector(k, store, budget).await) })),
            Platform::Mastodon => c
                .mastodon
                .build(c, &ctx.catalog)
                .map(|k| set.spawn(async move { (i, run_collector(k, store, budget).await) })),
            Platform::File => {
                reports.push((i, failed(p, "not an API platform".to_string())));
                continue;
            }
        };
        if let Err(e) = spawned {
            tracing::warn!(platform = %p, "cannot start: {e}");
            reports.push((i, failed(p, e.to_string())));
        }
    }
    while let Some(done) = set.join_next().await {
        match done {
            Ok(r) => reports.push(r),
            Err(e) => reports.push((
                usize::MAX,
                failed(Platform::File, format!("a collector task failed: {e}")),
            )),
        }
    }
    reports.sort_by_key(|(i, _)| *i);
    reports.into_iter().map(|(_, r)| r).collect()
}

/// Runs `platforms` concurrently on a runtime of its own (for the synchronous pipeline).
pub fn run(ctx: &Context, platforms: &[Platform]) -> Vec<SourceReport> {
    match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(run_async(ctx, platforms)),
        Err(e) => platforms
            .iter()
            .map(|&p| failed(p, format!("cannot start the async runtime: {e}")))
            .collect(),
    }
}
