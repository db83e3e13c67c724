//! `dengar status`: the last run, the review backlog and its age, and everything that needs a
//! person — a run that failed or never finished, a platform token that was refused, reports the
//! receiver refused for good, a backlog older than LAPOR's verification time, an overdue purge.
//!
//! Inputs are the run records, the report outbox, the store and the lock file; the clock is a
//! parameter.

use super::lock::{self, LockInfo};
use super::retention;
use super::runs::{RunRecord, RunState, Runs};
use crate::config::Config;
use crate::model::Status;
use crate::store::{Store, StoreError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// LAPOR expects an agency to verify a report within 3 working days: a backlog item older than
/// this needs a person.
pub const BACKLOG_ALERT_DAYS: i64 = 3;

/// The review backlog: items waiting for a reviewer.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Backlog {
    /// Flagged items.
    pub items: usize,
    /// Of which urgent.
    pub urgent: usize,
    /// When the oldest one was flagged.
    pub oldest: Option<DateTime<Utc>>,
}

impl Backlog {
    /// Age of the oldest item at `now`.
    pub fn age(&self, now: DateTime<Utc>) -> Option<chrono::Duration> {
        self.oldest.map(|o| now.signed_duration_since(o))
    }
}

/// Reads the backlog from the queue index.
pub fn backlog(store: &Store) -> Result<Backlog, StoreError> {
    let mut b = Backlog::default();
    for id in store.ids_with_status(Status::Flagged)? {
        let Some(item) = store.get(&id)? else {
            continue;
        };
        b.items += 1;
        if item.prediction.as_ref().is_some_and(|p| p.urgent) {
            b.urgent += 1;
        }
        if b.oldest.is_none_or(|o| item.updated_at < o) {
            b.oldest = Some(item.updated_at);
        }
    }
    Ok(b)
}

/// Whether an error message says a platform refused our credentials (expired, revoked or
/// invalid token; Meta's OAuthException code 190; HTTP 401).
pub fn is_credential_error(message: &str) -> bool {
    let m = message.to_lowercase();
    const PATTERNS: [&str; 14] = [
        "401",
        "unauthorized",
        "unauthorised",
        "invalid token",
        "invalid_token",
        "token expired",
        "expired token",
        "token has expired",
        "access token",
        "oauthexception",
        "\"code\":190",
        "code 190",
        "invalid_grant",
        "authentication failed",
    ];
    PATTERNS.iter().any(|p| m.contains(p))
}

/// Everything `status` reports.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    pub now: DateTime<Utc>,
    /// The newest run record (may be running or interrupted).
    pub last_run: Option<RunRecord>,
    /// The newest finished run.
    pub last_finished: Option<RunRecord>,
    /// The lock holder, if a run holds the lock now.
    pub running: Option<LockInfo>,
    pub backlog: Backlog,
    /// Items per status.
    pub counts: BTreeMap<String, usize>,
    /// Dismissed and rejected items past retention that still hold content.
    pub purge_overdue: usize,
    /// What needs a person, most important first.
    pub attention: Vec<String>,
}

/// Gathers the status of the store in `data_dir` at time `now`.
pub fn gather(
    store: &Store,
    data_dir: &Path,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<StatusReport, StoreError> {
    let runs = Runs::open(store)?;
    let last_run = runs.last()?;
    let last_finished = runs.last_finished()?;
    let backlog = backlog(store)?;
    let counts = store
        .count_by_status()?
        .into_iter()
        .map(|(s, n)| (s.to_string(), n))
        .collect();
    let purge_overdue = retention::overdue(store, config.retention.retention_days, now)?;
    let max_age = chrono::Duration::hours(i64::from(config.schedule.lock_max_age_hours));
    let mut attention = Vec::new();
    let running = match lock::read(data_dir) {
        Ok(Some(info)) => {
            let state = lock::judge(&info, now, max_age);
            if state.is_stale() {
                attention.push(format!(
                    "a stale run lock from pid {} on {} ({}) remains; the next run takes it over",
                    info.pid,
                    info.host,
                    state.describe()
                ));
                None
            } else {
                Some(info)
            }
        }
        Ok(None) => None,
        Err(e) => {
            attention.push(format!("the run lock cannot be read: {e}"));
            None
        }
    };
    let overdue = chrono::Duration::hours(i64::from(config.schedule.overdue_after_hours));
    match &last_finished {
        None => attention.push(
            "no nightly run has finished yet: run `dengar nightly` or `dengar schedule install`"
                .to_string(),
        ),
        Some(r) => {
            let end = r.finished_at.unwrap_or(r.started_at);
            let age = now.signed_duration_since(end);
            if age > overdue {
                attention.push(format!(
                    "the last finished run (#{}) ended {} ago, more than {} h: is the schedule running?",
                    r.id,
                    human_duration(age),
                    config.schedule.overdue_after_hours
                ));
            }
            run_attention(r, &mut attention);
        }
    }
    if let Some(r) = &last_run {
        if r.state == RunState::Interrupted {
            attention.push(format!(
                "run #{} started {} never finished (the process died); see the logs",
                r.id,
                r.started_at.format("%Y-%m-%d %H:%M UTC")
            ));
        }
    }
    if let Some(age) = backlog.age(now) {
        if age > chrono::Duration::days(BACKLOG_ALERT_DAYS) {
            attention.push(format!(
                "the oldest flagged item has waited {} (LAPOR expects verification within {} working days)",
                human_duration(age),
                BACKLOG_ALERT_DAYS
            ));
        }
    }
    // the outbox is the truth about refused reports (a run record only says what one run saw)
    let refused = store.outbox()?.list(Some("failed-permanent"))?;
    if !refused.is_empty() {
        let mut line = format!(
            "{} report(s) refused for good by the receiver wait for staff to correct and requeue them (`dengar reports list --status failed-permanent`)",
            refused.len()
        );
        for r in refused.iter().take(3) {
            let why: String = r
                .receiver_message()
                .unwrap_or("")
                .chars()
                .take(120)
                .collect();
            let _ = write!(line, "; {}: {why}", r.id);
        }
        attention.push(line);
    }
    if purge_overdue > 0 {
        attention.push(format!(
            "{purge_overdue} dismissed or rejected items are past {} days and still hold text: run `dengar purge`",
            config.retention.retention_days
        ));
    }
    Ok(StatusReport {
        now,
        last_run,
        last_finished,
        running,
        backlog,
        counts,
        purge_overdue,
        attention,
    })
}

/// What a finished run leaves for a person.
fn run_attention(r: &RunRecord, out: &mut Vec<String>) {
    let mut credential_platforms = BTreeMap::<String, String>::new();
    for e in &r.errors {
        if e.stage != "forward" && is_credential_error(&e.message) {
            let who = e
                .platform
                .clone()
                .or_else(|| e.source.clone())
                .unwrap_or_else(|| e.stage.clone());
            credential_platforms
                .entry(who)
                .or_insert_with(|| e.message.clone());
        }
    }
    for (who, msg) in &credential_platforms {
        out.push(format!(
            "{who}: the platform refused our token (expired or revoked?): renew it in the config — {msg}"
        ));
    }
    if let Some(f) = &r.forward {
        if let Some(u) = &f.unhealthy {
            out.push(format!(
                "the report receiver {} could not be used: {u}",
                f.target
            ));
        }
    }
    let other = r
        .errors
        .iter()
        .filter(|e| !(e.stage != "forward" && is_credential_error(&e.message)))
        .count()
        + r.errors_dropped;
    if other > 0 {
        out.push(format!(
            "run #{} finished with {} errors: `dengar runs show {}`",
            r.id,
            r.error_count(),
            r.id
        ));
    }
}

/// `3 d 4 h`, `5 h 2 min`, `40 min`.
pub fn human_duration(d: chrono::Duration) -> String {
    let mins = d.num_minutes().max(0);
    let (days, hours, m) = (mins / 1440, (mins / 60) % 24, mins % 60);
    if days > 0 {
        format!("{days} d {hours} h")
    } else if hours > 0 {
        format!("{hours} h {m} min")
    } else if mins > 0 {
        format!("{m} min")
    } else {
        format!("{} s", d.num_seconds().max(0))
    }
}

impl StatusReport {
    /// The text `dengar status` prints.
    pub fn render(&self) -> String {
        let mut s = String::new();
        match &self.last_run {
            Some(r) => {
                let _ = writeln!(
                    s,
                    "last run    #{} {} started {} ({} ago){}",
                    r.id,
                    r.outcome(),
                    r.started_at.format("%Y-%m-%d %H:%M:%S UTC"),
                    human_duration(self.now.signed_duration_since(r.started_at)),
                    r.duration()
                        .map(|d| format!(", took {}", human_duration(d)))
                        .unwrap_or_default()
                );
                let _ = writeln!(
                    s,
                    "            harvested {} (new {}), flagged {}, dismissed {}, errors {}",
                    r.harvest.read,
                    r.harvest.new,
                    r.classify.flagged,
                    r.classify.dismissed,
                    r.error_count()
                );
                if let Some(m) = &r.model_id {
                    let _ = writeln!(s, "            model {m}");
                }
            }
            None => {
                let _ = writeln!(s, "last run    none");
            }
        }
        if let Some(l) = &self.running {
            let _ = writeln!(
                s,
                "running     {} since {} (pid {} on {})",
                l.command,
                l.started_at.format("%Y-%m-%d %H:%M:%S UTC"),
                l.pid,
                l.host
            );
        }
        let _ = writeln!(
            s,
            "backlog     {} flagged ({} urgent){}",
            self.backlog.items,
            self.backlog.urgent,
            self.backlog
                .age(self.now)
                .map(|a| format!(", oldest waiting {}", human_duration(a)))
                .unwrap_or_default()
        );
        let counts: Vec<String> = self
            .counts
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        let _ = writeln!(s, "items       {}", counts.join(", "));
        if self.attention.is_empty() {
            let _ = writeln!(s, "attention   nothing needs a person");
        } else {
            let _ = writeln!(s, "attention   {} item(s):", self.attention.len());
            for a in &self.attention {
                let _ = writeln!(s, "  - {a}");
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Platform, Post, Prediction};
    use crate::ops::runs::{ForwardCounts, RunError};
    use crate::store::Transition;
    use chrono::TimeZone;

    #[test]
    fn credential_errors_are_recognised() {
        assert!(is_credential_error("HTTP 401: Unauthorized"));
        assert!(is_credential_error(
            r#"{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190}}"#
        ));
        assert!(is_credential_error("The access token is invalid"));
        assert!(!is_credential_error("HTTP 503: service unavailable"));
        assert!(!is_credential_error("line 4: missing field `text`"));
    }

    #[test]
    fn durations_read_like_people_say_them() {
        assert_eq!(
            human_duration(chrono::Duration::minutes(3 * 1440 + 65)),
            "3 d 1 h"
        );
        assert_eq!(human_duration(chrono::Duration::minutes(125)), "2 h 5 min");
        assert_eq!(human_duration(chrono::Duration::seconds(30)), "30 s");
    }

    #[test]
    fn status_lists_what_needs_a_person() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let config = Config::default();
        let t0 = Utc.with_ymd_and_hms(2026, 11, 1, 18, 0, 0).unwrap();
        let now = t0 + chrono::Duration::days(5);
        // a flagged item waiting since t0
        let post = Post {
            platform: Platform::X,
            native_id: "1".into(),
            author_id: "a".into(),
            author_handle: "w".into(),
            text: "banjir".into(),
            created_at: t0,
            url: None,
            reply_to: None,
            account: None,
            raw: None,
        };
        store.insert_post(&post).unwrap();
        let mut t = Transition::new(Status::Flagged, "dengar", "classify").prediction(Prediction {
            model_id: "m".into(),
            complaint: true,
            complaint_score: 0.9,
            agency: Some("bpbd".into()),
            agency_scores: vec![],
            urgency: 0.9,
            urgent: true,
            dup_group: None,
            reasons: vec![],
        });
        t.at = Some(t0);
        store.transition("x:1", t).unwrap();
        let empty = gather(&store, dir.path(), &config, now).unwrap();
        assert!(empty.attention.iter().any(|a| a.contains("no nightly run")));

        let runs = Runs::open(&store).unwrap();
        let mut r = runs.start(t0, "h", 1).unwrap();
        r.state = RunState::Finished;
        r.finished_at = Some(t0 + chrono::Duration::minutes(3));
        r.errors.push(RunError {
            stage: "harvest".into(),
            source: Some("instagram:mentions".into()),
            platform: Some("instagram".into()),
            message: "HTTP 400: Error validating access token (code 190)".into(),
        });
        r.forward = Some(ForwardCounts {
            target: "lapor".into(),
            failed_permanent: 1,
            unhealthy: Some("connection refused".into()),
            ..ForwardCounts::default()
        });
        runs.save(&r).unwrap();
        let outbox = store.outbox().unwrap();
        let draft = crate::model::ReportDraft {
            judul: "Banjir".into(),
            isi: "banjir".into(),
            klasifikasi: crate::model::Klasifikasi::Pengaduan,
            kategori: "Bencana".into(),
            agency: "bpbd".into(),
            instansi: "BPBD".into(),
            lokasi: None,
            tanggal_kejadian: None,
            anonim: true,
            rahasia: false,
            sources: vec!["x:1".into()],
            created_at: t0,
        };
        outbox
            .insert_new("dgr-1", "x:1", &["x:1".to_string()], draft)
            .unwrap();
        outbox
            .mark_failed("dgr-1", true, "kategori tidak dikenal", Some(422))
            .unwrap();
        let s = gather(&store, dir.path(), &config, now).unwrap();
        assert_eq!(s.backlog.items, 1);
        assert_eq!(s.backlog.urgent, 1);
        assert_eq!(s.backlog.oldest, Some(t0));
        let all = s.attention.join("\n");
        assert!(
            all.contains("instagram: the platform refused our token"),
            "{all}"
        );
        assert!(all.contains("1 report(s) refused for good"), "{all}");
        assert!(all.contains("dgr-1: kategori tidak dikenal"), "{all}");
        assert!(
            all.contains("receiver lapor could not be used: connection refused"),
            "{all}"
        );
        assert!(all.contains("ended 4 d 23 h ago"), "{all}");
        assert!(all.contains("oldest flagged item has waited 5 d"), "{all}");
        let text = s.render();
        assert!(text.contains("last run    #1 partial"), "{text}");
        assert!(
            text.contains("backlog     1 flagged (1 urgent), oldest waiting 5 d 0 h"),
            "{text}"
        );
    }
}
