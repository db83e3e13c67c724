//! Amounts of money to plain rupiah digits: `5rb` → `5000`, `1,5 juta` → `1500000`,
//! `Rp 50.000,-` → `50000`, `Rp5jt` → `5000000`, `2.5jt` → `2500000`. A separator followed by
//! exactly three digits groups thousands (`50.000`, `1,500`); any other separator is the
//! decimal mark (`1,5`, `2.5`, `,00`). An amount that does not come out as whole rupiah keeps
//! its text.

use super::{set_norm, Context, KindSet, Normalizer};
use crate::text::{Token, TokenKind};
use std::borrow::Cow;

/// See the module doc.
pub struct Amount;

impl Normalizer for Amount {
    fn name(&self) -> &'static str {
        "amount"
    }

    fn kinds(&self) -> KindSet {
        KindSet::of(&[TokenKind::Amount])
    }

    fn normalize<'a>(&self, tokens: &mut [Token<'a>], i: usize, _cx: &Context<'_>) {
        let tok = &mut tokens[i];
        if let Some(v) = rupiah(&tok.norm) {
            set_norm(tok, Cow::Owned(v.to_string()));
        }
    }
}

/// The value in rupiah of an amount as written, if it is a whole number of rupiah.
pub fn rupiah(s: &str) -> Option<u128> {
    let lower = s.to_ascii_lowercase();
    let mut rest = lower.as_str();
    for prefix in ["idr", "rp"] {
        if let Some(r) = rest.strip_prefix(prefix) {
            rest = r.strip_prefix('.').unwrap_or(r).trim_start();
            break;
        }
    }
    let rest = rest.strip_suffix(",-").unwrap_or(rest);
    let digits_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(rest.len());
    let (number, unit) = (&rest[..digits_end], rest[digits_end..].trim());
    let multiplier: u128 = match unit {
        "" => 1,
        "rb" | "rbu" | "ribu" | "rebu" | "k" => 1_000,
        "jt" | "jta" | "juta" | "jeti" => 1_000_000,
        "miliar" | "milyar" => 1_000_000_000,
        "triliun" => 1_000_000_000_000,
        _ => return None,
    };
    let (mut whole, mut frac, mut frac_digits, mut seen_decimal) = (0u128, 0u128, 0u32, false);
    let groups: Vec<&str> = number.split(['.', ',']).collect();
    for (k, g) in groups.iter().enumerate() {
        if g.is_empty() || g.len() > 18 {
            return None;
        }
        let v: u128 = g.parse().ok()?;
        if k == 0 {
            whole = v;
        } else if g.len() == 3 && !seen_decimal {
            whole = whole * 1000 + v;
        } else if !seen_decimal {
            seen_decimal = true;
            frac = v;
            frac_digits = g.len() as u32;
        } else {
            return None;
        }
    }
    let scale = 10u128.checked_pow(frac_digits)?;
    let total = whole
        .checked_mul(scale)?
        .checked_add(frac)?
        .checked_mul(multiplier)?;
    (total % scale == 0).then(|| total / scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(rupiah("5rb"), Some(5_000));
        assert_eq!(rupiah("1,5 juta"), Some(1_500_000));
        assert_eq!(rupiah("Rp 50.000,-"), Some(50_000));
        assert_eq!(rupiah("Rp5jt"), Some(5_000_000));
        assert_eq!(rupiah("rp.10rb"), Some(10_000));
        assert_eq!(rupiah("2.5jt"), Some(2_500_000));
        assert_eq!(rupiah("Rp 1.500.000,00"), Some(1_500_000));
        assert_eq!(rupiah("IDR 20.000"), Some(20_000));
        assert_eq!(rupiah("50k"), Some(50_000));
        assert_eq!(rupiah("1,25"), None);
        assert_eq!(
            rupiah("Rp 99999999999999999999999999999999999999 triliun"),
            None
        );
    }

    #[test]
    fn in_the_analyzer() {
        let a = crate::text::Analyzer::new();
        let t = a.terms("pungli Rp 50.000,- dan 5rb");
        let amounts: Vec<&str> = t
            .iter()
            .filter(|t| t.kind == TokenKind::Amount)
            .map(|t| t.norm.as_ref())
            .collect();
        assert_eq!(amounts, ["50000", "5000"]);
    }
}
