//! The shared compliance test every normaliser passes: on generated posts, applying one step
//! changes only the `norm` of tokens of its declared kinds, never a kind, span or text; a norm
//! it leaves equal stays borrowed if it was borrowed (no needless allocation); and the
//! analyzer's statically dispatched pipeline equals applying [`super::all`] in order.

use super::{all, run, Context, Normalizer};
use crate::text::segment::Segments;
use crate::text::{Analyzer, Token, TokenKind};
use proptest::prelude::*;
use std::borrow::Cow;

fn raw_tokens(text: &str) -> Vec<Token<'_>> {
    Segments::new(text)
        .map(|s| Token {
            kind: s.kind,
            start: s.start,
            end: s.end,
            text: &text[s.start..s.end],
            norm: Cow::Borrowed(&text[s.start..s.end]),
            flags: 0,
        })
        .collect()
}

/// Applies one normaliser the way the pipeline does (lexicon steps skip absorbed words).
fn apply(n: &dyn Normalizer, tokens: &mut [Token<'_>], cx: &Context<'_>) {
    for i in 0..tokens.len() {
        if !n.kinds().contains(tokens[i].kind) {
            continue;
        }
        if matches!(n.name(), "abbrev" | "slang") && tokens[i].norm.is_empty() {
            continue;
        }
        n.normalize(tokens, i, cx);
    }
}

fn check_post(text: &str) -> Result<(), String> {
    let analyzer = Analyzer::new();
    let mut tokens = raw_tokens(text);
    for n in all() {
        let cx = Context::new(analyzer.lexicon(), analyzer.stemmer());
        let before = tokens.clone();
        apply(n, &mut tokens, &cx);
        for (b, a) in before.iter().zip(&tokens) {
            if (b.kind, b.start, b.end, b.text) != (a.kind, a.start, a.end, a.text) {
                return Err(format!(
                    "{} moved or re-kinded {:?} in {text:?}",
                    n.name(),
                    b.text
                ));
            }
            if b.norm != a.norm && !n.kinds().contains(b.kind) {
                return Err(format!(
                    "{} changed a {:?} token it does not declare: {:?} → {:?}",
                    n.name(),
                    b.kind,
                    b.norm,
                    a.norm
                ));
            }
            if b.norm == a.norm
                && matches!(b.norm, Cow::Borrowed(_))
                && matches!(a.norm, Cow::Owned(_))
            {
                return Err(format!("{} allocated for unchanged {:?}", n.name(), b.norm));
            }
        }
        if tokens.len() != before.len() {
            return Err(format!("{} changed the number of tokens", n.name()));
        }
    }
    // the analyzer's pipeline is the same sequence
    let mut piped = raw_tokens(text);
    run(
        &mut piped,
        &Context::new(analyzer.lexicon(), analyzer.stemmer()),
    );
    // (the pipeline also records lexicon flags, which are not the normalisers' business)
    let visible = |t: &[Token<'_>]| -> Vec<(TokenKind, usize, usize, String)> {
        t.iter()
            .map(|t| (t.kind, t.start, t.end, t.norm.to_string()))
            .collect()
    };
    if visible(&piped) != visible(&tokens) {
        return Err(format!("pipeline and all() disagree on {text:?}"));
    }
    if piped != analyzer.tokens(text) {
        return Err(format!(
            "Analyzer::tokens disagrees with the pipeline on {text:?}"
        ));
    }
    Ok(())
}

/// Pieces posts are made of, so generated posts exercise every normaliser.
const PIECES: &[&str] = &[
    "Jalan",
    "RUSAK",
    "bangettt",
    "tolonggg",
    "maaaaf",
    "tunggu",
    "anak2",
    "mudah2an",
    "5rb",
    "Rp 50.000,-",
    "1,5 juta",
    "jl.",
    "gg.",
    "tlg",
    "gmn",
    "yg",
    "gak",
    "kada",
    "banyu",
    "ulun",
    "lawan",
    "wayah ini",
    "kada kawa",
    "@pupr_bjm",
    "#banjir",
    "https://x.co/a",
    "😡",
    "❤️",
    ":(",
    "T_T",
    "!!!",
    "𝐉𝐀𝐋𝐀𝐍",
    "ⓑⓐⓝⓙⓘⓡ",
    "to\u{200b}long",
    "cafe\u{301}",
    "ＰＤＡＭ",
    "\n",
    "  ",
    "50",
    "dipadamkan",
    "perbaikan",
    "jum'at",
    "kerennn",
    "🅹🅰🅻🅰🅽",
];

fn post() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::sample::select(PIECES).prop_map(str::to_string),
            1 => "[a-zA-Z2 .,:!@#\u{200b}é]{1,8}",
        ],
        0..14,
    )
    .prop_map(|parts| parts.join(" "))
}

#[test]
fn every_normaliser_on_fixed_posts() {
    for text in [
        "",
        "Jalan RUSAK bangettt, tolonggg @pupr_bjm!!! 😡",
        "wayah ini kada kawa lewat jl. A. Yani, banyu pasang :(",
        "pungli Rp 50.000,- dan 1,5 juta di gg. Mawar, anak2 mudah2an selamat",
        "𝐉𝐀𝐋𝐀𝐍 ⓑⓐⓝⓙⓘⓡ ＰＤＡＭ to\u{200b}long cafe\u{301}",
        "lawan politik",
        "ulun tulak lawan abah",
    ] {
        check_post(text).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn every_normaliser_on_generated_posts(text in post()) {
        prop_assert_eq!(check_post(&text), Ok(()));
    }
}

#[test]
fn kinds_are_declared_and_names_unique() {
    let mut names = std::collections::HashSet::new();
    for n in all() {
        assert!(names.insert(n.name()), "duplicate {}", n.name());
        assert!(
            TokenKind::ALL.iter().any(|k| n.kinds().contains(*k)),
            "{} declares no kind",
            n.name()
        );
        assert!(
            !n.kinds().contains(TokenKind::Space),
            "{} must not touch spaces",
            n.name()
        );
    }
}
