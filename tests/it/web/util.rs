//! Shared helpers for the web tests: a store in a temporary directory with three users (admin,
//! reviewer, viewer), flagged items in the real shapes, and requests through the `Router`
//! without a socket (`tower::ServiceExt::oneshot`).

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use chrono::{DateTime, Duration, Utc};
use dengar::catalog::Catalog;
use dengar::config::WebConfig;
use dengar::model::{Platform, Post, Prediction, Reason, Status};
use dengar::store::{Store, Transition};
use dengar::web::users::Role;
use dengar::web::{router, AppState};
use http_body_util::BodyExt;
use tempfile::TempDir;
use tower::ServiceExt;

/// Password of every test user.
pub const PASSWORD: &str = "kata-sandi-rahasia-2026";

/// A review site on a temporary store.
pub struct Site {
    /// Holds the temporary directory (deleted on drop) for as long as the site lives.
    _dir: TempDir,
    pub store: Store,
    pub state: AppState,
    pub app: Router,
}

/// A logged-in browser: its session cookie and CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// A response, body read.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    /// The `Location` header.
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Every `Set-Cookie` header.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect()
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A site with the default `[web]` config.
pub fn site() -> Site {
    site_with(WebConfig::default())
}

/// A site with this `[web]` config, users `admin`, `rina` (reviewer), `budi` (reviewer) and
/// `vina` (viewer), and no items.
pub fn site_with(config: WebConfig) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let state = AppState::new(store.clone(), Catalog::embedded(), config).unwrap();
    for (name, role) in [
        ("admin", Role::Admin),
        ("rina", Role::Reviewer),
        ("budi", Role::Reviewer),
        ("vina", Role::Viewer),
    ] {
        state.users.add(name, role, PASSWORD).unwrap();
    }
    let app = router(state.clone());
    Site {
        _dir: dir,
        store,
        state,
        app,
    }
}

/// Hours before now.
pub fn ago(hours: i64) -> DateTime<Utc> {
    Utc::now() - Duration::hours(hours)
}

/// A post on X.
pub fn post(native_id: &str, text: &str, created_at: DateTime<Utc>) -> Post {
    Post {
        platform: Platform::X,
        native_id: native_id.to_string(),
        author_id: format!("u{native_id}"),
        author_handle: format!("warga_{native_id}"),
        text: text.to_string(),
        created_at,
        url: Some(format!("https://x.com/warga/status/{native_id}")),
        reply_to: None,
        account: Some("pemkot_bjm".to_string()),
        raw: None,
    }
}

/// What an item's prediction says.
#[derive(Debug, Clone)]
pub struct Pred {
    pub score: f32,
    pub urgent: bool,
    pub agency: &'static str,
    pub group: Option<&'static str>,
}

impl Pred {
    pub fn new(score: f32, agency: &'static str) -> Pred {
        Pred {
            score,
            urgent: false,
            agency,
            group: None,
        }
    }
    pub fn urgent(mut self) -> Pred {
        self.urgent = true;
        self
    }
    pub fn group(mut self, g: &'static str) -> Pred {
        self.group = Some(g);
        self
    }
}

/// Inserts a post and classifies it as flagged with `pred`, the way the pipeline does.
pub fn flag_post(store: &Store, post: &Post, pred: &Pred) -> String {
    store.insert_post(post).unwrap();
    let id = post.id().0;
    let reasons = post
        .text
        .find("rusak")
        .map(|i| {
            vec![Reason {
                feature: "rusak".into(),
                weight: 1.4,
                span: Some((i, i + 5)),
            }]
        })
        .unwrap_or_default();
    let p = Prediction {
        model_id: "test-model".into(),
        complaint: true,
        complaint_score: pred.score,
        agency: Some(pred.agency.into()),
        agency_scores: vec![
            (pred.agency.into(), 0.7),
            ("dinas-pupr".into(), 0.2),
            ("lainnya".into(), 0.1),
        ],
        urgency: if pred.urgent { 0.9 } else { 0.1 },
        urgent: pred.urgent,
        dup_group: pred.group.map(str::to_string),
        reasons,
    };
    store
        .transition(
            &id,
            Transition::new(Status::Flagged, "dengar", "classify")
                .why("model test-model")
                .prediction(p),
        )
        .unwrap();
    id
}

/// Shortcut: a flagged X post `native_id` with `text`, posted `hours` ago.
pub fn flag(store: &Store, native_id: &str, text: &str, hours: i64, pred: Pred) -> String {
    flag_post(store, &post(native_id, text, ago(hours)), &pred)
}

/// Sends a request through the router.
pub async fn send(app: &Router, req: Request<Body>) -> Resp {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    Resp {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// `GET path` with an optional session.
pub async fn get(app: &Router, path: &str, s: Option<&Session>) -> Resp {
    let mut b = Request::builder().method(Method::GET).uri(path);
    if let Some(s) = s {
        b = b.header(header::COOKIE, &s.cookie);
    }
    send(app, b.body(Body::empty()).unwrap()).await
}

/// Urlencodes pairs.
pub fn form(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// `POST path` with a urlencoded form; the session's CSRF token is added unless `csrf` is
/// given (`Some("")` sends none).
pub async fn post_form(
    app: &Router,
    path: &str,
    s: Option<&Session>,
    pairs: &[(&str, &str)],
    csrf: Option<&str>,
) -> Resp {
    let mut all: Vec<(&str, &str)> = pairs.to_vec();
    let token = match (csrf, s) {
        (Some(t), _) => t.to_string(),
        (None, Some(s)) => s.csrf.clone(),
        (None, None) => String::new(),
    };
    if !token.is_empty() {
        all.push(("csrf", &token));
    }
    let mut b = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(s) = s {
        b = b.header(header::COOKIE, &s.cookie);
    }
    send(app, b.body(Body::from(form(&all))).unwrap()).await
}

/// A JSON request with a bearer token or a session (and its CSRF header when `csrf_header`).
pub async fn api(
    app: &Router,
    method: Method,
    path: &str,
    bearer: Option<&str>,
    s: Option<(&Session, bool)>,
    body: Option<serde_json::Value>,
) -> Resp {
    let mut b = Request::builder().method(method).uri(path);
    if let Some(t) = bearer {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if let Some((s, with_csrf)) = s {
        b = b.header(header::COOKIE, &s.cookie);
        if with_csrf {
            b = b.header("x-csrf-token", &s.csrf);
        }
    }
    let body = match body {
        Some(v) => {
            b = b.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    send(app, b.body(body).unwrap()).await
}

/// The value of `name=...` in a list of `Set-Cookie` headers.
pub fn cookie_value(set_cookies: &[String], name: &str) -> Option<String> {
    set_cookies.iter().find_map(|c| {
        let first = c.split(';').next()?;
        let (k, v) = first.split_once('=')?;
        (k.trim() == name).then(|| v.trim().to_string())
    })
}

/// The hidden login CSRF field of a login page.
pub fn login_token(body: &str) -> String {
    let re = regex::Regex::new(r#"name="csrf" value="([^"]+)""#).unwrap();
    re.captures(body).unwrap()[1].to_string()
}

/// The login form a browser posts after opening the login page: that page's cookie and CSRF
/// token, and `next` when given.
pub async fn login_request(
    app: &Router,
    user: &str,
    password: &str,
    next: Option<&str>,
) -> Request<Body> {
    let page = get(app, "/login", None).await;
    let token = login_token(&page.body);
    let cookie = cookie_value(&page.set_cookies(), "dengar_login").unwrap();
    let mut fields = vec![("user", user), ("password", password), ("csrf", &token)];
    fields.extend(next.map(|n| ("next", n)));
    Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("dengar_login={cookie}"))
        .body(Body::from(form(&fields)))
        .unwrap()
}

/// Tries to log in; returns the POST response.
pub async fn try_login(app: &Router, user: &str, password: &str) -> Resp {
    send(app, login_request(app, user, password, Some("/")).await).await
}

/// Logs in and returns the session.
pub async fn login(app: &Router, user: &str) -> Session {
    let r = try_login(app, user, PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "login failed: {}", r.body);
    let token = cookie_value(&r.set_cookies(), "dengar_session").expect("session cookie");
    let cookie = format!("dengar_session={token}");
    let me = get(
        app,
        "/api/v1/me",
        Some(&Session {
            cookie: cookie.clone(),
            csrf: String::new(),
        }),
    )
    .await;
    let csrf = me.json()["csrf_token"].as_str().unwrap().to_string();
    Session { cookie, csrf }
}

/// Ids of the queue rows in a page, in order.
pub fn row_ids(body: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"<tr[^>]* data-id="([^"]+)""#).unwrap();
    re.captures_iter(body).map(|c| c[1].to_string()).collect()
}
