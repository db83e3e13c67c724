//! HTTP pieces shared by the `lapor` and `open311` clients: the client itself, turning transport
//! errors and error responses into [`SendError`]s, JSON pointers and secrets that never print.

use super::forwarder::SendError;
use reqwest::header::HeaderMap;
use std::fmt;
use std::time::Duration;

/// Longest receiver message kept (bodies of error pages can be large).
const MAX_MESSAGE: usize = 500;

/// A token or API key: `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }

    /// The secret itself, only for building a request.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Reads a secret from an environment variable; `None` when unset or empty.
pub fn secret_from_env(var: &str) -> Option<Secret> {
    std::env::var(var)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .map(Secret)
}

/// An HTTP client with a whole-request timeout.
pub fn client(timeout_ms: u64) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(Duration::from_millis(timeout_ms))
        .connect_timeout(Duration::from_millis(timeout_ms.min(10_000)))
        .user_agent(concat!("dengar/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

/// A transport error as a [`SendError`] (without the URL's query, which may hold a key).
pub fn transport(e: reqwest::Error, timeout_ms: u64) -> SendError {
    let e = e.without_url();
    if e.is_timeout() {
        SendError::Timeout(timeout_ms)
    } else if e.is_connect() {
        SendError::Connect(e.to_string())
    } else {
        SendError::Transport(e.to_string())
    }
}

/// `Retry-After` in seconds (the HTTP-date form is rare from APIs and treated as absent).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// The value at a JSON pointer as text: strings as they are, numbers printed; empty strings
/// and other types count as absent.
pub fn pointer_text(v: &serde_json::Value, pointer: &str) -> Option<String> {
    match v.pointer(pointer)? {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Shortens a receiver's text to one line of at most [`MAX_MESSAGE`] characters.
pub fn short(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= MAX_MESSAGE {
        flat
    } else {
        flat.chars().take(MAX_MESSAGE).collect::<String>() + "…"
    }
}

/// Reads an error response: the receiver's message by `pointers` (first found), else the start
/// of the body, else the status reason.
pub async fn error_response(resp: reqwest::Response, pointers: &[&str]) -> SendError {
    let status = resp.status();
    let retry = retry_after(resp.headers());
    let body = resp.text().await.unwrap_or_default();
    let json = serde_json::from_str::<serde_json::Value>(&body).ok();
    let from_json = json
        .as_ref()
        .and_then(|j| pointers.iter().find_map(|p| pointer_text(j, p)));
    let message = from_json
        .map(|m| short(&m))
        .or_else(|| (!body.trim().is_empty()).then(|| short(&body)))
        .unwrap_or_else(|| {
            status
                .canonical_reason()
                .unwrap_or("no message")
                .to_string()
        });
    SendError::Status {
        status: status.as_u16(),
        message,
        retry_after: retry,
    }
}

/// Percent-encodes a tracking id for use as one URL path segment.
pub fn url_segment(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("abc123");
        assert_eq!(format!("{s:?} {s}"), "Secret(***) ***");
        assert_eq!(s.expose(), "abc123");
    }

    #[test]
    fn pointers_read_strings_and_numbers() {
        let v = serde_json::json!({"data": {"id": 42, "code": "LAP-9", "empty": ""}});
        assert_eq!(pointer_text(&v, "/data/id").as_deref(), Some("42"));
        assert_eq!(pointer_text(&v, "/data/code").as_deref(), Some("LAP-9"));
        assert_eq!(pointer_text(&v, "/data/empty"), None);
        assert_eq!(pointer_text(&v, "/nope"), None);
    }

    #[test]
    fn segments_are_encoded() {
        assert_eq!(url_segment("LAP-2026/11 x"), "LAP-2026%2F11%20x");
    }

    #[test]
    fn long_messages_are_cut() {
        let m = short(&"x".repeat(2000));
        assert_eq!(m.chars().count(), MAX_MESSAGE + 1);
        assert_eq!(short("a\n  b\tc"), "a b c");
    }
}
