//! With no `[forward]` section, accepted reports go to CSV and JSONL files in the data
//! directory for manual entry in LAPOR, once each.

use crate::util::forward::{seed, text, Env, Seed};
use dengar::model::Status;

#[test]
fn default_target_writes_files_once() {
    let env = Env::new("");
    let ids = seed(
        &env.data(),
        &[
            Seed {
                id: "301",
                text: "=1+1 banjir di Jl. Veteran, air masuk rumah",
                agency: "bpbd",
                merged_into: None,
            },
            Seed {
                id: "302",
                text: "mohon info jadwal fogging di Kelayan Dalam?",
                agency: "dinkes",
                merged_into: None,
            },
        ],
    );
    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = env.run(&["forward"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    let dir = env.data().join("laporan");
    let jsonl = std::fs::read_to_string(dir.join("laporan.jsonl")).unwrap();
    assert_eq!(jsonl.lines().count(), 2, "{jsonl}");
    let rows: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let info = rows
        .iter()
        .find(|r| r["isi"].as_str().unwrap().contains("fogging"))
        .expect("the dinkes report");
    assert_eq!(info["klasifikasi"], "permintaan_informasi");
    assert_eq!(
        info["lokasi"],
        "Kel. Kelayan Dalam, Kec. Banjarmasin Selatan"
    );
    let mut rdr = csv::Reader::from_path(dir.join("laporan.csv")).unwrap();
    let records: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 2);
    assert!(records
        .iter()
        .all(|r| r.iter().all(|c| !c.starts_with('='))));

    let store = env.store();
    for id in &ids {
        assert_eq!(store.get(id).unwrap().unwrap().status, Status::Forwarded);
        let rec = store.report_for_item(id).unwrap().unwrap();
        assert!(rec
            .tracking_id()
            .unwrap()
            .starts_with("file:laporan.jsonl#"));
    }
}

#[test]
fn target_flag_overrides_the_configured_receiver() {
    let port = crate::util::forward::dead_port();
    let env = Env::new(&crate::util::forward::lapor_config(
        &format!("http://127.0.0.1:{port}/api/laporan"),
        "",
    ));
    let ids = seed(
        &env.data(),
        &[Seed {
            id: "311",
            text: "lampu PJU di Gg. Sepakat mati",
            agency: "disperkim",
            merged_into: None,
        }],
    );
    let o = env.run(&["forward", "--target", "file"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let rec = env.store().report_for_item(&ids[0]).unwrap().unwrap();
    assert_eq!(rec.target.as_deref(), Some("file"));
    assert!(env.data().join("laporan/laporan.csv").exists());
    let o = env.run(&["forward", "--target", "email"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown target `email`"));
}
