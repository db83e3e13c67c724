//! X API v2: the mentions timeline of every watched account (`/2/users/{id}/mentions`, handles
//! resolved once with `/2/users/by/username/{username}` and remembered) and a recent search
//! (`/2/tweets/search/recent`, default `(@handle OR to:handle …) -is:retweet`), both polled with
//! `since_id` as the docs prescribe (see [`crate::collect::window`]).

mod client;
mod collector;
mod config;
mod models;

pub use client::classify;
pub use collector::XCollector;
pub use config::{XConfig, PAGE_SIZES};
pub use models::{Tweet, TweetPage, UserLookup, WatchedIds};

#[cfg(test)]
mod tests;
