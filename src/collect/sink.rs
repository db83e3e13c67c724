//! How pages leave a collector: the [`Sink`] trait the pipeline implements (store the posts, then
//! save the cursor), the [`Page`] handed to it, pending Instagram [`Mention`]s announced by the
//! webhook, and the per-run counters ([`RunStats`]).

use crate::model::Post;
use serde::{Deserialize, Serialize};

/// A failure of the sink (the store behind it). It stops the platform: a collector cannot go on
/// if it cannot save what it harvested.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SinkError(pub String);

/// One page of a stream: its posts and the cursors that are valid once they are stored.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Posts of the page (possibly none: an empty page may still move a cursor).
    pub posts: Vec<Post>,
    /// Cursor keys and values to save after the posts (keys start with the platform name).
    pub cursors: Vec<(String, String)>,
    /// Webhook mentions whose post is in `posts` (or which can never be fetched), to forget.
    pub done_mentions: Vec<Mention>,
}

impl Page {
    /// A page of posts with one cursor.
    pub fn new(posts: Vec<Post>, key: &str, value: String) -> Page {
        Page {
            posts,
            cursors: vec![(key.to_string(), value)],
            done_mentions: Vec::new(),
        }
    }
}

/// An Instagram caption or comment @mention announced by the `mentions` webhook. The next
/// harvest fetches it with `mentioned_media` / `mentioned_comment` and then forgets it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Mention {
    /// The mentioned (our) Instagram professional account id: the webhook entry's `id`.
    pub ig_user_id: String,
    /// The media whose caption mentions us, or on which the mentioning comment was written.
    pub media_id: String,
    /// The comment that mentions us; `None` for a caption mention.
    #[serde(default)]
    pub comment_id: Option<String>,
}

impl Mention {
    /// A stable key for the inbox tree: `ig_user_id/comment/<id>` or `ig_user_id/media/<id>`.
    pub fn key(&self) -> String {
        match &self.comment_id {
            Some(c) => format!("{}/comment/{c}", self.ig_user_id),
            None => format!("{}/media/{}", self.ig_user_id, self.media_id),
        }
    }
}

/// Where pages go. The pipeline implements it over the store; collectors only see this trait.
pub trait Sink {
    /// The saved cursor of a stream key, if any.
    fn cursor(&self, key: &str) -> Result<Option<String>, SinkError>;

    /// Stores the page's posts, then saves its cursors durably, then forgets its done mentions.
    fn commit(&mut self, page: Page) -> Result<(), SinkError>;

    /// Instagram mentions received by the webhook and not fetched yet.
    fn pending_mentions(&self) -> Result<Vec<Mention>, SinkError>;
}

/// What one platform's run did, besides the posts (which the sink counts).
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunStats {
    /// HTTP requests answered successfully.
    pub requests: usize,
    /// Pages committed.
    pub pages: usize,
    /// Posts handed to the sink.
    pub posts: usize,
    /// Retries after transient failures or rate limits.
    pub retries: usize,
    /// Partial errors the platform reported inside successful answers (X `errors`), counted
    /// but not failures of ours.
    pub partial_errors: usize,
    /// Failures of one item or one stream; the rest of the platform went on.
    pub errors: Vec<String>,
}

impl RunStats {
    /// Records a failure of one item or stream, and logs it.
    pub fn error(&mut self, platform: &str, message: String) {
        tracing::warn!(platform, "{message}");
        self.errors.push(message);
    }
}
