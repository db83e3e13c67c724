//! Run records: every nightly run leaves one in the `runs` tree of the store (id, start, end,
//! per-stage counts, per-platform results and errors, model id), written when the run starts
//! (state `running`) and again when it ends, so a run that crashed stays visible and is marked
//! `interrupted` by the next one.
//!
//! Records are built from the nightly [`Summary`](crate::pipeline::nightly::Summary) through
//! its JSON form and tolerant mirror types ([`SummaryView`]): stages added to the summary later
//! (forwarding) are picked up by name when present and ignored when absent, so this module
//! does not break when the pipeline grows.

use crate::model::Platform;
use crate::store::{Store, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sled::Tree;
use std::collections::BTreeMap;

/// Name of the tree holding run records.
pub const RUNS_TREE: &str = "runs";
/// Longest error message kept in a record.
const MAX_MESSAGE_CHARS: usize = 500;
/// Most error messages kept in one record (the rest are counted).
const MAX_ERRORS: usize = 200;

/// Where a run is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunState {
    /// Started and not finished (or still going).
    Running,
    /// Finished; see [`RunRecord::ok`].
    Finished,
    /// Never finished: the process died, and a later run found its record still `running`.
    Interrupted,
}

impl RunState {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Running => "running",
            RunState::Finished => "finished",
            RunState::Interrupted => "interrupted",
        }
    }
}

/// Harvest counts of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HarvestCounts {
    pub read: usize,
    pub new: usize,
    pub known: usize,
    pub errors: usize,
}

/// Classify counts of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClassifyCounts {
    pub classified: usize,
    pub flagged: usize,
    pub dismissed: usize,
    pub urgent: usize,
    pub errors: usize,
}

/// Forward counts of a run, when the pipeline has a forward stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForwardCounts {
    pub target: String,
    pub drafted: usize,
    pub forwarded: usize,
    pub failed_permanent: usize,
    pub failed_retryable: usize,
    pub not_attempted: usize,
    /// Why the receiver could not be used at all.
    pub unhealthy: Option<String>,
}

/// What the retention purge at the end of a run did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PurgeCounts {
    /// Dismissed and rejected items whose content was removed.
    pub content_purged: usize,
    /// Forwarded items whose raw JSON was removed.
    pub raw_purged: usize,
    pub errors: usize,
}

/// One platform's results in a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlatformResult {
    /// Posts new to the store.
    pub new: usize,
    pub flagged: usize,
    pub dismissed: usize,
    /// Errors attributed to this platform's sources.
    pub errors: usize,
}

/// One source's results in a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SourceResult {
    /// Source name (`demo`, a file path, `x:mentions:pemkot_bjm`, ...).
    pub source: String,
    /// The platform the source harvests, when its name says.
    pub platform: Option<String>,
    pub read: usize,
    pub new: usize,
    pub known: usize,
    pub errors: usize,
    /// A failure that stopped the whole source.
    pub failed: Option<String>,
}

/// One error of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunError {
    /// `harvest`, `classify`, `forward`, `purge`, `run`.
    pub stage: String,
    /// The source, for harvest errors.
    #[serde(default)]
    pub source: Option<String>,
    /// The platform, when known.
    #[serde(default)]
    pub platform: Option<String>,
    pub message: String,
}

/// The record of one nightly run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// 1, 2, 3, ... in start order.
    pub id: u64,
    pub state: RunState,
    pub started_at: DateTime<Utc>,
    #[serde(default)]
    pub finished_at: Option<DateTime<Utc>>,
    /// Whether the run finished with no error at all.
    #[serde(default)]
    pub ok: bool,
    #[serde(default)]
    pub host: String,
    #[serde(default)]
    pub pid: u32,
    /// dengar's version.
    #[serde(default)]
    pub version: String,
    /// The classifier model that made this run's predictions.
    #[serde(default)]
    pub model_id: Option<String>,
    #[serde(default)]
    pub harvest: HarvestCounts,
    #[serde(default)]
    pub classify: ClassifyCounts,
    #[serde(default)]
    pub forward: Option<ForwardCounts>,
    #[serde(default)]
    pub purge: Option<PurgeCounts>,
    /// Flagged items per predicted agency.
    #[serde(default)]
    pub flagged_per_agency: BTreeMap<String, usize>,
    #[serde(default)]
    pub platforms: BTreeMap<String, PlatformResult>,
    #[serde(default)]
    pub sources: Vec<SourceResult>,
    /// Errors, at most [`MAX_ERRORS`] kept.
    #[serde(default)]
    pub errors: Vec<RunError>,
    /// Errors not kept in `errors`.
    #[serde(default)]
    pub errors_dropped: usize,
    /// A stale lock this run took over, described.
    #[serde(default)]
    pub took_over: Option<String>,
    /// The HTML report's path.
    #[serde(default)]
    pub report: Option<String>,
}

impl RunRecord {
    /// Every error, kept or dropped.
    pub fn error_count(&self) -> usize {
        self.errors.len() + self.errors_dropped
    }

    /// How long the run took, if it finished.
    pub fn duration(&self) -> Option<chrono::Duration> {
        self.finished_at
            .map(|f| f.signed_duration_since(self.started_at))
    }

    /// `ok`, `partial`, `running` or `interrupted`.
    pub fn outcome(&self) -> &'static str {
        match self.state {
            RunState::Finished if self.ok => "ok",
            RunState::Finished => "partial",
            s => s.as_str(),
        }
    }

    /// Adds an error, keeping at most [`MAX_ERRORS`] and cutting long messages.
    pub fn push_error(
        &mut self,
        stage: &str,
        source: Option<&str>,
        platform: Option<&str>,
        message: &str,
    ) {
        if let Some(p) = platform {
            self.platforms.entry(p.to_string()).or_default().errors += 1;
        }
        if self.errors.len() >= MAX_ERRORS {
            self.errors_dropped += 1;
            return;
        }
        let message = if message.chars().count() > MAX_MESSAGE_CHARS {
            message
                .chars()
                .take(MAX_MESSAGE_CHARS - 1)
                .collect::<String>()
                + "…"
        } else {
            message.to_string()
        };
        self.errors.push(RunError {
            stage: stage.to_string(),
            source: source.map(str::to_string),
            platform: platform.map(str::to_string),
            message,
        });
    }

    /// Fills the counts from a nightly summary in its JSON form.
    pub fn absorb_summary(&mut self, summary: &serde_json::Value) {
        let view: SummaryView = serde_json::from_value(summary.clone()).unwrap_or_default();
        self.model_id = view.model_id.clone();
        for f in &view.failures {
            self.push_error("run", None, None, f);
        }
        for s in &view.sources {
            let platform = platform_of_source(&s.source);
            self.harvest.read += s.read;
            self.harvest.new += s.new;
            self.harvest.known += s.known;
            self.harvest.errors += s.errors.len() + s.failed.is_some() as usize;
            for (p, n) in &s.new_per_platform {
                self.platforms.entry(p.clone()).or_default().new += n;
            }
            if s.new_per_platform.is_empty() && s.new > 0 {
                self.platforms.entry(platform.clone()).or_default().new += s.new;
            }
            for e in s.failed.iter().chain(&s.errors) {
                self.push_error("harvest", Some(&s.source), Some(&platform), e);
            }
            self.sources.push(SourceResult {
                source: s.source.clone(),
                platform: Some(platform),
                read: s.read,
                new: s.new,
                known: s.known,
                errors: s.errors.len(),
                failed: s.failed.clone(),
            });
        }
        let c = &view.classify;
        self.classify = ClassifyCounts {
            classified: c.classified,
            flagged: c.flagged,
            dismissed: c.dismissed,
            urgent: c.urgent,
            errors: c.errors.len(),
        };
        self.flagged_per_agency = c.flagged_per_agency.clone();
        for (p, n) in &c.flagged_per_platform {
            self.platforms.entry(p.clone()).or_default().flagged += n;
        }
        for (p, n) in &c.dismissed_per_platform {
            self.platforms.entry(p.clone()).or_default().dismissed += n;
        }
        for e in &c.errors {
            let platform = e
                .split_once(':')
                .and_then(|(p, _)| Platform::parse(p))
                .map(|p| p.to_string());
            self.push_error("classify", None, platform.as_deref(), e);
        }
        if let Some(f) = &view.forward {
            self.forward = Some(ForwardCounts {
                target: f.target.clone(),
                drafted: f.drafted,
                forwarded: f.forwarded,
                failed_permanent: f.failed_permanent,
                failed_retryable: f.failed_retryable,
                not_attempted: f.not_attempted,
                unhealthy: f.unhealthy.clone(),
            });
            for e in f.unhealthy.iter().chain(&f.failures).chain(&f.errors) {
                self.push_error("forward", Some(&f.target), None, e);
            }
        }
    }
}

/// The platform a source harvests: the prefix of its name when that is a platform
/// (`x:mentions:pemkot_bjm`, `mastodon`), else `file` (file imports and the demo feed).
pub fn platform_of_source(source: &str) -> String {
    let prefix = source.split(':').next().unwrap_or_default();
    match Platform::parse(prefix) {
        Some(p) if !prefix.contains(['/', '\\', '.']) => p.to_string(),
        _ => Platform::File.to_string(),
    }
}

/// Tolerant mirror of the nightly summary's JSON.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SummaryView {
    pub model_id: Option<String>,
    pub sources: Vec<SourceView>,
    pub classify: ClassifyView,
    pub forward: Option<ForwardView>,
    pub failures: Vec<String>,
}

/// Mirror of a harvest source report.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SourceView {
    pub source: String,
    pub read: usize,
    pub new: usize,
    pub known: usize,
    pub errors: Vec<String>,
    pub failed: Option<String>,
    pub new_per_platform: BTreeMap<String, usize>,
}

/// Mirror of the classify report.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ClassifyView {
    pub classified: usize,
    pub flagged: usize,
    pub dismissed: usize,
    pub urgent: usize,
    pub flagged_per_agency: BTreeMap<String, usize>,
    pub flagged_per_platform: BTreeMap<String, usize>,
    pub dismissed_per_platform: BTreeMap<String, usize>,
    pub errors: Vec<String>,
}

/// Mirror of the forward report.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ForwardView {
    pub target: String,
    pub drafted: usize,
    pub forwarded: usize,
    pub failed_permanent: usize,
    pub failed_retryable: usize,
    pub not_attempted: usize,
    pub unhealthy: Option<String>,
    pub failures: Vec<String>,
    pub errors: Vec<String>,
}

/// The run records of a store.
#[derive(Clone)]
pub struct Runs {
    tree: Tree,
}

impl Runs {
    /// Opens the `runs` tree.
    pub fn open(store: &Store) -> Result<Runs, StoreError> {
        Ok(Runs {
            tree: store.tree(RUNS_TREE)?,
        })
    }

    /// Records the start of a run and marks any earlier record still `running` as
    /// `interrupted` (the caller holds the run lock, so no other run is alive).
    pub fn start(
        &self,
        started_at: DateTime<Utc>,
        host: &str,
        pid: u32,
    ) -> Result<RunRecord, StoreError> {
        for kv in self.tree.iter() {
            let (_, v) = kv?;
            let mut r: RunRecord = serde_json::from_slice(&v)?;
            if r.state == RunState::Running {
                r.state = RunState::Interrupted;
                self.save(&r)?;
            }
        }
        let id = match self.tree.last()? {
            Some((k, _)) => u64::from_be_bytes(k.as_ref().try_into().unwrap_or([0; 8])) + 1,
            None => 1,
        };
        let rec = RunRecord {
            id,
            state: RunState::Running,
            started_at,
            finished_at: None,
            ok: false,
            host: host.to_string(),
            pid,
            version: env!("CARGO_PKG_VERSION").to_string(),
            model_id: None,
            harvest: HarvestCounts::default(),
            classify: ClassifyCounts::default(),
            forward: None,
            purge: None,
            flagged_per_agency: BTreeMap::new(),
            platforms: BTreeMap::new(),
            sources: Vec::new(),
            errors: Vec::new(),
            errors_dropped: 0,
            took_over: None,
            report: None,
        };
        self.save(&rec)?;
        self.tree.flush()?;
        Ok(rec)
    }

    /// Writes a record (insert or replace) and flushes.
    pub fn save(&self, rec: &RunRecord) -> Result<(), StoreError> {
        self.tree
            .insert(rec.id.to_be_bytes(), serde_json::to_vec(rec)?)?;
        self.tree.flush()?;
        Ok(())
    }

    /// The record with this id.
    pub fn get(&self, id: u64) -> Result<Option<RunRecord>, StoreError> {
        match self.tree.get(id.to_be_bytes())? {
            Some(v) => Ok(Some(serde_json::from_slice(&v)?)),
            None => Ok(None),
        }
    }

    /// The newest records first, at most `limit` (0 = all).
    pub fn list(&self, limit: usize) -> Result<Vec<RunRecord>, StoreError> {
        let mut out = Vec::new();
        for kv in self.tree.iter().rev() {
            let (_, v) = kv?;
            out.push(serde_json::from_slice(&v)?);
            if limit != 0 && out.len() >= limit {
                break;
            }
        }
        Ok(out)
    }

    /// The newest record.
    pub fn last(&self) -> Result<Option<RunRecord>, StoreError> {
        Ok(self.list(1)?.pop())
    }

    /// The newest finished record.
    pub fn last_finished(&self) -> Result<Option<RunRecord>, StoreError> {
        for kv in self.tree.iter().rev() {
            let (_, v) = kv?;
            let r: RunRecord = serde_json::from_slice(&v)?;
            if r.state == RunState::Finished {
                return Ok(Some(r));
            }
        }
        Ok(None)
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.tree.len()
    }

    /// Whether there is no record.
    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary_json() -> serde_json::Value {
        serde_json::json!({
            "started_at": "2026-11-20T18:00:00Z",
            "finished_at": "2026-11-20T18:01:00Z",
            "model_id": "complaint-v1",
            "sources": [
                {"source": "demo", "read": 10, "new": 8, "known": 2, "errors": ["line 3: bad json"],
                 "failed": null, "new_per_platform": {"x": 5, "instagram": 3}},
                {"source": "mastodon:@pemkot_bjm", "read": 4, "new": 4, "known": 0, "errors": [],
                 "failed": "HTTP 401: The access token is invalid"}
            ],
            "classify": {"classified": 12, "flagged": 5, "dismissed": 7, "urgent": 1,
                "flagged_per_agency": {"dlh": 3, "dinas-pupr": 2},
                "flagged_per_platform": {"x": 3, "instagram": 2},
                "dismissed_per_platform": {"x": 2, "instagram": 1, "mastodon": 4},
                "errors": []},
            "forward": {"target": "lapor", "forwarded": 2, "failed_permanent": 1,
                "failures": ["dgr-1: HTTP 422: kategori tidak dikenal"], "errors": []},
            "failures": [],
            "something_new": {"added": "later"}
        })
    }

    #[test]
    fn summary_is_absorbed_per_stage_and_platform() {
        let mut r = RunRecord {
            id: 1,
            state: RunState::Running,
            started_at: Utc::now(),
            finished_at: None,
            ok: false,
            host: "h".into(),
            pid: 1,
            version: "0".into(),
            model_id: None,
            harvest: HarvestCounts::default(),
            classify: ClassifyCounts::default(),
            forward: None,
            purge: None,
            flagged_per_agency: BTreeMap::new(),
            platforms: BTreeMap::new(),
            sources: vec![],
            errors: vec![],
            errors_dropped: 0,
            took_over: None,
            report: None,
        };
        r.absorb_summary(&summary_json());
        assert_eq!(r.model_id.as_deref(), Some("complaint-v1"));
        assert_eq!(r.harvest.read, 14);
        assert_eq!(r.harvest.new, 12);
        assert_eq!(r.harvest.errors, 2);
        assert_eq!(r.classify.flagged, 5);
        assert_eq!(r.platforms["x"].new, 5);
        assert_eq!(r.platforms["mastodon"].new, 4);
        assert_eq!(r.platforms["mastodon"].errors, 1);
        assert_eq!(r.platforms["mastodon"].dismissed, 4);
        assert_eq!(r.platforms["file"].errors, 1);
        assert_eq!(r.flagged_per_agency["dlh"], 3);
        let f = r.forward.as_ref().unwrap();
        assert_eq!((f.forwarded, f.failed_permanent), (2, 1));
        assert_eq!(r.errors.len(), 3);
        assert!(r.errors.iter().any(|e| e.stage == "forward"));
    }

    #[test]
    fn source_names_map_to_platforms() {
        assert_eq!(platform_of_source("x:mentions:pemkot_bjm"), "x");
        assert_eq!(platform_of_source("mastodon"), "mastodon");
        assert_eq!(platform_of_source("demo"), "file");
        assert_eq!(platform_of_source("/data/x.jsonl"), "file");
        assert_eq!(platform_of_source("x.jsonl"), "file");
    }

    #[test]
    fn errors_are_capped_and_cut() {
        let mut r: RunRecord = serde_json::from_value(serde_json::json!({
            "id": 1, "state": "running", "started_at": "2026-11-20T18:00:00Z"
        }))
        .unwrap();
        for i in 0..(MAX_ERRORS + 5) {
            r.push_error(
                "harvest",
                None,
                Some("x"),
                &format!("{i} {}", "a".repeat(900)),
            );
        }
        assert_eq!(r.errors.len(), MAX_ERRORS);
        assert_eq!(r.errors_dropped, 5);
        assert_eq!(r.error_count(), MAX_ERRORS + 5);
        assert_eq!(r.platforms["x"].errors, MAX_ERRORS + 5);
        assert_eq!(r.errors[0].message.chars().count(), MAX_MESSAGE_CHARS);
    }

    #[test]
    fn records_are_numbered_and_crashed_runs_marked_interrupted() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let runs = Runs::open(&store).unwrap();
        assert!(runs.last().unwrap().is_none());
        let first = runs.start(Utc::now(), "h", 10).unwrap();
        assert_eq!(first.id, 1);
        // the process dies: the record stays `running`
        let mut second = runs.start(Utc::now(), "h", 11).unwrap();
        assert_eq!(second.id, 2);
        assert_eq!(runs.get(1).unwrap().unwrap().state, RunState::Interrupted);
        second.state = RunState::Finished;
        second.finished_at = Some(Utc::now());
        second.ok = true;
        runs.save(&second).unwrap();
        let list = runs.list(0).unwrap();
        assert_eq!(list.iter().map(|r| r.id).collect::<Vec<_>>(), vec![2, 1]);
        assert_eq!(runs.last_finished().unwrap().unwrap().outcome(), "ok");
        assert_eq!(runs.get(1).unwrap().unwrap().outcome(), "interrupted");
        assert_eq!(runs.len(), 2);
    }
}
