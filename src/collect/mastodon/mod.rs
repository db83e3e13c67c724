//! Mastodon: mention notifications of the token's account (`/api/v1/notifications?types[]=mention`)
//! and hashtag timelines (`/api/v1/timelines/tag/:hashtag`), polled with `since_id` / `max_id`
//! id windows (see [`crate::collect::window`]); `Link: rel="next"` marks more pages; 429 waits
//! for `X-RateLimit-Reset`.

mod client;
mod collector;
mod config;
mod models;

pub use client::classify;
pub use collector::MastodonCollector;
pub use config::{MastodonConfig, PAGE_SIZES};
pub use models::{html_to_text, status_post, Notification, Status};

#[cfg(test)]
mod tests;
