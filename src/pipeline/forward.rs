//! Forward stage: accepted items become reports in the outbox, and due reports go to the
//! receiver, exactly once.
//!
//! 1. [`enqueue`]: every `accepted` item joins a report (merged items, `Decision.merged_into`,
//!    join their main item's report); the report enters the outbox as `ready` with an id derived
//!    from the main item, then its items move `accepted → reported`. A crash between the two
//!    steps is repaired on the next run: the id finds the record, the items move.
//! 2. [`send`]: after a healthcheck, each due report (`ready`, interrupted `sending`, retryable
//!    failure) is marked `sending` and flushed *before* the request, delivered with retries, and
//!    marked `forwarded` only with the receiver's tracking id; then its items move
//!    `reported → forwarded`. A permanent refusal keeps the receiver's message for staff. When
//!    the receiver is down, the rest waits for the next run.

use super::Context;
use crate::catalog::Catalog;
use crate::forward::{deliver, Forwarder, Outgoing, Target};
use crate::model::{Item, OutboxRecord, ReportDraft, ReportState, Status};
use crate::report;
use crate::store::{item_agency, Outbox, Store, StoreError, Transition};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::future::Future;

/// The actor name in the audit log.
const ACTOR: &str = "dengar";

/// What the forward stage did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ForwardReport {
    /// The receiver used.
    pub target: String,
    pub dry_run: bool,
    /// Reports that entered the outbox this run.
    pub drafted: usize,
    /// Items added to a report that had not left yet.
    pub merged: usize,
    /// Merged items whose main item is still waiting for review.
    pub waiting: usize,
    /// Reports due for sending at the start.
    pub due: usize,
    pub forwarded: usize,
    pub failed_permanent: usize,
    pub failed_retryable: usize,
    /// Due reports left for the next run (receiver down, or bound to another target).
    pub not_attempted: usize,
    /// Requests made.
    pub attempts: u32,
    /// The receiver could not be used at all (not configured, healthcheck failed, went down).
    pub unhealthy: Option<String>,
    /// Per-report failures, for the summary: `dgr-…: HTTP 422: message`.
    pub failures: Vec<String>,
    /// Store or drafting errors.
    pub errors: Vec<String>,
    /// In a dry run: what would be sent.
    pub previews: Vec<String>,
}

impl ForwardReport {
    /// Everything that needs a person or a rerun.
    pub fn problems(&self) -> usize {
        self.errors.len()
            + self.failed_permanent
            + self.failed_retryable
            + self.unhealthy.is_some() as usize
    }

    /// Whether the stage finished without problems.
    pub fn ok(&self) -> bool {
        self.problems() == 0
    }

    /// Human summary.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "  forward     {:>6}  to {}{}",
            self.forwarded,
            self.target,
            if self.dry_run {
                " (dry run: nothing sent)"
            } else {
                ""
            }
        );
        let _ = writeln!(
            s,
            "    drafted {}  merged {}  waiting {}  due {}  attempts {}",
            self.drafted, self.merged, self.waiting, self.due, self.attempts
        );
        let _ = writeln!(
            s,
            "    failed permanent {}  retryable {}  left for next run {}",
            self.failed_permanent, self.failed_retryable, self.not_attempted
        );
        if let Some(u) = &self.unhealthy {
            let _ = writeln!(s, "    receiver unavailable: {u}");
        }
        for e in self.failures.iter().chain(&self.errors).take(20) {
            let _ = writeln!(s, "    {e}");
        }
        s
    }
}

/// Runs a future to completion on a private runtime in a scoped thread, so the sync pipeline
/// can call async forwarders whether or not the caller is itself inside a runtime.
pub fn block_on<F>(fut: F) -> std::io::Result<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    std::thread::scope(|s| {
        s.spawn(|| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            Ok(rt.block_on(fut))
        })
        .join()
        .unwrap_or_else(|_| Err(std::io::Error::other("the forward thread panicked")))
    })
}

/// One report as planned from accepted items.
#[derive(Debug, Clone)]
pub struct Planned {
    pub id: String,
    pub main: String,
    pub items: Vec<String>,
    pub draft: ReportDraft,
}

/// Follows `merged_into` to the main item (at most 16 hops; a cycle stops where it closes).
fn main_of(store: &Store, item: &Item) -> Result<String, StoreError> {
    let mut id = item.post.id().0;
    let mut seen = HashSet::from([id.clone()]);
    let mut next = item.decision.as_ref().and_then(|d| d.merged_into.clone());
    for _ in 0..16 {
        let Some(n) = next else { break };
        if !seen.insert(n.clone()) {
            break;
        }
        let Some(it) = store.get(&n)? else { break };
        id = n;
        next = it.decision.as_ref().and_then(|d| d.merged_into.clone());
    }
    Ok(id)
}

/// The draft for a group: the reviewer's edited draft of the main item when there is one
/// (with every member's words and id added), else a fresh one.
pub fn draft_group(catalog: &Catalog, items: &[&Item]) -> Result<ReportDraft, String> {
    let main = items.first().ok_or("empty group")?;
    let code =
        item_agency(main).ok_or_else(|| format!("item {}: no agency chosen", main.post.id()))?;
    let agency = catalog
        .agency(code)
        .ok_or_else(|| format!("item {}: unknown agency `{code}`", main.post.id()))?;
    let fresh = report::draft(items, agency);
    let decision = main.decision.as_ref();
    let mut d = match decision.and_then(|d| d.report.clone()) {
        Some(mut edited) => {
            for (n, it) in items.iter().enumerate() {
                let id = it.post.id().0;
                if !edited.sources.contains(&id) {
                    let mut quote = String::new();
                    report::push_source(&mut quote, n + 1, it);
                    edited.isi = format!("{}\n\n{}", edited.isi.trim_end(), quote.trim_end());
                    edited.sources.push(id);
                }
            }
            edited
        }
        None => fresh,
    };
    if let Some(cat) = decision.and_then(|d| d.category.clone()) {
        d.kategori = cat;
    }
    Ok(d)
}

/// Groups accepted items into reports and enters new ones into the outbox (not in a dry run).
pub fn enqueue(ctx: &Context, dry_run: bool, out: &mut ForwardReport) -> Vec<Planned> {
    let store = &ctx.store;
    let outbox = match store.outbox() {
        Ok(o) => o,
        Err(e) => {
            out.errors.push(format!("cannot open the outbox: {e}"));
            return Vec::new();
        }
    };
    let ids = match store.ids_with_status(Status::Accepted) {
        Ok(ids) => ids,
        Err(e) => {
            out.errors.push(format!("cannot list accepted items: {e}"));
            return Vec::new();
        }
    };
    // main item id → members (main first)
    let mut groups: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    let mut late: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    for id in ids {
        let item = match store.get(&id) {
            Ok(Some(i)) => i,
            Ok(None) => continue,
            Err(e) => {
                out.errors.push(format!("{id}: {e}"));
                continue;
            }
        };
        let main = match main_of(store, &item) {
            Ok(m) => m,
            Err(e) => {
                out.errors.push(format!("{id}: {e}"));
                continue;
            }
        };
        if main == id {
            groups.entry(id).or_default().insert(0, item);
            continue;
        }
        match store.get(&main).ok().flatten().map(|m| m.status) {
            Some(Status::Accepted) => groups.entry(main).or_default().push(item),
            Some(Status::Reported | Status::Forwarded) => {
                late.entry(main).or_default().push(item);
            }
            Some(Status::New | Status::Flagged) => out.waiting += 1,
            // the main item was rejected or dismissed: this one stands alone
            _ => groups.entry(id).or_default().insert(0, item),
        }
    }
    // merged into a report that already exists: join it while it is still ready
    for (main, members) in late {
        let rec = match outbox.for_item(&main) {
            Ok(r) => r,
            Err(e) => {
                out.errors.push(format!("{main}: {e}"));
                continue;
            }
        };
        match rec {
            Some(rec) if rec.state == ReportState::Ready => {
                if dry_run {
                    out.merged += members.len();
                    continue;
                }
                if let Err(e) = join_ready(ctx, &outbox, &rec, &members) {
                    out.errors.push(e);
                } else {
                    out.merged += members.len();
                }
            }
            // the report has left: each late member becomes its own report
            _ => {
                for m in members {
                    groups.entry(m.post.id().0).or_default().insert(0, m);
                }
            }
        }
    }
    let mut planned = Vec::new();
    for (main, members) in groups {
        let refs: Vec<&Item> = members.iter().collect();
        let id = Outbox::report_id(&main);
        let item_ids: Vec<String> = members.iter().map(|m| m.post.id().0).collect();
        let existing = match outbox.get(&id) {
            Ok(r) => r,
            Err(e) => {
                out.errors.push(format!("{main}: {e}"));
                continue;
            }
        };
        let draft = match &existing {
            Some(rec) => rec.draft.clone(),
            None => match draft_group(&ctx.catalog, &refs) {
                Ok(d) => d,
                Err(e) => {
                    out.errors.push(e);
                    continue;
                }
            },
        };
        let p = Planned {
            id: id.clone(),
            main: main.clone(),
            items: item_ids.clone(),
            draft,
        };
        if dry_run {
            out.drafted += existing.is_none() as usize;
            planned.push(p);
            continue;
        }
        let in_report: Vec<String> = match existing {
            None => match outbox.insert_new(&id, &main, &item_ids, p.draft.clone()) {
                Ok(_) => {
                    out.drafted += 1;
                    item_ids.clone()
                }
                Err(e) => {
                    out.errors.push(format!("{main}: {e}"));
                    continue;
                }
            },
            // drafted before a crash: the record is there, the items may not have moved
            Some(rec) => {
                let missing: Vec<String> = item_ids
                    .iter()
                    .filter(|i| !rec.items.contains(i))
                    .cloned()
                    .collect();
                if missing.is_empty() {
                    rec.items
                } else if rec.state == ReportState::Ready {
                    match outbox.add_items(&id, &missing, rec.draft.clone()) {
                        Ok(r) => r.items,
                        Err(e) => {
                            out.errors.push(e.to_string());
                            continue;
                        }
                    }
                } else {
                    // never move an item into a report that left without it
                    out.errors.push(format!(
                        "{}: report {id} has left; merge them into another item",
                        missing.join(", ")
                    ));
                    rec.items
                }
            }
        };
        for item in item_ids.iter().filter(|i| in_report.contains(i)) {
            if let Err(e) = store.transition(
                item,
                Transition::new(Status::Reported, ACTOR, "report").why(format!("laporan {id}")),
            ) {
                out.errors.push(e.to_string());
            }
        }
        if let Err(e) = store.flush() {
            out.errors.push(format!("cannot flush the store: {e}"));
        }
        planned.push(p);
    }
    planned
}

/// Adds late-merged items to a ready report, redrafting it with every member.
fn join_ready(
    ctx: &Context,
    outbox: &Outbox,
    rec: &OutboxRecord,
    members: &[Item],
) -> Result<(), String> {
    let store = &ctx.store;
    let mut all: Vec<Item> = Vec::new();
    for id in &rec.items {
        if let Some(i) = store.get(id).map_err(|e| e.to_string())? {
            all.push(i);
        }
    }
    all.extend(members.iter().cloned());
    let refs: Vec<&Item> = all.iter().collect();
    let mut draft = draft_group(&ctx.catalog, &refs)?;
    // keep what staff may have edited in the ready report; only the body and sources grow
    let mut kept = rec.draft.clone();
    kept.isi = draft.isi.clone();
    kept.sources = std::mem::take(&mut draft.sources);
    let ids: Vec<String> = members.iter().map(|m| m.post.id().0).collect();
    outbox
        .add_items(&rec.id, &ids, kept)
        .map_err(|e| e.to_string())?;
    for id in &ids {
        store
            .transition(
                id,
                Transition::new(Status::Reported, ACTOR, "report")
                    .why(format!("merged into laporan {}", rec.id)),
            )
            .map_err(|e| e.to_string())?;
    }
    store.flush().map_err(|e| e.to_string())
}

/// Media links found in a post's raw JSON (photos, videos), as platforms name them.
fn media_in(raw: &serde_json::Value, out: &mut Vec<String>) {
    const KEYS: &[&str] = &[
        "media_url_https",
        "media_url",
        "full_picture",
        "thumbnail_url",
        "image_url",
        "preview_image_url",
        "display_url",
    ];
    match raw {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                if let serde_json::Value::String(s) = v {
                    if KEYS.contains(&k.as_str())
                        && (s.starts_with("https://") || s.starts_with("http://"))
                        && !out.contains(s)
                    {
                        out.push(s.clone());
                    }
                } else {
                    media_in(v, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| media_in(v, out)),
        _ => {}
    }
}

/// The report as it leaves: draft, id, source links and media of its items.
pub fn outgoing(store: &Store, id: &str, items: &[String], draft: &ReportDraft) -> Outgoing {
    let mut source_urls = Vec::new();
    let mut media_urls = Vec::new();
    for i in items {
        if let Ok(Some(item)) = store.get(i) {
            if let Some(u) = &item.post.url {
                source_urls.push(u.clone());
            }
            if let Some(raw) = &item.post.raw {
                media_in(raw, &mut media_urls);
            }
        }
    }
    media_urls.truncate(5);
    Outgoing {
        id: id.to_string(),
        draft: draft.clone(),
        source_urls,
        media_urls,
    }
}

/// Moves the items of forwarded reports that are still `reported` to `forwarded` (the step
/// after a receipt, repaired here when a run died between the two).
fn settle_items(store: &Store, rec: &OutboxRecord, out: &mut ForwardReport) {
    let Some(tracking) = rec.tracking_id() else {
        return;
    };
    for id in &rec.items {
        match store.get(id) {
            Ok(Some(item)) if item.status == Status::Reported => {
                let t = Transition::new(Status::Forwarded, ACTOR, "forward").why(format!(
                    "laporan {} tracking {tracking} via {}",
                    rec.id,
                    rec.target.as_deref().unwrap_or("-")
                ));
                if let Err(e) = store.transition(id, t) {
                    out.errors.push(e.to_string());
                }
            }
            Ok(_) => {}
            Err(e) => out.errors.push(format!("{id}: {e}")),
        }
    }
}

/// Sends due reports to `fwd`.
pub async fn send<F: Forwarder>(store: &Store, fwd: &F, out: &mut ForwardReport) {
    let outbox = match store.outbox() {
        Ok(o) => o,
        Err(e) => {
            out.errors.push(format!("cannot open the outbox: {e}"));
            return;
        }
    };
    // receipts recorded before a crash: finish moving their items
    match outbox.list(Some("forwarded")) {
        Ok(done) => done.iter().for_each(|r| settle_items(store, r, out)),
        Err(e) => out.errors.push(format!("cannot list the outbox: {e}")),
    }
    let due = match outbox.due() {
        Ok(d) => d,
        Err(e) => {
            out.errors.push(format!("cannot list the outbox: {e}"));
            return;
        }
    };
    out.due = due.len();
    if due.is_empty() {
        return;
    }
    if let Err(e) = fwd.healthcheck().await {
        out.unhealthy = Some(format!("{} healthcheck failed: {e}", fwd.name()));
        out.not_attempted = due.len();
        tracing::warn!(target = fwd.name(), error = %e, "receiver unavailable");
        return;
    }
    let mut stopped: Option<String> = None;
    for rec in due {
        if let Some(t) = rec.target.as_deref().filter(|t| *t != fwd.name()) {
            out.not_attempted += 1;
            out.failures.push(format!(
                "{}: waits for `{t}`, where a request for it already went",
                rec.id
            ));
            continue;
        }
        if stopped.is_some() {
            out.not_attempted += 1;
            continue;
        }
        let msg = outgoing(store, &rec.id, &rec.items, &rec.draft);
        if let Err(e) = outbox
            .mark_sending(&rec.id, fwd.name())
            .and_then(|_| store.flush())
        {
            out.errors.push(e.to_string());
            continue;
        }
        let d = deliver(fwd, &msg, |_| {
            if let Err(e) = outbox.count_attempt(&rec.id).and_then(|_| store.flush()) {
                tracing::error!(report = rec.id.as_str(), error = %e, "cannot count attempt");
            }
        })
        .await;
        out.attempts += d.attempts;
        match d.result {
            Ok(receipt) => {
                match outbox
                    .mark_forwarded(&rec.id, &receipt.tracking_id, receipt.note.clone())
                    .and_then(|r| store.flush().map(|_| r))
                {
                    Ok(r) => {
                        out.forwarded += 1;
                        tracing::info!(
                            report = rec.id.as_str(),
                            tracking = receipt.tracking_id.as_str(),
                            "forwarded"
                        );
                        settle_items(store, &r, out);
                        if let Err(e) = store.flush() {
                            out.errors.push(format!("cannot flush the store: {e}"));
                        }
                    }
                    Err(e) => out
                        .errors
                        .push(format!("{}: receipt not recorded: {e}", rec.id)),
                }
            }
            Err(e) => {
                let permanent = !e.retryable();
                if permanent {
                    out.failed_permanent += 1;
                } else {
                    out.failed_retryable += 1;
                }
                out.failures.push(format!("{}: {e}", rec.id));
                if let Err(se) = outbox
                    .mark_failed(&rec.id, permanent, &e.to_string(), e.http_status())
                    .and_then(|_| store.flush())
                {
                    out.errors.push(se.to_string());
                }
                if e.stops_run() {
                    stopped = Some(e.to_string());
                }
            }
        }
    }
    if let Some(why) = stopped {
        out.unhealthy = Some(format!(
            "{} stopped answering ({why}); {} report(s) wait for the next run",
            fwd.name(),
            out.not_attempted
        ));
    }
}

/// The whole stage: enqueue accepted items, then send due reports to `target` (the configured
/// one when `None`). In a dry run nothing is written or sent; previews show what would be.
pub fn run(ctx: &Context, target: Option<Target>, dry_run: bool) -> ForwardReport {
    let target = target.unwrap_or(ctx.config.forward.target);
    let mut out = ForwardReport {
        target: target.to_string(),
        dry_run,
        ..ForwardReport::default()
    };
    let planned = enqueue(ctx, dry_run, &mut out);
    let built = if dry_run {
        ctx.config
            .forward
            .build_for_preview(target, ctx.store.dir())
    } else {
        ctx.config.forward.build(target, ctx.store.dir())
    };
    let fwd = match built {
        Ok(f) => f,
        Err(e) => {
            out.unhealthy = Some(e.to_string());
            return out;
        }
    };
    if dry_run {
        let mut shown = HashSet::new();
        let due = ctx.store.outbox().and_then(|o| o.due()).unwrap_or_default();
        out.due = due.len();
        let all = planned
            .iter()
            .map(|p| (p.id.clone(), p.items.clone(), p.draft.clone()))
            .chain(due.into_iter().map(|r| (r.id, r.items, r.draft)));
        for (id, items, draft) in all {
            if !shown.insert(id.clone()) {
                continue;
            }
            let msg = outgoing(&ctx.store, &id, &items, &draft);
            match fwd.preview(&msg) {
                Ok(p) => out.previews.push(p),
                Err(e) => out.failures.push(format!("{id}: {e}")),
            }
        }
        return out;
    }
    let store = ctx.store.clone();
    match block_on(async {
        let mut o = out.clone();
        send(&store, &fwd, &mut o).await;
        o
    }) {
        Ok(o) => out = o,
        Err(e) => out.errors.push(format!("cannot run the forwarder: {e}")),
    }
    tracing::info!(
        target = out.target.as_str(),
        drafted = out.drafted,
        forwarded = out.forwarded,
        failed = out.failed_permanent + out.failed_retryable,
        "forward stage done"
    );
    out
}
