//! Throughput of the text analyzer on realistic posts (`benches/posts.txt`, written for this
//! benchmark: Banjarmasin complaints in informal Indonesian and Banjar, 90–265 bytes).
//!
//! `cargo bench --bench analyzer` — results and the machine they were measured on are in
//! `docs/text-bench.md`. Groups:
//! - `analyzer/full`: segmentation, all normalisers, stop-word check and the stem of every word
//!   (what `dengar analyze` computes), per post;
//! - `analyzer/tokens`: segmentation and normalisation only;
//! - `analyzer/segment`: segmentation only;
//! - `analyzer/features`: the classifier's feature extraction on top of the analyzer;
//! - `stemmer/uncached`: the full stemming algorithm per word, without fast path or cache.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use dengar::classify::features::Features;
use dengar::text::{segment::Segments, stem::Stem, Analyzer, TokenKind};

const POSTS: &str = include_str!("posts.txt");

fn posts() -> Vec<&'static str> {
    POSTS.lines().filter(|l| !l.trim().is_empty()).collect()
}

fn bench(c: &mut Criterion) {
    let posts = posts();
    let analyzer = Analyzer::new();
    let mut g = c.benchmark_group("analyzer");
    g.throughput(Throughput::Elements(posts.len() as u64));
    g.bench_function("full", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for p in &posts {
                analyzer.for_each_term(black_box(p), |t| {
                    n += t.stem().len() + usize::from(t.is_stop());
                });
            }
            n
        })
    });
    g.bench_function("tokens", |b| {
        b.iter(|| {
            posts
                .iter()
                .map(|p| analyzer.tokens(black_box(p)).len())
                .sum::<usize>()
        })
    });
    g.bench_function("segment", |b| {
        b.iter(|| {
            posts
                .iter()
                .map(|p| Segments::new(black_box(p)).count())
                .sum::<usize>()
        })
    });
    let features = Features::new(["pupr_bjm".to_string(), "dishub.bjm".to_string()]);
    g.bench_function("features", |b| {
        let mut buf = dengar::classify::features::FeatureBuf::default();
        b.iter(|| {
            let mut n = 0usize;
            for p in &posts {
                features.for_each(black_box(p), Some("pemkot_bjm"), &mut buf, |f, _, _, _| {
                    n += f.len()
                });
            }
            n
        })
    });
    g.finish();

    let mut words: Vec<String> = Vec::new();
    for p in &posts {
        analyzer.for_each_term(p, |t| {
            if t.kind == TokenKind::Word {
                words.push(t.norm.to_string());
            }
        });
    }
    let mut g = c.benchmark_group("stemmer");
    g.throughput(Throughput::Elements(words.len() as u64));
    let stemmer = analyzer.stemmer();
    g.bench_function("uncached", |b| {
        b.iter(|| {
            words
                .iter()
                .filter(|w| stemmer.stem_uncached(black_box(w)) != Stem::Unchanged)
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
