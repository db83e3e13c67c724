//! Sync stage (`dengar sync`): asks each receiver for the status of the reports it confirmed
//! and records every change in the outbox (shown on the item page and the dashboard) and the
//! audit log. Receivers without a status endpoint (files, LAPOR without `status_url`) are
//! skipped and counted.

use super::forward::block_on;
use super::Context;
use crate::forward::{Forwarder, Target};
use crate::model::{OutboxRecord, RemoteStatus};
use crate::store::Store;
use chrono::Utc;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What a sync did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SyncReport {
    /// Forwarded reports asked about.
    pub checked: usize,
    /// Reports whose status changed.
    pub changed: usize,
    /// Open311 tokens turned into request ids.
    pub resolved: usize,
    /// Forwarded reports whose receiver has no status to ask.
    pub unsupported: usize,
    pub errors: Vec<String>,
}

impl SyncReport {
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "sync: checked {}  changed {}  tokens resolved {}  without status {}  errors {}",
            self.checked,
            self.changed,
            self.resolved,
            self.unsupported,
            self.errors.len()
        );
        for e in self.errors.iter().take(20) {
            let _ = writeln!(s, "  {e}");
        }
        s
    }
}

async fn sync_target<F: Forwarder>(
    store: &Store,
    fwd: &F,
    records: &[OutboxRecord],
    out: &mut SyncReport,
) {
    let outbox = match store.outbox() {
        Ok(o) => o,
        Err(e) => {
            out.errors.push(e.to_string());
            return;
        }
    };
    for rec in records {
        let Some(tracking) = rec.tracking_id() else {
            continue;
        };
        out.checked += 1;
        match fwd.status(tracking).await {
            Ok(st) => {
                if let Some(id) = st.resolved_id.as_deref() {
                    match outbox.resolve_tracking(&rec.id, id) {
                        Ok(_) => out.resolved += 1,
                        Err(e) => out.errors.push(e.to_string()),
                    }
                }
                let status = RemoteStatus {
                    fetched_at: Utc::now(),
                    status: st.status.clone(),
                    note: st.note.clone(),
                    updated_at: st.updated_at,
                };
                match outbox.record_remote(&rec.id, status) {
                    Ok(true) => {
                        out.changed += 1;
                        let why = match &st.note {
                            Some(n) => format!("{} status {}: {n}", fwd.name(), st.status),
                            None => format!("{} status {}", fwd.name(), st.status),
                        };
                        if let Err(e) =
                            store.audit_note("dengar", "sync", Some(&rec.main_item), Some(&why))
                        {
                            out.errors.push(e.to_string());
                        }
                    }
                    Ok(false) => {}
                    Err(e) => out.errors.push(e.to_string()),
                }
            }
            Err(e) => {
                out.errors.push(format!("{} ({tracking}): {e}", rec.id));
                if e.stops_run() {
                    out.errors.push(format!(
                        "{} stopped answering: the other reports wait for the next sync",
                        fwd.name()
                    ));
                    break;
                }
            }
        }
    }
}

/// Fetches the status of every forwarded report from its receiver.
pub fn run(ctx: &Context) -> SyncReport {
    let mut out = SyncReport::default();
    let records = match ctx.store.outbox().and_then(|o| o.list(Some("forwarded"))) {
        Ok(r) => r,
        Err(e) => {
            out.errors.push(format!("cannot list the outbox: {e}"));
            return out;
        }
    };
    let mut by_target: BTreeMap<String, Vec<OutboxRecord>> = BTreeMap::new();
    for r in records {
        by_target
            .entry(r.target.clone().unwrap_or_default())
            .or_default()
            .push(r);
    }
    for (name, recs) in by_target {
        let Some(target) = Target::parse(&name) else {
            out.errors.push(format!(
                "{} report(s) forwarded to unknown target `{name}`",
                recs.len()
            ));
            continue;
        };
        let fwd = match ctx.config.forward.build(target, ctx.store.dir()) {
            Ok(f) => f,
            Err(e) => {
                out.errors
                    .push(format!("{} report(s) not checked: {e}", recs.len()));
                continue;
            }
        };
        if !fwd.supports_status() {
            out.unsupported += recs.len();
            continue;
        }
        let store = ctx.store.clone();
        let partial = block_on(async {
            let mut o = SyncReport::default();
            sync_target(&store, &fwd, &recs, &mut o).await;
            o
        });
        match partial {
            Ok(p) => {
                out.checked += p.checked;
                out.changed += p.changed;
                out.resolved += p.resolved;
                out.errors.extend(p.errors);
            }
            Err(e) => out.errors.push(format!("cannot run the sync: {e}")),
        }
    }
    if let Err(e) = ctx.store.flush() {
        out.errors.push(format!("cannot flush the store: {e}"));
    }
    out
}
