//! CSV exports with a header: `id, created_at, author, text, url` (any order, extra columns
//! ignored; optional `platform`, `author_id`, `reply_to`, `account`).

use super::{check, mentioned_account, parse_time, platform_of_url, LineError};
use crate::model::{Platform, Post};
use std::collections::HashSet;

pub fn parse(
    bytes: &[u8],
    watched: &HashSet<String>,
    each: &mut dyn FnMut(Result<Post, LineError>),
) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers: Vec<String> = match rdr.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|c| String::from_utf8_lossy(c).trim().to_lowercase())
            .collect(),
        Err(e) => {
            each(Err(LineError {
                line: 1,
                reason: format!("cannot read the CSV header: {e}"),
            }));
            return;
        }
    };
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(c_id), Some(c_text)) = (col("id"), col("text")) else {
        each(Err(LineError {
            line: 1,
            reason: format!(
                "the CSV header needs at least `id` and `text` columns (found: {})",
                headers.join(", ")
            ),
        }));
        return;
    };
    let c_created = col("created_at");
    let c_author = col("author").or_else(|| col("author_handle"));
    let c_author_id = col("author_id");
    let c_url = col("url");
    let c_platform = col("platform");
    let c_reply = col("reply_to");
    let c_account = col("account");
    for rec in rdr.byte_records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                each(Err(LineError {
                    line,
                    reason: format!("malformed CSV record: {e}"),
                }));
                continue;
            }
        };
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
        let err = |reason: String| Err(LineError { line, reason });
        let mut fields = Vec::with_capacity(rec.len());
        let mut bad_utf8 = None;
        for (i, f) in rec.iter().enumerate() {
            match std::str::from_utf8(f) {
                Ok(s) => fields.push(s),
                Err(_) => {
                    bad_utf8 = Some(headers.get(i).cloned().unwrap_or_default());
                    fields.push("");
                }
            }
        }
        if let Some(h) = bad_utf8 {
            each(err(format!("column `{h}` is not valid UTF-8")));
            continue;
        }
        let get = |c: Option<usize>| {
            c.and_then(|c| fields.get(c))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
        };
        let Some(id) = get(Some(c_id)) else {
            each(err("empty `id`".into()));
            continue;
        };
        let Some(text) = fields.get(c_text).filter(|t| !t.trim().is_empty()) else {
            each(err("empty `text`".into()));
            continue;
        };
        let created_at = match get(c_created) {
            Some(s) => {
                match parse_time(s) {
                    Some(t) => t,
                    None => {
                        each(err(format!("cannot read created_at `{s}` (use RFC 3339, e.g. 2026-11-20T08:15:00Z)")));
                        continue;
                    }
                }
            }
            None => {
                each(err("empty `created_at`".into()));
                continue;
            }
        };
        let url = get(c_url).map(str::to_string);
        let platform = match get(c_platform) {
            Some(p) => match Platform::parse(p) {
                Some(p) => p,
                None => {
                    each(err(format!("unknown platform `{p}`")));
                    continue;
                }
            },
            None => url
                .as_deref()
                .and_then(platform_of_url)
                .unwrap_or(Platform::File),
        };
        let account = get(c_account)
            .map(|a| a.trim_start_matches('@').to_lowercase())
            .or_else(|| mentioned_account(text, watched));
        let post = Post {
            platform,
            native_id: id.to_string(),
            author_id: get(c_author_id).unwrap_or_default().to_string(),
            author_handle: get(c_author)
                .unwrap_or_default()
                .trim_start_matches('@')
                .to_string(),
            text: text.to_string(),
            created_at,
            url,
            reply_to: get(c_reply).map(str::to_string),
            account,
            raw: None,
        };
        each(check(post, line));
    }
}
