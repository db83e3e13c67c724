//! Segmentation tests: kinds on realistic posts, and losslessness on any input (property tests
//! over arbitrary strings and over arbitrary bytes decoded lossily, the same harness the fuzz
//! target in `fuzz/` runs).

use super::*;
use proptest::prelude::*;

fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
    segment(text)
        .into_iter()
        .filter(|s| s.kind != TokenKind::Space)
        .map(|s| (s.kind, &text[s.start..s.end]))
        .collect()
}

/// The invariant: spans are contiguous, non-empty, on char boundaries and cover the text.
pub fn check_lossless(text: &str) -> Result<(), String> {
    let mut pos = 0;
    let mut rebuilt = String::with_capacity(text.len());
    for s in Segments::new(text) {
        if s.start != pos {
            return Err(format!("gap or overlap at {pos} in {text:?}"));
        }
        if s.end <= s.start {
            return Err(format!("empty span at {pos} in {text:?}"));
        }
        let piece = text.get(s.start..s.end).ok_or_else(|| {
            format!(
                "span {}..{} not on char boundaries in {text:?}",
                s.start, s.end
            )
        })?;
        rebuilt.push_str(piece);
        pos = s.end;
    }
    if rebuilt != text {
        return Err(format!("rebuilt text differs for {text:?}"));
    }
    Ok(())
}

#[test]
fn keeps_urls_mentions_hashtags_whole() {
    let t = "Lapor @pupr_bjm: jalan rusak https://x.com/a/b?c=1. #banjarmasin";
    let k = kinds(t);
    assert!(k.contains(&(TokenKind::Mention, "@pupr_bjm")));
    assert!(k.contains(&(TokenKind::Url, "https://x.com/a/b?c=1")));
    assert!(k.contains(&(TokenKind::Hashtag, "#banjarmasin")));
    assert!(k.contains(&(TokenKind::Punct, ".")));
    check_lossless(t).unwrap();
}

#[test]
fn a_realistic_post() {
    let t = "Min @dishub.bjm, lampu merah di Jl. A. Yani km 5 mati lagi 😡😡 sdh 3 hari!!! \
             pungli 5rb jg :( cek banjarmasinkota.go.id/lapor #BanjarmasinBaiman";
    let k = kinds(t);
    let want = [
        (TokenKind::Word, "Min"),
        (TokenKind::Mention, "@dishub.bjm"),
        (TokenKind::Punct, ","),
        (TokenKind::Word, "Jl"),
        (TokenKind::Punct, "."),
        (TokenKind::Number, "5"),
        (TokenKind::Emoji, "😡"),
        (TokenKind::Punct, "!!!"),
        (TokenKind::Amount, "5rb"),
        (TokenKind::Emoticon, ":("),
        (TokenKind::Url, "banjarmasinkota.go.id/lapor"),
        (TokenKind::Hashtag, "#BanjarmasinBaiman"),
    ];
    for w in want {
        assert!(k.contains(&w), "missing {w:?} in {k:?}");
    }
    assert_eq!(
        k.iter()
            .filter(|(kind, _)| *kind == TokenKind::Emoji)
            .count(),
        2
    );
    check_lossless(t).unwrap();
}

#[test]
fn amounts() {
    for (t, amount) in [
        ("bayar Rp 50.000,- ke petugas", "Rp 50.000,-"),
        ("diminta 1,5 juta", "1,5 juta"),
        ("parkir 5rb", "5rb"),
        ("tarif rp.10rb", "rp.10rb"),
        ("harga 50k ya", "50k"),
        ("IDR 20.000", "IDR 20.000"),
    ] {
        assert!(
            kinds(t).contains(&(TokenKind::Amount, amount)),
            "{t:?}: {:?}",
            kinds(t)
        );
    }
    assert!(kinds("umur 50 tahun").contains(&(TokenKind::Number, "50")));
    assert!(kinds("5kg beras").contains(&(TokenKind::Word, "5kg")));
}

#[test]
fn words_keep_inner_joiners() {
    let k = kinds("anak-anak main2 di jum'at, covid-19 ma\u{200b}af to’long");
    for w in [
        "anak-anak",
        "main2",
        "jum'at",
        "covid-19",
        "ma\u{200b}af",
        "to’long",
    ] {
        assert!(k.contains(&(TokenKind::Word, w)), "missing {w:?} in {k:?}");
    }
    let k = kinds("ber- -an 'kata' anak_");
    assert!(k.contains(&(TokenKind::Word, "ber")));
    assert!(k.contains(&(TokenKind::Word, "kata")));
    assert!(k.contains(&(TokenKind::Word, "anak")));
}

#[test]
fn emoji_sequences_and_emoticons() {
    let k = kinds("👍🏽 👨‍👩‍👧 🇮🇩 ❤️ 1️⃣ :') T_T -_- xD :vvv <3");
    let emoji: Vec<&str> = k
        .iter()
        .filter(|(kind, _)| *kind == TokenKind::Emoji)
        .map(|(_, s)| *s)
        .collect();
    assert_eq!(emoji, ["👍🏽", "👨‍👩‍👧", "🇮🇩", "❤️", "1️⃣"]);
    let emoticons: Vec<&str> = k
        .iter()
        .filter(|(kind, _)| *kind == TokenKind::Emoticon)
        .map(|(_, s)| *s)
        .collect();
    assert_eq!(emoticons, [":')", "T_T", "-_-", "xD", ":vvv", "<3"]);
}

#[test]
fn decorative_letters_are_words() {
    for t in ["𝐉𝐀𝐋𝐀𝐍", "ⓙⓐⓛⓐⓝ", "ＪＡＬＡＮ", "🅹🅰🅻🅰🅽", "ᴊᴀʟᴀɴ"]
    {
        let k = kinds(t);
        assert_eq!(k, [(TokenKind::Word, t)], "{t:?}");
    }
    assert_eq!(kinds("５０"), [(TokenKind::Number, "５０")]);
}

#[test]
fn mentions_hashtags_edge_cases() {
    assert_eq!(
        kinds("email humas@banjarmasinkota.go.id"),
        [
            (TokenKind::Word, "email"),
            (TokenKind::Url, "humas@banjarmasinkota.go.id")
        ]
    );
    assert_eq!(
        kinds("@pemkot."),
        [(TokenKind::Mention, "@pemkot"), (TokenKind::Punct, ".")]
    );
    assert_eq!(
        kinds("#1"),
        [(TokenKind::Punct, "#"), (TokenKind::Number, "1")]
    );
    assert_eq!(kinds("@ "), [(TokenKind::Punct, "@")]);
    assert_eq!(
        kinds("a@b"),
        [
            (TokenKind::Word, "a"),
            (TokenKind::Punct, "@"),
            (TokenKind::Word, "b")
        ]
    );
}

#[test]
fn lossless_on_awkward_text() {
    for t in [
        "",
        " ",
        "@",
        "#",
        "@@a",
        "a@b.c",
        "https://",
        "www.",
        "😡😡 tolong!!",
        "\u{200b}x\u{0301}",
        "\u{0301}",
        "Rp 50.000,-",
        "Rp ",
        "5 ",
        "\u{200d}",
        "a\u{200d}",
        "😀\u{200d}",
        "🇮",
        "#\u{fe0f}",
        "1\u{fe0f}",
        "\0\u{7f}\u{85}",
        "a-",
        "a'",
        "x\u{2019}",
        "\u{1F130}",
    ] {
        check_lossless(t).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn lossless_on_any_string(s in any::<String>()) {
        prop_assert_eq!(check_lossless(&s), Ok(()));
    }

    #[test]
    fn lossless_on_post_like_strings(
        s in "[a-zA-Z0-9 .,:;!?@#_'()\\-/<=>^*Rrpb\u{200b}\u{200d}\u{fe0f}\u{20e3}😡👍🏽🇮🇩é\u{301}𝐁ⓑ]{0,60}"
    ) {
        prop_assert_eq!(check_lossless(&s), Ok(()));
    }

    #[test]
    fn lossless_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        // the same harness as fuzz/fuzz_targets/segment.rs
        prop_assert_eq!(crate::text::fuzz_check(&bytes), Ok(()));
    }
}
