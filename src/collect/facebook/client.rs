//! Facebook Graph requests: a Page's feed and tagged posts, a post's comments, and following
//! `paging.next` on the configured host.

use crate::collect::graph::Edge;
use crate::collect::http::Fetcher;
use crate::collect::{CollectError, RunStats};
use chrono::{DateTime, Utc};

/// Fields of feed and tagged posts.
pub const POST_FIELDS: &str =
    "id,message,created_time,updated_time,permalink_url,from{id,name},status_type";
/// Fields of comments.
pub const COMMENT_FIELDS: &str = "id,message,created_time,from{id,name},parent{id},permalink_url";

/// The Facebook endpoints we call.
#[derive(Debug, Clone)]
pub struct Client {
    pub fetcher: Fetcher,
    pub page_size: u32,
}

impl Client {
    /// `GET /{page-id}/{edge}?since=…` for `feed` or `tagged`, newest first.
    pub async fn posts(
        &self,
        page_id: &str,
        edge: &str,
        since: DateTime<Utc>,
        stats: &mut RunStats,
    ) -> Result<Edge, CollectError> {
        let mut url = self.fetcher.url(&[page_id, edge]);
        url.query_pairs_mut()
            .append_pair("fields", POST_FIELDS)
            .append_pair("limit", &self.page_size.to_string())
            .append_pair("since", &since.timestamp().to_string());
        Ok(self.fetcher.get_json(&url, stats).await?.0)
    }

    /// `GET /{post-id}/comments?filter=stream&order=reverse_chronological`.
    pub async fn comments(
        &self,
        post_id: &str,
        stats: &mut RunStats,
    ) -> Result<Edge, CollectError> {
        let mut url = self.fetcher.url(&[post_id, "comments"]);
        url.query_pairs_mut()
            .append_pair("fields", COMMENT_FIELDS)
            .append_pair("filter", "stream")
            .append_pair("order", "reverse_chronological")
            .append_pair("limit", &self.page_size.to_string());
        Ok(self.fetcher.get_json(&url, stats).await?.0)
    }

    /// The page behind a `paging.next` link.
    pub async fn next(&self, link: &str, stats: &mut RunStats) -> Result<Edge, CollectError> {
        let url = self.fetcher.follow(link)?;
        Ok(self.fetcher.get_json(&url, stats).await?.0)
    }
}
