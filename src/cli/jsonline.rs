//! A fast reader for the one JSON object per line that `dengar classify` consumes: it picks
//! `id`, `text` and `account` out of a flat object without building a value tree, borrowing
//! from the line when a string has no escapes and decoding into reused buffers when it has.
//!
//! It is strict about the fields it returns (`text` must be a string, `id` a string or a
//! number, `account` a string or null) and only checks the nesting of the fields it skips;
//! callers fall back to `serde_json` for the exact error message when it refuses a line.

/// Reused decoding buffers.
#[derive(Debug, Default)]
pub struct Bufs {
    text: String,
    account: String,
    key: String,
}

/// The fields of one input line.
#[derive(Debug, PartialEq, Eq)]
pub struct Line<'a> {
    /// The `id` value as raw JSON (a string with its quotes, or a number), safe to echo.
    pub id: &'a str,
    pub text: &'a str,
    pub account: Option<&'a str>,
}

struct Cursor<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

type R<T> = Result<T, &'static str>;

impl<'a> Cursor<'a> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn expect(&mut self, c: u8) -> R<()> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err("unexpected character")
        }
    }

    /// A string at the cursor: borrowed when it has no escapes, else decoded into `buf`.
    fn string<'b>(&mut self, buf: &'b mut String) -> R<Str<'a, 'b>>
    where
        'a: 'b,
    {
        self.expect(b'"')?;
        let start = self.i;
        let b = self.b;
        while self.i < b.len() {
            match b[self.i] {
                b'"' => {
                    let out = &self.s[start..self.i];
                    self.i += 1;
                    return Ok(Str::Borrowed(out));
                }
                b'\\' => break,
                c if c < 0x20 => return Err("control character in string"),
                _ => self.i += 1,
            }
        }
        if self.i >= b.len() {
            return Err("unterminated string");
        }
        buf.clear();
        buf.push_str(&self.s[start..self.i]);
        loop {
            let Some(c) = self.peek() else {
                return Err("unterminated string");
            };
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(Str::Decoded(buf));
                }
                b'\\' => {
                    self.i += 1;
                    let e = self.peek().ok_or("unterminated string")?;
                    self.i += 1;
                    match e {
                        b'"' => buf.push('"'),
                        b'\\' => buf.push('\\'),
                        b'/' => buf.push('/'),
                        b'b' => buf.push('\u{8}'),
                        b'f' => buf.push('\u{c}'),
                        b'n' => buf.push('\n'),
                        b'r' => buf.push('\r'),
                        b't' => buf.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi) {
                                if self.b.get(self.i..self.i + 2) != Some(b"\\u") {
                                    return Err("lone surrogate");
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err("lone surrogate");
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else if (0xDC00..0xE000).contains(&hi) {
                                return Err("lone surrogate");
                            } else {
                                hi
                            };
                            buf.push(char::from_u32(cp).ok_or("invalid escape")?);
                        }
                        _ => return Err("invalid escape"),
                    }
                }
                c if c < 0x20 => return Err("control character in string"),
                _ => {
                    // copy the run up to the next quote or backslash
                    let start = self.i;
                    while self.i < b.len()
                        && !matches!(b[self.i], b'"' | b'\\')
                        && b[self.i] >= 0x20
                    {
                        self.i += 1;
                    }
                    buf.push_str(&self.s[start..self.i]);
                }
            }
        }
    }

    fn hex4(&mut self) -> R<u32> {
        let h = self.b.get(self.i..self.i + 4).ok_or("invalid escape")?;
        let mut v = 0u32;
        for &c in h {
            v = v * 16 + (c as char).to_digit(16).ok_or("invalid escape")?;
        }
        self.i += 4;
        Ok(v)
    }

    /// A JSON number at the cursor (grammar checked).
    fn number(&mut self) -> R<()> {
        let b = self.b;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let digits = |c: &mut Cursor| {
            let s = c.i;
            while c.i < b.len() && b[c.i].is_ascii_digit() {
                c.i += 1;
            }
            c.i - s
        };
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err("invalid number"),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if digits(self) == 0 {
                return Err("invalid number");
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return Err("invalid number");
            }
        }
        Ok(())
    }

    /// Skips any value.
    fn skip(&mut self, scratch: &mut String, depth: usize) -> R<()> {
        if depth > 64 {
            return Err("nested too deep");
        }
        self.ws();
        match self.peek().ok_or("unexpected end")? {
            b'"' => self.string(scratch).map(|_| ()),
            b'{' | b'[' => {
                let close = if self.peek() == Some(b'{') {
                    b'}'
                } else {
                    b']'
                };
                let object = close == b'}';
                self.i += 1;
                self.ws();
                if self.peek() == Some(close) {
                    self.i += 1;
                    return Ok(());
                }
                loop {
                    self.ws();
                    if object {
                        self.string(scratch)?;
                        self.ws();
                        self.expect(b':')?;
                    }
                    self.skip(scratch, depth + 1)?;
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(c) if c == close => {
                            self.i += 1;
                            return Ok(());
                        }
                        _ => return Err("unexpected character"),
                    }
                }
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number(),
        }
    }

    fn literal(&mut self, lit: &[u8]) -> R<()> {
        if self.b.get(self.i..self.i + lit.len()) == Some(lit) {
            self.i += lit.len();
            Ok(())
        } else {
            Err("invalid literal")
        }
    }
}

enum Str<'a, 'b> {
    Borrowed(&'a str),
    Decoded(&'b str),
}

impl<'a: 'b, 'b> Str<'a, 'b> {
    fn get(self) -> &'b str {
        match self {
            Str::Borrowed(s) => s,
            Str::Decoded(s) => s,
        }
    }
}

/// Reads one line's object. `Err` carries a short reason; the caller may ask `serde_json` for
/// a fuller message.
pub fn parse<'a>(line: &'a str, bufs: &'a mut Bufs) -> Result<Line<'a>, &'static str> {
    let Bufs { text, account, key } = bufs;
    let mut c = Cursor {
        s: line,
        b: line.as_bytes(),
        i: 0,
    };
    let mut id: Option<&'a str> = None;
    let mut text_out: Option<Str<'a, 'a>> = None;
    let mut account_out: Option<Str<'a, 'a>> = None;
    // the decoded buffers are only borrowed by the field they belong to
    let mut text_buf = Some(text);
    let mut account_buf = Some(account);
    c.ws();
    c.expect(b'{')?;
    c.ws();
    if c.peek() == Some(b'}') {
        c.i += 1;
    } else {
        loop {
            c.ws();
            let k = c.string(key)?;
            let which = match k {
                Str::Borrowed("id") => 1,
                Str::Borrowed("text") => 2,
                Str::Borrowed("account") => 3,
                Str::Borrowed(_) => 0,
                Str::Decoded(d) => match d {
                    "id" => 1,
                    "text" => 2,
                    "account" => 3,
                    _ => 0,
                },
            };
            c.ws();
            c.expect(b':')?;
            c.ws();
            match which {
                1 => {
                    let start = c.i;
                    match c.peek() {
                        Some(b'"') => {
                            let mut tmp = String::new();
                            c.string(&mut tmp)?;
                        }
                        Some(b'-' | b'0'..=b'9') => c.number()?,
                        _ => return Err("`id` must be a string or a number"),
                    }
                    id = Some(&line[start..c.i]);
                }
                2 => match c.peek() {
                    Some(b'"') => {
                        let buf = text_buf.take().ok_or("duplicate field `text`")?;
                        text_out = Some(c.string(buf)?);
                    }
                    _ => return Err("`text` must be a string"),
                },
                3 => match c.peek() {
                    Some(b'"') => {
                        let buf = account_buf.take().ok_or("duplicate field `account`")?;
                        account_out = Some(c.string(buf)?);
                    }
                    Some(b'n') => {
                        c.literal(b"null")?;
                        account_out = None;
                    }
                    _ => return Err("`account` must be a string or null"),
                },
                _ => {
                    let mut tmp = String::new();
                    c.skip(&mut tmp, 0)?;
                }
            }
            c.ws();
            match c.peek() {
                Some(b',') => c.i += 1,
                Some(b'}') => {
                    c.i += 1;
                    break;
                }
                _ => return Err("unexpected character"),
            }
        }
    }
    c.ws();
    if c.i != c.b.len() {
        return Err("trailing characters");
    }
    Ok(Line {
        id: id.ok_or("missing field `id`")?,
        text: text_out.ok_or("missing field `text`")?.get(),
        account: account_out.map(|a| a.get()),
    })
}

/// Appends `s` as a JSON string (quotes included).
pub fn push_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let b = s.as_bytes();
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        let esc: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => {
                out.extend_from_slice(&b[start..i]);
                out.extend_from_slice(format!("\\u{:04x}", c).as_bytes());
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&b[start..i]);
        out.extend_from_slice(esc);
        start = i + 1;
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}

/// Appends a number with four decimals (`-0.1234`, `12.0000`); non-finite values as `0`.
pub fn push_f32(out: &mut Vec<u8>, x: f32) {
    if !x.is_finite() {
        out.push(b'0');
        return;
    }
    let scaled = (x as f64 * 10_000.0).round() as i64;
    if scaled < 0 {
        out.push(b'-');
    }
    let v = scaled.unsigned_abs();
    push_u64(out, v / 10_000);
    out.push(b'.');
    let frac = v % 10_000;
    out.extend_from_slice(&[
        b'0' + (frac / 1000) as u8,
        b'0' + (frac / 100 % 10) as u8,
        b'0' + (frac / 10 % 10) as u8,
        b'0' + (frac % 10) as u8,
    ]);
}

/// Appends an unsigned integer.
pub fn push_u64(out: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&tmp[i..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(line: &str) -> Result<(String, String, Option<String>), &'static str> {
        let mut b = Bufs::default();
        parse(line, &mut b).map(|l| {
            (
                l.id.to_string(),
                l.text.to_string(),
                l.account.map(str::to_string),
            )
        })
    }

    #[test]
    fn reads_the_fields_and_skips_the_rest() {
        let (id, text, acc) = p(
            r#" {"id": "x1", "raw": {"a": [1, 2.5e3, {"b": null}], "c": "}\""}, "text": "jalan \"rusak\" \u00e9\ud83d\ude21\n", "account": "pemkot_bjm", "n": -0.5, "t": true} "#,
        )
        .unwrap();
        assert_eq!(id, "\"x1\"");
        assert_eq!(text, "jalan \"rusak\" é😡\n");
        assert_eq!(acc.as_deref(), Some("pemkot_bjm"));
        let (id, text, acc) = p(r#"{"text":"a","id":17,"account":null}"#).unwrap();
        assert_eq!((id.as_str(), text.as_str(), acc), ("17", "a", None));
    }

    #[test]
    fn refuses_what_serde_would_refuse_for_our_fields() {
        for bad in [
            r#"{"id":"c"}"#,
            r#"{"text":"x"}"#,
            r#"{"id":1,"text":5}"#,
            r#"{"id":[1],"text":"x"}"#,
            r#"{"id":1,"text":"x""#,
            r#"{"id":1,"text":"x"} extra"#,
            r#"{"id":01,"text":"x"}"#,
            r#"{"id":1,"text":"\ud800"}"#,
            r#"{"id":1,"text":"x","account":3}"#,
            r#"{"id":1,"text":"a	b"}"#,
            "",
            "[]",
        ] {
            assert!(p(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn writers_escape_and_round() {
        let mut out = Vec::new();
        push_str(&mut out, "a\"b\\c\nd\u{1}é");
        assert_eq!(
            serde_json::from_slice::<String>(&out).unwrap(),
            "a\"b\\c\nd\u{1}é"
        );
        for (x, s) in [
            (0.5f32, "0.5000"),
            (-1.23456, "-1.2346"),
            (12.0, "12.0000"),
            (0.00004, "0.0000"),
            (f32::NAN, "0"),
        ] {
            let mut out = Vec::new();
            push_f32(&mut out, x);
            assert_eq!(std::str::from_utf8(&out).unwrap(), s);
        }
    }

    proptest! {
        /// Whatever serde_json makes of an object with these fields, we read the same.
        #[test]
        fn agrees_with_serde_json(text in any::<String>(), id in any::<i64>(), acc in proptest::option::of("[a-z_]{0,12}")) {
            let line = serde_json::json!({"id": id, "text": text, "account": acc, "x": {"y": [text.clone()]}}).to_string();
            let (pid, ptext, pacc) = p(&line).unwrap();
            prop_assert_eq!(pid, id.to_string());
            prop_assert_eq!(ptext, text);
            prop_assert_eq!(pacc, acc);
        }
    }
}
