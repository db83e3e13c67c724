//! The nightly run: harvest → classify → forward → summary. A stage that fails is reported and
//! counted; the later stages still run, and [`Summary::ok`] tells the caller which exit code to
//! use.

use super::classify::ClassifyReport;
use super::forward::ForwardReport;
use super::harvest::SourceReport;
use super::{harvest, Context};
use crate::classify::Classifier;
use chrono::{DateTime, Utc};
use std::fmt::Write as _;

/// What a nightly run did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Summary {
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub model_id: Option<String>,
    pub sources: Vec<SourceReport>,
    pub classify: ClassifyReport,
    /// What the forward stage did (`None` when `[forward] nightly = false`).
    pub forward: Option<ForwardReport>,
    /// Stage-level failures (a stage that could not run at all).
    pub failures: Vec<String>,
}

impl Summary {
    /// Posts read from every source.
    pub fn harvested(&self) -> usize {
        self.sources.iter().map(|s| s.read).sum()
    }

    /// Posts new to the store.
    pub fn new_posts(&self) -> usize {
        self.sources.iter().map(|s| s.new).sum()
    }

    /// Every error of the run.
    pub fn errors(&self) -> usize {
        self.failures.len()
            + self.classify.errors.len()
            + self.forward.as_ref().map_or(0, |f| f.problems())
            + self
                .sources
                .iter()
                .map(|s| s.errors.len() + s.failed.is_some() as usize)
                .sum::<usize>()
    }

    /// Whether every stage finished without errors.
    pub fn ok(&self) -> bool {
        self.errors() == 0
    }

    /// The human summary printed at the end of a run.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "dengar nightly {}",
            self.started_at.format("%Y-%m-%d %H:%M:%S UTC")
        );
        let _ = writeln!(
            s,
            "  harvested   {:>6}  (new {}, already known {})",
            self.harvested(),
            self.new_posts(),
            self.harvested() - self.new_posts()
        );
        for src in &self.sources {
            let _ = writeln!(
                s,
                "    {:<30} read {:>5}  new {:>5}  errors {}",
                src.source,
                src.read,
                src.new,
                src.errors.len() + src.failed.is_some() as usize
            );
        }
        let _ = writeln!(s, "  classified  {:>6}", self.classify.classified);
        let _ = writeln!(
            s,
            "  flagged     {:>6}  (urgent {})",
            self.classify.flagged, self.classify.urgent
        );
        for (agency, n) in &self.classify.flagged_per_agency {
            let _ = writeln!(s, "    {agency:<22} {n:>5}");
        }
        let _ = writeln!(s, "  dismissed   {:>6}", self.classify.dismissed);
        if let Some(f) = &self.forward {
            s.push_str(&f.render());
        }
        let _ = writeln!(s, "  errors      {:>6}", self.errors());
        for (shown, e) in self
            .failures
            .iter()
            .chain(
                self.sources
                    .iter()
                    .flat_map(|s| s.failed.iter().chain(s.errors.iter())),
            )
            .chain(self.classify.errors.iter())
            .enumerate()
        {
            if shown == 20 {
                let _ = writeln!(s, "    ... and {} more", self.errors() - shown);
                break;
            }
            let _ = writeln!(s, "    {e}");
        }
        if let Some(m) = &self.model_id {
            let _ = writeln!(s, "  model       {m}");
        }
        s
    }
}

/// Runs the whole night.
pub fn run(ctx: &Context) -> Summary {
    let started_at = Utc::now();
    let mut failures = Vec::new();
    let sources = harvest::run(ctx);
    let handles: Vec<String> = ctx.watched().into_iter().collect();
    let classifier = Classifier::load(ctx.config.classify.model_dir.as_deref(), handles);
    let (classify, model_id) = match classifier {
        Ok(mut c) => {
            if let Some(t) = ctx.config.classify.complaint_threshold {
                c.threshold = t;
            }
            (super::classify::run(ctx, &c), Some(c.model_id()))
        }
        Err(e) => {
            failures.push(format!("classify: cannot load models: {e}"));
            (ClassifyReport::default(), None)
        }
    };
    // forward what staff accepted since the last run; a dead receiver is reported and counted,
    // the run still finishes
    let forward = ctx
        .config
        .forward
        .nightly
        .then(|| super::forward::run(ctx, None, false));
    Summary {
        started_at,
        finished_at: Utc::now(),
        model_id,
        sources,
        classify,
        forward,
        failures,
    }
}
