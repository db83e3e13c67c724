//! Security tests through the Router: authentication, roles, CSRF, login throttling, cookies,
//! security headers, open redirects, and hostile posts rendered inert.

use super::util::*;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use dengar::config::WebConfig;
use dengar::model::Status;
use std::net::SocketAddr;

/// A site with one item flagged for `dinas-pupr`, and that item's id.
fn site_with_flagged() -> (Site, String) {
    let site = site();
    let id = flag(
        &site.store,
        "1",
        "Jalan rusak",
        2,
        Pred::new(0.9, "dinas-pupr"),
    );
    (site, id)
}

#[tokio::test]
async fn no_session_goes_to_login_and_api_gets_401() {
    let site = site();
    for path in [
        "/",
        "/item/x:1",
        "/dashboard",
        "/audit",
        "/users",
        "/audit.csv",
    ] {
        let r = get(&site.app, path, None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            r.location().starts_with("/login?next="),
            "{path}: {}",
            r.location()
        );
    }
    let r = get(&site.app, "/item/x:1?agency=dlh", None).await;
    assert_eq!(r.location(), "/login?next=%2Fitem%2Fx%3A1%3Fagency%3Ddlh");
    let r = post_form(&site.app, "/item/x:1/accept", None, &[], Some("anything")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login?next=%2F");
    let r = get(&site.app, "/api/v1/queue", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.headers.contains_key(header::WWW_AUTHENTICATE));
    let r = get(
        &site.app,
        "/",
        Some(&Session {
            cookie: "dengar_session=forged".into(),
            csrf: String::new(),
        }),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // the login page and static files are public
    assert_eq!(get(&site.app, "/login", None).await.status, StatusCode::OK);
    assert_eq!(
        get(&site.app, "/static/app.js", None).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn wrong_role_is_403() {
    let (site, id) = site_with_flagged();
    let vina = login(&site.app, "vina").await;
    let rina = login(&site.app, "rina").await;
    for action in ["accept", "reject", "merge", "undo"] {
        let r = post_form(
            &site.app,
            &format!("/item/{id}/{action}"),
            Some(&vina),
            &[("reason", "spam"), ("into", "x:2")],
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "viewer {action}");
    }
    let r = post_form(
        &site.app,
        "/bulk",
        Some(&vina),
        &[("action", "accept"), ("id", &id)],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        site.store.get(&id).unwrap().unwrap().status,
        Status::Flagged
    );
    for path in ["/users", "/audit.csv"] {
        assert_eq!(
            get(&site.app, path, Some(&rina)).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let r = post_form(
        &site.app,
        "/users",
        Some(&rina),
        &[
            ("name", "x"),
            ("role", "admin"),
            ("password", "xxxxxxxxxxxx"),
            ("password2", "xxxxxxxxxxxx"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post_form(&site.app, "/users/vina/token", Some(&rina), &[], None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // a viewer can read
    assert_eq!(
        get(&site.app, &format!("/item/{id}"), Some(&vina))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        get(&site.app, "/audit", Some(&vina)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn missing_or_wrong_csrf_is_403_and_changes_nothing() {
    let (site, id) = site_with_flagged();
    let rina = login(&site.app, "rina").await;
    let other = login(&site.app, "budi").await;
    let path = format!("/item/{id}/accept");
    let r = post_form(&site.app, &path, Some(&rina), &[], Some("")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("CSRF"));
    let r = post_form(&site.app, &path, Some(&rina), &[], Some("wrong-token")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post_form(&site.app, &path, Some(&rina), &[], Some(&other.csrf)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "another session's token");
    // a JSON body does not carry a form token
    let req = Request::builder()
        .method(Method::POST)
        .uri(&path)
        .header(header::COOKIE, &rina.cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(format!("{{\"csrf\":\"{}\"}}", rina.csrf)))
        .unwrap();
    assert_eq!(send(&site.app, req).await.status, StatusCode::FORBIDDEN);
    let r = post_form(&site.app, "/logout", Some(&rina), &[], Some("")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        site.store.get(&id).unwrap().unwrap().status,
        Status::Flagged
    );
    let r = post_form(&site.app, &path, Some(&rina), &[], None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the right token works");
}

#[tokio::test]
async fn login_needs_its_double_submit_token() {
    let site = site();
    let page = get(&site.app, "/login", None).await;
    let token = login_token(&page.body);
    let req = Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form(&[
            ("user", "rina"),
            ("password", PASSWORD),
            ("csrf", &token),
        ])))
        .unwrap();
    let r = send(&site.app, req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no login cookie");
    assert!(cookie_value(&r.set_cookies(), "dengar_session").is_none());
}

#[tokio::test]
async fn logins_are_throttled_per_account_and_per_address() {
    let site = site_with(WebConfig {
        login_max_failures: 3,
        ..WebConfig::default()
    });
    for _ in 0..3 {
        let r = try_login(&site.app, "rina", "salah-salah-salah").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("Nama pengguna atau kata sandi salah"));
    }
    let r = try_login(&site.app, "rina", PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "locked even with the right password"
    );
    assert!(r.headers.contains_key(header::RETRY_AFTER));
    assert!(r.body.contains("Terlalu banyak percobaan"));
    assert!(cookie_value(&r.set_cookies(), "dengar_session").is_none());
    assert_eq!(
        try_login(&site.app, "RINA", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );

    // per address: 4 × 3 failures over different names from one peer lock that peer out
    let attempt = |user: &'static str, peer: &'static str| {
        let app = site.app.clone();
        async move {
            let password = if user == "budi" {
                PASSWORD
            } else {
                "tebakan-salah-1"
            };
            let mut req = login_request(&app, user, password, None).await;
            let addr: SocketAddr = peer.parse().unwrap();
            req.extensions_mut().insert(ConnectInfo(addr));
            send(&app, req).await.status
        }
    };
    for i in 0..12 {
        let user = ["u1", "u2", "u3", "u4", "u5", "u6"][i % 6];
        assert_eq!(
            attempt(user, "203.0.113.9:4000").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        attempt("budi", "203.0.113.9:4001").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        attempt("budi", "198.51.100.7:4000").await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn cookies_are_strict_and_logout_and_disable_end_sessions() {
    let site = site();
    let r = try_login(&site.app, "rina", PASSWORD).await;
    let set = r.set_cookies();
    let session = set
        .iter()
        .find(|c| c.starts_with("dengar_session="))
        .unwrap();
    assert!(
        session.contains("HttpOnly")
            && session.contains("SameSite=Strict")
            && session.contains("Path=/")
    );
    assert!(!session.contains("Secure"), "not configured");
    assert!(session.contains("Max-Age=43200"));
    let secure = site_with(WebConfig {
        secure_cookies: true,
        ..WebConfig::default()
    });
    let r = try_login(&secure.app, "rina", PASSWORD).await;
    assert!(
        r.set_cookies().iter().all(|c| c.contains("; Secure")),
        "{:?}",
        r.set_cookies()
    );

    let s = login(&site.app, "rina").await;
    assert_eq!(get(&site.app, "/", Some(&s)).await.status, StatusCode::OK);
    let r = post_form(&site.app, "/logout", Some(&s), &[], None).await;
    assert_eq!(r.location(), "/login");
    assert_eq!(
        get(&site.app, "/", Some(&s)).await.status,
        StatusCode::SEE_OTHER
    );

    let s = login(&site.app, "budi").await;
    site.state.users.disable("budi").unwrap();
    assert_eq!(
        get(&site.app, "/", Some(&s)).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        try_login(&site.app, "budi", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn login_never_redirects_off_site() {
    let site = site();
    for next in ["https://evil.example/", "//evil.example", "/\\evil.example"] {
        let req = login_request(&site.app, "rina", PASSWORD, Some(next)).await;
        let r = send(&site.app, req).await;
        assert_eq!(r.location(), "/", "{next}");
    }
    let page = get(&site.app, "/login?next=javascript:alert(1)", None).await;
    assert!(page.body.contains("name=\"next\" value=\"/\""));
}

fn assert_security_headers(r: &Resp, what: &str) {
    let h = |k: &str| {
        r.headers
            .get(k)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let csp = h("content-security-policy");
    assert!(csp.contains("script-src 'self'"), "{what}: {csp}");
    assert!(csp.contains("default-src 'none'"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}");
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{what}: {csp}"
    );
    assert_eq!(h("x-frame-options"), "DENY", "{what}");
    assert_eq!(h("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(h("referrer-policy"), "no-referrer", "{what}");
}

/// The tags of an HTML page with their attributes `(name, value)`. maud always quotes values
/// with `"` and escapes `<` in text, so a literal `<` followed by a letter starts a tag.
fn tags(body: &str) -> Vec<(String, Vec<(String, String)>)> {
    let b = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || !b.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        i += 1;
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
            i += 1;
        }
        let name = body[start..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' || b[i] == b'/' {
                break;
            }
            let a = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let attr = body[a..i].to_ascii_lowercase();
            let mut value = String::new();
            if b.get(i) == Some(&b'=') {
                i += 1;
                assert_eq!(
                    b.get(i),
                    Some(&b'"'),
                    "unquoted attribute {attr} in <{name}>"
                );
                let v = i + 1;
                let end = v + body[v..].find('"').expect("closing quote");
                value = body[v..end].to_string();
                i = end + 1;
            }
            attrs.push((attr, value));
        }
        out.push((name, attrs));
    }
    out
}

/// Every `<script>` has a `src` and no body; no `on…` handler, `style` attribute or
/// non-http(s) link anywhere.
fn assert_no_inline_code(body: &str, what: &str) {
    for (i, _) in body.match_indices("<script") {
        let tag = &body[i..i + body[i..].find('>').unwrap()];
        assert!(
            tag.contains(" src=\"/static/"),
            "{what}: inline script {tag}"
        );
        assert!(
            body[i..].starts_with(&format!("{tag}></script>")),
            "{what}: script with a body"
        );
    }
    for (name, attrs) in tags(body) {
        for (attr, value) in attrs {
            assert!(!attr.starts_with("on"), "{what}: <{name} {attr}=...>");
            assert_ne!(attr, "style", "{what}: <{name} style>");
            if matches!(attr.as_str(), "href" | "src" | "action" | "formaction") {
                let v = value.trim_start().to_ascii_lowercase();
                assert!(
                    v.starts_with('/') || v.starts_with("http://") || v.starts_with("https://"),
                    "{what}: <{name} {attr}=\"{value}\">"
                );
            }
        }
    }
}

#[tokio::test]
async fn security_headers_on_every_kind_of_response() {
    let (site, id) = site_with_flagged();
    let admin = login(&site.app, "admin").await;
    let token = site.state.users.issue_token("admin").unwrap();
    let mut checks = vec![
        ("login", get(&site.app, "/login", None).await),
        ("redirect", get(&site.app, "/", None).await),
        ("static", get(&site.app, "/static/app.css", None).await),
        ("api 401", get(&site.app, "/api/v1/me", None).await),
        (
            "api",
            api(
                &site.app,
                Method::GET,
                "/api/v1/queue",
                Some(&token),
                None,
                None,
            )
            .await,
        ),
        ("404", get(&site.app, "/item/x:999", Some(&admin)).await),
        (
            "csrf 403",
            post_form(&site.app, "/logout", Some(&admin), &[], Some("")).await,
        ),
    ];
    for path in [
        "/",
        &format!("/item/{id}"),
        "/dashboard",
        "/audit",
        "/users",
    ] {
        let r = get(&site.app, path, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_no_inline_code(&r.body, path);
        checks.push(("page", r));
    }
    for (what, r) in &checks {
        assert_security_headers(r, what);
    }
    let js = get(&site.app, "/static/app.js", None).await;
    assert!(js.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
}

#[tokio::test]
async fn hostile_posts_are_rendered_inert() {
    let site = site();
    let hostile = [
        ("101", "<script>alert('xss')</script> jalan rusak"),
        ("102", "\"><img src=x onerror=alert(1)> lampu mati '><svg onload=alert(2)>"),
        ("103", "cek javascript:alert(document.cookie) dan JaVaScRiPt:alert(1) dan data:text/html,<b>x</b>"),
        ("104", "normal \u{202E}gnp.exe\u{202C} lalu \u{2066}isolasi\u{2069} dan \u{200F}"),
        ("105", "</textarea><script>alert(3)</script><textarea>"),
    ];
    for (n, text) in hostile {
        let mut p = post(n, text, ago(1));
        p.author_handle = "\"><img src=x onerror=alert(9)>".into();
        if n == "103" {
            p.url = Some("javascript:alert('url')".into());
        }
        flag_post(&site.store, &p, &Pred::new(0.9, "dinas-pupr"));
    }
    let big = format!(
        "{}AKHIR-POSTINGAN",
        "sampah menumpuk <b>di</b> TPS ".repeat(3500)
    );
    assert!(big.len() > 100_000);
    flag_post(
        &site.store,
        &post("106", &big, ago(2)),
        &Pred::new(0.8, "dlh"),
    );
    let s = login(&site.app, "rina").await;
    let q = get(&site.app, "/", Some(&s)).await;
    assert_eq!(q.status, StatusCode::OK);
    assert!(
        q.body.len() < 100_000,
        "the queue shows snippets only: {} bytes",
        q.body.len()
    );
    let mut pages = vec![("queue".to_string(), q.body)];
    for n in ["101", "102", "103", "104", "105", "106"] {
        let r = get(&site.app, &format!("/item/x:{n}"), Some(&s)).await;
        assert_eq!(r.status, StatusCode::OK, "{n}");
        pages.push((n.to_string(), r.body));
    }
    pages.push((
        "audit".into(),
        get(&site.app, "/audit", Some(&s)).await.body,
    ));
    let api = get(&site.app, "/api/v1/items/x:102", Some(&s)).await;
    assert!(api.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    for (what, body) in &pages {
        assert_no_inline_code(body, what);
        assert!(!body.contains("<script>alert"), "{what}");
        assert!(!body.contains("<img src=x"), "{what}");
        assert!(!body.contains("<svg onload"), "{what}");
        assert!(!body.contains("</textarea><script>"), "{what}");
        for c in ['\u{202E}', '\u{202C}', '\u{2066}', '\u{2069}', '\u{200F}'] {
            assert!(
                !body.contains(c),
                "{what}: raw bidi control U+{:04X}",
                c as u32
            );
        }
    }
    let by = |n: &str| &pages.iter().find(|(w, _)| w == n).unwrap().1;
    assert!(by("101").contains("&lt;script&gt;alert('xss')&lt;/script&gt;"));
    assert!(
        by("102").contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        "escaped text is still shown"
    );
    assert!(
        by("103").contains("Tautan asli tidak ditautkan"),
        "javascript: URL shown as text"
    );
    assert!(by("104").contains("U+202E"), "override made visible");
    assert!(
        by("105").contains("&lt;/textarea&gt;&lt;script&gt;"),
        "draft textarea not broken out of"
    );
    assert!(
        by("106").contains("AKHIR-POSTINGAN"),
        "the whole 100 KB post is shown"
    );
    // a decision on the 100 KB item still works (its draft fits the form limit)
    let r = post_form(
        &site.app,
        "/item/x:106/accept",
        Some(&s),
        &[("isi", &big)],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}
