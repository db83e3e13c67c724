//! `dengar forward`, `reports`, `sync` and `nightly` against a mock LAPOR receiver on
//! 127.0.0.1: each report recorded once on the receiver's side and once as forwarded in our
//! store, through retries, refusals, a dead endpoint, timeouts and a process killed between
//! send and receipt.

use crate::util::forward::{lapor_config, seed, text, Env, Mode, Protocol, Receiver, Seed};
use dengar::model::{ReportState, Status};
use std::time::Duration;

const JALAN: Seed = Seed {
    id: "101",
    text: "jalan berlubang di jl kayu tangi 2, sudah seminggu gak diperbaiki",
    agency: "dinas-pupr",
    merged_into: None,
};
const JALAN_JUGA: Seed = Seed {
    id: "102",
    text: "betul pak, Jl. Kayu Tangi 2 depan SDN rusak parah, motor saya jatuh kemarin",
    agency: "dinas-pupr",
    merged_into: Some("101"),
};
const SAMPAH: Seed = Seed {
    id: "103",
    text: "Sampah menumpuk di TPS Kelayan Tengah sejak 3 hari yang lalu",
    agency: "dlh",
    merged_into: None,
};

fn count_forward_entries(env: &Env, item: &str) -> usize {
    env.store()
        .audit(Some(item))
        .unwrap()
        .iter()
        .filter(|e| e.to == Some(Status::Forwarded))
        .count()
}

#[test]
fn each_report_is_forwarded_once_with_its_receipt() {
    let rx = Receiver::start(Protocol::Lapor);
    let env = Env::new(&lapor_config(&rx.url("/api/laporan"), ""));
    let ids = seed(&env.data(), &[JALAN, JALAN_JUGA, SAMPAH]);

    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // the merged post joins the main one: two reports
    assert_eq!(rx.recorded().len(), 2, "{}", text(&o));
    assert_eq!(rx.posts(), 2);
    assert!(rx
        .auth_headers()
        .iter()
        .all(|a| a == "Bearer rahasia-token-uji"));
    assert!(!String::from_utf8_lossy(&o.stdout).contains("rahasia-token-uji"));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("rahasia-token-uji"));

    let bodies: Vec<serde_json::Value> = rx
        .bodies()
        .iter()
        .map(|b| serde_json::from_str(b).unwrap())
        .collect();
    let jalan = bodies
        .iter()
        .find(|b| b["kategori"] == "Infrastruktur")
        .expect("the road report");
    assert_eq!(jalan["judul"], "Jalan berlubang di Jl. Kayu Tangi 2");
    assert_eq!(jalan["klasifikasi"], "pengaduan");
    assert_eq!(jalan["anonim"], true);
    assert_eq!(jalan["tanggal_kejadian"], "2026-11-13");
    assert!(jalan["lokasi"]
        .as_str()
        .unwrap()
        .starts_with("Jl. Kayu Tangi 2"));
    let isi = jalan["isi"].as_str().unwrap();
    assert!(
        isi.contains("motor saya jatuh kemarin") && isi.contains("media sosial"),
        "{isi}"
    );
    assert_eq!(jalan["sumber"].as_array().unwrap().len(), 2);
    // the author's handle is only in the links the body must carry, never as a name
    let without_links: String = isi
        .split_whitespace()
        .filter(|w| !w.contains("https://"))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        !without_links.contains("warga0"),
        "the author is not named: {isi}"
    );

    {
        let store = env.store();
        for id in &ids {
            assert_eq!(
                store.get(id).unwrap().unwrap().status,
                Status::Forwarded,
                "{id}"
            );
            let rec = store.report_for_item(id).unwrap().unwrap();
            assert!(rec.tracking_id().unwrap().starts_with("LAP-"));
        }
        let outbox = store.outbox().unwrap();
        assert_eq!(outbox.list(Some("forwarded")).unwrap().len(), 2);
    }
    for id in &ids {
        assert_eq!(count_forward_entries(&env, id), 1, "{id}");
    }

    // a second run has nothing to send
    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(rx.posts(), 2);
    let o = env.run(&["reports", "list", "--status", "forwarded"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(
        out.contains("LAP-0001") && out.contains("LAP-0002"),
        "{out}"
    );
}

#[test]
fn a_500_then_200_is_retried_with_the_same_key() {
    let rx = Receiver::start(Protocol::Lapor);
    rx.set_mode(Mode::FailNext(2, 503));
    let env = Env::new(&lapor_config(&rx.url("/api/laporan"), ""));
    let ids = seed(&env.data(), &[SAMPAH]);
    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let keys = rx.keys();
    assert_eq!(keys.len(), 3);
    assert!(
        keys.iter().all(|k| k == &keys[0] && k.starts_with("dgr-")),
        "{keys:?}"
    );
    assert_eq!(rx.recorded().len(), 1);
    let rec = env.store().report_for_item(&ids[0]).unwrap().unwrap();
    assert_eq!(rec.id, keys[0]);
    assert_eq!(rec.attempts, 3);
    assert_eq!(rec.tracking_id(), Some("LAP-0001"));
}

#[test]
fn a_refusal_is_kept_for_staff_and_not_resent_until_requeued() {
    let rx = Receiver::start(Protocol::Lapor);
    rx.set_mode(Mode::Reject(
        422,
        "kategori tidak terdaftar pada instansi".into(),
    ));
    let env = Env::new(&lapor_config(&rx.url("/api/laporan"), ""));
    let ids = seed(&env.data(), &[SAMPAH]);

    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("kategori tidak terdaftar"));
    assert_eq!(rx.posts(), 1, "a 4xx is not retried");
    {
        let store = env.store();
        let rec = store.report_for_item(&ids[0]).unwrap().unwrap();
        assert_eq!(rec.state.name(), "failed-permanent");
        assert!(rec
            .receiver_message()
            .unwrap()
            .contains("kategori tidak terdaftar pada instansi"));
        assert_eq!(
            store.get(&ids[0]).unwrap().unwrap().status,
            Status::Reported
        );
    }
    let o = env.run(&["reports", "list", "--status", "failed"]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("kategori tidak terdaftar"),
        "{}",
        text(&o)
    );

    // the next run leaves it alone
    rx.set_mode(Mode::Ok);
    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(rx.posts(), 1);

    // staff requeue it: it goes out and is confirmed
    let o = env.run(&["reports", "requeue", &ids[0], "--by", "rina"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(rx.recorded().len(), 1);
    assert_eq!(
        env.store().get(&ids[0]).unwrap().unwrap().status,
        Status::Forwarded
    );
}

#[test]
fn a_dead_endpoint_is_reported_and_nightly_still_finishes() {
    let port = crate::util::forward::dead_port();
    let env = Env::new(&lapor_config(
        &format!("http://127.0.0.1:{port}/api/laporan"),
        "timeout_ms = 2000",
    ));
    let ids = seed(&env.data(), &[JALAN, SAMPAH]);
    let o = env.run(&["nightly"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("receiver unavailable"), "{out}");
    assert!(out.contains("classified"), "the other stages ran: {out}");
    let store = env.store();
    let outbox = store.outbox().unwrap();
    assert_eq!(outbox.list(Some("ready")).unwrap().len(), 2);
    for id in &ids {
        assert_eq!(store.get(id).unwrap().unwrap().status, Status::Reported);
    }
}

#[test]
fn a_timeout_is_retried_next_run_and_recorded_once() {
    let rx = Receiver::start(Protocol::Lapor);
    rx.set_mode(Mode::Slow(Duration::from_secs(3)));
    let mut cfg = lapor_config(&rx.url("/api/laporan"), "timeout_ms = 300");
    cfg = cfg.replace("max_attempts = 3", "max_attempts = 1");
    let env = Env::new(&cfg);
    let ids = seed(&env.data(), &[SAMPAH]);
    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    {
        let rec = env.store().report_for_item(&ids[0]).unwrap().unwrap();
        assert_eq!(rec.state.name(), "failed-retryable", "{:?}", rec.state);
        assert!(rec.receiver_message().unwrap().contains("300 ms"));
    }
    // the receiver did record it (the answer was late): the resend with the same key
    // gets the same tracking id, not a second report
    rx.set_mode(Mode::Ok);
    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(rx.posts(), 2);
    assert_eq!(rx.recorded().len(), 1);
    let rec = env.store().report_for_item(&ids[0]).unwrap().unwrap();
    assert_eq!(rec.tracking_id(), Some("LAP-0001"));
    assert_eq!(count_forward_entries(&env, &ids[0]), 1);
}

#[test]
fn killed_between_send_and_receipt_is_forwarded_exactly_once() {
    let rx = Receiver::start(Protocol::Lapor);
    rx.set_mode(Mode::Stall);
    let env = Env::new(&lapor_config(&rx.url("/api/laporan"), "timeout_ms = 60000"));
    let ids = seed(&env.data(), &[JALAN, JALAN_JUGA]);

    let mut child = env.spawn_until_posted(&["forward"], &rx, 1);
    child.kill().unwrap();
    child.wait().unwrap();
    // the receiver has the report; we have no receipt
    assert_eq!(rx.recorded().len(), 1);
    {
        let store = env.store();
        let rec = store.report_for_item(&ids[0]).unwrap().unwrap();
        assert!(
            matches!(rec.state, ReportState::Sending { .. }),
            "{:?}",
            rec.state
        );
        for id in &ids {
            assert_eq!(store.get(id).unwrap().unwrap().status, Status::Reported);
        }
    }

    rx.set_mode(Mode::Ok);
    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let keys = rx.keys();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1], "the resend uses the same idempotency key");
    assert_eq!(
        rx.recorded().len(),
        1,
        "recorded once on the receiver's side"
    );
    {
        let store = env.store();
        let outbox = store.outbox().unwrap();
        let forwarded = outbox.list(Some("forwarded")).unwrap();
        assert_eq!(forwarded.len(), 1);
        assert_eq!(forwarded[0].tracking_id(), Some("LAP-0001"));
        assert_eq!(forwarded[0].attempts, 2);
    }
    for id in &ids {
        assert_eq!(count_forward_entries(&env, id), 1, "{id}");
    }
    // and nothing more on a third run
    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(rx.posts(), 2);
}

#[test]
fn sync_records_status_changes() {
    let rx = Receiver::start(Protocol::Lapor);
    let env = Env::new(&lapor_config(
        &rx.url("/api/laporan"),
        &format!("status_url = \"{}\"", rx.url("/api/laporan/{tracking_id}")),
    ));
    let ids = seed(&env.data(), &[SAMPAH]);
    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    rx.set_status("LAP-0001", "proses", "diteruskan ke DLH");
    let o = env.run(&["sync", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["changed"], 1);
    let o = env.run(&["sync", "--json"]);
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["changed"], 0, "no change, nothing recorded");
    rx.set_status("LAP-0001", "selesai", "sampah sudah diangkut");
    env.run(&["sync"]);

    let store = env.store();
    let rec = store.report_for_item(&ids[0]).unwrap().unwrap();
    let statuses: Vec<&str> = rec.remote.iter().map(|s| s.status.as_str()).collect();
    assert_eq!(statuses, ["proses", "selesai"]);
    assert_eq!(
        rec.remote_status().unwrap().note.as_deref(),
        Some("sampah sudah diangkut")
    );
    let syncs = store
        .audit(Some(&ids[0]))
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "sync")
        .count();
    assert_eq!(syncs, 2);
}

#[test]
fn dry_run_shows_the_request_and_changes_nothing() {
    let rx = Receiver::start(Protocol::Lapor);
    let env = Env::new(&lapor_config(&rx.url("/api/laporan"), ""));
    let ids = seed(&env.data(), &[JALAN]);
    // no token is needed to see what would be sent
    let o = crate::util::forward::output(
        env.cmd(&["forward", "--dry-run"])
            .env_remove("DENGAR_LAPOR_TOKEN"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("POST http://"), "{out}");
    assert!(out.contains("Jalan berlubang di Jl. Kayu Tangi 2"), "{out}");
    assert!(!out.contains("rahasia-token-uji"), "{out}");
    assert_eq!(rx.posts(), 0);
    let store = env.store();
    assert_eq!(
        store.get(&ids[0]).unwrap().unwrap().status,
        Status::Accepted
    );
    assert!(store.outbox().unwrap().is_empty());
}

#[test]
fn report_shows_the_draft_and_a_missing_token_is_named() {
    let rx = Receiver::start(Protocol::Lapor);
    let env = Env::new(&lapor_config(&rx.url("/api/laporan"), ""));
    let ids = seed(&env.data(), &[JALAN, JALAN_JUGA]);
    let o = env.run(&["report", &ids[0]]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("judul:            Jalan berlubang di Jl. Kayu Tangi 2"),
        "{out}"
    );
    assert!(out.contains("lokasi:           Jl. Kayu Tangi 2"), "{out}");
    assert!(out.contains("x:101, x:102"), "{out}");
    assert!(out.contains("anonim:           ya"), "{out}");

    let o = crate::util::forward::output(env.cmd(&["forward"]).env_remove("DENGAR_LAPOR_TOKEN"));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("DENGAR_LAPOR_TOKEN"),
        "{}",
        text(&o)
    );
    assert_eq!(rx.posts(), 0);
    // the report waits, drafted, for a run with the token
    let o = env.run(&["reports", "list", "--status", "ready"]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("dinas-pupr"),
        "{}",
        text(&o)
    );
}

#[test]
fn a_post_merged_before_the_report_leaves_joins_it_and_a_later_one_stands_alone() {
    let rx = Receiver::start(Protocol::Lapor);
    let env = Env::new(&lapor_config(&rx.url("/api/laporan"), ""));
    let main = seed(&env.data(), &[JALAN]);
    // no token yet: the report is drafted and waits
    let o = crate::util::forward::output(env.cmd(&["forward"]).env_remove("DENGAR_LAPOR_TOKEN"));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert_eq!(rx.posts(), 0);
    let late = seed(&env.data(), &[JALAN_JUGA]);
    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(rx.recorded().len(), 1);
    let body: serde_json::Value = serde_json::from_str(&rx.bodies()[0]).unwrap();
    assert!(body["isi"]
        .as_str()
        .unwrap()
        .contains("motor saya jatuh kemarin"));
    assert_eq!(body["sumber"].as_array().unwrap().len(), 2);
    {
        let store = env.store();
        let a = store.report_for_item(&main[0]).unwrap().unwrap();
        let b = store.report_for_item(&late[0]).unwrap().unwrap();
        assert_eq!(a.id, b.id);
        assert_eq!(a.items.len(), 2);
    }
    // merged after the report left: its own report, not a change to the one sent
    const LATER: Seed = Seed {
        id: "104",
        text: "jalan di Jl. Kayu Tangi 2 makin parah, sudah 2 minggu",
        agency: "dinas-pupr",
        merged_into: Some("101"),
    };
    let later = seed(&env.data(), &[LATER]);
    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(rx.recorded().len(), 2);
    let store = env.store();
    let c = store.report_for_item(&later[0]).unwrap().unwrap();
    assert_ne!(c.id, store.report_for_item(&main[0]).unwrap().unwrap().id);
    assert_eq!(
        store.get(&later[0]).unwrap().unwrap().status,
        Status::Forwarded
    );
}

#[test]
fn a_crash_between_drafting_and_moving_the_items_is_repaired() {
    let rx = Receiver::start(Protocol::Lapor);
    let env = Env::new(&lapor_config(&rx.url("/api/laporan"), ""));
    let ids = seed(&env.data(), &[SAMPAH]);
    // what a run that died right after entering the report leaves behind: a ready report whose
    // item is still `accepted`
    {
        let store = env.store();
        let item = store.get(&ids[0]).unwrap().unwrap();
        let catalog = dengar::catalog::Catalog::embedded();
        let draft = dengar::pipeline::forward::draft_group(&catalog, &[&item]).unwrap();
        let id = dengar::store::Outbox::report_id(&ids[0]);
        assert!(store
            .outbox()
            .unwrap()
            .insert_new(&id, &ids[0], &ids, draft)
            .unwrap());
        store.flush().unwrap();
    }
    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(rx.recorded().len(), 1);
    let store = env.store();
    assert_eq!(store.outbox().unwrap().len(), 1);
    assert_eq!(
        store.get(&ids[0]).unwrap().unwrap().status,
        Status::Forwarded
    );
    let moves: Vec<_> = store
        .audit(Some(&ids[0]))
        .unwrap()
        .into_iter()
        .filter_map(|e| e.to)
        .collect();
    assert_eq!(
        moves,
        [
            Status::Flagged,
            Status::Accepted,
            Status::Reported,
            Status::Forwarded
        ]
    );
}
