//! Prometheus metrics in the text exposition format (version 0.0.4): run counts and results,
//! posts harvested / flagged / forwarded, errors per platform, backlog size and age, and the
//! HTTP request-latency histogram kept by [`latency`](super::latency).
//!
//! Counters over runs are sums over the run records in the store, so they survive restarts of
//! `serve` and only grow (records are never deleted). Every value is read at scrape time.

use super::latency::HttpMetrics;
use super::runs::{RunState, Runs};
use super::status;
use crate::model::Status;
use crate::store::{Store, StoreError};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The `Content-Type` of the exposition.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Writes metric families: `# HELP` and `# TYPE` once, then samples.
#[derive(Debug, Default)]
pub struct Exposition {
    out: String,
}

/// Escapes a label value (`\`, `"`, newline).
pub fn escape_label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn format_value(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf" } else { "-Inf" }.to_string()
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

impl Exposition {
    /// Starts a family.
    pub fn family(&mut self, name: &str, kind: &str, help: &str) {
        let help = help.replace('\\', "\\\\").replace('\n', "\\n");
        let _ = writeln!(self.out, "# HELP {name} {help}");
        let _ = writeln!(self.out, "# TYPE {name} {kind}");
    }

    /// One sample of the current family.
    pub fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        self.out.push_str(name);
        if !labels.is_empty() {
            self.out.push('{');
            for (i, (k, v)) in labels.iter().enumerate() {
                if i > 0 {
                    self.out.push(',');
                }
                let _ = write!(self.out, "{k}=\"{}\"", escape_label(v));
            }
            self.out.push('}');
        }
        let _ = writeln!(self.out, " {}", format_value(value));
    }

    /// A family with one unlabelled sample.
    pub fn single(&mut self, name: &str, kind: &str, help: &str, value: f64) {
        self.family(name, kind, help);
        self.sample(name, &[], value);
    }

    /// The text.
    pub fn finish(self) -> String {
        self.out
    }
}

/// Renders every metric at time `now`.
pub fn render(store: &Store, http: &HttpMetrics, now: DateTime<Utc>) -> Result<String, StoreError> {
    let mut e = Exposition::default();
    let runs = Runs::open(store)?.list(0)?;

    let mut outcomes: BTreeMap<&str, usize> = ["ok", "partial", "interrupted", "running"]
        .iter()
        .map(|o| (*o, 0))
        .collect();
    let (mut harvested, mut new, mut flagged, mut dismissed, mut urgent) = (0, 0, 0, 0, 0);
    let (mut purged, mut forwarded_runs) = (0, 0);
    let mut errors_platform: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors_stage: BTreeMap<String, usize> = BTreeMap::new();
    for r in &runs {
        *outcomes.entry(r.outcome()).or_default() += 1;
        harvested += r.harvest.read;
        new += r.harvest.new;
        flagged += r.classify.flagged;
        dismissed += r.classify.dismissed;
        urgent += r.classify.urgent;
        forwarded_runs += r.forward.as_ref().map_or(0, |f| f.forwarded);
        purged += r.purge.as_ref().map_or(0, |p| p.content_purged);
        for (p, res) in &r.platforms {
            *errors_platform.entry(p.clone()).or_default() += res.errors;
        }
        for err in &r.errors {
            *errors_stage.entry(err.stage.clone()).or_default() += 1;
        }
    }

    e.family(
        "dengar_runs_total",
        "counter",
        "Nightly runs by outcome (ok, partial, interrupted, running).",
    );
    for (o, n) in &outcomes {
        e.sample("dengar_runs_total", &[("outcome", o)], *n as f64);
    }
    e.single(
        "dengar_posts_harvested_total",
        "counter",
        "Posts read by nightly runs.",
        harvested as f64,
    );
    e.single(
        "dengar_posts_new_total",
        "counter",
        "Posts stored for the first time by nightly runs.",
        new as f64,
    );
    e.single(
        "dengar_posts_flagged_total",
        "counter",
        "Posts flagged as complaints by nightly runs.",
        flagged as f64,
    );
    e.single(
        "dengar_posts_dismissed_total",
        "counter",
        "Posts dismissed by nightly runs.",
        dismissed as f64,
    );
    e.single(
        "dengar_posts_urgent_total",
        "counter",
        "Flagged posts marked urgent by nightly runs.",
        urgent as f64,
    );
    let counts = store.count_by_status()?;
    e.single(
        "dengar_posts_forwarded_total",
        "counter",
        "Items forwarded to a receiver (final state, so the count only grows).",
        counts.get(&Status::Forwarded).copied().unwrap_or(0) as f64,
    );
    e.single(
        "dengar_reports_forwarded_by_runs_total",
        "counter",
        "Reports forwarded by the forward stage of nightly runs.",
        forwarded_runs as f64,
    );
    e.single(
        "dengar_retention_purged_total",
        "counter",
        "Dismissed and rejected items whose content the nightly purge removed.",
        purged as f64,
    );
    e.family(
        "dengar_run_errors_total",
        "counter",
        "Errors of nightly runs per platform.",
    );
    for (p, n) in &errors_platform {
        e.sample("dengar_run_errors_total", &[("platform", p)], *n as f64);
    }
    e.family(
        "dengar_run_stage_errors_total",
        "counter",
        "Errors of nightly runs per stage (at most 200 kept per run).",
    );
    for (s, n) in &errors_stage {
        e.sample("dengar_run_stage_errors_total", &[("stage", s)], *n as f64);
    }

    if let Some(last) = runs.iter().find(|r| r.state == RunState::Finished) {
        let end = last.finished_at.unwrap_or(last.started_at);
        e.single(
            "dengar_last_run_id",
            "gauge",
            "Id of the last finished run.",
            last.id as f64,
        );
        e.single(
            "dengar_last_run_finish_timestamp_seconds",
            "gauge",
            "When the last finished run ended (Unix time).",
            end.timestamp() as f64,
        );
        e.single(
            "dengar_last_run_age_seconds",
            "gauge",
            "Seconds since the last finished run ended.",
            now.signed_duration_since(end).num_seconds().max(0) as f64,
        );
        e.single(
            "dengar_last_run_duration_seconds",
            "gauge",
            "How long the last finished run took.",
            last.duration()
                .map_or(0.0, |d| d.num_milliseconds() as f64 / 1000.0),
        );
        e.single(
            "dengar_last_run_success",
            "gauge",
            "1 when the last finished run had no error, else 0.",
            if last.ok { 1.0 } else { 0.0 },
        );
        e.family(
            "dengar_last_run_errors",
            "gauge",
            "Errors of the last finished run per platform.",
        );
        for (p, res) in &last.platforms {
            e.sample(
                "dengar_last_run_errors",
                &[("platform", p)],
                res.errors as f64,
            );
        }
    }

    e.family("dengar_items", "gauge", "Items in the store per status.");
    for (s, n) in &counts {
        e.sample("dengar_items", &[("status", s.as_str())], *n as f64);
    }
    e.family(
        "dengar_outbox_reports",
        "gauge",
        "Reports in the outbox per state.",
    );
    for (state, n) in store.outbox()?.counts()? {
        e.sample("dengar_outbox_reports", &[("state", &state)], n as f64);
    }
    let b = status::backlog(store)?;
    e.single(
        "dengar_backlog_items",
        "gauge",
        "Flagged items waiting for review.",
        b.items as f64,
    );
    e.single(
        "dengar_backlog_urgent_items",
        "gauge",
        "Urgent flagged items waiting for review.",
        b.urgent as f64,
    );
    e.single(
        "dengar_backlog_oldest_age_seconds",
        "gauge",
        "Seconds the oldest flagged item has waited (0 when the backlog is empty).",
        b.age(now).map_or(0, |a| a.num_seconds().max(0)) as f64,
    );

    http.render(&mut e);
    Ok(e.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_values_are_escaped_and_formatted() {
        let mut e = Exposition::default();
        e.family("m", "gauge", "help with \\ and\nnewline");
        e.sample("m", &[("a", "x\"y\\z\nw")], 1.5);
        e.sample("m", &[], 3.0);
        e.sample("m", &[], f64::INFINITY);
        let t = e.finish();
        assert!(t.contains("# HELP m help with \\\\ and\\nnewline\n"), "{t}");
        assert!(t.contains("m{a=\"x\\\"y\\\\z\\nw\"} 1.5\n"), "{t}");
        assert!(t.contains("m 3\n"), "{t}");
        assert!(t.contains("m +Inf\n"), "{t}");
    }
}
