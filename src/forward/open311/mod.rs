//! Open311 GeoReport v2: `POST {base_url}/requests.json` (form-encoded: service_code mapped
//! from the agency, api_key, address_string, description, media_url) answered with a
//! `service_request_id` or a `token`; `GET requests/{id}.json` and `tokens/{token}.json` for
//! follow-up; `GET services.json` as the healthcheck.

mod client;
mod config;
mod models;
#[cfg(test)]
mod tests;

pub use client::Open311Forwarder;
pub use config::Open311Config;
pub use models::{form, TOKEN_PREFIX};
