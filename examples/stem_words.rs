//! Stems words read from standard input (one per line) with dengar's stemmer and prints
//! `word<TAB>stem`, then the timing on standard error. Used by `benches/compare_sastrawi.py`
//! to compare the stemmer alone with PySastrawi: the words are stemmed as given (lowercased),
//! without the analyzer's slang normalisation, through the full algorithm (no fast path, no
//! cache), so the timing is the uncached cost.
//!
//! `cargo run --release --example stem_words < words.txt`

use dengar::text::Analyzer;
use std::io::{BufRead, Write};
use std::time::Instant;

fn main() -> std::io::Result<()> {
    let analyzer = Analyzer::new();
    let stemmer = analyzer.stemmer();
    let words: Vec<String> = std::io::stdin()
        .lock()
        .lines()
        .map(|l| l.map(|w| w.trim().to_lowercase()))
        .collect::<Result<_, _>>()?;
    let start = Instant::now();
    let stems: Vec<&str> = words
        .iter()
        .map(|w| stemmer.resolve(w, stemmer.stem_uncached(w)))
        .collect();
    let elapsed = start.elapsed();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (w, s) in words.iter().zip(&stems) {
        writeln!(out, "{w}\t{s}")?;
    }
    out.flush()?;
    eprintln!(
        "stemmed {} words in {:.3} ms ({:.0} words/s, uncached)",
        words.len(),
        elapsed.as_secs_f64() * 1e3,
        words.len() as f64 / elapsed.as_secs_f64().max(1e-9)
    );
    Ok(())
}
