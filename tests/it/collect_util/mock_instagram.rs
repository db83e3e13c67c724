//! A mock Instagram Graph API for one professional account: its recent media, that media's
//! comments (the fixture items; every third one a reply shown inline under the comment before
//! it), photo-tagged media, and `mentioned_comment` / `mentioned_media` lookups for the ids the
//! webhook announces; Meta paging, errors and throttling as in the Facebook mock.

use super::mock_facebook::{meta_begin, meta_start, MetaPage};
use super::*;
use axum::extract::State;
use serde_json::{json as j, Value};

/// The mock Instagram platform.
pub struct Instagram;

pub const IG_USER: &str = "17841400000000001";
pub const MEDIA: &str = "17900000000000000";
pub const PERMALINK: &str = "https://www.instagram.com/p/CpemkotBJM1/";

fn is_reply(i: &Item) -> bool {
    i.seq % 3 == 0
}

/// Comment id of an item (above 2^53).
pub fn comment_id(i: &Item) -> String {
    (17_950_000_000_000_000u64 + i.seq).to_string()
}

/// Media id of a tagged item.
pub fn tagged_id(i: &Item) -> String {
    (18_100_000_000_000_000u64 + i.seq).to_string()
}

/// Comment id of a mentionable item (a comment elsewhere that @mentions us).
pub fn mention_comment_id(i: &Item) -> String {
    (17_980_000_000_000_000u64 + i.seq).to_string()
}

/// Media id of a mentionable item (a caption that @mentions us).
pub fn mention_media_id(i: &Item) -> String {
    (18_200_000_000_000_000u64 + i.seq).to_string()
}

fn comment(i: &Item, parent: Option<&Item>) -> Value {
    let mut c = j!({
        "id": comment_id(i),
        "text": i.text,
        "timestamp": meta_time(i.at),
        "username": i.author,
        "from": {"id": (17_841_450_000_000_000u64 + i.seq % 7).to_string(), "username": i.author},
        "like_count": 0
    });
    if let Some(p) = parent {
        c["parent_id"] = j!(comment_id(p));
    }
    c
}

fn media(id: &str, caption: &str, at: DateTime<Utc>, username: &str, permalink: &str) -> Value {
    j!({"id": id, "caption": caption, "timestamp": meta_time(at), "permalink": permalink, "username": username, "media_type": "IMAGE", "comments_count": 0})
}

fn comments(state: &Shared, req: &Req, base: &str) -> Response {
    let mut s = state.lock().unwrap();
    let items = s.items.clone();
    let parent_of = |r: &Item| {
        items
            .iter()
            .filter(|p| p.seq < r.seq && !is_reply(p))
            .max_by_key(|p| p.seq)
            .cloned()
    };
    let mut tops: Vec<&Item> = items
        .iter()
        .filter(|i| !is_reply(i) || parent_of(i).is_none())
        .collect();
    tops.sort_by_key(|i| std::cmp::Reverse(i.seq));
    let page = MetaPage::of(&tops, req);
    let mut served = Vec::new();
    let data: Vec<Value> = page
        .items
        .iter()
        .map(|t| {
            served.push(format!("instagram:{}", comment_id(t)));
            let mut c = comment(t, None);
            let replies: Vec<Value> = items
                .iter()
                .filter(|r| is_reply(r) && parent_of(r).map(|p| p.seq) == Some(t.seq))
                .map(|r| {
                    served.push(format!("instagram:{}", comment_id(r)));
                    comment(r, Some(t))
                })
                .collect();
            if !replies.is_empty() {
                c["replies"] = j!({"data": replies});
            }
            c
        })
        .collect();
    s.served.extend(served);
    let url = format!("{base}/v21.0/{MEDIA}/comments");
    page.answer(data, &url, req, Instagram::TOKEN.1)
}

fn own_media(state: &Shared) -> Response {
    let s = state.lock().unwrap();
    let at = s.base.unwrap_or_else(|| Utc::now() - Duration::days(2)) - Duration::hours(1);
    let mut m = media(
        MEDIA,
        "Selamat pagi warga Banjarmasin! Sampaikan keluhan layanan di sini.",
        at,
        "pemkot_bjm",
        PERMALINK,
    );
    m["comments_count"] = j!(s.items.len());
    json(StatusCode::OK, j!({"data": [m]}))
}

fn tags(state: &Shared, req: &Req, base: &str) -> Response {
    let mut s = state.lock().unwrap();
    let mut list: Vec<Item> = s.tagged.clone();
    list.sort_by_key(|i| std::cmp::Reverse(i.seq));
    let page = MetaPage::of(&list, req);
    s.served.extend(
        page.items
            .iter()
            .map(|i| format!("instagram:{}", tagged_id(i))),
    );
    let data: Vec<Value> = page
        .items
        .iter()
        .map(|i| {
            media(
                &tagged_id(i),
                &format!("{} @pemkot_bjm", i.text),
                i.at,
                &i.author,
                &format!("https://www.instagram.com/p/Tag{}/", i.seq),
            )
        })
        .collect();
    let url = format!("{base}/v21.0/{IG_USER}/tags");
    page.answer(data, &url, req, Instagram::TOKEN.1)
}

fn not_found() -> Response {
    json(
        StatusCode::BAD_REQUEST,
        j!({"error": {"message": "Unsupported get request. Object does not exist.", "type": "GraphMethodException", "code": 100, "error_subcode": 33}}),
    )
}

fn lookup(state: &Shared, req: &Req) -> Response {
    let fields = req.param("fields").unwrap_or("");
    let inner = |prefix: &str| {
        fields
            .strip_prefix(prefix)
            .and_then(|r| r.split_once(')'))
            .map(|(id, _)| id.to_string())
    };
    let mut s = state.lock().unwrap();
    let items = s.mentionable.clone();
    if let Some(cid) = inner("mentioned_comment.comment_id(") {
        let Some(i) = items.iter().find(|i| mention_comment_id(i) == cid) else {
            return not_found();
        };
        s.served.push(format!("instagram:{cid}"));
        let mut c = comment(i, None);
        c["id"] = j!(cid);
        c["text"] = j!(format!("@pemkot_bjm {}", i.text));
        c["media"] =
            j!({"id": "17999999999999999", "permalink": "https://www.instagram.com/p/Other1/"});
        return json(StatusCode::OK, j!({"mentioned_comment": c, "id": IG_USER}));
    }
    if let Some(mid) = inner("mentioned_media.media_id(") {
        let Some(i) = items.iter().find(|i| mention_media_id(i) == mid) else {
            return not_found();
        };
        s.served.push(format!("instagram:{mid}"));
        let m = media(
            &mid,
            &format!("@pemkot_bjm {}", i.text),
            i.at,
            &i.author,
            "https://www.instagram.com/p/Other2/",
        );
        return json(StatusCode::OK, j!({"mentioned_media": m, "id": IG_USER}));
    }
    not_found()
}

async fn handle(
    State((state, base)): State<(Shared, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let req = Req::new(&uri, headers);
    if let Err(r) = meta_begin(&state, &req, Instagram::TOKEN.1).await {
        return r;
    }
    match req.segments().as_slice() {
        ["v21.0", IG_USER, "media"] => own_media(&state),
        ["v21.0", IG_USER, "tags"] => tags(&state, &req, &base),
        ["v21.0", IG_USER] => lookup(&state, &req),
        ["v21.0", MEDIA, "comments"] => comments(&state, &req, &base),
        _ => not_found(),
    }
}

impl MockPlatform for Instagram {
    const NAME: &'static str = "instagram";
    const TOKEN: (&'static str, &'static str) = ("DENGAR_INSTAGRAM_TOKEN", "EAAtestIGtoken77");

    fn start(state: Shared) -> String {
        meta_start(state, handle)
    }

    fn section(base_url: &str) -> String {
        format!(
            "[collect.instagram]\nenabled = true\nbase_url = \"{base_url}\"\naccounts = {{ pemkot_bjm = \"{IG_USER}\" }}\nmax_wait_secs = 5\n"
        )
    }

    fn expected(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .map(|i| format!("instagram:{}", comment_id(i)))
            .collect()
    }
}
