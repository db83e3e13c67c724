//! Analyzer-level tests: the whole pipeline on realistic posts, borrowing, configuration.

use super::*;
use proptest::prelude::*;

#[test]
fn words_are_lowercased_and_borrowed_when_unchanged() {
    let a = Analyzer::new();
    let t = a.terms("Jalan RUSAK di @PUPR_bjm");
    let norms: Vec<&str> = t.iter().map(|t| t.norm.as_ref()).collect();
    assert_eq!(norms, ["jalan", "rusak", "di", "@pupr_bjm"]);
    assert!(matches!(t[2].norm, Cow::Borrowed(_)));
    assert!(matches!(t[1].norm, Cow::Owned(_)));
}

#[test]
fn standard_forms_borrow_the_lexicon() {
    let a = Analyzer::new();
    let t = a.terms("yg gak");
    assert_eq!(t[0].norm, "yang");
    assert!(matches!(t[0].norm, Cow::Borrowed(_)));
    assert!(matches!(t[1].norm, Cow::Borrowed("tidak")));
}

#[test]
fn a_banjar_complaint_end_to_end() {
    let a = Analyzer::new();
    let post =
        "Pian, wayah ini banyu PDAM kada mengalir 3 hari!!! Tolonggg lakas diperbaiki 🙏 @pdam_bjm";
    let mut seen = Vec::new();
    a.for_each_term(post, |t| {
        seen.push((
            t.kind,
            t.norm.to_string(),
            t.stem().to_string(),
            t.is_stop(),
        ))
    });
    let norms: Vec<&str> = seen.iter().map(|(_, n, _, _)| n.as_str()).collect();
    assert_eq!(
        norms,
        [
            "anda",
            "sekarang",
            "air",
            "pdam",
            "tidak",
            "mengalir",
            "3",
            "hari",
            "tolong",
            "cepat",
            "diperbaiki",
            "🙏",
            "@pdam_bjm"
        ]
    );
    #[cfg(feature = "kateglo")]
    {
        let stems: Vec<&str> = seen.iter().map(|(_, _, s, _)| s.as_str()).collect();
        assert_eq!(stems[5], "alir");
        assert_eq!(stems[10], "baik");
    }
    // negation and complaint markers are never stop words
    assert!(seen
        .iter()
        .filter(|(_, n, _, _)| n == "tidak" || n == "tolong")
        .all(|(_, _, _, stop)| !stop));
}

#[test]
fn spans_index_the_original_text() {
    let a = Analyzer::new();
    let post = "ⓑⓐⓝⓙⓘⓡ lagi di Kayu Tangi, anak2 gak bisa sekolah 😭😭";
    for t in a.tokens(post) {
        assert_eq!(&post[t.start..t.end], t.text);
    }
}

#[test]
fn root_words_from_config() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roots.txt");
    std::fs::write(&path, "# my list\nbaik\nsapu\n").unwrap();
    let a = Analyzer::from_config(&TextConfig {
        root_words: Some(path.clone()),
    })
    .unwrap();
    assert_eq!(a.stem("perbaikan"), "baik");
    assert_eq!(a.stem("menyapu"), "sapu");
    // not in this list
    assert_eq!(a.stem("pengaduan"), "pengaduan");

    std::fs::write(&path, "\n# nothing\n").unwrap();
    assert!(matches!(
        Analyzer::with_root_words(&path),
        Err(TextError::EmptyRoots { .. })
    ));
    let missing = dir.path().join("missing.txt");
    let err = Analyzer::with_root_words(&missing).unwrap_err();
    assert!(err.to_string().contains("missing.txt"), "{err}");
}

#[test]
fn invariants_hold_on_awkward_posts() {
    for t in [
        "",
        "\u{0}",
        "wayah ini",
        "x\u{301}\u{200b}",
        "Rp ,-",
        "😀\u{200d}\u{200d}😀",
        "a2",
        "2",
    ] {
        check_invariants(t).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn analyzer_invariants_on_any_string(s in any::<String>()) {
        prop_assert_eq!(check_invariants(&s), Ok(()));
    }
}

#[test]
fn term_shortcuts_agree_with_the_direct_answers() {
    // Term::stem / Term::is_stop use the pipeline's lexicon flags; they must answer exactly
    // what Analyzer::stem / Analyzer::is_stop answer
    let a = Analyzer::new();
    for post in include_str!("../../benches/posts.txt").lines() {
        a.for_each_term(post, |t| {
            if t.kind == TokenKind::Word {
                assert_eq!(t.stem(), a.stem(t.norm), "{:?} in {post:?}", t.norm);
                assert_eq!(t.is_stop(), a.is_stop(t.norm), "{:?} in {post:?}", t.norm);
            }
        });
    }
}
