//! Numbers and amounts of money as people write them in posts: `50.000`, `1,5`, `08:30`, `5rb`,
//! `50k`, `1,5 juta`, `Rp 50.000,-`, `Rp5jt`, `IDR 20.000`. Each recogniser returns a byte
//! length at the start of its input (0 when it does not apply). ASCII only: money is written in
//! ASCII; fullwidth digits are words to the segmenter and become digits through NFKC.

/// Money units, longest first (so `juta` wins over `jt`), with whether a space may separate them
/// from the number (`5 juta` yes, `5 k` no).
const UNITS: &[(&str, bool)] = &[
    ("triliun", true),
    ("miliar", true),
    ("milyar", true),
    ("ribu", true),
    ("rebu", true),
    ("juta", true),
    ("jeti", false),
    ("rbu", false),
    ("jta", false),
    ("rb", true),
    ("jt", true),
    ("k", false),
];

/// Length of a plain number: digits with single `.`, `,` or `:` separators between digits.
pub fn number_len(s: &[u8]) -> usize {
    let mut n = 0;
    while n < s.len() && s[n].is_ascii_digit() {
        n += 1;
    }
    if n == 0 {
        return 0;
    }
    while n + 1 < s.len() && matches!(s[n], b'.' | b',' | b':') && s[n + 1].is_ascii_digit() {
        n += 1;
        while n < s.len() && s[n].is_ascii_digit() {
            n += 1;
        }
    }
    n
}

/// Whether the byte at `i` (if any) ends a unit: the unit must not run into more letters/digits.
fn ends_word(s: &[u8], i: usize) -> bool {
    match s.get(i) {
        None => true,
        Some(b) => !(b.is_ascii_alphanumeric() || *b >= 0x80),
    }
}

/// Length of a money unit at the start of `s`, allowing one leading space when the unit allows
/// it.
fn unit_len(s: &[u8]) -> usize {
    let (skip, rest) = match s.first() {
        Some(b' ') => (1, &s[1..]),
        _ => (0, s),
    };
    for (unit, spaced) in UNITS {
        if skip == 1 && !spaced {
            continue;
        }
        let u = unit.as_bytes();
        if rest.len() >= u.len()
            && rest[..u.len()].eq_ignore_ascii_case(u)
            && ends_word(rest, u.len())
        {
            return skip + u.len();
        }
    }
    0
}

/// The `,-` or `,00,-` style tail of a rupiah amount.
fn dash_tail_len(s: &[u8]) -> usize {
    if s.starts_with(b",-") {
        2
    } else {
        0
    }
}

/// What a run starting with a digit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numeric {
    /// A plain number of this length.
    Number(usize),
    /// An amount (number with a money unit or a `,-` tail) of this length.
    Amount(usize),
}

/// Classifies a run starting with an ASCII digit. Returns `None` when it is not a number.
pub fn numeric(s: &[u8]) -> Option<Numeric> {
    let n = number_len(s);
    if n == 0 {
        return None;
    }
    let u = unit_len(&s[n..]);
    if u > 0 {
        let t = dash_tail_len(&s[n + u..]);
        return Some(Numeric::Amount(n + u + t));
    }
    let t = dash_tail_len(&s[n..]);
    if t > 0 {
        return Some(Numeric::Amount(n + t));
    }
    Some(Numeric::Number(n))
}

/// Length of a currency-prefixed amount (`Rp 50.000`, `rp.5rb`, `IDR 20.000,-`) at the start of
/// `s`, or 0.
pub fn currency_amount_len(s: &[u8]) -> usize {
    let prefix = if s.len() >= 3 && s[..3].eq_ignore_ascii_case(b"idr") {
        3
    } else if s.len() >= 2 && s[..2].eq_ignore_ascii_case(b"rp") {
        2
    } else {
        return 0;
    };
    let mut n = prefix;
    if s.get(n) == Some(&b'.') {
        n += 1;
    }
    if s.get(n) == Some(&b' ') {
        n += 1;
    }
    if !s.get(n).is_some_and(u8::is_ascii_digit) {
        return 0;
    }
    match numeric(&s[n..]) {
        Some(Numeric::Number(len)) | Some(Numeric::Amount(len)) => n + len,
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_amounts() {
        assert_eq!(numeric(b"50.000 warga"), Some(Numeric::Number(6)));
        assert_eq!(numeric(b"08:30."), Some(Numeric::Number(5)));
        assert_eq!(numeric(b"5rb aja"), Some(Numeric::Amount(3)));
        assert_eq!(numeric(b"50k."), Some(Numeric::Amount(3)));
        assert_eq!(numeric(b"1,5 juta"), Some(Numeric::Amount(8)));
        assert_eq!(numeric(b"1,5 jutaan"), Some(Numeric::Number(3)));
        assert_eq!(numeric(b"5kg"), Some(Numeric::Number(1)));
        assert_eq!(numeric(b"5 k"), Some(Numeric::Number(1)));
        assert_eq!(numeric(b"50.000,-"), Some(Numeric::Amount(8)));
        assert_eq!(numeric(b"x"), None);
        assert_eq!(currency_amount_len(b"Rp 50.000,- ya"), 11);
        assert_eq!(currency_amount_len(b"rp.5rb"), 6);
        assert_eq!(currency_amount_len(b"IDR 20.000"), 10);
        assert_eq!(currency_amount_len(b"Rp5jt."), 5);
        assert_eq!(currency_amount_len(b"rpm"), 0);
        assert_eq!(currency_amount_len(b"Rp "), 0);
    }
}
