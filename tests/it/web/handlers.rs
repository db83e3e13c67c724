//! Handler tests through the Router: queue order, filters, folding, item page, decisions,
//! next-item navigation, dashboard, audit, users and the JSON API.

use super::util::*;
use axum::http::{Method, StatusCode};
use dengar::config::WebConfig;
use dengar::model::Status;

fn seed(site: &Site) -> Vec<String> {
    let s = &site.store;
    vec![
        flag(
            s,
            "1",
            "Jalan rusak parah di Jl. Kayu Tangi, sudah sebulan",
            3,
            Pred::new(0.91, "dinas-pupr"),
        ),
        flag(
            s,
            "2",
            "Sampah menumpuk di TPS Pasar Lama, bau sekali",
            5,
            Pred::new(0.72, "dlh").group("g-sampah"),
        ),
        flag(
            s,
            "3",
            "Banjir rob masuk rumah warga RT 05 Sungai Bilu",
            1,
            Pred::new(0.60, "bpbd").urgent(),
        ),
        flag(
            s,
            "4",
            "Lampu PJU mati total di Gg. Sepakat",
            30,
            Pred::new(0.80, "disperkim"),
        ),
        flag(
            s,
            "5",
            "Sampah di TPS Pasar Lama belum diangkut",
            6,
            Pred::new(0.70, "dlh").group("g-sampah"),
        ),
    ]
}

#[tokio::test]
async fn queue_is_in_review_order_with_duplicates_folded() {
    let site = site();
    seed(&site);
    site.state.index.refresh().unwrap();
    let s = login(&site.app, "vina").await;
    let r = get(&site.app, "/", Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK);
    // urgent first, then by complaint probability; x:5 folds into x:2
    assert_eq!(row_ids(&r.body), ["x:3", "x:1", "x:4", "x:2"]);
    assert!(r.body.contains("+1 serupa"), "{}", r.body);
    assert!(r.body.contains("Darurat"));
    assert!(r.body.contains("<strong>5</strong> item"));
    // viewers get no checkboxes and no bulk bar
    assert!(!r.body.contains("type=\"checkbox\""));
    let s = login(&site.app, "rina").await;
    let r = get(&site.app, "/", Some(&s)).await;
    assert!(r.body.contains("name=\"id\" value=\"x:3\""));
    assert!(r.body.contains("id=\"bulk-accept\""));
}

#[tokio::test]
async fn queue_filters_and_pages() {
    let site = site_with(WebConfig {
        page_size: 5,
        ..WebConfig::default()
    });
    seed(&site);
    for i in 10..22 {
        flag(
            &site.store,
            &i.to_string(),
            &format!("Drainase tersumbat nomor {i}"),
            48,
            Pred::new(0.55, "dinas-pupr"),
        );
    }
    let s = login(&site.app, "rina").await;
    let r = get(&site.app, "/?agency=dlh", Some(&s)).await;
    assert_eq!(row_ids(&r.body), ["x:2"]);
    let r = get(&site.app, "/?q=PJU", Some(&s)).await;
    assert_eq!(row_ids(&r.body), ["x:4"]);
    let r = get(&site.app, "/?q=warga_3", Some(&s)).await;
    assert_eq!(row_ids(&r.body), ["x:3"], "search covers the author handle");
    let r = get(&site.app, "/?platform=instagram", Some(&s)).await;
    assert!(row_ids(&r.body).is_empty());
    assert!(r.body.contains("Tidak ada item yang cocok"));
    let today = chrono::Utc::now()
        .with_timezone(&dengar::report::wita())
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    let r = get(
        &site.app,
        &format!("/?from={today}&to={today}&agency=dinas-pupr"),
        Some(&s),
    )
    .await;
    // x:1 was posted 3 hours ago; the drains 48 hours ago
    let ids = row_ids(&r.body);
    assert!(ids.iter().all(|i| i == "x:1"), "{ids:?}");
    // 16 lines over pages of 5
    let r = get(&site.app, "/?page=4", Some(&s)).await;
    assert_eq!(row_ids(&r.body).len(), 1);
    assert!(r.body.contains("Halaman 4 dari 4"));
    assert!(
        r.body.contains("rel=\"prev\" href=\"/?page=3\""),
        "{}",
        r.body
    );
    post_form(&site.app, "/item/x:1/accept", Some(&s), &[], None).await;
    let r = get(&site.app, "/?status=accepted", Some(&s)).await;
    assert_eq!(row_ids(&r.body), ["x:1"]);
    assert!(
        !r.body.contains("type=\"checkbox\""),
        "no bulk decisions outside the flagged queue"
    );
    let r = get(&site.app, "/?agency=%3Cscript%3E&from=kemarin", Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Instansi tidak dikenal"));
    assert!(r.body.contains("Tanggal awal tidak sah"));
}

#[tokio::test]
async fn item_page_shows_post_prediction_draft_and_duplicates() {
    let site = site();
    seed(&site);
    let s = login(&site.app, "rina").await;
    let r = get(&site.app, "/item/x:2", Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = &r.body;
    assert!(b.contains("Sampah menumpuk di TPS Pasar Lama"));
    assert!(b.contains("href=\"https://x.com/warga/status/2\""));
    assert!(b.contains("@warga_2"));
    assert!(b.contains("72%"), "complaint probability");
    assert!(b.contains("Unggahan serupa (1)"), "near-duplicate listed");
    assert!(b.contains("/item/x:5"));
    assert!(b.contains("id=\"accept-form\""));
    assert!(b.contains("name=\"judul\""));
    assert!(
        b.contains("Laporan ini diambil dari unggahan publik"),
        "draft body"
    );
    assert!(b.contains("value=\"dlh\" data-category"), "{b}");
    let r = get(&site.app, "/item/x:1", Some(&s)).await;
    assert!(r
        .body
        .contains("<mark class=\"up\" title=\"Mendorong ke aduan\">rusak</mark>"));
    let r = get(&site.app, "/item/x:404", Some(&s)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let v = login(&site.app, "vina").await;
    let r = get(&site.app, "/item/x:2", Some(&v)).await;
    assert!(
        !r.body.contains("id=\"accept-form\""),
        "viewers see the draft read-only"
    );
    assert!(r.body.contains("Draf laporan LAPOR!"));
}

#[tokio::test]
async fn accepting_saves_the_edited_draft_and_opens_the_next_item() {
    let site = site();
    seed(&site);
    let s = login(&site.app, "rina").await;
    let r = post_form(
        &site.app,
        "/item/x:1/accept",
        Some(&s),
        &[
            ("agency", "dinas-pupr"),
            ("category", "Infrastruktur"),
            ("initial_category", "Infrastruktur"),
            ("judul", "Jalan Kayu Tangi berlubang"),
            ("isi", "Isi yang disunting"),
            ("lokasi", "Jl. Kayu Tangi 2, Kel. Sungai Miai"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // x:1 was second in the queue (after urgent x:3): the next is x:4
    assert_eq!(r.location(), "/item/x:4?done=x%3A1&act=accept");
    let item = site.store.get("x:1").unwrap().unwrap();
    assert_eq!(item.status, Status::Accepted);
    let d = item.decision.unwrap();
    assert_eq!(d.by, "rina");
    assert_eq!(d.agency.as_deref(), Some("dinas-pupr"));
    let report = d.report.unwrap();
    assert_eq!(report.judul, "Jalan Kayu Tangi berlubang");
    assert_eq!(report.isi, "Isi yang disunting");
    assert_eq!(
        report.lokasi.as_deref(),
        Some("Jl. Kayu Tangi 2, Kel. Sungai Miai")
    );
    assert_eq!(report.sources, ["x:1"]);
    let page = get(&site.app, r.location(), Some(&s)).await;
    assert!(page.body.contains("diterima."), "undo banner");
    assert!(page.body.contains("action=\"/item/x:1/undo\""));
    let q = get(&site.app, "/", Some(&s)).await;
    assert!(!row_ids(&q.body).contains(&"x:1".to_string()));
    let audit = site.store.audit(Some("x:1")).unwrap();
    let last = audit.last().unwrap();
    assert_eq!(
        (last.actor.as_str(), last.action.as_str()),
        ("rina", "accept")
    );
    assert!(
        last.why
            .as_deref()
            .unwrap()
            .ends_with("disunting: judul, isi, lokasi"),
        "{last:?}"
    );
    // deciding twice is a conflict, not a crash
    let again = post_form(&site.app, "/item/x:1/accept", Some(&s), &[], None).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    // a corrected agency is recorded as a correction; an unchanged category follows it
    let r = post_form(
        &site.app,
        "/item/x:4/accept",
        Some(&s),
        &[
            ("agency", "dinas-pupr"),
            ("category", "Perumahan dan Permukiman"),
            ("initial_category", "Perumahan dan Permukiman"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let d = site.store.get("x:4").unwrap().unwrap().decision.unwrap();
    assert_eq!(d.category.as_deref(), Some("Infrastruktur"));
    let why = site
        .store
        .audit(Some("x:4"))
        .unwrap()
        .last()
        .unwrap()
        .why
        .clone()
        .unwrap();
    assert!(why.contains("koreksi dari prediksi disperkim"), "{why}");
}

#[tokio::test]
async fn reject_merge_and_undo() {
    let site = site();
    seed(&site);
    let rina = login(&site.app, "rina").await;
    let budi = login(&site.app, "budi").await;
    let admin = login(&site.app, "admin").await;
    let bad = post_form(
        &site.app,
        "/item/x:4/reject",
        Some(&rina),
        &[("reason", "malas")],
        None,
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let r = post_form(
        &site.app,
        "/item/x:4/reject",
        Some(&rina),
        &[("reason", "outside-authority"), ("note", "urusan PLN")],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let item = site.store.get("x:4").unwrap().unwrap();
    assert_eq!(item.status, Status::Rejected);
    assert_eq!(
        item.decision.unwrap().reason.as_deref(),
        Some("outside-authority")
    );
    // merge x:5 into its near-duplicate x:2
    let r = post_form(
        &site.app,
        "/item/x:5/merge",
        Some(&rina),
        &[("into", "x:2"), ("into_other", "")],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let merged = site.store.get("x:5").unwrap().unwrap();
    assert_eq!(merged.status, Status::Accepted);
    assert_eq!(merged.decision.unwrap().merged_into.as_deref(), Some("x:2"));
    let target = get(&site.app, "/item/x:2", Some(&rina)).await;
    assert!(target.body.contains("Digabung ke item ini (1)"));
    // an undone merge leaves the report; merging again joins it again
    post_form(&site.app, "/item/x:5/undo", Some(&rina), &[], None).await;
    let target = get(&site.app, "/item/x:2", Some(&rina)).await;
    assert!(!target.body.contains("Digabung ke item ini"));
    post_form(
        &site.app,
        "/item/x:5/merge",
        Some(&rina),
        &[("into", "x:2")],
        None,
    )
    .await;
    // accepting the target now drafts a report quoting both posts
    post_form(&site.app, "/item/x:2/accept", Some(&rina), &[], None).await;
    let report = site
        .store
        .get("x:2")
        .unwrap()
        .unwrap()
        .decision
        .unwrap()
        .report
        .unwrap();
    assert_eq!(report.sources, ["x:2", "x:5"]);
    let selfmerge = post_form(
        &site.app,
        "/item/x:3/merge",
        Some(&rina),
        &[("into_other", "x:3")],
        None,
    )
    .await;
    assert_eq!(selfmerge.status, StatusCode::BAD_REQUEST);
    // budi may not undo rina's decision; rina and admins may
    let r = post_form(&site.app, "/item/x:4/undo", Some(&budi), &[], None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post_form(&site.app, "/item/x:4/undo", Some(&rina), &[], None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        site.store.get("x:4").unwrap().unwrap().status,
        Status::Flagged
    );
    let r = post_form(&site.app, "/item/x:2/undo", Some(&admin), &[], None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        site.store.get("x:2").unwrap().unwrap().status,
        Status::Flagged
    );
    let r = post_form(&site.app, "/item/x:3/undo", Some(&admin), &[], None).await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "nothing to undo on a flagged item"
    );
}

#[tokio::test]
async fn next_item_keeps_the_filter_and_ends_at_the_queue() {
    let site = site();
    seed(&site);
    let s = login(&site.app, "rina").await;
    let r = post_form(
        &site.app,
        "/item/x:2/reject?agency=dlh",
        Some(&s),
        &[("reason", "spam")],
        None,
    )
    .await;
    assert_eq!(r.location(), "/item/x:5?agency=dlh&done=x%3A2&act=reject");
    let r = post_form(
        &site.app,
        "/item/x:5/reject?agency=dlh",
        Some(&s),
        &[("reason", "duplicate")],
        None,
    )
    .await;
    assert_eq!(r.location(), "/?agency=dlh&ok=reject&n=1&failed=0");
    let q = get(&site.app, r.location(), Some(&s)).await;
    assert!(q.body.contains("1 item ditolak."));
}

#[tokio::test]
async fn bulk_accept_merges_the_folded_group_and_bulk_reject_rejects_all() {
    let site = site();
    seed(&site);
    let s = login(&site.app, "rina").await;
    let r = post_form(
        &site.app,
        "/bulk",
        Some(&s),
        &[("action", "accept"), ("id", "x:2"), ("id", "x:1")],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/?ok=accept&n=3&failed=0");
    assert_eq!(
        site.store.get("x:2").unwrap().unwrap().status,
        Status::Accepted
    );
    let m = site.store.get("x:5").unwrap().unwrap();
    assert_eq!(m.decision.unwrap().merged_into.as_deref(), Some("x:2"));
    let rep = site.store.get("x:2").unwrap().unwrap().decision.unwrap();
    assert_eq!(rep.agency.as_deref(), Some("dlh"));
    assert_eq!(rep.report.unwrap().sources, ["x:2", "x:5"]);
    let r = post_form(
        &site.app,
        "/bulk",
        Some(&s),
        &[
            ("action", "reject"),
            ("reason", "spam"),
            ("id", "x:4"),
            ("id", "x:1"),
        ],
        None,
    )
    .await;
    // x:1 is already accepted: one done, one failed
    assert_eq!(r.location(), "/?ok=reject&n=1&failed=1");
    let page = get(&site.app, r.location(), Some(&s)).await;
    assert!(page.body.contains("1 item ditolak. 1 gagal"));
    let none = post_form(&site.app, "/bulk", Some(&s), &[("action", "accept")], None).await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn changes_made_outside_the_web_reach_the_queue() {
    let site = site();
    seed(&site);
    let s = login(&site.app, "vina").await;
    assert_eq!(row_ids(&get(&site.app, "/", Some(&s)).await.body).len(), 4);
    // the nightly batch classifies a new post; someone rejects one from the CLI
    flag(
        &site.store,
        "9",
        "Air PDAM keruh sejak kemarin",
        2,
        Pred::new(0.99, "pdam"),
    );
    site.store
        .transition(
            "x:4",
            dengar::store::Transition::new(Status::Rejected, "cli", "reject"),
        )
        .unwrap();
    let ids = row_ids(&get(&site.app, "/", Some(&s)).await.body);
    assert_eq!(ids, ["x:3", "x:9", "x:1", "x:2"]);
}

#[tokio::test]
async fn dashboard_draws_charts_with_numbers() {
    let site = site();
    seed(&site);
    let s = login(&site.app, "rina").await;
    post_form(&site.app, "/item/x:1/accept", Some(&s), &[], None).await;
    let r = get(&site.app, "/dashboard?days=7", Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.matches("<svg").count() >= 4, "four charts");
    assert!(r.body.contains("Perlu ditinjau"));
    assert!(r.body.contains("Dinas PUPR"));
    assert!(r.body.contains("Umur antrean"));
    assert!(r.body.contains("Keyakinan model"));
    // backlog: 4 flagged, one posted 30 hours ago (1–2 days)
    assert!(
        r.body.contains("<span class=\"kpi-value\">4</span>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("<td>1–2 hari</td><td>1</td>"));
}

#[tokio::test]
async fn audit_lists_decisions_and_admins_export_csv() {
    let site = site();
    seed(&site);
    let rina = login(&site.app, "rina").await;
    let r = post_form(
        &site.app,
        "/item/x:3/reject",
        Some(&rina),
        &[("reason", "spam"), ("note", "=HYPERLINK(\"http://evil\")")],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    post_form(&site.app, "/item/x:1/accept", Some(&rina), &[], None).await;
    let r = get(&site.app, "/audit", Some(&rina)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("a-accept"));
    assert!(r.body.contains("href=\"/item/x:1\""));
    assert!(r.body.contains("Perlu ditinjau → Diterima"));
    assert!(
        !r.body.contains("id=\"csv\""),
        "no export link for reviewers"
    );
    let r = get(&site.app, "/audit?action=accept", Some(&rina)).await;
    assert_eq!(r.body.matches("data-seq=").count(), 1);
    let r = get(&site.app, "/audit.csv", Some(&rina)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let admin = login(&site.app, "admin").await;
    let r = get(&site.app, "/audit.csv?actor=rina", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let lines: Vec<&str> = r.body.lines().collect();
    assert_eq!(lines[0], "seq,at,actor,action,item,from,to,why");
    assert_eq!(lines.len(), 3, "{}", r.body);
    assert!(
        lines[1].contains(",rina,reject,x:3,flagged,rejected,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("Spam — =HYPERLINK"));
    assert!(lines[2].contains(",rina,accept,x:1,flagged,accepted,"));
}

#[tokio::test]
async fn admins_manage_users_from_the_page() {
    let site = site();
    let admin = login(&site.app, "admin").await;
    let r = post_form(
        &site.app,
        "/users",
        Some(&admin),
        &[
            ("name", "sari"),
            ("role", "viewer"),
            ("password", "sandi-baru-sari-1"),
            ("password2", "sandi-baru-sari-1"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = try_login(&site.app, "sari", "sandi-baru-sari-1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = post_form(&site.app, "/users/sari/token", Some(&admin), &[], None).await;
    assert!(r.body.contains("dgr_"), "token shown once");
    let r = post_form(&site.app, "/users/sari/disable", Some(&admin), &[], None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = try_login(&site.app, "sari", "sandi-baru-sari-1").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = post_form(&site.app, "/users/admin/disable", Some(&admin), &[], None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "no self-lockout");
    let page = get(&site.app, "/users", Some(&admin)).await;
    assert!(page.body.contains("Nonaktif"));
    let actions: Vec<String> = site
        .store
        .audit(None)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        actions.contains(&"user-add".to_string()) && actions.contains(&"user-disable".to_string())
    );
}

#[tokio::test]
async fn json_api_reads_and_decides_with_tokens_and_sessions() {
    let site = site();
    seed(&site);
    let token = site.state.users.issue_token("rina").unwrap();
    let viewer_token = site.state.users.issue_token("vina").unwrap();
    let r = api(
        &site.app,
        Method::GET,
        "/api/v1/queue?agency=dlh",
        Some(&token),
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["total_items"], 2);
    assert_eq!(v["rows"][0]["id"], "x:2");
    assert_eq!(v["rows"][0]["members"], serde_json::json!(["x:2", "x:5"]));
    let r = api(
        &site.app,
        Method::GET,
        "/api/v1/items/x:1",
        Some(&token),
        None,
        None,
    )
    .await;
    assert_eq!(r.json()["draft"]["agency"], "dinas-pupr");
    // tokens need no CSRF
    let r = api(
        &site.app,
        Method::POST,
        "/api/v1/items/x:1/accept",
        Some(&token),
        None,
        Some(serde_json::json!({"judul": "Judul dari skrip"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["item"]["status"], "accepted");
    assert_eq!(
        r.json()["item"]["decision"]["report"]["judul"],
        "Judul dari skrip"
    );
    let r = api(
        &site.app,
        Method::POST,
        "/api/v1/items/x:4/reject",
        Some(&viewer_token),
        None,
        Some(serde_json::json!({"reason": "spam"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.json()["error"].as_str().unwrap().contains("Peran"));
    // sessions need the CSRF header
    let s = login(&site.app, "rina").await;
    let body = serde_json::json!({"reason": "spam"});
    let r = api(
        &site.app,
        Method::POST,
        "/api/v1/items/x:4/reject",
        None,
        Some((&s, false)),
        Some(body.clone()),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = api(
        &site.app,
        Method::POST,
        "/api/v1/items/x:4/reject",
        None,
        Some((&s, true)),
        Some(body),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = api(
        &site.app,
        Method::POST,
        "/api/v1/items/x:4/undo",
        Some(&token),
        None,
        None,
    )
    .await;
    assert_eq!(r.json()["item"]["status"], "flagged");
    let r = api(
        &site.app,
        Method::POST,
        "/api/v1/items/x:5/merge",
        Some(&token),
        None,
        Some(serde_json::json!({"into": "x:2"})),
    )
    .await;
    assert_eq!(r.json()["item"]["decision"]["merged_into"], "x:2");
    let r = api(
        &site.app,
        Method::GET,
        "/api/v1/audit?actor=rina",
        Some(&token),
        None,
        None,
    )
    .await;
    assert_eq!(r.json()["entries"].as_array().unwrap().len(), 4);
    let r = api(
        &site.app,
        Method::GET,
        "/api/v1/stats",
        Some(&token),
        None,
        None,
    )
    .await;
    assert_eq!(r.json()["by_status"]["flagged"], 3);
    let r = api(
        &site.app,
        Method::GET,
        "/api/v1/queue",
        Some("dgr_wrong"),
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = api(
        &site.app,
        Method::POST,
        "/api/v1/items/x:404/accept",
        Some(&token),
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn forwarded_reports_show_their_outbox_state_on_the_item_page() {
    let site = site();
    seed(&site);
    let s = login(&site.app, "rina").await;
    post_form(
        &site.app,
        "/item/x:5/merge",
        Some(&s),
        &[("into", "x:2")],
        None,
    )
    .await;
    post_form(
        &site.app,
        "/item/x:2/accept",
        Some(&s),
        &[("judul", "Sampah TPS Pasar Lama belum diangkut")],
        None,
    )
    .await;
    // the real forward stage, to the file receiver in the store's directory
    let ctx = dengar::pipeline::Context {
        config: dengar::config::Config::default(),
        catalog: dengar::catalog::Catalog::embedded(),
        store: site.store.clone(),
        progress: false,
    };
    let report = dengar::pipeline::forward::run(&ctx, None, false);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(
        site.store.get("x:2").unwrap().unwrap().status,
        Status::Forwarded
    );
    for id in ["x:2", "x:5"] {
        let r = get(&site.app, &format!("/item/{id}"), Some(&s)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Laporan di kotak keluar"), "{id}");
        assert!(r.body.contains("Diteruskan"), "{id}");
        assert!(
            r.body.contains("Sampah TPS Pasar Lama belum diangkut"),
            "{id}: the sent draft"
        );
    }
    let api = api(
        &site.app,
        Method::GET,
        "/api/v1/items/x:5",
        None,
        Some((&s, false)),
        None,
    )
    .await;
    let v = api.json();
    assert_eq!(v["report"]["items"], serde_json::json!(["x:2", "x:5"]));
    assert_eq!(v["report"]["state"]["state"], "forwarded", "{v}");
    assert!(v["report"]["state"]["tracking_id"].is_string(), "{v}");
    // the dashboard counts it as forwarded today
    let d = get(&site.app, "/dashboard?days=7", Some(&s)).await;
    assert!(d.body.contains("Diteruskan (7 hari)"));
}
