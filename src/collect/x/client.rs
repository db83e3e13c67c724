//! X API v2 requests: user lookup, mentions timeline, recent search; and how X answers are
//! classified (429 with `x-rate-limit-reset` in epoch seconds; a usage cap is a quota).

use super::models::{TweetPage, UserLookup};
use crate::collect::http::{classify_status, header, Fetcher};
use crate::collect::retry::{until_epoch, Verdict};
use crate::collect::{CollectError, RunStats};
use chrono::{DateTime, Utc};
use reqwest::header::HeaderMap;

/// Tweet fields a harvester needs (CONVENTIONS: "Fields a harvester needs").
pub const TWEET_FIELDS: &str = "id,text,author_id,created_at,conversation_id,in_reply_to_user_id,referenced_tweets,lang,entities,note_tweet,public_metrics";
/// Expansions, so authors come in `includes.users`.
pub const EXPANSIONS: &str =
    "author_id,referenced_tweets.id,in_reply_to_user_id,entities.mentions.username";
/// User fields of the expansions.
pub const USER_FIELDS: &str = "username,name";

/// How X answers are read.
pub fn classify(status: u16, headers: &HeaderMap, body: &[u8]) -> Verdict {
    if status == 429 {
        let problem: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        let kind = problem
            .as_ref()
            .and_then(|p| p.get("type"))
            .and_then(|t| t.as_str())
            .unwrap_or("");
        if kind.ends_with("/usage-capped") {
            let period = problem
                .as_ref()
                .and_then(|p| p.get("period"))
                .and_then(|t| t.as_str())
                .unwrap_or("?");
            return Verdict::Quota {
                why: format!("X usage cap reached ({period})"),
            };
        }
        let after = header(headers, "x-rate-limit-reset")
            .and_then(|s| s.trim().parse::<i64>().ok())
            .map(|reset| until_epoch(reset, Utc::now()));
        return Verdict::RateLimited {
            after,
            why: "HTTP 429 Too Many Requests".to_string(),
        };
    }
    classify_status(status, headers, body)
}

/// Bounds and paging of one request.
#[derive(Debug, Clone, Default)]
pub struct Query<'a> {
    pub since_id: Option<&'a str>,
    pub until_id: Option<&'a str>,
    /// Only on a first run (X allows one of `start_time` / `since_id`).
    pub start_time: Option<DateTime<Utc>>,
    pub token: Option<&'a str>,
}

/// The X endpoints we call.
#[derive(Debug, Clone)]
pub struct Client {
    pub fetcher: Fetcher,
    pub page_size: u32,
}

impl Client {
    /// `GET /2/users/by/username/{username}`.
    pub async fn user(
        &self,
        handle: &str,
        stats: &mut RunStats,
    ) -> Result<UserLookup, CollectError> {
        let url = self.fetcher.url(&["2", "users", "by", "username", handle]);
        Ok(self.fetcher.get_json(&url, stats).await?.0)
    }

    /// `GET /2/users/{id}/mentions`.
    pub async fn mentions(
        &self,
        user_id: &str,
        q: &Query<'_>,
        stats: &mut RunStats,
    ) -> Result<TweetPage, CollectError> {
        let mut url = self.fetcher.url(&["2", "users", user_id, "mentions"]);
        self.params(&mut url, q, "pagination_token");
        Ok(self.fetcher.get_json(&url, stats).await?.0)
    }

    /// `GET /2/tweets/search/recent`.
    pub async fn search(
        &self,
        query: &str,
        q: &Query<'_>,
        stats: &mut RunStats,
    ) -> Result<TweetPage, CollectError> {
        let mut url = self.fetcher.url(&["2", "tweets", "search", "recent"]);
        url.query_pairs_mut().append_pair("query", query);
        self.params(&mut url, q, "next_token");
        Ok(self.fetcher.get_json(&url, stats).await?.0)
    }

    fn params(&self, url: &mut reqwest::Url, q: &Query<'_>, token_name: &str) {
        let mut p = url.query_pairs_mut();
        p.append_pair("max_results", &self.page_size.to_string())
            .append_pair("tweet.fields", TWEET_FIELDS)
            .append_pair("expansions", EXPANSIONS)
            .append_pair("user.fields", USER_FIELDS);
        if let Some(s) = q.since_id {
            p.append_pair("since_id", s);
        } else if let Some(t) = q.start_time {
            p.append_pair("start_time", &t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        }
        if let Some(u) = q.until_id {
            p.append_pair("until_id", u);
        }
        if let Some(t) = q.token {
            p.append_pair(token_name, t);
        }
    }
}
