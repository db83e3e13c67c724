//! The nightly run as operations sees it: under the run lock (taken by the caller before the
//! store is opened), record the start, run the pipeline (harvest → classify → forward), purge
//! what retention says, record the end and write the HTML report.
//!
//! Nothing here stops the run: a purge or report failure is an error of the run, counted and
//! recorded like a platform failure. If the process dies, its record stays `running` and the
//! next run marks it `interrupted`.

use super::lock::RunLock;
use super::report;
use super::retention::{self, PurgeReport};
use super::runs::{PurgeCounts, RunRecord, RunState, Runs};
use crate::pipeline::nightly::{self, Summary};
use crate::pipeline::Context;
use crate::store::StoreError;
use chrono::Utc;
use std::path::PathBuf;

/// What a finished nightly run produced.
#[derive(Debug)]
pub struct Finished {
    pub record: RunRecord,
    pub summary: Summary,
    pub purge: Option<PurgeReport>,
    /// The HTML report, if it could be written.
    pub report: Option<PathBuf>,
}

/// Runs the night. `lock` must be held for the store's data directory.
pub fn run(ctx: &Context, lock: &RunLock) -> Result<Finished, StoreError> {
    let runs = Runs::open(&ctx.store)?;
    let info = lock.info();
    let mut record = runs.start(Utc::now(), &info.host, info.pid)?;
    record.took_over = lock.took_over().map(|(old, why)| {
        format!(
            "pid {} on {} from {} ({})",
            old.pid,
            old.host,
            old.started_at.format("%Y-%m-%d %H:%M:%S UTC"),
            why.describe()
        )
    });
    runs.save(&record)?;
    tracing::info!(run = record.id, "nightly run started");

    let summary = nightly::run(ctx);
    match serde_json::to_value(&summary) {
        Ok(v) => record.absorb_summary(&v),
        Err(e) => record.push_error("run", None, None, &format!("cannot read the summary: {e}")),
    }

    let purge = match retention::purge(
        &ctx.store,
        ctx.config.retention.retention_days,
        Utc::now(),
        false,
        "dengar",
    ) {
        Ok(p) => {
            for e in &p.errors {
                record.push_error("purge", None, None, e);
            }
            record.purge = Some(PurgeCounts {
                content_purged: p.content_purged(),
                raw_purged: p.forwarded_raw,
                errors: p.errors.len(),
            });
            Some(p)
        }
        Err(e) => {
            record.push_error("purge", None, None, &e.to_string());
            None
        }
    };

    record.state = RunState::Finished;
    record.finished_at = Some(Utc::now());
    let purge_ok = purge.as_ref().is_some_and(|p| p.errors.is_empty());
    record.ok = summary.ok() && purge_ok;
    let data_dir = super::schedule::absolute(ctx.store.dir());
    let path = report::report_path(&data_dir, record.id);
    record.report = Some(path.display().to_string());
    let report = match report::write(&data_dir, &record) {
        Ok(p) => Some(p),
        Err(e) => {
            record.report = None;
            record.ok = false;
            record.push_error("report", None, None, &e.to_string());
            None
        }
    };
    runs.save(&record)?;
    ctx.store.flush()?;
    tracing::info!(
        run = record.id,
        outcome = record.outcome(),
        errors = record.error_count(),
        "nightly run finished"
    );
    Ok(Finished {
        record,
        summary,
        purge,
        report,
    })
}
