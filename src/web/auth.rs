//! Who is asking: password hashing (argon2id), login sessions (sled tree `web_sessions`), the
//! session cookie, and the middleware that turns a cookie or a bearer token into an
//! [`Identity`] — or sends the browser to the login page.
//!
//! Session tokens and API tokens are random 256-bit secrets; the store keeps only their SHA-256,
//! so a copy of the data directory does not let anyone log in. Sessions expire after
//! `session_ttl_secs` (absolute, not sliding) and are refused at once when the user is disabled.

use super::error::{ApiError, WebError};
use super::state::AppState;
use super::users::Role;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sled::Tree;
use std::net::SocketAddr;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "dengar_session";

/// The authenticated caller of a request, put in the request extensions by [`authenticate`].
#[derive(Debug, Clone)]
pub struct Identity {
    pub user: String,
    pub role: Role,
    /// The session's CSRF token; `None` when the caller used an API token (no cookie, no CSRF).
    pub csrf: Option<String>,
}

impl Identity {
    /// Refuses (403) unless the caller's role is at least `role`.
    pub fn require(&self, role: Role, what: &str) -> Result<(), WebError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(WebError::Forbidden(what.to_string()))
        }
    }

    /// Whether the caller may decide on items.
    pub fn can_decide(&self) -> bool {
        self.role >= Role::Reviewer
    }

    /// The CSRF token to put in forms (empty for token callers, who never see forms).
    pub fn csrf_token(&self) -> &str {
        self.csrf.as_deref().unwrap_or("")
    }
}

/// 32 random bytes, base64url without padding.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// Hex SHA-256 of a secret, the key under which it is stored.
pub fn sha256_hex(s: &str) -> String {
    let d = Sha256::digest(s.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hashes a password with argon2id (default parameters: 19 MiB, 2 passes) and a random salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Checks a password against a stored PHC hash. A malformed hash never matches.
pub fn verify_password(hash: &str, password: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(h) => Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash of a password nobody has, verified against when the user does not exist so that
/// unknown and known names take the same time.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

/// One login session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub user: String,
    /// Token that every form and state-changing request of this session must carry.
    pub csrf: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The session tree.
#[derive(Clone)]
pub struct Sessions {
    tree: Tree,
    ttl: Duration,
}

impl Sessions {
    /// Opens the session tree; sessions last `ttl_secs`.
    pub fn open(store: &crate::store::Store, ttl_secs: u64) -> Result<Sessions, WebError> {
        Ok(Sessions {
            tree: store.tree("web_sessions")?,
            ttl: Duration::seconds(i64::try_from(ttl_secs).unwrap_or(i64::MAX / 2_000)),
        })
    }

    /// Starts a session for `user`; returns the secret cookie value and the session.
    pub fn create(&self, user: &str) -> Result<(String, Session), WebError> {
        let token = random_token();
        let now = Utc::now();
        let s = Session {
            user: user.to_string(),
            csrf: random_token(),
            created_at: now,
            expires_at: now + self.ttl,
        };
        let v = serde_json::to_vec(&s).map_err(|e| WebError::Internal(e.to_string()))?;
        self.tree
            .insert(sha256_hex(&token).as_bytes(), v)
            .map_err(|e| WebError::Store(e.into()))?;
        Ok((token, s))
    }

    /// The live session of a cookie value; expired sessions are deleted and not returned.
    pub fn get(&self, token: &str) -> Result<Option<Session>, WebError> {
        if token.is_empty() || token.len() > 100 {
            return Ok(None);
        }
        let key = sha256_hex(token);
        let Some(v) = self
            .tree
            .get(key.as_bytes())
            .map_err(|e| WebError::Store(e.into()))?
        else {
            return Ok(None);
        };
        let s: Session = match serde_json::from_slice(&v) {
            Ok(s) => s,
            Err(_) => return Ok(None),
        };
        if s.expires_at <= Utc::now() {
            self.remove(token)?;
            return Ok(None);
        }
        Ok(Some(s))
    }

    /// Ends a session.
    pub fn remove(&self, token: &str) -> Result<(), WebError> {
        self.tree
            .remove(sha256_hex(token).as_bytes())
            .map_err(|e| WebError::Store(e.into()))?;
        Ok(())
    }

    /// Deletes expired sessions; returns how many.
    pub fn purge_expired(&self) -> Result<usize, WebError> {
        let now = Utc::now();
        let mut n = 0;
        for kv in self.tree.iter() {
            let (k, v) = kv.map_err(|e| WebError::Store(e.into()))?;
            let expired = serde_json::from_slice::<Session>(&v)
                .map(|s| s.expires_at <= now)
                .unwrap_or(true);
            if expired {
                self.tree.remove(k).map_err(|e| WebError::Store(e.into()))?;
                n += 1;
            }
        }
        Ok(n)
    }
}

/// The value of a cookie in the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, `Secure` when configured.
pub fn set_cookie(name: &str, value: &str, max_age_secs: u64, secure: bool) -> HeaderValue {
    let s = format!(
        "{name}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// The client address used for throttling: the socket peer, or (only when trusted) the last
/// `X-Forwarded-For` entry set by the reverse proxy.
pub fn client_addr(
    req_headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trust_forwarded: bool,
) -> String {
    if trust_forwarded {
        if let Some(last) = req_headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| v.parse::<std::net::IpAddr>().is_ok())
        {
            return last.to_string();
        }
    }
    peer.map(|p| p.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Resolves the caller of a request from its bearer token or session cookie.
pub fn identify(state: &AppState, headers: &HeaderMap) -> Result<Option<Identity>, WebError> {
    if let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let Some(token) = auth.strip_prefix("Bearer ") else {
            return Ok(None);
        };
        let user = state
            .users
            .user_for_token(token.trim())
            .map_err(|e| WebError::Internal(e.to_string()))?;
        return Ok(user.map(|u| Identity {
            user: u.name,
            role: u.role,
            csrf: None,
        }));
    }
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let Some(session) = state.sessions.get(&token)? else {
        return Ok(None);
    };
    let user = state
        .users
        .get(&session.user)
        .map_err(|e| WebError::Internal(e.to_string()))?;
    match user {
        Some(u) if !u.disabled => Ok(Some(Identity {
            user: u.name,
            role: u.role,
            csrf: Some(session.csrf),
        })),
        _ => {
            state.sessions.remove(&token)?;
            Ok(None)
        }
    }
}

/// Middleware for every protected route: attaches the [`Identity`] or answers 401 (API) /
/// redirects to the login page (browser).
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    match identify(&state, req.headers()) {
        Ok(Some(id)) => {
            req.extensions_mut().insert(id);
            next.run(req).await
        }
        Ok(None) if is_api => ApiError(WebError::Unauthenticated).into_response(),
        Ok(None) => {
            let target = if req.method() == axum::http::Method::GET {
                req.uri()
                    .path_and_query()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_else(|| "/".to_string())
            } else {
                "/".to_string()
            };
            let next: String = form_urlencoded::byte_serialize(target.as_bytes()).collect();
            Redirect::to(&format!("/login?next={next}")).into_response()
        }
        Err(e) if is_api => ApiError(e).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The socket peer of a request, when the server was started with connect info.
pub fn peer_of(req: &Request) -> Option<SocketAddr> {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_round_trip() {
        let h = hash_password("kata sandi yang panjang").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "kata sandi yang panjang"));
        assert!(!verify_password(&h, "kata sandi yang salah"));
        assert!(!verify_password("not a hash", "x"));
        assert_ne!(h, hash_password("kata sandi yang panjang").unwrap());
    }

    #[test]
    fn cookies_are_parsed_and_set_strictly() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; dengar_session=abc; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
        let c = set_cookie(SESSION_COOKIE, "abc", 60, true);
        let c = c.to_str().unwrap();
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Secure"));
        let c = set_cookie(SESSION_COOKIE, "abc", 60, false);
        assert!(!c.to_str().unwrap().contains("Secure"));
    }

    #[test]
    fn forwarded_for_is_used_only_when_trusted() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 10.0.0.7"),
        );
        let peer: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        assert_eq!(client_addr(&h, Some(peer), false), "127.0.0.1");
        assert_eq!(client_addr(&h, Some(peer), true), "10.0.0.7");
        assert_eq!(client_addr(&HeaderMap::new(), None, false), "unknown");
    }

    #[test]
    fn sessions_expire_and_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(dir.path()).unwrap();
        let s = Sessions::open(&store, 3600).unwrap();
        let (token, session) = s.create("rina").unwrap();
        assert_eq!(s.get(&token).unwrap().unwrap(), session);
        assert!(s.get("other").unwrap().is_none());
        s.remove(&token).unwrap();
        assert!(s.get(&token).unwrap().is_none());
        let short = Sessions {
            tree: s.tree.clone(),
            ttl: Duration::seconds(-1),
        };
        let (t2, _) = short.create("rina").unwrap();
        assert!(s.get(&t2).unwrap().is_none());
        let (_t3, _) = short.create("budi").unwrap();
        assert_eq!(s.purge_expired().unwrap(), 1);
    }
}
