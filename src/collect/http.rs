//! HTTP under the retry policy: one [`Fetcher`] per platform sends GET requests to the
//! configured base URL, classifies each answer with the platform's own rules, retries or waits
//! as [`RetryPolicy`] says, and parses JSON bodies with the path of any mismatch reported.
//!
//! Tokens live only in [`Secret`] (whose `Debug` is redacted) and are added to a request at the
//! moment it is sent, so URLs kept for errors and logs never contain them; errors name the path
//! only, and `reqwest` errors are stripped of their URL.

use super::error::{BuildError, CollectError};
use super::retry::{Plan, RetryPolicy, Verdict};
use super::sink::RunStats;
use crate::model::Platform;
use reqwest::header::HeaderMap;
use reqwest::Url;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// A token. `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a token.
    pub fn new(token: String) -> Secret {
        Secret(token)
    }

    /// Reads a token from an environment variable at run time.
    pub fn from_env(var: &str) -> Result<Secret, BuildError> {
        match std::env::var(var) {
            Ok(t) if !t.trim().is_empty() => Ok(Secret(t.trim().to_string())),
            _ => Err(BuildError::MissingToken(var.to_string())),
        }
    }

    /// The token, for the one place that sends it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How a platform wants its token.
#[derive(Debug, Clone)]
pub enum Auth {
    /// `Authorization: Bearer <token>` (X, Mastodon, YouTube OAuth).
    Bearer(Secret),
    /// A query parameter (`access_token` for Meta, `key` for a YouTube API key).
    Query { name: &'static str, token: Secret },
    /// No token (a public Mastodon hashtag timeline).
    None,
}

/// A platform's rule for reading an answer: status, headers, body → what to do.
pub type Classify = fn(u16, &HeaderMap, &[u8]) -> Verdict;

/// A successful answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// Sends a platform's requests under its retry policy.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    base: Url,
    auth: Auth,
    policy: RetryPolicy,
    classify: Classify,
    platform: Platform,
}

impl Fetcher {
    /// A fetcher for `base` (which may carry a path prefix, such as Meta's `/v21.0`).
    pub fn new(
        platform: Platform,
        base: Url,
        auth: Auth,
        policy: RetryPolicy,
        classify: Classify,
    ) -> Result<Fetcher, BuildError> {
        let client = reqwest::Client::builder()
            .timeout(policy.timeout)
            .connect_timeout(policy.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("dengar/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| BuildError::Client(e.without_url().to_string()))?;
        Ok(Fetcher {
            client,
            base,
            auth,
            policy,
            classify,
            platform,
        })
    }

    /// The retry policy.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// The base URL followed by `segments`, each percent-encoded as one path segment.
    pub fn url(&self, segments: &[&str]) -> Url {
        let mut u = self.base.clone();
        if let Ok(mut p) = u.path_segments_mut() {
            p.pop_if_empty().extend(segments);
        }
        u
    }

    /// Checks that a pagination link stays on the configured host, and drops any token it
    /// echoes (Meta's `paging.next` repeats `access_token`): ours is added when sending.
    pub fn follow(&self, link: &str) -> Result<Url, CollectError> {
        let mut u = Url::parse(link)
            .map_err(|_| CollectError::ForeignLink("an unparseable link".to_string()))?;
        if u.origin() != self.base.origin() {
            return Err(CollectError::ForeignLink(format!(
                "{}://{}",
                u.scheme(),
                u.host_str().unwrap_or("?")
            )));
        }
        let kept: Vec<(String, String)> = u
            .query_pairs()
            .filter(|(k, _)| k != "access_token" && k != "key" && k != "appsecret_proof")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if kept.is_empty() {
            u.set_query(None);
        } else {
            u.query_pairs_mut().clear().extend_pairs(kept);
        }
        Ok(u)
    }

    /// Blanks the token out of a message built from a server's answer (a server that echoes
    /// the token back must not get it into our errors and logs).
    fn redact(&self, message: String) -> String {
        match &self.auth {
            Auth::Bearer(t) | Auth::Query { token: t, .. } if !t.expose().is_empty() => {
                message.replace(t.expose(), "***")
            }
            _ => message,
        }
    }

    /// GETs `url`, retrying and waiting as the policy says, until a `Done` answer.
    pub async fn get(&self, url: &Url, stats: &mut RunStats) -> Result<Reply, CollectError> {
        let path = url.path().to_string();
        let mut attempt = 0u32;
        let mut waited = Duration::ZERO;
        loop {
            let mut req = self.client.get(url.clone());
            match &self.auth {
                Auth::Bearer(t) => req = req.bearer_auth(t.expose()),
                Auth::Query { name, token } => req = req.query(&[(*name, token.expose())]),
                Auth::None => {}
            }
            let (verdict, reply) = match req.send().await {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let headers = resp.headers().clone();
                    match resp.bytes().await {
                        Ok(body) => {
                            let body = body.to_vec();
                            let v = (self.classify)(status, &headers, &body);
                            (
                                v,
                                Some(Reply {
                                    status,
                                    headers,
                                    body,
                                }),
                            )
                        }
                        Err(e) => (transport(e), None),
                    }
                }
                Err(e) => (transport(e), None),
            };
            if verdict == Verdict::Done {
                if let Some(reply) = reply {
                    stats.requests += 1;
                    return Ok(reply);
                }
            }
            let plan = self
                .policy
                .plan(&verdict, attempt, waited, &mut rand::thread_rng());
            match plan {
                Plan::Wait(d) => {
                    tracing::info!(
                        platform = %self.platform,
                        path = %path,
                        attempt,
                        wait_ms = d.as_millis() as u64,
                        "retrying: {}",
                        why(&verdict)
                    );
                    if matches!(verdict, Verdict::RateLimited { .. }) {
                        waited += d;
                    }
                    stats.retries += 1;
                    attempt += 1;
                    tokio::time::sleep(d).await;
                }
                Plan::GiveUp(why) => {
                    let why = self.redact(why);
                    let status = reply.as_ref().map_or(0, |r| r.status);
                    return Err(match verdict {
                        Verdict::RateLimited { .. } => CollectError::RateLimited { path, why },
                        Verdict::Quota { .. } => CollectError::Quota { path, why },
                        Verdict::Refused { .. } => CollectError::Refused { path, status, why },
                        Verdict::Unauthorized { .. } => CollectError::Unauthorized { path, why },
                        _ => CollectError::Unavailable {
                            path,
                            why,
                            attempts: attempt + 1,
                        },
                    });
                }
            }
        }
    }

    /// GETs `url` and parses the body as `T`.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        url: &Url,
        stats: &mut RunStats,
    ) -> Result<(T, HeaderMap), CollectError> {
        let reply = self.get(url, stats).await?;
        let value = parse_json(&reply.body).map_err(|why| CollectError::Malformed {
            path: url.path().to_string(),
            why: self.redact(why),
        })?;
        Ok((value, reply.headers))
    }
}

/// Parses JSON, naming the path of the first mismatch (`data[3].created_at: ...`).
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let mut msg = e.into_inner().to_string();
        if msg.len() > 200 {
            let cut = (0..=200)
                .rev()
                .find(|i| msg.is_char_boundary(*i))
                .unwrap_or(0);
            msg.truncate(cut);
            msg.push('…');
        }
        if path == "." {
            msg
        } else {
            format!("{path}: {msg}")
        }
    })
}

fn transport(e: reqwest::Error) -> Verdict {
    let e = e.without_url();
    let why = if e.is_timeout() {
        "timed out".to_string()
    } else {
        // the causes say what happened ("Connection refused"); none of them carries the URL
        let mut why = format!("request failed: {e}");
        let mut cause = std::error::Error::source(&e);
        while let Some(c) = cause {
            why.push_str(&format!(": {c}"));
            cause = c.source();
        }
        why
    };
    Verdict::Retry { after: None, why }
}

fn why(v: &Verdict) -> &str {
    match v {
        Verdict::Done => "",
        Verdict::Retry { why, .. }
        | Verdict::RateLimited { why, .. }
        | Verdict::Quota { why }
        | Verdict::Refused { why }
        | Verdict::Unauthorized { why } => why,
    }
}

/// The common part of every platform's classification: 2xx done, 408/5xx transient (with
/// `Retry-After` in seconds when given), 429 rate limited, anything else refused.
pub fn classify_status(status: u16, headers: &HeaderMap, body: &[u8]) -> Verdict {
    let after = headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    match status {
        200..=299 => Verdict::Done,
        408 | 500..=599 => Verdict::Retry {
            after,
            why: format!("HTTP {status}"),
        },
        429 => Verdict::RateLimited {
            after,
            why: "HTTP 429".to_string(),
        },
        401 => Verdict::Unauthorized {
            why: format!("HTTP 401: {}", excerpt(body)),
        },
        _ => Verdict::Refused {
            why: format!("HTTP {status}: {}", excerpt(body)),
        },
    }
}

/// A short, single-line excerpt of a body for error messages.
pub fn excerpt(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(body);
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(160)
        .collect();
    s.trim().to_string()
}

/// A header value as a string.
pub fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fetcher(base: &str) -> Fetcher {
        Fetcher::new(
            Platform::Facebook,
            Url::parse(base).unwrap(),
            Auth::Query {
                name: "access_token",
                token: Secret::new("sekret".into()),
            },
            RetryPolicy::default(),
            classify_status,
        )
        .unwrap()
    }

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("EAAB-very-secret".into());
        assert_eq!(format!("{s:?}"), "Secret(***)");
        let a = Auth::Bearer(s);
        assert!(!format!("{a:?}").contains("very-secret"));
    }

    #[test]
    fn echoed_tokens_are_blanked_out_of_messages() {
        let f = fetcher("https://graph.facebook.com/v21.0");
        assert_eq!(
            f.redact("Invalid OAuth access token sekret given".into()),
            "Invalid OAuth access token *** given"
        );
    }

    #[test]
    fn urls_keep_the_base_path_and_encode_segments() {
        let f = fetcher("https://graph.facebook.com/v21.0");
        assert_eq!(
            f.url(&["123", "feed"]).as_str(),
            "https://graph.facebook.com/v21.0/123/feed"
        );
        let f = fetcher("http://127.0.0.1:9/");
        assert_eq!(
            f.url(&["api", "v1", "timelines", "tag", "banjir bjm"])
                .as_str(),
            "http://127.0.0.1:9/api/v1/timelines/tag/banjir%20bjm"
        );
    }

    #[test]
    fn follow_drops_echoed_tokens_and_refuses_other_hosts() {
        let f = fetcher("https://graph.facebook.com/v21.0");
        let u = f
            .follow(
                "https://graph.facebook.com/v21.0/1/comments?access_token=EAAB&limit=2&after=QVFI",
            )
            .unwrap();
        assert_eq!(
            u.as_str(),
            "https://graph.facebook.com/v21.0/1/comments?limit=2&after=QVFI"
        );
        assert!(matches!(
            f.follow("https://evil.example/v21.0/1/comments?after=x"),
            Err(CollectError::ForeignLink(_))
        ));
    }

    #[test]
    fn parse_errors_name_the_path() {
        #[derive(serde::Deserialize, Debug)]
        struct P {
            #[allow(dead_code)]
            data: Vec<Q>,
        }
        #[derive(serde::Deserialize, Debug)]
        struct Q {
            #[allow(dead_code)]
            id: String,
        }
        let err = parse_json::<P>(br#"{"data":[{"id":"1"},{"id":2}]}"#).unwrap_err();
        assert!(err.starts_with("data[1].id"), "{err}");
        assert!(parse_json::<P>(b"{\"data\":[").is_err());
    }

    #[test]
    fn status_classes() {
        let h = HeaderMap::new();
        assert_eq!(classify_status(200, &h, b""), Verdict::Done);
        assert!(matches!(
            classify_status(503, &h, b""),
            Verdict::Retry { .. }
        ));
        assert!(matches!(
            classify_status(429, &h, b""),
            Verdict::RateLimited { .. }
        ));
        assert!(matches!(
            classify_status(404, &h, b"{}"),
            Verdict::Refused { .. }
        ));
        let mut h = HeaderMap::new();
        h.insert("retry-after", "7".parse().unwrap());
        assert_eq!(
            classify_status(503, &h, b""),
            Verdict::Retry {
                after: Some(Duration::from_secs(7)),
                why: "HTTP 503".into()
            }
        );
    }

    /// A local server: `/near` answers 429 with a reset 300 ms ahead once, `/far` always 429
    /// with a reset an hour ahead, `/slow` stalls past the timeout once; then 200.
    async fn server() -> Url {
        use axum::http::StatusCode;
        use axum::response::IntoResponse;
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let hits = Arc::new(AtomicUsize::new(0));
        let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
            let hits = hits.clone();
            async move {
                let n = hits.fetch_add(1, Ordering::SeqCst);
                let reset = |d: chrono::Duration| (chrono::Utc::now() + d).to_rfc3339();
                match (uri.path(), n) {
                    ("/near", 0) => (
                        StatusCode::TOO_MANY_REQUESTS,
                        [(
                            "x-ratelimit-reset",
                            reset(chrono::Duration::milliseconds(300)),
                        )],
                        "{}",
                    )
                        .into_response(),
                    ("/far", _) => (
                        StatusCode::TOO_MANY_REQUESTS,
                        [("x-ratelimit-reset", reset(chrono::Duration::hours(1)))],
                        "{}",
                    )
                        .into_response(),
                    ("/slow", 0) => {
                        tokio::time::sleep(Duration::from_secs(3)).await;
                        "{}".into_response()
                    }
                    _ => r#"{"ok":true}"#.into_response(),
                }
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        Url::parse(&format!("http://{addr}")).unwrap()
    }

    fn local(base: Url) -> Fetcher {
        let policy = RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(50),
            max_wait: Duration::from_secs(5),
            timeout: Duration::from_millis(300),
        };
        Fetcher::new(
            Platform::Mastodon,
            base,
            Auth::None,
            policy,
            crate::collect::mastodon::classify,
        )
        .unwrap()
    }

    #[tokio::test]
    async fn a_near_reset_is_waited_for() {
        let f = local(server().await);
        let mut stats = RunStats::default();
        let started = std::time::Instant::now();
        let (v, _) = f
            .get_json::<serde_json::Value>(&f.url(&["near"]), &mut stats)
            .await
            .unwrap();
        assert_eq!(v["ok"], true);
        assert!(
            started.elapsed() >= Duration::from_millis(250),
            "{:?}",
            started.elapsed()
        );
        assert_eq!((stats.retries, stats.requests), (1, 1));
    }

    #[tokio::test]
    async fn a_far_reset_stops_without_waiting() {
        let f = local(server().await);
        let mut stats = RunStats::default();
        let started = std::time::Instant::now();
        let err = f.get(&f.url(&["far"]), &mut stats).await.unwrap_err();
        assert!(matches!(err, CollectError::RateLimited { .. }), "{err}");
        assert!(err.stops_platform());
        assert!(err.to_string().contains("max_wait_secs"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[tokio::test]
    async fn a_timeout_is_retried() {
        let f = local(server().await);
        let mut stats = RunStats::default();
        let (v, _) = f
            .get_json::<serde_json::Value>(&f.url(&["slow"]), &mut stats)
            .await
            .unwrap();
        assert_eq!(v["ok"], true);
        assert_eq!(stats.retries, 1);
    }
}
