//! Unit tests of the mastodon collector on hand-written fixtures in the API's real shape.
