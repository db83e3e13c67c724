//! `dengar analyze`: shows how the analyzer reads a text — every token with its kind, byte span,
//! surface text, normalised form and stem — as a table or as JSON, for one text or for each line
//! of standard input.

use super::{Env, Outcome};
use crate::text::{Analyzer, TokenKind};
use anyhow::Context as _;
use serde::Serialize;
use std::io::{BufRead, BufWriter, Write};

/// Options of `analyze`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The text to analyze (quote it). Omit it with `--lines`.
    #[arg(required_unless_present = "lines", conflicts_with = "lines")]
    pub text: Option<String>,
    /// Print one JSON array of `{kind, start, end, text, norm, stem, stop}`, spaces included
    /// (the spans then cover the text exactly).
    #[arg(long)]
    pub json: bool,
    /// Analyze each line of standard input; with `--json` print one array per line (JSONL).
    #[arg(long)]
    pub lines: bool,
}

#[derive(Serialize)]
struct Out<'a> {
    kind: TokenKind,
    start: usize,
    end: usize,
    text: &'a str,
    norm: &'a str,
    /// Stem of a word; `null` for other kinds.
    stem: Option<&'a str>,
    stop: bool,
}

fn rows<'a>(analyzer: &'a Analyzer, tokens: &'a [crate::text::Token<'a>]) -> Vec<Out<'a>> {
    tokens
        .iter()
        .map(|t| {
            let word = t.kind == TokenKind::Word && !t.norm.is_empty();
            Out {
                kind: t.kind,
                start: t.start,
                end: t.end,
                text: t.text,
                norm: &t.norm,
                stem: word.then(|| analyzer.stem(&t.norm)),
                stop: word && analyzer.is_stop(&t.norm),
            }
        })
        .collect()
}

fn print(analyzer: &Analyzer, text: &str, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let tokens = analyzer.tokens(text);
    let rows = rows(analyzer, &tokens);
    if json {
        serde_json::to_writer(&mut *out, &rows)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<9} {:>11}  {:<24} {:<24} stem",
        "kind", "span", "text", "norm"
    )?;
    for r in rows.iter().filter(|r| r.kind != TokenKind::Space) {
        let norm = if r.norm.is_empty() {
            "(phrase)"
        } else {
            r.norm
        };
        let stem = r.stem.unwrap_or("");
        let stop = if r.stop { "  [stop]" } else { "" };
        writeln!(
            out,
            "{:<9} {:>11}  {:<24} {:<24} {stem}{stop}",
            r.kind.name(),
            format!("{}..{}", r.start, r.end),
            format!("{:?}", r.text),
            norm
        )?;
    }
    Ok(())
}

pub fn run(env: &Env, args: Args) -> anyhow::Result<Outcome> {
    let analyzer = Analyzer::from_config(&env.config.text)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut outcome = Outcome::Ok;
    if args.lines {
        let mut input = std::io::stdin().lock();
        let mut line = Vec::new();
        let mut n = 0usize;
        loop {
            line.clear();
            if input
                .read_until(b'\n', &mut line)
                .context("reading standard input")?
                == 0
            {
                break;
            }
            n += 1;
            let bytes = line.strip_suffix(b"\n").unwrap_or(&line);
            let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            let text = match std::str::from_utf8(bytes) {
                Ok(t) => std::borrow::Cow::Borrowed(t),
                Err(_) => {
                    eprintln!(
                        "warning: line {n} is not valid UTF-8; invalid bytes replaced by U+FFFD"
                    );
                    outcome = Outcome::Partial;
                    String::from_utf8_lossy(bytes)
                }
            };
            print(&analyzer, &text, args.json, &mut out)?;
        }
    } else if let Some(text) = &args.text {
        print(&analyzer, text, args.json, &mut out)?;
    }
    out.flush()?;
    Ok(outcome)
}
