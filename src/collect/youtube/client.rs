//! YouTube requests (`commentThreads`, `comments`) and how answers are classified: the 403 and
//! 429 bodies say why in `error.errors[].reason` — `quotaExceeded` is a daily quota (stop),
//! `rateLimitExceeded` a short-term limit (back off), others refusals.

use super::models::{CommentList, ThreadList};
use crate::collect::http::{classify_status, Fetcher};
use crate::collect::retry::Verdict;
use crate::collect::{CollectError, RunStats};
use reqwest::header::HeaderMap;

/// How YouTube answers are read.
pub fn classify(status: u16, headers: &HeaderMap, body: &[u8]) -> Verdict {
    if status == 403 || status == 429 {
        let v: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        let reasons: Vec<String> = v
            .as_ref()
            .and_then(|v| v.pointer("/error/errors"))
            .and_then(|e| e.as_array())
            .map(|errs| {
                errs.iter()
                    .filter_map(|e| e.get("reason").and_then(|r| r.as_str()))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let has = |r: &str| reasons.iter().any(|x| x == r);
        if has("quotaExceeded") || has("dailyLimitExceeded") {
            return Verdict::Quota {
                why: "YouTube daily quota exceeded (quotaExceeded)".to_string(),
            };
        }
        if has("rateLimitExceeded") || has("userRateLimitExceeded") || status == 429 {
            return Verdict::RateLimited {
                after: None,
                why: format!("HTTP {status} {}", reasons.join(",")),
            };
        }
        return Verdict::Refused {
            why: format!("HTTP {status} {}", reasons.join(",")),
        };
    }
    classify_status(status, headers, body)
}

/// The YouTube endpoints we call.
#[derive(Debug, Clone)]
pub struct Client {
    pub fetcher: Fetcher,
    pub page_size: u32,
}

impl Client {
    /// `GET /commentThreads?part=snippet,replies&allThreadsRelatedToChannelId=…&order=time`.
    pub async fn threads(
        &self,
        channel_id: &str,
        page_token: Option<&str>,
        stats: &mut RunStats,
    ) -> Result<ThreadList, CollectError> {
        let mut url = self.fetcher.url(&["commentThreads"]);
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("part", "snippet,replies")
                .append_pair("allThreadsRelatedToChannelId", channel_id)
                .append_pair("order", "time")
                .append_pair("textFormat", "plainText")
                .append_pair("maxResults", &self.page_size.to_string());
            if let Some(t) = page_token {
                q.append_pair("pageToken", t);
            }
        }
        Ok(self.fetcher.get_json(&url, stats).await?.0)
    }

    /// `GET /comments?part=snippet&parentId=…`: every reply of a thread, page by page.
    pub async fn replies(
        &self,
        parent_id: &str,
        page_token: Option<&str>,
        stats: &mut RunStats,
    ) -> Result<CommentList, CollectError> {
        let mut url = self.fetcher.url(&["comments"]);
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("part", "snippet")
                .append_pair("parentId", parent_id)
                .append_pair("textFormat", "plainText")
                .append_pair("maxResults", "100");
            if let Some(t) = page_token {
                q.append_pair("pageToken", t);
            }
        }
        Ok(self.fetcher.get_json(&url, stats).await?.0)
    }
}
