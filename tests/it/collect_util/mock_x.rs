//! A mock X API v2: user lookup, mentions timeline and recent search over the fixture items,
//! honouring `since_id` / `until_id` / `start_time` and token paging, in the real response shape
//! (`data`, `includes.users`, partial `errors`, `meta`), with X's 429 and reset headers.

use super::*;
use axum::extract::State;
use serde_json::{json as j, Value};

/// The mock X platform.
pub struct X;

/// The watched account's user id.
pub const USER_ID: &str = "2244994945";
const SNOWFLAKE_EPOCH_MS: i64 = 1_288_834_974_657;
const PAGE: usize = 3;

/// A fixture item's tweet id: a real-looking snowflake (far above 2^53).
pub fn tweet_id(item: &Item) -> String {
    ((((item.at.timestamp_millis() - SNOWFLAKE_EPOCH_MS) as u64) << 22) + item.seq).to_string()
}

fn author_id(item: &Item) -> String {
    (1_500_000_000_000_000_000u64 + item.seq % 7).to_string()
}

fn tweet(item: &Item) -> Value {
    let id = tweet_id(item);
    let text = format!("@pemkot_bjm {}", item.text);
    let mut t = j!({
        "id": id,
        "text": text,
        "author_id": author_id(item),
        "created_at": item.at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        "conversation_id": id,
        "lang": "in",
        "edit_history_tweet_ids": [id],
        "entities": {"mentions": [{"start": 0, "end": 11, "username": "pemkot_bjm", "id": USER_ID}]},
        "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 1, "quote_count": 0}
    });
    if item.seq % 4 == 0 {
        t["referenced_tweets"] = j!([{"type": "replied_to", "id": "1860000000000000001"}]);
        t["in_reply_to_user_id"] = j!(USER_ID);
    }
    if item.seq % 6 == 0 {
        t["note_tweet"] = j!({"text": format!("{text} — lengkapnya: sudah dilaporkan ke kelurahan dua kali tapi belum ada tindak lanjut sampai hari ini")});
    }
    t
}

/// The post text the collector should store for an item.
pub fn expected_text(item: &Item) -> String {
    let text = format!("@pemkot_bjm {}", item.text);
    if item.seq % 6 == 0 {
        format!("{text} — lengkapnya: sudah dilaporkan ke kelurahan dua kali tapi belum ada tindak lanjut sampai hari ini")
    } else {
        text
    }
}

fn fault(f: Fault) -> Response {
    let now = Utc::now().timestamp();
    let limited = |reset: i64| {
        let mut r = json(
            StatusCode::TOO_MANY_REQUESTS,
            j!({"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429}),
        );
        let h = r.headers_mut();
        h.insert("x-rate-limit-limit", "450".parse().unwrap());
        h.insert("x-rate-limit-remaining", "0".parse().unwrap());
        h.insert("x-rate-limit-reset", reset.to_string().parse().unwrap());
        r
    };
    match f {
        Fault::RateLimit => limited(now),
        Fault::RateLimitLong => limited(now + 3600),
        Fault::ServerError => json(
            StatusCode::SERVICE_UNAVAILABLE,
            j!({"title": "Service Unavailable", "detail": "Service Unavailable", "type": "about:blank", "status": 503}),
        ),
        Fault::Malformed => malformed(),
    }
}

fn num(s: &str) -> u128 {
    s.parse().unwrap_or(0)
}

fn page(state: &Shared, req: &Req, token_param: &str) -> Response {
    if req.param("since_id").is_some() && req.param("start_time").is_some() {
        return json(
            StatusCode::BAD_REQUEST,
            j!({"title": "Invalid Request", "detail": "since_id and start_time cannot both be given", "type": "https://api.twitter.com/2/problems/invalid-request"}),
        );
    }
    let mut s = state.lock().unwrap();
    let since = req.param("since_id").map(num);
    let until = req.param("until_id").map(num);
    let start = req
        .param("start_time")
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok());
    let mut items: Vec<&Item> = s
        .items
        .iter()
        .filter(|i| {
            let id = num(&tweet_id(i));
            since.is_none_or(|s| id > s)
                && until.is_none_or(|u| id < u)
                && start.is_none_or(|t| i.at >= t)
        })
        .collect();
    items.sort_by_key(|i| std::cmp::Reverse(num(&tweet_id(i))));
    let offset: usize = req
        .param(token_param)
        .and_then(|t| t.strip_prefix('o'))
        .and_then(|o| o.parse().ok())
        .unwrap_or(0);
    let page: Vec<Item> = items
        .iter()
        .skip(offset)
        .take(PAGE)
        .map(|i| (*i).clone())
        .collect();
    let more = items.len() > offset + PAGE;
    s.served
        .extend(page.iter().map(|i| format!("x:{}", tweet_id(i))));
    if page.is_empty() {
        return json(StatusCode::OK, j!({"meta": {"result_count": 0}}));
    }
    let users: Vec<Value> = page
        .iter()
        .map(|i| j!({"id": author_id(i), "username": i.author, "name": format!("Warga {}", i.seq % 7)}))
        .collect();
    let mut meta = j!({
        "result_count": page.len(),
        "newest_id": tweet_id(&page[0]),
        "oldest_id": tweet_id(&page[page.len() - 1]),
    });
    if more {
        meta["next_token"] = j!(format!("o{}", offset + PAGE));
    }
    let mut body = j!({
        "data": page.iter().map(tweet).collect::<Vec<_>>(),
        "includes": {"users": users},
        "meta": meta,
    });
    if page.iter().any(|i| i.seq % 5 == 0) {
        body["errors"] = j!([{
            "value": "akun_hilang", "detail": "Could not find user with usernames: [akun_hilang].",
            "title": "Not Found Error", "resource_type": "user", "parameter": "entities.mentions.username",
            "resource_id": "akun_hilang", "type": "https://api.twitter.com/2/problems/resource-not-found"
        }]);
    }
    json(StatusCode::OK, body)
}

async fn handle(State(state): State<Shared>, uri: Uri, headers: HeaderMap) -> Response {
    let req = Req::new(&uri, headers);
    if req.bearer() != Some(X::TOKEN.1) {
        return json(
            StatusCode::UNAUTHORIZED,
            j!({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}),
        );
    }
    let next_page = req.param("pagination_token").is_some() || req.param("next_token").is_some();
    if let Err(r) = begin(&state, &req, next_page, fault).await {
        return r;
    }
    let segs = req.segments();
    match segs.as_slice() {
        ["2", "users", "by", "username", name] => {
            if name.eq_ignore_ascii_case("pemkot_bjm") {
                json(
                    StatusCode::OK,
                    j!({"data": {"id": USER_ID, "name": "Pemerintah Kota Banjarmasin", "username": "pemkot_bjm"}}),
                )
            } else {
                json(
                    StatusCode::OK,
                    j!({"errors": [{"value": name, "detail": format!("Could not find user with username: [{name}]."), "title": "Not Found Error", "type": "https://api.twitter.com/2/problems/resource-not-found"}]}),
                )
            }
        }
        ["2", "users", id, "mentions"] if *id == USER_ID => page(&state, &req, "pagination_token"),
        ["2", "tweets", "search", "recent"] => {
            let q = req.param("query").unwrap_or("");
            assert!(
                q.contains("@pemkot_bjm") && q.contains("-is:retweet"),
                "query {q}"
            );
            page(&state, &req, "next_token")
        }
        _ => json(StatusCode::NOT_FOUND, j!({"title": "Not Found"})),
    }
}

impl MockPlatform for X {
    const NAME: &'static str = "x";
    const TOKEN: (&'static str, &'static str) = ("DENGAR_X_TOKEN", "test-x-bearer-AAAAx1");

    fn start(state: Shared) -> String {
        let router = Router::new().fallback(handle).with_state(state);
        format!("http://{}", serve(router))
    }

    fn section(base_url: &str) -> String {
        format!(
            "[collect.x]\nenabled = true\nbase_url = \"{base_url}\"\naccounts = {{ pemkot_bjm = \"\" }}\nmax_wait_secs = 5\n"
        )
    }

    fn expected(items: &[Item]) -> Vec<String> {
        items.iter().map(|i| format!("x:{}", tweet_id(i))).collect()
    }
}
