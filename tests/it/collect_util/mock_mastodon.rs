//! A mock Mastodon instance: mention notifications and the `#banjirbjm` tag timeline over the
//! fixture items (every third item is a hashtag post, the rest mentions), honouring `since_id` /
//! `max_id` / `limit`, with `Link` paging and `X-RateLimit-*` headers.

use super::*;
use axum::extract::State;
use serde_json::{json as j, Value};

/// The mock Mastodon platform.
pub struct Mastodon;

const PAGE: usize = 3;
const STATUS_BASE: u64 = 113_000_000_000_000_000;

/// Status id of an item (far above 2^53).
pub fn status_id(item: &Item) -> String {
    (STATUS_BASE + item.seq).to_string()
}

fn notification_id(item: &Item) -> String {
    (100 + item.seq).to_string()
}

fn is_tag_post(item: &Item) -> bool {
    item.seq % 3 == 0
}

fn status(item: &Item, base: &str) -> Value {
    let id = status_id(item);
    let tag = is_tag_post(item);
    let content = if tag {
        format!("<p>{} <a href=\"{base}/tags/banjirbjm\" class=\"mention hashtag\" rel=\"tag\">#<span>banjirbjm</span></a></p>", html(&item.text))
    } else {
        format!("<p><span class=\"h-card\"><a href=\"{base}/@pemkot_bjm\" class=\"u-url mention\">@<span>pemkot_bjm</span></a></span> {}<br>mohon dicek &amp; ditindaklanjuti</p>", html(&item.text))
    };
    j!({
        "id": id,
        "created_at": item.at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        "in_reply_to_id": null,
        "in_reply_to_account_id": null,
        "sensitive": false,
        "spoiler_text": "",
        "visibility": "public",
        "language": "id",
        "uri": format!("{base}/users/{}/statuses/{id}", item.author),
        "url": format!("{base}/@{}/{id}", item.author),
        "content": content,
        "reblog": null,
        "account": {"id": (200 + item.seq % 7).to_string(), "username": item.author, "acct": item.author, "display_name": "", "url": format!("{base}/@{}", item.author)},
        "mentions": if tag { j!([]) } else { j!([{"id": "1", "username": "pemkot_bjm", "acct": "pemkot_bjm", "url": format!("{base}/@pemkot_bjm")}]) },
        "tags": if tag { j!([{"name": "banjirbjm", "url": format!("{base}/tags/banjirbjm")}]) } else { j!([]) },
    })
}

fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The text the collector should store for an item.
pub fn expected_text(item: &Item) -> String {
    if is_tag_post(item) {
        format!("{} #banjirbjm", item.text)
    } else {
        format!("@pemkot_bjm {}\nmohon dicek & ditindaklanjuti", item.text)
    }
}

fn rate_headers(r: &mut Response, remaining: u32, reset: DateTime<Utc>) {
    let h = r.headers_mut();
    h.insert("x-ratelimit-limit", "300".parse().unwrap());
    h.insert(
        "x-ratelimit-remaining",
        remaining.to_string().parse().unwrap(),
    );
    h.insert(
        "x-ratelimit-reset",
        reset
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string()
            .parse()
            .unwrap(),
    );
}

fn fault(f: Fault) -> Response {
    let limited = |wait: Duration| {
        let mut r = json(
            StatusCode::TOO_MANY_REQUESTS,
            j!({"error": "Too many requests"}),
        );
        rate_headers(&mut r, 0, Utc::now() + wait);
        r
    };
    match f {
        Fault::RateLimit => limited(Duration::milliseconds(300)),
        Fault::RateLimitLong => limited(Duration::hours(1)),
        Fault::ServerError => json(StatusCode::BAD_GATEWAY, j!({"error": "Bad gateway"})),
        Fault::Malformed => malformed(),
    }
}

fn num(s: &str) -> u128 {
    s.parse().unwrap_or(0)
}

fn listing(state: &Shared, req: &Req, base: &str, tag: bool) -> Response {
    let mut s = state.lock().unwrap();
    let since = req.param("since_id").map(num);
    let max = req.param("max_id").map(num);
    let key = |i: &Item| {
        num(&if tag {
            status_id(i)
        } else {
            notification_id(i)
        })
    };
    let mut items: Vec<&Item> = s
        .items
        .iter()
        .filter(|i| is_tag_post(i) == tag)
        .filter(|i| since.is_none_or(|s| key(i) > s) && max.is_none_or(|m| key(i) < m))
        .collect();
    items.sort_by_key(|i| std::cmp::Reverse(key(i)));
    let page: Vec<Item> = items.iter().take(PAGE).map(|i| (*i).clone()).collect();
    let more = items.len() > PAGE;
    s.served
        .extend(page.iter().map(|i| format!("mastodon:{}", status_id(i))));
    let body: Vec<Value> = page
        .iter()
        .map(|i| {
            if tag {
                status(i, base)
            } else {
                j!({
                    "id": notification_id(i), "type": "mention",
                    "created_at": i.at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
                    "group_key": format!("ungrouped-{}", notification_id(i)),
                    "account": status(i, base)["account"].clone(),
                    "status": status(i, base),
                })
            }
        })
        .collect();
    let mut r = json(StatusCode::OK, Value::Array(body));
    let path = if tag {
        format!("{base}/api/v1/timelines/tag/banjirbjm")
    } else {
        format!("{base}/api/v1/notifications?types%5B%5D=mention")
    };
    let sep = if tag { '?' } else { '&' };
    if let (Some(first), Some(last)) = (page.first(), page.last()) {
        let mut links = Vec::new();
        if more {
            links.push(format!("<{path}{sep}max_id={}>; rel=\"next\"", key(last)));
        }
        links.push(format!("<{path}{sep}min_id={}>; rel=\"prev\"", key(first)));
        r.headers_mut()
            .insert("link", links.join(", ").parse().unwrap());
    }
    rate_headers(&mut r, 299, Utc::now() + Duration::minutes(5));
    r
}

async fn handle(
    State((state, base)): State<(Shared, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let req = Req::new(&uri, headers);
    if req.bearer() != Some(Mastodon::TOKEN.1) {
        return json(
            StatusCode::UNAUTHORIZED,
            j!({"error": "The access token is invalid"}),
        );
    }
    let next_page = req.param("max_id").is_some();
    if let Err(r) = begin(&state, &req, next_page, fault).await {
        return r;
    }
    match req.segments().as_slice() {
        ["api", "v1", "notifications"] => {
            assert_eq!(req.param("types[]"), Some("mention"));
            listing(&state, &req, &base, false)
        }
        ["api", "v1", "timelines", "tag", "banjirbjm"] => listing(&state, &req, &base, true),
        _ => json(StatusCode::NOT_FOUND, j!({"error": "Record not found"})),
    }
}

impl MockPlatform for Mastodon {
    const NAME: &'static str = "mastodon";
    const TOKEN: (&'static str, &'static str) = ("DENGAR_MASTODON_TOKEN", "test-masto-token-Zq9");

    fn start(state: Shared) -> String {
        serve_with_base(|base| Router::new().fallback(handle).with_state((state, base)))
    }

    fn section(base_url: &str) -> String {
        format!(
            "[collect.mastodon]\nenabled = true\nbase_url = \"{base_url}\"\naccounts = {{ pemkot_bjm = \"\" }}\nhashtags = [\"banjirbjm\"]\nmax_wait_secs = 5\n"
        )
    }

    fn expected(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .map(|i| format!("mastodon:{}", status_id(i)))
            .collect()
    }
}
