//! The page in a real headless Chromium driven over WebDriver (fantoccini): log in, move with
//! `j`, accept with `a`, see the item leave the queue, accept on the item page and undo, and
//! find the decisions in the audit log.
//!
//! Needs `chromedriver` and `chromium` (Debian: `apt-get install chromium chromium-driver`);
//! without them the test prints why and passes. Set `DENGAR_SCREENSHOT_DIR` to also save PNG
//! screenshots of the queue and an item page.

use super::util::*;
use dengar::model::{Platform, Post, Prediction, Reason, Status};
use dengar::store::{Store, Transition};
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(name))
                .find(|f| f.is_file())
        })
        .unwrap_or(None)
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One demo item: native id, platform, author, text, hours ago, complaint probability, urgent,
/// agency, near-duplicate group.
type Demo = (
    &'static str,
    Platform,
    &'static str,
    &'static str,
    i64,
    f32,
    bool,
    &'static str,
    Option<&'static str>,
);

/// The demo items: hand-written complaints in the shapes the pipeline stores.
fn seed_demo(store: &Store) {
    let items: [Demo; 14] = [
        ("1", Platform::X, "warga_kayutangi", "@pupr_bjm jalan di Jl. Kayu Tangi 2 rusak parah, lubangnya dalam dan sudah dua motor jatuh minggu ini. Mohon segera diperbaiki sebelum ada korban", 3, 0.94, false, "dinas-pupr", None),
        ("2", Platform::Instagram, "ibu.rahmah", "Banjir rob masuk rumah warga RT 05 Sungai Bilu sejak subuh, air sudah selutut dan ada lansia yang belum bisa dievakuasi. Tolong bantu!", 1, 0.88, true, "bpbd", None),
        ("3", Platform::Facebook, "Rudi Hartono", "Sampah di TPS Pasar Lama menumpuk sampai ke badan jalan, bau sekali dan sudah tiga hari belum diangkut", 5, 0.83, false, "dlh", Some("tps-pasar-lama")),
        ("4", Platform::X, "bjm_pengendara", "Sampah TPS Pasar Lama belum diangkut juga, pengendara harus lewat di atas tumpukan sampah", 4, 0.80, false, "dlh", Some("tps-pasar-lama")),
        ("5", Platform::Instagram, "anak_sungai_andai", "TPS Pasar Lama bau banget, sampah meluber ke jalan. Kapan diangkut?", 7, 0.76, false, "dlh", Some("tps-pasar-lama")),
        ("6", Platform::X, "pejalan_malam", "Lampu PJU di Gg. Sepakat mati total sudah seminggu, gelap dan rawan jambret", 9, 0.86, false, "disperkim", None),
        ("7", Platform::Facebook, "Siti Aisyah", "Air PDAM di Kelayan keruh dan berbau sejak kemarin, tidak bisa dipakai masak", 12, 0.81, false, "pdam", None),
        ("8", Platform::X, "ojol_bjm", "Lampu lalu lintas di simpang Jl. A. Yani km 3 mati, macet parah dan hampir tabrakan", 2, 0.79, true, "dishub", None),
        ("9", Platform::Youtube, "Warga Teluk Dalam", "Drainase di Teluk Dalam tersumbat, tiap hujan sebentar langsung tergenang", 26, 0.74, false, "dinas-pupr", None),
        ("10", Platform::Instagram, "mamah_alya", "Antrean di puskesmas Cempaka lama sekali, dari jam 7 baru dipanggil jam 12", 30, 0.69, false, "dinkes", None),
        ("11", Platform::Mastodon, "dangsanak", "Pedagang kaki lima menutup trotoar di depan Pasar Sudimampir, pejalan kaki terpaksa turun ke jalan", 50, 0.66, false, "satpolpp", None),
        ("12", Platform::X, "ortu_ppdb", "Website PPDB tidak bisa dibuka dari pagi, padahal hari terakhir pendaftaran", 75, 0.64, false, "disdik", None),
        ("13", Platform::Facebook, "Pak Darmawan", "Pohon tumbang di Jl. Veteran menutup separuh jalan, belum ada petugas datang", 6, 0.71, true, "dlh", None),
        ("14", Platform::Instagram, "kk_baru", "Sudah dua bulan KK belum jadi, tiap ditanya ke kelurahan disuruh menunggu", 170, 0.62, false, "disdukcapil", None),
    ];
    let cues = [
        "rusak",
        "banjir",
        "sampah",
        "mati",
        "keruh",
        "tersumbat",
        "tergenang",
        "macet",
        "tumbang",
        "lama",
        "belum",
    ];
    for (n, platform, handle, text, hours, score, urgent, agency, group) in items {
        let post = Post {
            platform,
            native_id: format!("17{n:0>5}"),
            author_id: format!("a{n}"),
            author_handle: handle.to_string(),
            text: text.to_string(),
            created_at: ago(hours),
            url: Some(format!("https://www.{}.com/p/17{n:0>5}", platform.as_str())),
            reply_to: None,
            account: Some("pemkot_bjm".to_string()),
            raw: None,
        };
        store.insert_post(&post).unwrap();
        let lower = text.to_lowercase();
        let reasons: Vec<Reason> = cues
            .iter()
            .filter_map(|c| {
                lower.find(c).map(|i| Reason {
                    feature: c.to_string(),
                    weight: 0.8 + c.len() as f32 / 10.0,
                    span: Some((i, i + c.len())),
                })
            })
            .collect();
        let p = Prediction {
            model_id: "complaint-2026.11".into(),
            complaint: true,
            complaint_score: score,
            agency: Some(agency.to_string()),
            agency_scores: vec![
                (agency.to_string(), 0.74),
                ("dinas-pupr".into(), 0.12),
                ("lainnya".into(), 0.06),
            ],
            urgency: if urgent { 0.91 } else { 0.12 },
            urgent,
            dup_group: group.map(str::to_string),
            reasons,
        };
        store
            .transition(
                &post.id().0,
                Transition::new(Status::Flagged, "dengar", "classify").prediction(p),
            )
            .unwrap();
    }
}

/// Decided history over the last four weeks (dismissed, rejected, accepted, reported,
/// forwarded), so the dashboard has something to draw. None of it is in the flagged queue.
fn seed_history(store: &Store) {
    let agencies = [
        "dinas-pupr",
        "dlh",
        "pdam",
        "disperkim",
        "dishub",
        "bpbd",
        "dinkes",
        "satpolpp",
    ];
    let texts = [
        "Jalan berlubang di Jl. Pramuka belum ditambal",
        "Sampah di TPS Kuin menumpuk lagi",
        "Air PDAM mati sejak pagi di Pekapuran",
        "Lampu jalan mati di Jl. Sultan Adam",
        "Parkir liar di depan Duta Mall bikin macet",
        "Genangan setinggi lutut di Jl. Belitung",
        "Terima kasih Pemko, taman kota makin bagus",
        "Selamat hari jadi Kota Banjarmasin!",
    ];
    let at = |t: chrono::DateTime<chrono::Utc>, tr: Transition| {
        let mut tr = tr;
        tr.at = Some(t);
        tr
    };
    for i in 0..160u32 {
        let created = ago(i64::from(i * 4 + 2));
        let agency = agencies[(i as usize * 7) % agencies.len()];
        let post = Post {
            platform: Platform::ALL[(i % 5) as usize],
            native_id: format!("h{i}"),
            author_id: format!("h{i}"),
            author_handle: format!("warga_{i}"),
            text: format!("{} ({i})", texts[(i as usize) % texts.len()]),
            created_at: created,
            url: None,
            reply_to: None,
            account: Some("pemkot_bjm".into()),
            raw: None,
        };
        store.insert_post(&post).unwrap();
        let id = post.id().0;
        let dismissed = i % 5 == 0 || i % 7 == 0;
        let score = if dismissed {
            0.08 + (i % 40) as f32 / 100.0
        } else {
            0.52 + (i % 47) as f32 / 100.0
        };
        let p = Prediction {
            model_id: "complaint-2026.11".into(),
            complaint: !dismissed,
            complaint_score: score,
            agency: Some(agency.into()),
            agency_scores: vec![(agency.into(), 0.7)],
            urgency: 0.1,
            urgent: false,
            dup_group: None,
            reasons: vec![],
        };
        let h = |hours: i64| created + chrono::Duration::hours(hours);
        if dismissed {
            store
                .transition(
                    &id,
                    at(
                        h(1),
                        Transition::new(Status::Dismissed, "dengar", "classify").prediction(p),
                    ),
                )
                .unwrap();
            continue;
        }
        store
            .transition(
                &id,
                at(
                    h(1),
                    Transition::new(Status::Flagged, "dengar", "classify").prediction(p),
                ),
            )
            .unwrap();
        if i % 6 == 1 {
            store
                .transition(
                    &id,
                    at(
                        h(9),
                        Transition::new(Status::Rejected, "sari", "reject").why("Bukan aduan"),
                    ),
                )
                .unwrap();
            continue;
        }
        let decision = dengar::model::Decision {
            by: "sari".into(),
            agency: Some(agency.into()),
            ..Default::default()
        };
        store
            .transition(
                &id,
                at(
                    h(6 + i64::from(i % 20)),
                    Transition::new(Status::Accepted, "sari", "accept").decision(decision),
                ),
            )
            .unwrap();
        if i % 4 != 3 {
            store
                .transition(
                    &id,
                    at(h(30), Transition::new(Status::Reported, "dengar", "report")),
                )
                .unwrap();
            store
                .transition(
                    &id,
                    at(
                        h(32 + i64::from(i % 30)),
                        Transition::new(Status::Forwarded, "dengar", "forward"),
                    ),
                )
                .unwrap();
        }
    }
}

async fn wait_for_port(addr: &str) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

async fn wait_el(c: &Client, css: &str) -> fantoccini::elements::Element {
    match c
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css(css))
        .await
    {
        Ok(e) => e,
        Err(e) => {
            let url = c
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let src = c.source().await.unwrap_or_default();
            panic!(
                "{css} not found ({e}) at {url}:\n{}",
                &src[..src.len().min(3000)]
            );
        }
    }
}

async fn current_id(c: &Client) -> String {
    c.find(Locator::Css("table.queue tr.current"))
        .await
        .unwrap()
        .attr("data-id")
        .await
        .unwrap()
        .unwrap()
}

async fn press(c: &Client, key: &str) {
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(key)
        .await
        .unwrap();
}

async fn wait_url(c: &Client, contains: &str) -> String {
    let start = Instant::now();
    loop {
        let url = c.current_url().await.unwrap().to_string();
        if url.contains(contains) {
            return url;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "timed out waiting for {contains} (at {url})"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn screenshot(c: &Client, name: &str) {
    if let Some(dir) = std::env::var_os("DENGAR_SCREENSHOT_DIR") {
        let png = c.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(PathBuf::from(dir).join(name), png).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviewer_clears_the_queue_with_the_keyboard() {
    let Some(chromedriver) = find_on_path("chromedriver") else {
        eprintln!("skipping the browser test: chromedriver not found on PATH (apt-get install chromium chromium-driver)");
        return;
    };
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|b| find_on_path(b))
    else {
        eprintln!("skipping the browser test: no chromium on PATH (apt-get install chromium chromium-driver)");
        return;
    };
    // fantoccini and reqwest both bring rustls; pick its provider explicitly.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let site = site();
    seed_demo(&site.store);
    seed_history(&site.store);
    site.state.index.refresh().unwrap();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = site.app.clone();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _driver = Driver(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    assert!(
        wait_for_port(&format!("127.0.0.1:{port}")).await,
        "chromedriver did not listen"
    );
    let profile = tempfile::tempdir().unwrap();
    let mut opts = serde_json::json!({
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--no-first-run",
            "--window-size=1400,1000", "--lang=id",
            format!("--user-data-dir={}", profile.path().display()),
        ]
    });
    opts["binary"] = serde_json::json!(chromium);
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), opts);
    let c = ClientBuilder::rustls()
        .unwrap()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("WebDriver session");

    let result = async {
        // log in
        c.goto(&format!("{base}/")).await.unwrap();
        wait_url(&c, "/login").await;
        screenshot(&c, "login.png").await;
        c.find(Locator::Id("user"))
            .await
            .unwrap()
            .send_keys("rina")
            .await
            .unwrap();
        c.find(Locator::Id("password"))
            .await
            .unwrap()
            .send_keys(PASSWORD)
            .await
            .unwrap();
        c.find(Locator::Css("button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_el(&c, "table.queue tr.current").await;
        let rows: Vec<String> = {
            let mut v = Vec::new();
            for r in c
                .find_all(Locator::Css("table.queue tbody tr"))
                .await
                .unwrap()
            {
                v.push(r.attr("data-id").await.unwrap().unwrap());
            }
            v
        };
        assert_eq!(
            rows.len(),
            12,
            "14 items, three near-duplicates folded into one line"
        );
        assert_eq!(current_id(&c).await, rows[0]);
        screenshot(&c, "queue.png").await;

        // j moves down, k back up, j again
        press(&c, "j").await;
        assert_eq!(current_id(&c).await, rows[1]);
        press(&c, "j").await;
        press(&c, "k").await;
        assert_eq!(current_id(&c).await, rows[1]);
        let chosen = rows[1].clone();

        // a accepts the current row; the page reloads without it
        press(&c, "a").await;
        wait_url(&c, "ok=accept").await;
        wait_el(&c, "p.notice.good").await;
        let notice = c
            .find(Locator::Css("p.notice.good"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(notice.contains("1 item diterima"), "{notice}");
        let mut after = Vec::new();
        for r in c
            .find_all(Locator::Css("table.queue tbody tr"))
            .await
            .unwrap()
        {
            after.push(r.attr("data-id").await.unwrap().unwrap());
        }
        assert!(!after.contains(&chosen), "{chosen} still in {after:?}");
        assert_eq!(after.len(), 11);
        assert_eq!(
            site.store.get(&chosen).unwrap().unwrap().status,
            Status::Accepted
        );

        // open the folded TPS line, look at it, accept with `a` on the item page: the next opens
        let tps = "facebook:1700003";
        c.goto(&format!("{base}/item/{tps}")).await.unwrap();
        wait_el(&c, "#accept-form").await;
        let dups = c
            .find(Locator::Css("section.related h2"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(dups.contains("Unggahan serupa (2)"), "{dups}");
        screenshot(&c, "item.png").await;
        press(&c, "e").await;
        let focused = c.active_element().await.unwrap().attr("id").await.unwrap();
        assert_eq!(focused.as_deref(), Some("judul"), "e edits the title");
        c.active_element()
            .await
            .unwrap()
            .send_keys("\u{e00c}")
            .await
            .unwrap();
        press(&c, "a").await;
        let next_url = wait_url(&c, "act=accept").await;
        assert!(!next_url.contains(&format!("/item/{tps}?")), "{next_url}");
        assert_eq!(
            site.store.get(tps).unwrap().unwrap().status,
            Status::Accepted
        );
        // u undoes it from the banner
        wait_el(&c, "#undo-last").await;
        press(&c, "u").await;
        wait_url(&c, "act=undo").await;
        assert_eq!(
            site.store.get(tps).unwrap().unwrap().status,
            Status::Flagged
        );

        // the decisions are in the audit log
        c.goto(&format!("{base}/audit?actor=rina")).await.unwrap();
        let table = c
            .find(Locator::Css("table.audit"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(table.contains(&chosen), "{table}");
        assert!(
            table.contains("accept") && table.contains("undo"),
            "{table}"
        );
        assert!(table.contains("Perlu ditinjau → Diterima"), "{table}");
        screenshot(&c, "audit.png").await;

        c.goto(&format!("{base}/dashboard")).await.unwrap();
        wait_el(&c, "figure.chart svg").await;
        screenshot(&c, "dashboard.png").await;

        // the help panel opens with ?
        c.goto(&format!("{base}/")).await.unwrap();
        wait_el(&c, "table.queue tr.current").await;
        press(&c, "?").await;
        let help = c.find(Locator::Id("help")).await.unwrap();
        assert!(help.is_displayed().await.unwrap());
    }
    .await;
    c.close().await.unwrap();
    result
}
