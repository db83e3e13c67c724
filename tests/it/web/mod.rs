//! Integration tests of the review web page (`dengar serve`): handlers and security through the
//! Router without a socket, the CLI and a real server over HTTP, and the page in headless
//! Chromium.

mod browser;
mod cli;
mod handlers;
mod security;
mod util;
