//! `dengar classify`: stateless classification of a JSONL file, one JSON line out per line in.
//!
//! The bulk path: lines are read into one reused buffer, `id`/`text`/`account` are picked out
//! by [`super::jsonline`] (falling back to `serde_json` only to word an error), the classifier
//! fills reused buffers ([`Classifier::analyse`]) and the output line is written by hand into
//! a reused byte buffer behind a 1 MiB writer. Near-duplicate groups span the whole input.
//!
//! Output per line: `id` (echoed), `complaint`, `complaint_score` (calibrated), `agency` (when
//! a complaint), `agency_scores` (top 3 `[code, p]`), `urgency`, `urgent`, `dup_group` and
//! `reasons` (`{feature, weight, span}`: the words that pushed the complaint score, with byte
//! spans into `text`).

use super::jsonline::{self, Bufs};
use super::{Env, Outcome};
use crate::classify::dedup::DupIndex;
use crate::classify::{urgency, Classifier, Scratch};
use crate::pipeline::watched_handles;
use anyhow::Context as _;
use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;

/// Options of `classify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSONL input: each line has at least `id` and `text` (optional `account`). `-` = stdin.
    #[arg(long)]
    pub input: PathBuf,
    /// Output file (default stdout; `-` = stdout).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Directory with model files; tasks it lacks use the shipped models.
    #[arg(long)]
    pub model: Option<PathBuf>,
}

/// Writes one output line for an analysed post.
fn write_line(
    out: &mut Vec<u8>,
    c: &Classifier,
    id: &str,
    text: &str,
    a: &crate::classify::Analysis<'_>,
    group: u64,
) {
    out.extend_from_slice(b"{\"id\":");
    out.extend_from_slice(id.as_bytes());
    out.extend_from_slice(if a.complaint {
        b",\"complaint\":true,\"complaint_score\":"
    } else {
        b",\"complaint\":false,\"complaint_score\":"
    });
    jsonline::push_f32(out, a.complaint_score);
    out.extend_from_slice(b",\"agency\":");
    match a.agencies.first() {
        Some(&(i, _)) if a.complaint => jsonline::push_str(out, &c.agency.labels[i as usize]),
        _ => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"agency_scores\":[");
    for (k, &(i, p)) in a.agencies.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.push(b'[');
        jsonline::push_str(out, &c.agency.labels[i as usize]);
        out.push(b',');
        jsonline::push_f32(out, p);
        out.push(b']');
    }
    out.extend_from_slice(b"],\"urgency\":");
    jsonline::push_f32(out, a.urgency);
    out.extend_from_slice(if a.complaint && a.urgency >= urgency::URGENT_AT {
        b",\"urgent\":true"
    } else {
        b",\"urgent\":false"
    });
    out.extend_from_slice(b",\"dup_group\":\"g");
    let hex = b"0123456789abcdef";
    for k in (0..16).rev() {
        out.push(hex[(group >> (4 * k) & 0xf) as usize]);
    }
    out.extend_from_slice(b"\",\"reasons\":[");
    for (k, r) in a.reasons.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"feature\":");
        jsonline::push_str(out, c.reason_text(text, r));
        out.extend_from_slice(b",\"weight\":");
        jsonline::push_f32(out, r.weight);
        if r.end > r.start {
            out.extend_from_slice(b",\"span\":[");
            jsonline::push_u64(out, r.start as u64);
            out.push(b',');
            jsonline::push_u64(out, r.end as u64);
            out.push(b']');
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"]}\n");
}

pub fn run(env: &Env, args: Args) -> anyhow::Result<Outcome> {
    let catalog = env.catalog()?;
    let handles: Vec<String> = watched_handles(&catalog).into_iter().collect();
    let model_dir = args
        .model
        .as_deref()
        .or(env.config.classify.model_dir.as_deref());
    let mut classifier = Classifier::load(model_dir, handles)?;
    if let Some(t) = env.config.classify.complaint_threshold {
        classifier.threshold = t;
    }
    let mut input: Box<dyn BufRead> = if args.input.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::with_capacity(
            1 << 20,
            std::fs::File::open(&args.input)
                .with_context(|| format!("opening {}", args.input.display()))?,
        ))
    };
    let out: Box<dyn Write> = match &args.output {
        Some(p) if p.as_os_str() != "-" => {
            Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)
        }
        _ => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let mut scratch = Scratch::default();
    let mut bufs = Bufs::default();
    let mut groups = DupIndex::new();
    let mut line_out: Vec<u8> = Vec::with_capacity(1024);
    let mut skipped = 0usize;
    let mut line = Vec::new();
    let mut n = 0usize;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        n += 1;
        let bytes = line.strip_suffix(b"\n").unwrap_or(&line);
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Ok(s) = std::str::from_utf8(bytes) else {
            skipped += 1;
            eprintln!(
                "{}: line {n}: skipped: not valid UTF-8",
                args.input.display()
            );
            continue;
        };
        let rec = match jsonline::parse(s, &mut bufs) {
            Ok(r) => r,
            Err(short) => {
                skipped += 1;
                // serde_json words the error with a column; fall back to ours if it accepts
                let why = match serde_json::from_str::<serde_json::Value>(s) {
                    Err(e) => e.to_string(),
                    Ok(_) => short.to_string(),
                };
                eprintln!("{}: line {n}: skipped: {why}", args.input.display());
                continue;
            }
        };
        let a = classifier.analyse(rec.text, rec.account, &mut scratch);
        let group = groups.assign(a.dup);
        line_out.clear();
        write_line(&mut line_out, &classifier, rec.id, rec.text, &a, group);
        out.write_all(&line_out)?;
    }
    out.flush()?;
    Ok(if skipped > 0 {
        Outcome::Partial
    } else {
        Outcome::Ok
    })
}
