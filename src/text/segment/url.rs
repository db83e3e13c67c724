//! Recognisers for web addresses: `http(s)://…`, `www.…`, bare domains with a known top-level
//! domain (`bit.ly/x`, `banjarmasinkota.go.id`) and e-mail addresses. Each returns the byte
//! length of the address at the start of the input, or 0.

/// Top-level domains accepted for bare domains (without scheme or `www.`). Kept short on purpose:
/// `jl.a.yani` or `kec.banjar` must stay words.
const TLDS: &[&str] = &[
    "com", "id", "net", "org", "ly", "io", "co", "me", "info", "biz", "gl", "xyz", "tv", "app",
    "dev", "link", "site", "online", "news", "gov", "edu", "my", "sg", "to", "gg",
];

fn starts_with_ci(s: &[u8], prefix: &str) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Whether `b` may appear inside a URL (ASCII, printable, not a delimiter people use around
/// links).
fn is_url_byte(b: u8) -> bool {
    b.is_ascii_graphic() && !matches!(b, b'<' | b'>' | b'"' | b'`' | b'{' | b'}' | b'|' | b'\\')
}

/// Length of the URL tail starting at `from`, with trailing sentence punctuation trimmed (a
/// closing parenthesis stays when the URL opened one).
fn tail_len(s: &[u8], from: usize) -> usize {
    let mut n = from;
    while n < s.len() && is_url_byte(s[n]) {
        n += 1;
    }
    loop {
        if n <= from {
            return n;
        }
        match s[n - 1] {
            b'.' | b',' | b'!' | b'?' | b';' | b':' | b'\'' | b']' => n -= 1,
            b')' => {
                let opens = s[..n].iter().filter(|&&b| b == b'(').count();
                let closes = s[..n].iter().filter(|&&b| b == b')').count();
                if closes > opens {
                    n -= 1;
                } else {
                    return n;
                }
            }
            _ => return n,
        }
    }
}

/// Length of a domain name (`label(.label)+`) at the start of `s` whose last label is in
/// [`TLDS`] when `known_tld` is set (else any alphabetic label of 2+ letters).
fn domain_len(s: &[u8], known_tld: bool) -> usize {
    let mut n = 0;
    let mut labels = 0;
    let mut last_label = (0, 0);
    loop {
        let start = n;
        while n < s.len() && (s[n].is_ascii_alphanumeric() || s[n] == b'-') {
            n += 1;
        }
        if n == start {
            break;
        }
        labels += 1;
        last_label = (start, n);
        if n + 1 < s.len() && s[n] == b'.' && s[n + 1].is_ascii_alphanumeric() {
            n += 1;
        } else {
            break;
        }
    }
    if labels < 2 {
        return 0;
    }
    let tld = &s[last_label.0..last_label.1];
    let ok = if known_tld {
        TLDS.iter().any(|t| tld.eq_ignore_ascii_case(t.as_bytes()))
    } else {
        tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic)
    };
    if !ok {
        return 0;
    }
    // the domain must not run straight into more word characters
    match s.get(last_label.1) {
        Some(b) if b.is_ascii_alphanumeric() || *b >= 0x80 => 0,
        _ => last_label.1,
    }
}

/// Length of a web address at the start of `s` (0 if none).
pub fn url_len(s: &str) -> usize {
    let b = s.as_bytes();
    for scheme in ["https://", "http://"] {
        if starts_with_ci(b, scheme) {
            let n = tail_len(b, scheme.len());
            return if n > scheme.len() { n } else { 0 };
        }
    }
    if starts_with_ci(b, "www.") {
        let d = domain_len(&b[4..], false);
        return if d > 0 { tail_len(b, 4 + d) } else { 0 };
    }
    let d = domain_len(b, true);
    if d == 0 {
        return 0;
    }
    // a bare domain needs a letter somewhere before the TLD (not `1.5.id`)
    let tld_dot = b[..d].iter().rposition(|&c| c == b'.').unwrap_or(0);
    if !b[..tld_dot].iter().any(u8::is_ascii_alphabetic) {
        return 0;
    }
    if b.get(d) == Some(&b'/') {
        tail_len(b, d)
    } else {
        d
    }
}

/// Length of an e-mail address at the start of `s` (0 if none).
pub fn email_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut n = 0;
    while n < b.len()
        && (b[n].is_ascii_alphanumeric() || matches!(b[n], b'.' | b'_' | b'%' | b'+' | b'-'))
    {
        n += 1;
    }
    if n == 0 || b[0] == b'.' || b.get(n) != Some(&b'@') {
        return 0;
    }
    let d = domain_len(&b[n + 1..], false);
    if d == 0 {
        0
    } else {
        n + 1 + d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            url_len("https://x.com/a?b=1. lalu"),
            "https://x.com/a?b=1".len()
        );
        assert_eq!(url_len("HTTP://X.COM"), 12);
        assert_eq!(url_len("http://"), 0);
        assert_eq!(
            url_len("www.banjarmasinkota.go.id/lapor, ok"),
            "www.banjarmasinkota.go.id/lapor".len()
        );
        assert_eq!(url_len("bit.ly/3xYz!"), "bit.ly/3xYz".len());
        assert_eq!(
            url_len("banjarmasinkota.go.id."),
            "banjarmasinkota.go.id".len()
        );
        assert_eq!(url_len("jl.a.yani"), 0);
        assert_eq!(url_len("kec.banjar"), 0);
        assert_eq!(url_len("1.5.id"), 0);
        assert_eq!(
            url_len("en.wikipedia.org/wiki/Banjar_(suku))"),
            "en.wikipedia.org/wiki/Banjar_(suku)".len()
        );
        assert_eq!(url_len("www."), 0);
        assert_eq!(url_len("x.comfoo"), 0);
    }

    #[test]
    fn emails() {
        assert_eq!(
            email_len("humas@banjarmasinkota.go.id ya"),
            "humas@banjarmasinkota.go.id".len()
        );
        assert_eq!(email_len("a@b"), 0);
        assert_eq!(email_len("@pupr"), 0);
        assert_eq!(email_len("budi@"), 0);
    }
}
