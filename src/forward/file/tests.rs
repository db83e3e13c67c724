//! File forwarder tests: both files written once, formula-safe CSV, torn lines survived.

use super::*;
use crate::forward::forwarder::Forwarder;
use crate::forward::testing::{outgoing, quick_policy};

#[tokio::test]
async fn writes_each_report_once() {
    let dir = tempfile::tempdir().unwrap();
    let f = FileForwarder::build(&FileConfig::default(), dir.path(), quick_policy(1));
    f.healthcheck().await.unwrap();
    let a = f.send(&outgoing("dgr-a")).await.unwrap();
    let b = f.send(&outgoing("dgr-b")).await.unwrap();
    let again = f.send(&outgoing("dgr-a")).await.unwrap();
    assert_eq!(a.tracking_id, "file:laporan.jsonl#1");
    assert_eq!(b.tracking_id, "file:laporan.jsonl#2");
    assert_eq!(again, a);
    let jsonl = std::fs::read_to_string(dir.path().join("laporan/laporan.jsonl")).unwrap();
    assert_eq!(jsonl.lines().count(), 2);
    let row: FileRow = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(row.id, "dgr-a");
    assert_eq!(row.tanggal_kejadian.as_deref(), Some("2026-11-13"));
    let mut rdr = csv::Reader::from_path(dir.path().join("laporan/laporan.csv")).unwrap();
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        CSV_HEADER
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][0], "dgr-a");
    assert_eq!(&rows[0][8], "ya");
}

#[tokio::test]
async fn formulas_in_post_text_are_defused() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = FileConfig {
        dir: Some(dir.path().to_path_buf()),
        formats: vec![FileFormat::Csv],
    };
    let f = FileForwarder::build(&cfg, dir.path(), quick_policy(1));
    let mut o = outgoing("dgr-f");
    o.draft.judul = "=HYPERLINK(\"http://evil\")".into();
    let r = f.send(&o).await.unwrap();
    assert_eq!(r.tracking_id, "file:laporan.csv#1");
    let mut rdr = csv::Reader::from_path(dir.path().join("laporan.csv")).unwrap();
    let row = rdr.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "'=HYPERLINK(\"http://evil\")");
    assert!(!dir.path().join("laporan.jsonl").exists());
}

#[tokio::test]
async fn a_torn_last_line_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = FileConfig {
        dir: Some(dir.path().to_path_buf()),
        formats: vec![FileFormat::Jsonl],
    };
    let f = FileForwarder::build(&cfg, dir.path(), quick_policy(1));
    f.send(&outgoing("dgr-1")).await.unwrap();
    let path = dir.path().join("laporan.jsonl");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("{\"id\":\"dgr-2\",\"jud");
    std::fs::write(&path, text).unwrap();
    let r = f.send(&outgoing("dgr-2")).await.unwrap();
    assert_eq!(r.tracking_id, "file:laporan.jsonl#2");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 2);
    for line in text.lines() {
        serde_json::from_str::<FileRow>(line).unwrap();
    }
}
