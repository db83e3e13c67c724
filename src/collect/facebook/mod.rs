//! Facebook Pages (Graph API): visitor posts and posts tagging the Page from `/{page-id}/feed`,
//! public posts from `/{page-id}/tagged`, and the comments (`filter=stream`) of every recent
//! post, each stream behind a time watermark (see [`crate::collect::watermark`]). Throttling
//! comes as Graph error codes 4/17/32/613 (see [`crate::collect::graph`]).

mod client;
mod collector;
mod config;
mod models;

pub use collector::FacebookCollector;
pub use config::{FacebookConfig, GRAPH_BASE, PAGE_SIZES};
pub use models::{parse_comment, parse_post, FbComment, FbPost};

#[cfg(test)]
mod tests;
