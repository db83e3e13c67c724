//! Mastodon requests (notifications, hashtag timelines) and how answers are classified: 429
//! waits for `X-RateLimit-Reset` (an RFC 3339 time), the rest as usual.

use crate::collect::http::{classify_status, header, Fetcher};
use crate::collect::retry::{until_rfc3339, Verdict};
use crate::collect::{CollectError, RunStats};
use chrono::Utc;
use reqwest::header::HeaderMap;
use serde_json::Value;

/// How Mastodon answers are read.
pub fn classify(status: u16, headers: &HeaderMap, body: &[u8]) -> Verdict {
    if status == 429 {
        let after = header(headers, "x-ratelimit-reset").and_then(|r| until_rfc3339(r, Utc::now()));
        return Verdict::RateLimited {
            after,
            why: "HTTP 429 Too many requests".to_string(),
        };
    }
    classify_status(status, headers, body)
}

/// Whether a `Link` header has a `rel="next"` entry.
pub fn has_next(headers: &HeaderMap) -> bool {
    headers.get_all("link").iter().any(|v| {
        v.to_str().is_ok_and(|s| {
            s.split(',')
                .any(|part| part.split(';').skip(1).any(|p| p.trim() == "rel=\"next\""))
        })
    })
}

/// One page: the raw items and whether the server announced more.
#[derive(Debug)]
pub struct Listing {
    pub items: Vec<Value>,
    pub more: bool,
}

/// The Mastodon endpoints we call.
#[derive(Debug, Clone)]
pub struct Client {
    pub fetcher: Fetcher,
    pub page_size: u32,
}

impl Client {
    /// `GET /api/v1/notifications?types[]=mention`.
    pub async fn mentions(
        &self,
        since_id: Option<&str>,
        max_id: Option<&str>,
        stats: &mut RunStats,
    ) -> Result<Listing, CollectError> {
        let mut url = self.fetcher.url(&["api", "v1", "notifications"]);
        url.query_pairs_mut().append_pair("types[]", "mention");
        self.get(url, since_id, max_id, stats).await
    }

    /// `GET /api/v1/timelines/tag/:hashtag`.
    pub async fn tag(
        &self,
        tag: &str,
        since_id: Option<&str>,
        max_id: Option<&str>,
        stats: &mut RunStats,
    ) -> Result<Listing, CollectError> {
        let url = self.fetcher.url(&["api", "v1", "timelines", "tag", tag]);
        self.get(url, since_id, max_id, stats).await
    }

    async fn get(
        &self,
        mut url: reqwest::Url,
        since_id: Option<&str>,
        max_id: Option<&str>,
        stats: &mut RunStats,
    ) -> Result<Listing, CollectError> {
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("limit", &self.page_size.to_string());
            if let Some(s) = since_id {
                q.append_pair("since_id", s);
            }
            if let Some(m) = max_id {
                q.append_pair("max_id", m);
            }
        }
        let (items, headers) = self.fetcher.get_json::<Vec<Value>>(&url, stats).await?;
        Ok(Listing {
            more: has_next(&headers),
            items,
        })
    }
}
