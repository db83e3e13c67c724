//! What Facebook Pages and Instagram share: the Meta Graph API's error body and rate-limit
//! codes, its `+0000` timestamps, cursor paging (`data` + `paging.next`), and the page loop of
//! a stream read behind a time watermark ([`EdgePass`]).
//!
//! Meta signals throttling inside error bodies, not with 429: codes 4 (app), 17 (user),
//! 32 (Pages), 613 (custom), 341, 80001–80009 (Business Use Case), answered as 400 or 403. The
//! `X-Business-Use-Case-Usage` header may say how long until access returns.

use super::cursor::Keyed;
use super::http::{classify_status, excerpt, header};
use super::retry::Verdict;
use super::watermark::Watermark;
use super::{RunStats, Sink, SinkError};
use crate::model::Post;
use chrono::{DateTime, Utc};
use reqwest::header::HeaderMap;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::time::Duration;

/// Graph error codes that mean "rate limited".
pub const RATE_LIMIT_CODES: [i64; 13] = [
    4, 17, 32, 613, 341, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80009,
];

/// How Graph API answers are read.
pub fn classify(status: u16, headers: &HeaderMap, body: &[u8]) -> Verdict {
    if (200..300).contains(&status) {
        return Verdict::Done;
    }
    let err: Option<Value> = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("error").cloned());
    let Some(err) = err else {
        return classify_status(status, headers, body);
    };
    let code = err.get("code").and_then(Value::as_i64).unwrap_or(0);
    let subcode = err.get("error_subcode").and_then(Value::as_i64);
    let message = err
        .get("message")
        .and_then(Value::as_str)
        .map(|m| excerpt(m.as_bytes()))
        .unwrap_or_default();
    let why = match subcode {
        Some(s) => format!("Graph error {code}/{s}: {message}"),
        None => format!("Graph error {code}: {message}"),
    };
    if RATE_LIMIT_CODES.contains(&code) {
        return Verdict::RateLimited {
            after: regain_access(headers),
            why,
        };
    }
    if code == 190 || status == 401 {
        return Verdict::Unauthorized { why };
    }
    let transient = err.get("is_transient").and_then(Value::as_bool) == Some(true);
    if transient || code == 1 || code == 2 || status >= 500 {
        return Verdict::Retry { after: None, why };
    }
    Verdict::Refused { why }
}

/// The longest `estimated_time_to_regain_access` (minutes) in `X-Business-Use-Case-Usage`.
pub fn regain_access(headers: &HeaderMap) -> Option<Duration> {
    let usage: Value = serde_json::from_str(header(headers, "x-business-use-case-usage")?).ok()?;
    usage
        .as_object()?
        .values()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|u| {
            u.get("estimated_time_to_regain_access")
                .and_then(Value::as_u64)
        })
        .max()
        .map(|m| Duration::from_secs(m * 60))
}

/// Parses Meta's `2021-07-04T19:50:58+0000` (also RFC 3339).
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z")
        .or_else(|_| DateTime::parse_from_rfc3339(s))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Serde helper for Meta timestamps.
pub fn de_time<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let s = String::deserialize(d)?;
    parse_time(&s).ok_or_else(|| serde::de::Error::custom(format!("bad Meta timestamp `{s}`")))
}

/// One page of an edge. Items stay raw so one odd item is skipped alone.
#[derive(Debug, Clone, Deserialize)]
pub struct Edge {
    #[serde(default)]
    pub data: Vec<Value>,
    #[serde(default)]
    pub paging: Option<Paging>,
}

/// `paging`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Paging {
    /// The next page; absent on the last one (the only reliable end signal).
    #[serde(default)]
    pub next: Option<String>,
}

impl Edge {
    /// The `next` link, if any.
    pub fn next(&self) -> Option<&str> {
        self.paging.as_ref().and_then(|p| p.next.as_deref())
    }
}

/// `{id, name}` or `{id, username}` of an author.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct From {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
}

/// One pass over a Graph edge behind a time watermark, read page by page from its first page,
/// `max_pages` pages a run at most.
#[derive(Debug)]
pub struct EdgePass {
    /// The stream's watermark under its key.
    pub stream: Keyed<Watermark>,
    /// Pages read so far in this run.
    pages: u32,
    max_pages: u32,
}

impl EdgePass {
    /// Resumes the watermark saved under `key` (see [`Keyed::resume`]) for a pass whose first
    /// page is being read.
    pub fn resume(
        platform: &str,
        key: String,
        max_pages: u32,
        sink: &(dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<EdgePass, SinkError> {
        Ok(EdgePass {
            stream: Keyed::resume(platform, key, sink, stats)?,
            pages: 1,
            max_pages,
        })
    }

    /// The watermark the page's items are checked against and recorded in.
    pub fn wm(&mut self) -> &mut Watermark {
        &mut self.stream.cursor
    }

    /// Hands a page's posts over and says what to read next: the `next` link, or `None` when
    /// the pass is over. It is over when there is no `next` (the pass finished: the watermark
    /// moves), or when the page budget is used (the pass starts again next run).
    pub fn next(
        &mut self,
        posts: Vec<Post>,
        next: Option<&str>,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<Option<String>, SinkError> {
        self.stream.commit(posts, sink, stats)?;
        let Some(next) = next else {
            self.stream.finish(sink)?;
            return Ok(None);
        };
        if self.pages >= self.max_pages {
            tracing::info!(stream = %self.stream.key, "page budget used; the pass starts again next run");
            return Ok(None);
        }
        self.pages += 1;
        Ok(Some(next.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(code: i64) -> Vec<u8> {
        format!(r#"{{"error":{{"message":"(#{code}) Application request limit reached","type":"OAuthException","code":{code},"fbtrace_id":"Axyz"}}}}"#).into_bytes()
    }

    #[test]
    fn rate_limit_codes_are_rate_limits_whatever_the_status() {
        let h = HeaderMap::new();
        for code in [4, 17, 32, 613] {
            for status in [400, 403] {
                assert!(
                    matches!(
                        classify(status, &h, &body(code)),
                        Verdict::RateLimited { .. }
                    ),
                    "{code}/{status}"
                );
            }
        }
        assert!(matches!(
            classify(400, &h, &body(100)),
            Verdict::Refused { .. }
        ));
        assert!(matches!(
            classify(400, &h, &body(190)),
            Verdict::Unauthorized { .. }
        ));
        assert!(matches!(classify(500, &h, &body(2)), Verdict::Retry { .. }));
        assert!(matches!(
            classify(502, &h, b"<html>"),
            Verdict::Retry { .. }
        ));
        assert_eq!(classify(200, &h, b"{}"), Verdict::Done);
    }

    #[test]
    fn business_use_case_header_gives_the_wait() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-business-use-case-usage",
            r#"{"1234":[{"type":"pages","call_count":100,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":7}]}"#
                .parse()
                .unwrap(),
        );
        match classify(400, &h, &body(32)) {
            Verdict::RateLimited { after, .. } => assert_eq!(after, Some(Duration::from_secs(420))),
            v => panic!("{v:?}"),
        }
    }

    #[test]
    fn meta_timestamps_have_no_colon_in_the_offset() {
        let t = parse_time("2026-11-20T19:50:58+0000").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-20T19:50:58+00:00");
        let t = parse_time("2026-11-21T03:50:58+0800").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-20T19:50:58+00:00");
        assert!(parse_time("20/11/2026").is_none());
    }
}
