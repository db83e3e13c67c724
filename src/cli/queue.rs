//! `dengar queue list|show`, `dengar review`, `dengar export` and `dengar stats`: the review
//! queue from the command line, for scripts and for staff without a browser.

use super::{Env, Outcome};
use crate::model::{Decision, Item, Status};
use crate::store::{ListFilter, Transition};
use anyhow::{anyhow, bail};
use std::collections::BTreeMap;
use std::io::Write;

/// `dengar queue …`
#[derive(Debug, clap::Subcommand)]
pub enum QueueCommand {
    /// List items in review order.
    List {
        /// Status to list.
        #[arg(long, default_value = "flagged")]
        status: String,
        /// Only this agency.
        #[arg(long)]
        agency: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Show one item with its prediction and audit trail.
    Show {
        /// Item id (`platform:native_id`).
        id: String,
    },
}

/// `dengar review ID --accept [--agency A] | --reject REASON`
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("decision").required(true).args(["accept", "reject", "undo"])))]
pub struct ReviewArgs {
    /// Item id (`platform:native_id`).
    pub id: String,
    /// Accept as a complaint.
    #[arg(long)]
    pub accept: bool,
    /// Agency on accept (default: the predicted one).
    #[arg(long, requires = "accept")]
    pub agency: Option<String>,
    /// LAPOR category on accept (default: the agency's).
    #[arg(long, requires = "accept")]
    pub category: Option<String>,
    /// Reject with a reason: not-a-complaint, spam, duplicate, outside-authority, or free text.
    #[arg(long)]
    pub reject: Option<String>,
    /// Undo the last decision (back to the queue).
    #[arg(long)]
    pub undo: bool,
    /// Who decides (default: $USER).
    #[arg(long, env = "USER", default_value = "cli")]
    pub by: String,
}

/// `dengar export`
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_parser = ["jsonl", "csv"], default_value = "jsonl")]
    pub format: String,
    /// Only this status.
    #[arg(long)]
    pub status: Option<String>,
    /// Output file (default stdout).
    #[arg(long)]
    pub output: Option<std::path::PathBuf>,
    /// Export authors' real ids, handles and links (default: pseudonymised with the
    /// installation's key). Recorded in the audit log.
    #[arg(long)]
    pub reveal_authors: bool,
    /// Who exports, for the audit log (default: $USER).
    #[arg(long, env = "USER", default_value = "cli")]
    pub by: String,
}

fn parse_status(s: &str) -> anyhow::Result<Status> {
    Status::parse(s).ok_or_else(|| {
        anyhow!(
            "unknown status `{s}` (one of: {})",
            Status::ALL.map(|s| s.as_str()).join(", ")
        )
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

fn agency_of(item: &Item) -> String {
    crate::store::item_agency(item).unwrap_or("-").to_string()
}

pub fn run_queue(env: &Env, cmd: QueueCommand) -> anyhow::Result<Outcome> {
    let store = env.store()?;
    let mut out = std::io::stdout().lock();
    match cmd {
        QueueCommand::List {
            status,
            agency,
            limit,
        } => {
            let items = store.list(&ListFilter {
                status: Some(parse_status(&status)?),
                agency,
                offset: 0,
                limit,
            })?;
            for item in &items {
                let (score, urgent) = item
                    .prediction
                    .as_ref()
                    .map(|p| (p.complaint_score, p.urgent))
                    .unwrap_or((0.0, false));
                writeln!(
                    out,
                    "{:<32} {:>4.2} {} {:<20} {}",
                    item.post.id().as_str(),
                    score,
                    if urgent { "!" } else { " " },
                    agency_of(item),
                    one_line(&item.post.text, 70)
                )?;
            }
            if items.is_empty() {
                writeln!(out, "(no {status} items)")?;
            }
        }
        QueueCommand::Show { id } => {
            let item = store
                .get(&id)?
                .ok_or_else(|| anyhow!("no item with id `{id}`"))?;
            writeln!(out, "{}", serde_json::to_string_pretty(&item)?)?;
            writeln!(out, "audit:")?;
            for e in store.audit(Some(&id))? {
                writeln!(
                    out,
                    "  {} {} {} {}→{} {}",
                    e.at.format("%Y-%m-%d %H:%M:%S"),
                    e.actor,
                    e.action,
                    e.from.map(|s| s.as_str()).unwrap_or("-"),
                    e.to.map(|s| s.as_str()).unwrap_or("-"),
                    e.why.unwrap_or_default()
                )?;
            }
        }
    }
    Ok(Outcome::Ok)
}

pub fn run_review(env: &Env, a: ReviewArgs) -> anyhow::Result<Outcome> {
    let store = env.store()?;
    let catalog = env.catalog()?;
    let item = store
        .get(&a.id)?
        .ok_or_else(|| anyhow!("no item with id `{}`", a.id))?;
    let t = if a.accept {
        let agency = a
            .agency
            .clone()
            .or_else(|| item.prediction.as_ref().and_then(|p| p.agency.clone()))
            .or_else(|| {
                item.prediction
                    .as_ref()
                    .and_then(|p| p.agency_scores.first().map(|(c, _)| c.clone()))
            })
            .ok_or_else(|| anyhow!("no predicted agency: give one with --agency"))?;
        let Some(ag) = catalog.agency(&agency) else {
            bail!(
                "unknown agency `{agency}` (one of: {})",
                catalog.codes().join(", ")
            );
        };
        let category = a
            .category
            .clone()
            .unwrap_or_else(|| ag.lapor_category.clone());
        Transition::new(Status::Accepted, &a.by, "accept")
            .why(format!("agency {agency}"))
            .decision(Decision {
                by: a.by.clone(),
                at: None,
                agency: Some(agency),
                category: Some(category),
                ..Decision::default()
            })
    } else if let Some(reason) = &a.reject {
        Transition::new(Status::Rejected, &a.by, "reject")
            .why(reason.clone())
            .decision(Decision {
                by: a.by.clone(),
                at: None,
                reason: Some(reason.clone()),
                ..Decision::default()
            })
    } else {
        Transition::new(Status::Flagged, &a.by, "undo").why("undo last decision")
    };
    let item = store.transition(&a.id, t)?;
    store.flush()?;
    println!("{}: {}", a.id, item.status);
    Ok(Outcome::Ok)
}

const CSV_HEADER: [&str; 12] = [
    "id",
    "platform",
    "created_at",
    "author",
    "text",
    "url",
    "account",
    "status",
    "complaint_score",
    "agency",
    "urgent",
    "decided_by",
];

pub fn run_export(env: &Env, a: ExportArgs) -> anyhow::Result<Outcome> {
    let store = env.store()?;
    let status = a.status.as_deref().map(parse_status).transpose()?;
    let mut items = store.list(&ListFilter {
        status,
        ..ListFilter::default()
    })?;
    if a.reveal_authors {
        let why = format!("{} items with real authors", items.len());
        store.audit_note(&a.by, "export-reveal-authors", None, Some(&why))?;
        store.flush()?;
    } else {
        let p = crate::ops::privacy::Pseudonymizer::load_or_create(env.data_dir())?;
        items.iter_mut().for_each(|i| p.apply(i));
    }
    let out: Box<dyn Write> = match &a.output {
        Some(p) => Box::new(std::fs::File::create(p)?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = std::io::BufWriter::new(out);
    if a.format == "csv" {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(CSV_HEADER)?;
        for i in &items {
            let p = i.prediction.as_ref();
            w.write_record([
                i.post.id().as_str(),
                i.post.platform.as_str(),
                &i.post.created_at.to_rfc3339(),
                &i.post.author_handle,
                &i.post.text,
                i.post.url.as_deref().unwrap_or(""),
                i.post.account.as_deref().unwrap_or(""),
                i.status.as_str(),
                &p.map(|p| format!("{:.4}", p.complaint_score))
                    .unwrap_or_default(),
                &agency_of(i),
                if p.is_some_and(|p| p.urgent) {
                    "1"
                } else {
                    "0"
                },
                i.decision.as_ref().map(|d| d.by.as_str()).unwrap_or(""),
            ])?;
        }
        w.flush()?;
    } else {
        for i in &items {
            let mut item = i.clone();
            item.post.raw = None;
            serde_json::to_writer(&mut out, &item)?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
    }
    eprintln!("exported {} items", items.len());
    Ok(Outcome::Ok)
}

pub fn run_stats(env: &Env) -> anyhow::Result<Outcome> {
    let store = env.store()?;
    let counts = store.count_by_status()?;
    let mut per_agency: BTreeMap<String, BTreeMap<Status, usize>> = BTreeMap::new();
    let mut per_platform: BTreeMap<String, usize> = BTreeMap::new();
    store.for_each_item(|i| {
        *per_platform.entry(i.post.platform.to_string()).or_default() += 1;
        if let Some(a) = crate::store::item_agency(&i) {
            *per_agency
                .entry(a.to_string())
                .or_default()
                .entry(i.status)
                .or_default() += 1;
        }
    })?;
    println!("items {}", store.len());
    for (s, n) in &counts {
        println!("  {:<10} {n:>6}", s.as_str());
    }
    println!("per platform:");
    for (p, n) in &per_platform {
        println!("  {p:<10} {n:>6}");
    }
    println!("per agency (flagged / accepted / rejected / forwarded):");
    for (a, m) in &per_agency {
        let g = |s| m.get(&s).copied().unwrap_or(0);
        println!(
            "  {a:<22} {:>5} {:>5} {:>5} {:>5}",
            g(Status::Flagged),
            g(Status::Accepted),
            g(Status::Rejected),
            g(Status::Forwarded)
        );
    }
    Ok(Outcome::Ok)
}
