//! `dengar classify`: stateless classification of a JSONL file, one JSON line out per line in.

use super::{Env, Outcome};
use crate::classify::model::Scratch;
use crate::classify::Classifier;
use crate::pipeline::watched_handles;
use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;

/// Options of `classify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSONL input: each line has at least `id` and `text` (optional `account`). `-` = stdin.
    #[arg(long)]
    pub input: PathBuf,
    /// Output file (default stdout).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Directory with model files; tasks it lacks use the shipped models.
    #[arg(long)]
    pub model: Option<PathBuf>,
}

#[derive(Deserialize)]
struct In<'a> {
    id: serde_json::Value,
    #[serde(borrow)]
    text: Cow<'a, str>,
    #[serde(default, borrow)]
    account: Option<Cow<'a, str>>,
}

#[derive(Serialize)]
struct Out<'a> {
    id: &'a serde_json::Value,
    complaint: bool,
    complaint_score: f32,
    agency: Option<&'a str>,
    agency_scores: &'a [(String, f32)],
    urgency: f32,
    urgent: bool,
    reasons: Vec<(&'a str, f32)>,
}

pub fn run(env: &Env, args: Args) -> anyhow::Result<Outcome> {
    let catalog = env.catalog()?;
    let handles: Vec<String> = watched_handles(&catalog).into_iter().collect();
    let model_dir = args
        .model
        .as_deref()
        .or(env.config.classify.model_dir.as_deref());
    let mut classifier = Classifier::load(model_dir, handles)?;
    classifier.threshold = env.config.classify.complaint_threshold;
    let input: Box<dyn BufRead> = if args.input.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::with_capacity(
            1 << 20,
            std::fs::File::open(&args.input)
                .with_context(|| format!("opening {}", args.input.display()))?,
        ))
    };
    let out: Box<dyn Write> = match &args.output {
        Some(p) => {
            Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let mut scratch = Scratch::default();
    let mut skipped = 0usize;
    let mut line = Vec::new();
    let mut input = input;
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
        let parsed: Result<In, String> = std::str::from_utf8(bytes)
            .map_err(|_| "not valid UTF-8".to_string())
            .and_then(|s| serde_json::from_str(s).map_err(|e| e.to_string()));
        let rec = match parsed {
            Ok(r) => r,
            Err(e) => {
                skipped += 1;
                eprintln!("{}: line {n}: skipped: {e}", args.input.display());
                continue;
            }
        };
        let p = classifier.predict(&rec.text, rec.account.as_deref(), &mut scratch);
        let o = Out {
            id: &rec.id,
            complaint: p.complaint,
            complaint_score: p.complaint_score,
            agency: p.agency.as_deref(),
            agency_scores: &p.agency_scores,
            urgency: p.urgency,
            urgent: p.urgent,
            reasons: p
                .reasons
                .iter()
                .map(|r| (r.feature.as_str(), r.weight))
                .collect(),
        };
        serde_json::to_writer(&mut out, &o)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(if skipped > 0 {
        Outcome::Partial
    } else {
        Outcome::Ok
    })
}
