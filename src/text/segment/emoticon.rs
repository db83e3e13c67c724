//! ASCII emoticons: `:(`, `:')`, `:v`, `T_T`, `-_-`, `<3`, `xD` … with repeated mouths
//! (`:((((`, `:DDD`). An emoticon that begins or ends with a letter or digit must stand alone
//! (`xD` yes, `taxD` no; `:D` yes, `:Dia` no), so words are never cut.

/// Known emoticons by first character, longest first within a shared prefix.
fn candidates(first: u8) -> &'static [&'static str] {
    match first {
        b':' => &[
            ":'(", ":')", ":'D", ":-)", ":-(", ":-D", ":-P", ":-p", ":-/", ":-|", ":-*", ":-O",
            ":-o", ":)", ":(", ":D", ":P", ":p", ":v", ":V", ":3", ":/", ":|", ":o", ":O", ":*",
            ":]", ":[",
        ],
        b';' => &[";-)", ";)", ";(", ";D", ";p", ";P"],
        b'=' => &["=))", "=)", "=(", "=D", "=]"],
        b'<' => &["</3", "<3"],
        b'^' => &["^_^", "^.^", "^^"],
        b'-' => &["-_-", "-.-"],
        b'>' => &[">_<", ">.<"],
        b'T' => &["T_T", "T.T"],
        b'o' => &["o_O", "o.O"],
        b'O' => &["O_o", "O.o"],
        b'x' => &["xD", "x_x"],
        b'X' => &["XD", "X_X"],
        b'@' => &["@_@"],
        b'.' => &["._."],
        _ => &[],
    }
}

/// Characters that may repeat at the end of an emoticon (`:(((`, `:DDD`, `=))`).
fn repeats(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'D' | b'P' | b'p' | b'v' | b'V' | b'3' | b'*' | b'/'
    )
}

/// Length of an emoticon at the start of `s`, given the character before it (if any).
pub fn emoticon_len(s: &[u8], prev: Option<char>) -> usize {
    let first = match s.first() {
        Some(&b) => b,
        None => return 0,
    };
    let list = candidates(first);
    if list.is_empty() || s.len() < 2 {
        return 0;
    }
    let prev_is_word = prev.is_some_and(|c| c.is_alphanumeric());
    for e in list {
        let e = e.as_bytes();
        if !s.starts_with(e) {
            continue;
        }
        if e[0].is_ascii_alphanumeric() && prev_is_word {
            continue;
        }
        let mut n = e.len();
        let last = e[n - 1];
        if repeats(last) {
            while s.get(n) == Some(&last) {
                n += 1;
            }
        }
        let next_is_word = s
            .get(n)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b >= 0x80);
        if (last.is_ascii_alphanumeric() || e[0].is_ascii_alphanumeric()) && next_is_word {
            continue;
        }
        return n;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoticons() {
        assert_eq!(emoticon_len(b":( ", None), 2);
        assert_eq!(emoticon_len(b":(((", Some(' ')), 4);
        assert_eq!(emoticon_len(b":')", None), 3);
        assert_eq!(emoticon_len(b":v", None), 2);
        assert_eq!(emoticon_len(b":vapa", None), 0);
        assert_eq!(emoticon_len(b"xD", Some(' ')), 2);
        assert_eq!(emoticon_len(b"xD", Some('a')), 0);
        assert_eq!(emoticon_len(b"xDDD!", None), 4);
        assert_eq!(emoticon_len(b"T_T", None), 3);
        assert_eq!(emoticon_len(b"-_-", None), 3);
        assert_eq!(emoticon_len(b"<3", None), 2);
        assert_eq!(emoticon_len(b"Tolong", None), 0);
        assert_eq!(emoticon_len(b"x", None), 0);
        assert_eq!(emoticon_len(b"...", None), 0);
        assert_eq!(emoticon_len(b"._.", None), 3);
    }
}
