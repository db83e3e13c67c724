//! Instagram Graph API (Instagram API with Facebook Login): comments and replies on each watched
//! account's recent media, media where the account is photo-tagged (`/tags`), and caption or
//! comment @mentions — which cannot be listed, only announced by the `mentions` webhook
//! ([`webhook`]) and then fetched with `mentioned_media` / `mentioned_comment`.

mod client;
mod collector;
mod config;
mod models;
pub mod webhook;

pub use collector::InstagramCollector;
pub use config::{InstagramConfig, PAGE_SIZES};
pub use models::{parse_comment, parse_media, IgComment, IgMedia, MentionLookup};

#[cfg(test)]
mod tests;
