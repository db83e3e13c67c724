//! The Instagram `mentions` webhook, as a self-contained axum [`Router`] to mount at
//! `/webhooks/instagram`:
//!
//! - `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` answers the challenge when the
//!   verify token matches (compared in constant time), 403 otherwise;
//! - `POST` checks `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the raw body under the
//!   app secret (constant-time), then records every `mentions` change (`media_id`, optional
//!   `comment_id`, and the entry's account id) in a [`MentionInbox`]. The next harvest fetches
//!   them with `mentioned_media` / `mentioned_comment`.
//!
//! Bodies are attacker-controlled until the signature is checked; nothing is parsed before.

use super::config::InstagramConfig;
use crate::collect::http::Secret;
use crate::collect::{BuildError, Mention};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::Value;
use sha2::Sha256;
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// Largest delivery accepted (Meta batches up to 1000 changes; they are small).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Where received mentions go (the pipeline implements it over a sled tree).
pub trait MentionInbox: Send + Sync + 'static {
    /// Records a mention durably; receiving it twice is harmless.
    fn push(&self, mention: &Mention) -> Result<(), String>;
}

/// The webhook's two secrets.
#[derive(Clone, Debug)]
pub struct WebhookSecrets {
    verify_token: Secret,
    app_secret: Secret,
}

impl WebhookSecrets {
    /// Secrets given directly.
    pub fn new(verify_token: Secret, app_secret: Secret) -> WebhookSecrets {
        WebhookSecrets {
            verify_token,
            app_secret,
        }
    }

    /// Secrets read from the environment variables named in `[collect.instagram]`.
    pub fn from_env(config: &InstagramConfig) -> Result<WebhookSecrets, BuildError> {
        Ok(WebhookSecrets {
            verify_token: Secret::from_env(&config.verify_token_env)?,
            app_secret: Secret::from_env(&config.app_secret_env)?,
        })
    }
}

struct Hook {
    secrets: WebhookSecrets,
    inbox: Arc<dyn MentionInbox>,
}

/// The webhook router (routes at `/`, so `nest("/webhooks/instagram", router(..))` mounts it).
pub fn router(secrets: WebhookSecrets, inbox: Arc<dyn MentionInbox>) -> Router {
    Router::new()
        .route("/", get(verify).post(receive))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(Arc::new(Hook { secrets, inbox }))
}

/// The verification request's parameters.
#[derive(Debug, Deserialize)]
struct Verify {
    #[serde(rename = "hub.mode")]
    mode: String,
    #[serde(rename = "hub.verify_token")]
    verify_token: String,
    #[serde(rename = "hub.challenge")]
    challenge: String,
}

async fn verify(State(hook): State<Arc<Hook>>, Query(v): Query<Verify>) -> Response {
    let expected = hook.secrets.verify_token.expose().as_bytes();
    let matches: bool = v.verify_token.as_bytes().ct_eq(expected).into();
    if v.mode != "subscribe" || !matches {
        tracing::warn!("instagram webhook: verification refused");
        return StatusCode::FORBIDDEN.into_response();
    }
    if v.challenge.len() > 256 || v.challenge.chars().any(|c| c.is_control()) {
        return StatusCode::BAD_REQUEST.into_response();
    }
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        v.challenge,
    )
        .into_response()
}

/// Whether `signature` (`sha256=<hex>`) is the HMAC-SHA256 of `body` under `secret`.
pub fn signature_ok(secret: &[u8], body: &[u8], signature: &str) -> bool {
    let Some(hex) = signature.trim().strip_prefix("sha256=") else {
        return false;
    };
    let Some(sig) = decode_hex(hex) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return false;
    };
    mac.update(body);
    // verify_slice compares in constant time
    mac.verify_slice(&sig).is_ok()
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A delivery.
#[derive(Debug, Deserialize)]
struct Delivery {
    object: String,
    #[serde(default)]
    entry: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    id: Value,
    #[serde(default)]
    changes: Vec<Change>,
}

#[derive(Debug, Deserialize)]
struct Change {
    field: String,
    #[serde(default)]
    value: Value,
}

fn id_string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() && s.len() <= 64 => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The mentions of a delivery.
fn mentions(d: &Delivery) -> Vec<Mention> {
    let mut out = Vec::new();
    for e in &d.entry {
        let Some(account) = id_string(Some(&e.id)) else {
            continue;
        };
        for c in e.changes.iter().filter(|c| c.field == "mentions") {
            let Some(media_id) = id_string(c.value.get("media_id")) else {
                continue;
            };
            out.push(Mention {
                ig_user_id: account.clone(),
                media_id,
                comment_id: id_string(c.value.get("comment_id")),
            });
        }
    }
    out
}

async fn receive(State(hook): State<Arc<Hook>>, headers: HeaderMap, body: Bytes) -> Response {
    let sig = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !signature_ok(hook.secrets.app_secret.expose().as_bytes(), &body, sig) {
        tracing::warn!("instagram webhook: bad or missing signature");
        return StatusCode::FORBIDDEN.into_response();
    }
    let delivery: Delivery = match serde_json::from_slice(&body) {
        Ok(d) => d,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                format!("not a webhook delivery: {e}"),
            )
                .into_response()
        }
    };
    if delivery.object != "instagram" {
        return (StatusCode::OK, "ignored").into_response();
    }
    let found = mentions(&delivery);
    for m in &found {
        if let Err(e) = hook.inbox.push(m) {
            tracing::error!("instagram webhook: cannot record mention {}: {e}", m.key());
            // Meta retries failed deliveries
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    }
    tracing::info!(
        mentions = found.len(),
        "instagram webhook delivery recorded"
    );
    (StatusCode::OK, "EVENT_RECEIVED").into_response()
}
