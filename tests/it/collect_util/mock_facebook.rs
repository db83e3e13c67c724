//! A mock Facebook Graph API for one Page: the feed (the Page's own post plus visitor posts,
//! the even items), an empty tagged edge, and the comments of the Page's post (the odd items,
//! some answering an earlier comment), with cursor paging whose `next` links echo the token like
//! the real API, and Meta's throttling as error codes 17 and 32. Also the Meta helpers the
//! Instagram mock shares: the start of every request, paging, and serving.

use super::*;
use axum::extract::State;
use axum::handler::Handler;
use serde_json::{json as j, Value};

/// The mock Facebook platform.
pub struct Facebook;

pub const PAGE_ID: &str = "100000000000001";
pub const OWN_POST: &str = "100000000000001_9100000000000000";
const PAGE: usize = 3;
const BIG: u64 = 9_007_199_254_740_992; // 2^53

fn is_feed_post(i: &Item) -> bool {
    i.seq % 2 == 0
}

/// The native id of an item: a visitor post or a comment on the Page's post.
pub fn native_id(i: &Item) -> String {
    if is_feed_post(i) {
        format!("{PAGE_ID}_{}", BIG + i.seq)
    } else {
        format!("9100000000000000_{}", BIG + i.seq)
    }
}

/// Meta's throttling and failure bodies.
pub fn meta_fault(f: Fault) -> Response {
    match f {
        Fault::RateLimit => json(
            StatusCode::BAD_REQUEST,
            j!({"error": {"message": "(#17) User request limit reached", "type": "OAuthException", "is_transient": true, "code": 17, "error_subcode": 2446079, "fbtrace_id": "AbCdEf123"}}),
        ),
        Fault::RateLimitLong => {
            let mut r = json(
                StatusCode::FORBIDDEN,
                j!({"error": {"message": "(#32) Page request limit reached", "type": "OAuthException", "code": 32, "fbtrace_id": "AbCdEf124"}}),
            );
            r.headers_mut().insert(
                "x-business-use-case-usage",
                format!("{{\"{PAGE_ID}\":[{{\"type\":\"pages\",\"call_count\":100,\"total_cputime\":30,\"total_time\":40,\"estimated_time_to_regain_access\":60}}]}}")
                    .parse()
                    .unwrap(),
            );
            r
        }
        Fault::ServerError => json(
            StatusCode::INTERNAL_SERVER_ERROR,
            j!({"error": {"message": "An unexpected error has occurred. Please retry your request later.", "type": "OAuthException", "is_transient": true, "code": 2, "fbtrace_id": "AbCdEf125"}}),
        ),
        Fault::Malformed => malformed(),
    }
}

/// Refuses a request without exactly one correct `access_token`.
fn meta_auth(req: &Req, token: &str) -> Option<Response> {
    if req.count("access_token") == 1 && req.param("access_token") == Some(token) {
        return None;
    }
    Some(json(
        StatusCode::BAD_REQUEST,
        j!({"error": {"message": "Invalid OAuth access token - Cannot parse access token", "type": "OAuthException", "code": 190, "fbtrace_id": "AbCdEf126"}}),
    ))
}

/// The paging object of a page at `offset`; `next` echoes the request with the token.
fn meta_paging(url: &str, req: &Req, token: &str, offset: usize, len: usize, more: bool) -> Value {
    let mut paging =
        j!({"cursors": {"before": format!("o{offset}"), "after": format!("o{}", offset + len)}});
    if more {
        let mut q: Vec<String> = req
            .query
            .iter()
            .filter(|(k, _)| k != "after" && k != "access_token")
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect();
        q.insert(0, format!("access_token={token}"));
        q.push(format!("after=o{}", offset + len));
        paging["next"] = j!(format!("{url}?{}", q.join("&")));
    }
    paging
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `after` offset of a request.
fn after(req: &Req) -> usize {
    req.param("after")
        .and_then(|t| t.strip_prefix('o'))
        .and_then(|o| o.parse().ok())
        .unwrap_or(0)
}

/// The common start of every Meta request: the token check, then [`begin`] (a request with an
/// `after` cursor reads a further page). `Err` is the response to send instead.
pub async fn meta_begin(state: &Shared, req: &Req, token: &str) -> Result<(), Response> {
    if let Some(r) = meta_auth(req, token) {
        return Err(r);
    }
    let next_page = req.param("after").is_some();
    begin(state, req, next_page, meta_fault).await
}

/// The page of a listing a request asks for by its `after` cursor, `PAGE` items long.
pub struct MetaPage<T> {
    /// The page's items.
    pub items: Vec<T>,
    offset: usize,
    more: bool,
}

impl<T: Clone> MetaPage<T> {
    /// Cuts the requested page out of the whole listing.
    pub fn of(list: &[T], req: &Req) -> MetaPage<T> {
        let offset = after(req);
        MetaPage {
            items: list.iter().skip(offset).take(PAGE).cloned().collect(),
            offset,
            more: list.len() > offset + PAGE,
        }
    }

    /// The 200 answer: the page's `data` and paging whose `next` link (when more follow)
    /// points at `url` with `token`.
    pub fn answer(&self, data: Vec<Value>, url: &str, req: &Req, token: &str) -> Response {
        json(
            StatusCode::OK,
            j!({"data": data, "paging": meta_paging(url, req, token, self.offset, PAGE, self.more)}),
        )
    }
}

/// Serves a Meta mock's handler (its state: the mock's and the server's own base URL) and
/// returns the Graph API base URL.
pub fn meta_start<H, T>(state: Shared, handle: H) -> String
where
    H: Handler<T, (Shared, String)>,
    T: 'static,
{
    let base = serve_with_base(|base| Router::new().fallback(handle).with_state((state, base)));
    format!("{base}/v21.0")
}

fn base_time(s: &MockState) -> DateTime<Utc> {
    s.base.unwrap_or_else(|| Utc::now() - Duration::days(2))
}

fn feed(state: &Shared, req: &Req, base: &str) -> Response {
    let mut s = state.lock().unwrap();
    let since = req
        .param("since")
        .and_then(|t| t.parse::<i64>().ok())
        .and_then(|t| DateTime::from_timestamp(t, 0))
        .unwrap_or(DateTime::UNIX_EPOCH);
    let own_at = base_time(&s) - Duration::hours(1);
    let mut posts: Vec<(DateTime<Utc>, Value, Option<String>)> = s
        .items
        .iter()
        .filter(|i| is_feed_post(i) && i.at >= since)
        .map(|i| {
            (
                i.at,
                j!({
                    "id": native_id(i),
                    "message": format!("@Pemkot Banjarmasin {}", i.text),
                    "created_time": meta_time(i.at),
                    "updated_time": meta_time(i.at),
                    "permalink_url": format!("https://www.facebook.com/{PAGE_ID}/posts/{}", BIG + i.seq),
                    "from": {"id": (3_000_000_000_000_000u64 + i.seq % 7).to_string(), "name": i.author},
                    "status_type": "mobile_status_update"
                }),
                Some(format!("facebook:{}", native_id(i))),
            )
        })
        .collect();
    if own_at >= since {
        posts.push((
            own_at,
            j!({
                "id": OWN_POST,
                "message": "Jadwal pelayanan keliling Disdukcapil minggu ini, silakan bertanya di kolom komentar.",
                "created_time": meta_time(own_at),
                "permalink_url": format!("https://www.facebook.com/{PAGE_ID}/posts/9100000000000000"),
                "from": {"id": PAGE_ID, "name": "Pemerintah Kota Banjarmasin"},
                "status_type": "added_photos"
            }),
            None,
        ));
    }
    posts.sort_by_key(|(at, _, _)| std::cmp::Reverse(*at));
    let page = MetaPage::of(&posts, req);
    s.served
        .extend(page.items.iter().filter_map(|(_, _, id)| id.clone()));
    let data = page.items.iter().map(|(_, v, _)| v.clone()).collect();
    let url = format!("{base}/v21.0/{PAGE_ID}/feed");
    page.answer(data, &url, req, Facebook::TOKEN.1)
}

fn comments(state: &Shared, req: &Req, base: &str) -> Response {
    assert_eq!(req.param("filter"), Some("stream"));
    assert_eq!(req.param("order"), Some("reverse_chronological"));
    let mut s = state.lock().unwrap();
    let mut list: Vec<Item> = s
        .items
        .iter()
        .filter(|i| !is_feed_post(i))
        .cloned()
        .collect();
    list.sort_by_key(|i| std::cmp::Reverse(i.seq));
    let page = MetaPage::of(&list, req);
    let ids: Vec<String> = page
        .items
        .iter()
        .map(|i| format!("facebook:{}", native_id(i)))
        .collect();
    s.served.extend(ids);
    let data: Vec<Value> = page
        .items
        .iter()
        .map(|i| {
            let mut c = j!({
                "id": native_id(i),
                "message": i.text,
                "created_time": meta_time(i.at),
                "from": {"id": (3_000_000_000_000_000u64 + i.seq % 7).to_string(), "name": i.author},
                "permalink_url": format!("https://www.facebook.com/{PAGE_ID}/posts/9100000000000000/?comment_id={}", BIG + i.seq),
            });
            if i.seq % 4 == 3 {
                c["parent"] = j!({"id": format!("9100000000000000_{}", BIG + i.seq - 2)});
            }
            c
        })
        .collect();
    let url = format!("{base}/v21.0/{OWN_POST}/comments");
    page.answer(data, &url, req, Facebook::TOKEN.1)
}

async fn handle(
    State((state, base)): State<(Shared, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let req = Req::new(&uri, headers);
    if let Err(r) = meta_begin(&state, &req, Facebook::TOKEN.1).await {
        return r;
    }
    match req.segments().as_slice() {
        ["v21.0", PAGE_ID, "feed"] => feed(&state, &req, &base),
        ["v21.0", PAGE_ID, "tagged"] => json(StatusCode::OK, j!({"data": []})),
        ["v21.0", OWN_POST, "comments"] => comments(&state, &req, &base),
        ["v21.0", _, "comments"] => json(StatusCode::OK, j!({"data": []})),
        _ => json(
            StatusCode::BAD_REQUEST,
            j!({"error": {"message": "Unsupported get request.", "type": "GraphMethodException", "code": 100, "error_subcode": 33}}),
        ),
    }
}

impl MockPlatform for Facebook {
    const NAME: &'static str = "facebook";
    const TOKEN: (&'static str, &'static str) = ("DENGAR_FACEBOOK_TOKEN", "EAAtestFBpagetoken99");

    fn start(state: Shared) -> String {
        meta_start(state, handle)
    }

    fn section(base_url: &str) -> String {
        format!(
            "[collect.facebook]\nenabled = true\nbase_url = \"{base_url}\"\naccounts = {{ pemkot_bjm = \"{PAGE_ID}\" }}\nmax_wait_secs = 5\n"
        )
    }

    fn expected(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .map(|i| format!("facebook:{}", native_id(i)))
            .collect()
    }
}
