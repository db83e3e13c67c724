//! `dengar report ID`, `dengar forward`, `dengar reports list|show|requeue` and `dengar sync`:
//! report drafts, forwarding and follow-up from the command line.

use super::{Env, Outcome};
use crate::forward::Target;
use crate::model::{Item, OutboxRecord, ReportDraft, ReportState, Status};
use crate::pipeline::{forward, sync};
use crate::store::Outbox;
use anyhow::{anyhow, bail};
use std::io::Write;

/// `dengar report ID`
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Item id (`platform:native_id`) or report id (`dgr-…`).
    pub id: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `dengar forward`
#[derive(Debug, clap::Args)]
pub struct ForwardArgs {
    /// Show what would be sent; change and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Receiver: lapor, open311 or file (default: `[forward] target`).
    #[arg(long, value_parser = parse_target)]
    pub target: Option<Target>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `dengar sync`
#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `dengar reports …`
#[derive(Debug, clap::Subcommand)]
pub enum ReportsCommand {
    /// List reports in the outbox.
    List {
        /// Only this state: ready, sending, forwarded, failed, failed-retryable,
        /// failed-permanent.
        #[arg(long)]
        status: Option<String>,
        /// Print JSON lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show one report with its history and the receiver's statuses.
    Show {
        /// Report id (`dgr-…`) or item id.
        id: String,
    },
    /// Put a permanently failed report back in the queue (after fixing its cause).
    Requeue {
        /// Report id (`dgr-…`) or item id.
        id: String,
        /// Who decides (default: $USER).
        #[arg(long, env = "USER", default_value = "cli")]
        by: String,
    },
}

fn parse_target(s: &str) -> Result<Target, String> {
    Target::parse(s).ok_or_else(|| format!("unknown target `{s}` (one of: lapor, open311, file)"))
}

fn find_record(outbox: &Outbox, id: &str) -> anyhow::Result<Option<OutboxRecord>> {
    Ok(match outbox.get(id)? {
        Some(r) => Some(r),
        None => outbox.for_item(id)?,
    })
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "ya"
    } else {
        "tidak"
    }
}

fn print_draft(out: &mut impl Write, d: &ReportDraft) -> std::io::Result<()> {
    writeln!(out, "judul:            {}", d.judul)?;
    writeln!(out, "klasifikasi:      {}", d.klasifikasi.as_str())?;
    writeln!(out, "kategori:         {}", d.kategori)?;
    writeln!(out, "instansi:         {} ({})", d.instansi, d.agency)?;
    writeln!(
        out,
        "lokasi:           {}",
        d.lokasi.as_deref().unwrap_or("-")
    )?;
    writeln!(
        out,
        "tanggal kejadian: {}",
        d.tanggal_kejadian
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "-".into())
    )?;
    writeln!(
        out,
        "anonim:           {}    rahasia: {}",
        yes_no(d.anonim),
        yes_no(d.rahasia)
    )?;
    writeln!(out, "sumber:           {}", d.sources.join(", "))?;
    writeln!(out, "isi:")?;
    for line in d.isi.lines() {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

fn print_record(out: &mut impl Write, r: &OutboxRecord) -> std::io::Result<()> {
    writeln!(out, "laporan {}  {}", r.id, r.state)?;
    if let Some(t) = &r.target {
        writeln!(out, "tujuan:           {t}  (attempts {})", r.attempts)?;
    }
    writeln!(out, "item:             {}", r.items.join(", "))?;
    print_draft(out, &r.draft)?;
    writeln!(out, "riwayat:")?;
    for e in &r.history {
        writeln!(
            out,
            "  {} {:<17} {}",
            e.at.format("%Y-%m-%d %H:%M:%S"),
            e.state,
            e.note.as_deref().unwrap_or("")
        )?;
    }
    if !r.remote.is_empty() {
        writeln!(out, "status penerima:")?;
        for s in &r.remote {
            writeln!(
                out,
                "  {} {:<12} {}",
                s.fetched_at.format("%Y-%m-%d %H:%M:%S"),
                s.status,
                s.note.as_deref().unwrap_or("")
            )?;
        }
    }
    Ok(())
}

/// `dengar report ID`: the report an item is in, or the draft it would get now.
pub fn run_report(env: &Env, a: ReportArgs) -> anyhow::Result<Outcome> {
    let ctx = env.context()?;
    let outbox = ctx.store.outbox()?;
    let mut out = std::io::stdout().lock();
    if let Some(rec) = find_record(&outbox, &a.id)? {
        if a.json {
            writeln!(out, "{}", serde_json::to_string_pretty(&rec)?)?;
        } else {
            print_record(&mut out, &rec)?;
        }
        return Ok(Outcome::Ok);
    }
    let item = ctx
        .store
        .get(&a.id)?
        .ok_or_else(|| anyhow!("no item or report with id `{}`", a.id))?;
    // the item with the accepted items merged into it
    let mut members: Vec<Item> = vec![item.clone()];
    for id in ctx.store.ids_with_status(Status::Accepted)? {
        if id == a.id {
            continue;
        }
        if let Some(other) = ctx.store.get(&id)? {
            if other
                .decision
                .as_ref()
                .and_then(|d| d.merged_into.as_deref())
                == Some(&a.id)
            {
                members.push(other);
            }
        }
    }
    let refs: Vec<&Item> = members.iter().collect();
    let draft = forward::draft_group(&ctx.catalog, &refs).map_err(|e| anyhow!(e))?;
    if a.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&draft)?)?;
    } else {
        writeln!(
            out,
            "laporan {}  (draf: item {} belum masuk outbox)",
            Outbox::report_id(&a.id),
            item.status
        )?;
        print_draft(&mut out, &draft)?;
    }
    Ok(Outcome::Ok)
}

/// `dengar forward`
pub fn run_forward(env: &Env, a: ForwardArgs) -> anyhow::Result<Outcome> {
    let ctx = env.context()?;
    let report = forward::run(&ctx, a.target, a.dry_run);
    let mut out = std::io::stdout().lock();
    if a.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        for p in &report.previews {
            writeln!(out, "{p}\n")?;
        }
        write!(out, "{}", report.render())?;
    }
    Ok(if report.ok() {
        Outcome::Ok
    } else {
        Outcome::Partial
    })
}

/// `dengar sync`
pub fn run_sync(env: &Env, a: SyncArgs) -> anyhow::Result<Outcome> {
    let ctx = env.context()?;
    let report = sync::run(&ctx);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.render());
    }
    Ok(if report.ok() {
        Outcome::Ok
    } else {
        Outcome::Partial
    })
}

fn one_line(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= max {
        flat
    } else {
        flat.chars().take(max - 1).collect::<String>() + "…"
    }
}

/// `dengar reports …`
pub fn run_reports(env: &Env, cmd: ReportsCommand) -> anyhow::Result<Outcome> {
    let store = env.store()?;
    let outbox = store.outbox()?;
    let mut out = std::io::stdout().lock();
    match cmd {
        ReportsCommand::List { status, json } => {
            if let Some(s) = &status {
                if !ReportState::NAMES.contains(&s.as_str()) {
                    bail!(
                        "unknown report status `{s}` (one of: {})",
                        ReportState::NAMES.join(", ")
                    );
                }
            }
            let recs = outbox.list(status.as_deref())?;
            for r in &recs {
                if json {
                    serde_json::to_writer(&mut out, r)?;
                    writeln!(out)?;
                    continue;
                }
                let detail = match &r.state {
                    ReportState::Forwarded { tracking_id, .. } => {
                        let remote = r
                            .remote_status()
                            .map(|s| format!(" [{}]", s.status))
                            .unwrap_or_default();
                        format!("{tracking_id}{remote}")
                    }
                    ReportState::Failed { reason, .. } => one_line(reason, 60),
                    _ => String::new(),
                };
                writeln!(
                    out,
                    "{:<24} {:<17} {:<8} {:<20} {}  {}",
                    r.id,
                    r.state.name(),
                    r.target.as_deref().unwrap_or("-"),
                    r.draft.agency,
                    one_line(&r.draft.judul, 60),
                    detail
                )?;
            }
            if recs.is_empty() && !json {
                writeln!(out, "(no reports)")?;
            }
        }
        ReportsCommand::Show { id } => {
            let rec = find_record(&outbox, &id)?
                .ok_or_else(|| anyhow!("no report with id `{id}` and no report for that item"))?;
            print_record(&mut out, &rec)?;
        }
        ReportsCommand::Requeue { id, by } => {
            let rec = find_record(&outbox, &id)?
                .ok_or_else(|| anyhow!("no report with id `{id}` and no report for that item"))?;
            let rec = outbox.requeue(&rec.id, &by, None)?;
            store.audit_note(
                &by,
                "requeue",
                Some(&rec.main_item),
                Some(&format!("laporan {}", rec.id)),
            )?;
            store.flush()?;
            writeln!(out, "{}: {}", rec.id, rec.state.name())?;
        }
    }
    Ok(Outcome::Ok)
}
