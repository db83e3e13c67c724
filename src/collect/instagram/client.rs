//! Instagram Graph requests: an account's media, a media's comments (with replies inline), the
//! media it is tagged in, `mentioned_media` / `mentioned_comment` lookups, and `paging.next`.

use super::models::MentionLookup;
use crate::collect::graph::Edge;
use crate::collect::http::Fetcher;
use crate::collect::{CollectError, RunStats};

/// Fields of media.
pub const MEDIA_FIELDS: &str = "id,caption,timestamp,permalink,username,media_type,comments_count";
/// Fields of comments and of their inline replies.
pub const COMMENT_FIELDS: &str = "id,text,timestamp,username,from{id,username},parent_id,replies{id,text,timestamp,username,from{id,username},parent_id}";

/// The Instagram endpoints we call.
#[derive(Debug, Clone)]
pub struct Client {
    pub fetcher: Fetcher,
    pub page_size: u32,
}

impl Client {
    /// `GET /{ig-user-id}/media` or `/{ig-user-id}/tags`.
    pub async fn media(
        &self,
        ig_user_id: &str,
        edge: &str,
        stats: &mut RunStats,
    ) -> Result<Edge, CollectError> {
        let mut url = self.fetcher.url(&[ig_user_id, edge]);
        url.query_pairs_mut()
            .append_pair("fields", MEDIA_FIELDS)
            .append_pair("limit", &self.page_size.to_string());
        Ok(self.fetcher.get_json(&url, stats).await?.0)
    }

    /// `GET /{media-id}/comments`.
    pub async fn comments(
        &self,
        media_id: &str,
        stats: &mut RunStats,
    ) -> Result<Edge, CollectError> {
        let mut url = self.fetcher.url(&[media_id, "comments"]);
        url.query_pairs_mut()
            .append_pair("fields", COMMENT_FIELDS)
            .append_pair("limit", &self.page_size.to_string());
        Ok(self.fetcher.get_json(&url, stats).await?.0)
    }

    /// `GET /{ig-user-id}?fields=mentioned_comment.comment_id(…){…}`.
    pub async fn mentioned_comment(
        &self,
        ig_user_id: &str,
        comment_id: &str,
        stats: &mut RunStats,
    ) -> Result<MentionLookup, CollectError> {
        let fields = format!(
            "mentioned_comment.comment_id({comment_id}){{id,text,timestamp,username,from{{id,username}},media{{id,permalink}}}}"
        );
        self.lookup(ig_user_id, &fields, stats).await
    }

    /// `GET /{ig-user-id}?fields=mentioned_media.media_id(…){…}`.
    pub async fn mentioned_media(
        &self,
        ig_user_id: &str,
        media_id: &str,
        stats: &mut RunStats,
    ) -> Result<MentionLookup, CollectError> {
        let fields = format!(
            "mentioned_media.media_id({media_id}){{id,caption,timestamp,permalink,username,media_type}}"
        );
        self.lookup(ig_user_id, &fields, stats).await
    }

    async fn lookup(
        &self,
        ig_user_id: &str,
        fields: &str,
        stats: &mut RunStats,
    ) -> Result<MentionLookup, CollectError> {
        let mut url = self.fetcher.url(&[ig_user_id]);
        url.query_pairs_mut().append_pair("fields", fields);
        Ok(self.fetcher.get_json(&url, stats).await?.0)
    }

    /// The page behind a `paging.next` link.
    pub async fn next(&self, link: &str, stats: &mut RunStats) -> Result<Edge, CollectError> {
        let url = self.fetcher.follow(link)?;
        Ok(self.fetcher.get_json(&url, stats).await?.0)
    }
}
