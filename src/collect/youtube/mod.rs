//! YouTube Data API v3: comment threads on each watched channel and its videos
//! (`commentThreads?allThreadsRelatedToChannelId=…&order=time`) with their replies (the subset
//! in `replies.comments`, or all of them through `comments?parentId=…`). There is no `since`
//! parameter, so each pass reads newest first and stops at the watermark
//! (see [`crate::collect::watermark`]); 403 `quotaExceeded` stops YouTube until the next run.

mod client;
mod collector;
mod config;
mod models;

pub use client::classify;
pub use collector::YoutubeCollector;
pub use config::{YoutubeConfig, PAGE_SIZES};
pub use models::{comment_post, Comment, CommentList, Thread, ThreadList};

#[cfg(test)]
mod tests;
