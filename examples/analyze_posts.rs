//! Times the full analyzer in-process on posts read from standard input (one per line):
//! segmentation, normalisation, stop-word check and the stem of every word, repeated until about
//! a second has passed. Prints posts per second. Used by `benches/compare_sastrawi.py` to put
//! dengar next to PySastrawi in the same run (`cargo bench --bench analyzer` is the precise
//! measurement).
//!
//! `cargo run --release --example analyze_posts < benches/posts.txt`

use dengar::text::Analyzer;
use std::io::BufRead;
use std::time::{Duration, Instant};

fn main() -> std::io::Result<()> {
    let posts: Vec<String> = std::io::stdin()
        .lock()
        .lines()
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let analyzer = Analyzer::new();
    let mut checksum = 0usize;
    let mut run = |n: &mut usize| {
        for p in &posts {
            analyzer.for_each_term(p, |t| {
                checksum += t.stem().len() + usize::from(t.is_stop());
            });
        }
        *n += posts.len();
    };
    let mut warm = 0;
    run(&mut warm);
    let start = Instant::now();
    let mut done = 0usize;
    while start.elapsed() < Duration::from_secs(1) {
        run(&mut done);
    }
    let secs = start.elapsed().as_secs_f64();
    println!("{:.0}", done as f64 / secs);
    eprintln!("analyzed {done} posts in {secs:.3} s (checksum {checksum})");
    Ok(())
}
