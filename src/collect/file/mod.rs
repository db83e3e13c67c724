//! File import: JSONL in our Post shape, CSV with a header, and twarc2 JSONL (raw X API v2
//! response pages with `data` and `includes`).
//!
//! Lines are read as bytes, so invalid UTF-8, malformed JSON, a missing field or an oversized
//! post is reported with its line number and reason while every good line still comes through.

mod csv_rows;
mod twarc;

use crate::model::{Platform, Post};
use chrono::{DateTime, NaiveDateTime, Utc};
use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

/// Largest post text accepted (bytes). Bigger lines are reported, not stored.
pub const MAX_TEXT_BYTES: usize = 256 * 1024;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Decide per line (JSONL) — our Post shape, a twarc2 page, or a single X v2 tweet.
    Auto,
    /// CSV with a header row.
    Csv,
}

impl Format {
    /// The format of a path, by extension.
    pub fn of(path: &Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
        {
            Some(e) if e == "csv" => Format::Csv,
            _ => Format::Auto,
        }
    }
}

/// A line that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line (CSV: record's line).
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// Errors that stop reading a whole file.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

/// Longest JSONL line read (a twarc2 page of 100 tweets with its `includes` is about 1 MB).
/// Longer lines are skipped and reported without being held in memory.
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// Reads a file and calls `each` with every post or line error, in file order. JSONL files are
/// streamed line by line (a crash or a kill mid-file leaves what was handed on so far, and
/// memory stays at one line); CSV files are read whole.
pub fn read_file(
    path: &Path,
    watched: &HashSet<String>,
    mut each: impl FnMut(Result<Post, LineError>),
) -> Result<(), FileError> {
    let read_err = |source| FileError::Read {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_err)?;
    match Format::of(path) {
        Format::Csv => {
            let mut bytes = Vec::new();
            std::io::BufReader::new(file)
                .read_to_end(&mut bytes)
                .map_err(read_err)?;
            csv_rows::parse(&bytes, watched, &mut each);
        }
        Format::Auto => {
            let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
            let mut line = Vec::new();
            let mut line_no = 0;
            loop {
                line.clear();
                line_no += 1;
                match read_line(&mut reader, &mut line, MAX_LINE_BYTES).map_err(read_err)? {
                    Line::End => break,
                    Line::TooLong(len) => each(Err(LineError {
                        line: line_no,
                        reason: format!(
                            "line of {len} bytes is longer than the limit of {MAX_LINE_BYTES}"
                        ),
                    })),
                    Line::Read => {
                        let bytes = if line_no == 1 {
                            line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&line)
                        } else {
                            &line
                        };
                        parse_line(bytes, line_no, watched, &mut each);
                    }
                }
            }
        }
    }
    Ok(())
}

/// What [`read_line`] found.
enum Line {
    /// A line (without its `\n`) is in the buffer.
    Read,
    /// The line was longer than the limit; it was skipped. Its length in bytes.
    TooLong(usize),
    /// End of input.
    End,
}

/// Reads one line into `buf`, holding at most `limit` bytes of it.
fn read_line(
    reader: &mut impl std::io::BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<Line> {
    let mut total = 0usize;
    let mut any = false;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(match (any, total > limit) {
                (false, _) => Line::End,
                (true, true) => Line::TooLong(total),
                (true, false) => Line::Read,
            });
        }
        any = true;
        let (part, done) = match chunk.iter().position(|b| *b == b'\n') {
            Some(i) => (&chunk[..i], i + 1),
            None => (chunk, chunk.len()),
        };
        total += part.len();
        if total <= limit {
            buf.extend_from_slice(part);
        } else {
            buf.clear();
        }
        let newline = done > part.len();
        reader.consume(done);
        if newline {
            return Ok(if total > limit {
                Line::TooLong(total)
            } else {
                Line::Read
            });
        }
    }
}

/// Parses file content held in memory.
pub fn parse_lines(
    bytes: &[u8],
    format: Format,
    watched: &HashSet<String>,
    mut each: impl FnMut(Result<Post, LineError>),
) {
    match format {
        Format::Csv => csv_rows::parse(bytes, watched, &mut each),
        Format::Auto => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
                parse_line(line, i + 1, watched, &mut each);
            }
        }
    }
}

/// Parses one JSONL line (without its `\n`): our Post shape, a twarc2 page or one X v2 tweet.
fn parse_line(
    line: &[u8],
    line_no: usize,
    watched: &HashSet<String>,
    each: &mut impl FnMut(Result<Post, LineError>),
) {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(u8::is_ascii_whitespace) {
        return;
    }
    let err = |reason: String| LineError {
        line: line_no,
        reason,
    };
    let text = match std::str::from_utf8(line) {
        Ok(t) => t,
        Err(e) => {
            each(Err(err(format!(
                "not valid UTF-8 (byte {} of the line)",
                e.valid_up_to() + 1
            ))));
            return;
        }
    };
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            each(Err(err(format!("not valid JSON: {e}"))));
            return;
        }
    };
    if twarc::is_page(&value) {
        // an empty page (no tweets matched) gives nothing, which is fine
        twarc::page_posts(&value, watched, &mut |r| {
            each(r.map_err(&err).and_then(|p| check(p, line_no)));
        });
    } else if twarc::is_tweet(&value) {
        let r = twarc::tweet_post(&value, None, watched);
        each(r.map_err(err).and_then(|p| check(p, line_no)));
    } else {
        let r = serde_json::from_value::<Post>(value).map_err(|e| err(format!("not a post: {e}")));
        each(r.and_then(|p| check(p, line_no)).map(|mut p| {
            if p.account.is_none() {
                p.account = mentioned_account(&p.text, watched);
            }
            p
        }));
    }
}

/// Checks the invariants every imported post must hold.
fn check(p: Post, line: usize) -> Result<Post, LineError> {
    let err = |reason: String| Err(LineError { line, reason });
    if p.native_id.trim().is_empty() {
        return err("empty post id".into());
    }
    if p.native_id.len() > 256 {
        return err(format!(
            "post id is {} bytes long (at most 256)",
            p.native_id.len()
        ));
    }
    if p.text.len() > MAX_TEXT_BYTES {
        return err(format!(
            "post text is {} bytes, over the {} byte limit",
            p.text.len(),
            MAX_TEXT_BYTES
        ));
    }
    Ok(p)
}

/// The first watched handle @mentioned in `text`.
pub fn mentioned_account(text: &str, watched: &HashSet<String>) -> Option<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '@' || c == '.'))
        .filter_map(|w| w.strip_prefix('@'))
        .map(|h| h.trim_end_matches('.').to_lowercase())
        .find(|h| watched.contains(h))
}

/// Parses the timestamps exports use: RFC 3339, `YYYY-MM-DD HH:MM:SS` (taken as UTC), Meta's
/// `+0000` offset form, or Unix seconds.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z") {
        return Some(t.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc());
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    }
    if let Ok(secs) = s.parse::<i64>() {
        return DateTime::from_timestamp(secs, 0);
    }
    None
}

/// The platform a URL belongs to.
pub fn platform_of_url(url: &str) -> Option<Platform> {
    let u = url.to_ascii_lowercase();
    let host = u
        .split("://")
        .nth(1)
        .unwrap_or(&u)
        .split('/')
        .next()
        .unwrap_or("");
    let host = host.trim_start_matches("www.").trim_start_matches("m.");
    Some(match host {
        "x.com" | "twitter.com" | "mobile.twitter.com" => Platform::X,
        "instagram.com" => Platform::Instagram,
        "facebook.com" | "fb.com" | "web.facebook.com" => Platform::Facebook,
        "youtube.com" | "youtu.be" => Platform::Youtube,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
