//! Prefix disambiguation rules of the confix-stripping family: Nazief & Adriani's rules as
//! revised by Asian (CS, 2007), Arifin et al. (ECS, 2009) and the Sastrawi additions (`ku-`,
//! `kau-`), in Sastrawi's order, so results stay comparable with the stemmer most Indonesian
//! projects use. Each rule looks at the current word and proposes a candidate root (with the
//! recoded initial consonant where the nasal prefix swallowed it: `menyapu` → `sapu`).
//!
//! A *group* holds alternative readings of one prefix (`meny-V` → `ny-V` or `s-V`): they are
//! tried in order and the first candidate found in the dictionary wins; when none is found the
//! last rule's candidate is taken (or nothing, when the last rule does not apply). That quirk is
//! Sastrawi's and is kept on purpose: agreement with it is measured.

use super::buf::Buf;

/// One reading of a prefix: the candidate for a word, or `None` when the rule does not apply.
pub type Rule = fn(&[u8]) -> Option<Buf>;

#[inline]
fn v(b: Option<&u8>) -> bool {
    matches!(b, Some(b'a' | b'i' | b'u' | b'e' | b'o'))
}

/// Consonants (`[bcdfghjklmnpqrstvwxyz]`).
#[inline]
fn c(b: Option<&u8>) -> bool {
    matches!(b, Some(x) if x.is_ascii_lowercase() && !matches!(x, b'a' | b'i' | b'u' | b'e' | b'o'))
}

/// Consonants without `r`, `l`, `m`, `n`, `w`, `y` (`[bcdfghjkpqstvxz]`).
#[inline]
fn c_hard(b: Option<&u8>) -> bool {
    c(b) && !matches!(b, Some(b'r' | b'l' | b'm' | b'n' | b'w' | b'y'))
}

#[inline]
fn letter(b: Option<&u8>) -> bool {
    matches!(b, Some(x) if x.is_ascii_lowercase())
}

#[inline]
fn at(w: &[u8], i: usize) -> Option<&u8> {
    w.get(i)
}

#[inline]
fn tail(w: &[u8], from: usize) -> Option<Buf> {
    Buf::new(&w[from.min(w.len())..])
}

#[inline]
fn recode(head: &[u8], w: &[u8], from: usize) -> Option<Buf> {
    Buf::concat(head, &w[from.min(w.len())..])
}

// ber-
fn r1a(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"ber") && v(at(w, 3))).then(|| tail(w, 3))?
}
fn r1b(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"ber") && v(at(w, 3))).then(|| recode(b"r", w, 3))?
}
fn r2(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"ber")
        && c(at(w, 3))
        && letter(at(w, 4))
        && !w[5.min(w.len())..].starts_with(b"er"))
    .then(|| tail(w, 3))?
}
fn r3(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"ber")
        && c(at(w, 3))
        && at(w, 3) != Some(&b'r')
        && letter(at(w, 4))
        && w.get(5..7) == Some(b"er")
        && v(at(w, 7)))
    .then(|| tail(w, 3))?
}
fn r4(w: &[u8]) -> Option<Buf> {
    (w == b"belajar").then(|| Buf::new(b"ajar"))?
}
fn r5(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"be")
        && c(at(w, 2))
        && at(w, 2) != Some(&b'r')
        && w.get(3..5) == Some(b"er")
        && c(at(w, 5)))
    .then(|| tail(w, 2))?
}
// ter-
fn r6a(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"ter") && v(at(w, 3))).then(|| tail(w, 3))?
}
fn r6b(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"ter") && v(at(w, 3))).then(|| recode(b"r", w, 3))?
}
fn r7(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"ter")
        && c(at(w, 3))
        && at(w, 3) != Some(&b'r')
        && w.get(4..6) == Some(b"er")
        && v(at(w, 6)))
    .then(|| tail(w, 3))?
}
fn r8(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"ter")
        && c(at(w, 3))
        && at(w, 3) != Some(&b'r')
        && !w[4.min(w.len())..].starts_with(b"er"))
    .then(|| tail(w, 3))?
}
fn r9(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"te")
        && c(at(w, 2))
        && at(w, 2) != Some(&b'r')
        && w.get(3..5) == Some(b"er")
        && c(at(w, 5)))
    .then(|| tail(w, 2))?
}
// me-
fn r10(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"me") && matches!(at(w, 2), Some(b'l' | b'r' | b'w' | b'y')) && v(at(w, 3)))
        .then(|| tail(w, 2))?
}
fn r11(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"mem") && matches!(at(w, 3), Some(b'b' | b'f' | b'v'))).then(|| tail(w, 3))?
}
fn r12(w: &[u8]) -> Option<Buf> {
    w.starts_with(b"mempe").then(|| tail(w, 3))?
}
fn r13a(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"mem") && v(at(w, 3))).then(|| recode(b"m", w, 3))?
}
fn r13b(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"mem") && v(at(w, 3))).then(|| recode(b"p", w, 3))?
}
fn r14(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"men") && matches!(at(w, 3), Some(b'c' | b'd' | b'j' | b's' | b't' | b'z')))
        .then(|| tail(w, 3))?
}
fn r15a(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"men") && v(at(w, 3))).then(|| recode(b"n", w, 3))?
}
fn r15b(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"men") && v(at(w, 3))).then(|| recode(b"t", w, 3))?
}
fn r16(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"meng") && matches!(at(w, 4), Some(b'g' | b'h' | b'q' | b'k')))
        .then(|| tail(w, 4))?
}
fn r17a(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"meng") && v(at(w, 4))).then(|| tail(w, 4))?
}
fn r17b(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"meng") && v(at(w, 4))).then(|| recode(b"k", w, 4))?
}
fn r17c(w: &[u8]) -> Option<Buf> {
    w.starts_with(b"menge").then(|| tail(w, 5))?
}
fn r17d(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"meng") && v(at(w, 4))).then(|| recode(b"ng", w, 4))?
}
fn r18a(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"meny") && v(at(w, 4))).then(|| recode(b"ny", w, 4))?
}
fn r18b(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"meny") && v(at(w, 4))).then(|| recode(b"s", w, 4))?
}
fn r19(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"memp") && letter(at(w, 4)) && !matches!(at(w, 4), Some(b'e' | b'n')))
        .then(|| tail(w, 3))?
}
// pe-
fn r20(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"pe") && matches!(at(w, 2), Some(b'w' | b'y')) && v(at(w, 3)))
        .then(|| tail(w, 2))?
}
fn r21a(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"per") && v(at(w, 3))).then(|| tail(w, 3))?
}
fn r21b(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"per") && v(at(w, 3))).then(|| tail(w, 2))?
}
fn r23(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"per")
        && c(at(w, 3))
        && letter(at(w, 4))
        && !w[5.min(w.len())..].starts_with(b"er"))
    .then(|| tail(w, 3))?
}
fn r24(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"per")
        && c(at(w, 3))
        && at(w, 3) != Some(&b'r')
        && letter(at(w, 4))
        && w.get(5..7) == Some(b"er")
        && v(at(w, 7)))
    .then(|| tail(w, 3))?
}
fn r25(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"pem") && matches!(at(w, 3), Some(b'b' | b'f' | b'v'))).then(|| tail(w, 3))?
}
fn r26a(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"pem") && v(at(w, 3))).then(|| recode(b"m", w, 3))?
}
fn r26b(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"pem") && v(at(w, 3))).then(|| recode(b"p", w, 3))?
}
fn r27(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"pen") && matches!(at(w, 3), Some(b'c' | b'd' | b'j' | b's' | b't' | b'z')))
        .then(|| tail(w, 3))?
}
fn r28a(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"pen") && v(at(w, 3))).then(|| recode(b"n", w, 3))?
}
fn r28b(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"pen") && v(at(w, 3))).then(|| recode(b"t", w, 3))?
}
fn r29(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"peng") && c(at(w, 4))).then(|| tail(w, 4))?
}
fn r30a(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"peng") && v(at(w, 4))).then(|| tail(w, 4))?
}
fn r30b(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"peng") && v(at(w, 4))).then(|| recode(b"k", w, 4))?
}
fn r30c(w: &[u8]) -> Option<Buf> {
    w.starts_with(b"penge").then(|| tail(w, 5))?
}
fn r31a(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"peny") && v(at(w, 4))).then(|| recode(b"ny", w, 4))?
}
fn r31b(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"peny") && v(at(w, 4))).then(|| recode(b"s", w, 4))?
}
fn r32(w: &[u8]) -> Option<Buf> {
    if w == b"pelajar" {
        return Buf::new(b"ajar");
    }
    (w.starts_with(b"pel") && v(at(w, 3))).then(|| tail(w, 2))?
}
fn r34(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"pe") && c(at(w, 2)) && !w[3.min(w.len())..].starts_with(b"er"))
        .then(|| tail(w, 2))?
}
fn r35(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"ter") && c_hard(at(w, 3)) && w.get(4..6) == Some(b"er") && c(at(w, 6)))
        .then(|| tail(w, 3))?
}
fn r36(w: &[u8]) -> Option<Buf> {
    (w.starts_with(b"pe") && c_hard(at(w, 2)) && w.get(3..5) == Some(b"er") && c(at(w, 5)))
        .then(|| tail(w, 2))?
}
// infixes -er-, -el-, -em-, -in-: the `a` reading keeps the word, the `b` reading drops the infix
fn infix(w: &[u8], inf: &[u8; 2]) -> bool {
    c(at(w, 0)) && w.get(1..3) == Some(&inf[..]) && v(at(w, 3))
}
fn drop_infix(w: &[u8]) -> Option<Buf> {
    Buf::concat(&w[..1], &w[3..])
}
fn r37a(w: &[u8]) -> Option<Buf> {
    infix(w, b"er").then(|| Buf::new(w))?
}
fn r37b(w: &[u8]) -> Option<Buf> {
    infix(w, b"er").then(|| drop_infix(w))?
}
fn r38a(w: &[u8]) -> Option<Buf> {
    infix(w, b"el").then(|| Buf::new(w))?
}
fn r38b(w: &[u8]) -> Option<Buf> {
    infix(w, b"el").then(|| drop_infix(w))?
}
fn r39a(w: &[u8]) -> Option<Buf> {
    infix(w, b"em").then(|| Buf::new(w))?
}
fn r39b(w: &[u8]) -> Option<Buf> {
    infix(w, b"em").then(|| drop_infix(w))?
}
fn r40a(w: &[u8]) -> Option<Buf> {
    infix(w, b"in").then(|| Buf::new(w))?
}
fn r40b(w: &[u8]) -> Option<Buf> {
    infix(w, b"in").then(|| drop_infix(w))?
}
// Sastrawi: ku-, kau-
fn r41(w: &[u8]) -> Option<Buf> {
    w.starts_with(b"ku").then(|| tail(w, 2))?
}
fn r42(w: &[u8]) -> Option<Buf> {
    w.starts_with(b"kau").then(|| tail(w, 3))?
}

/// The rule groups, in the order they are tried.
pub const GROUPS: &[&[Rule]] = &[
    &[r1a, r1b],
    &[r2],
    &[r3],
    &[r4],
    &[r5],
    &[r6a, r6b],
    &[r7],
    &[r8],
    &[r9],
    &[r10],
    &[r11],
    &[r12],
    &[r13a, r13b],
    &[r14],
    &[r15a, r15b],
    &[r16],
    &[r17a, r17b, r17c, r17d],
    &[r18a, r18b],
    &[r19],
    &[r20],
    &[r21a, r21b],
    &[r23],
    &[r24],
    &[r25],
    &[r26a, r26b],
    &[r27],
    &[r28a, r28b],
    &[r29],
    &[r30a, r30b, r30c],
    &[r31a, r31b],
    &[r32],
    &[r34],
    &[r35],
    &[r36],
    &[r37a, r37b],
    &[r38a, r38b],
    &[r39a, r39b],
    &[r40a, r40b],
    &[r41],
    &[r42],
];

/// Whether any prefix or infix rule could apply to a word starting with these bytes (the
/// cache-free fast path uses it to skip words no rule touches).
#[inline]
pub fn may_have_prefix(w: &[u8]) -> bool {
    matches!(
        w.get(..2),
        Some(b"di" | b"ke" | b"se" | b"be" | b"te" | b"me" | b"pe" | b"ku")
    ) || w.starts_with(b"kau")
        || (c(at(w, 0))
            && matches!(w.get(1..3), Some(b"er" | b"el" | b"em" | b"in"))
            && v(at(w, 3)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(b: Option<Buf>) -> Option<String> {
        b.map(|b| b.as_str().to_string())
    }

    #[test]
    fn recoding() {
        assert_eq!(s(r18b(b"menyapu")), Some("sapu".into()));
        assert_eq!(s(r15b(b"menanam")), Some("tanam".into()));
        assert_eq!(s(r13b(b"memukul")), Some("pukul".into()));
        assert_eq!(s(r17b(b"mengirim")), Some("kirim".into()));
        assert_eq!(s(r30a(b"pengadu")), Some("adu".into()));
        assert_eq!(s(r2(b"berlubang")), Some("lubang".into()));
        assert_eq!(s(r2(b"bererti")), None);
        assert_eq!(s(r12(b"memperbaik")), Some("perbaik".into()));
        assert_eq!(s(r19(b"memperbaik")), None);
        assert_eq!(s(r19(b"mempunyai")), Some("punyai".into()));
        assert_eq!(s(r37b(b"gerigi")), Some("gigi".into()));
        assert_eq!(s(r21b(b"perang")), Some("rang".into()));
        assert_eq!(s(r1a(b"ber")), None);
    }

    #[test]
    fn prefix_screen() {
        for w in [
            "dipadam", "menyapu", "pelayan", "kebersih", "gerigi", "kuambil",
        ] {
            assert!(may_have_prefix(w.as_bytes()), "{w}");
        }
        for w in ["jalan", "rusak", "lampu", "air"] {
            assert!(!may_have_prefix(w.as_bytes()), "{w}");
        }
    }
}
