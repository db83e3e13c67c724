//! Backup and restore through the binary: every tree of the store (posts, review states and the
//! queue index, cursors, audit log, run records, the report outbox, and trees standing in for
//! modules added later, such as users) survives byte for byte; restore refuses a directory that
//! is not empty and a truncated file.

use crate::ops_util::*;
use std::collections::BTreeMap;
use std::path::Path;

type Dump = BTreeMap<Vec<u8>, Vec<(Vec<u8>, Vec<u8>)>>;

fn dump(dir: &Path) -> Dump {
    let store = open_store(dir);
    let db = store.db();
    let mut out = BTreeMap::new();
    for name in db.tree_names() {
        let kvs = db
            .open_tree(&name)
            .unwrap()
            .iter()
            .map(|kv| {
                let (k, v) = kv.unwrap();
                (k.to_vec(), v.to_vec())
            })
            .collect();
        out.insert(name.to_vec(), kvs);
    }
    out
}

#[test]
fn every_tree_survives_backup_and_restore_byte_for_byte() {
    let inst = Install::harvested(15, "");
    let flagged = ids_with_status(&inst.exported(), "flagged");
    inst.run_ok(
        &[
            "review",
            &flagged[0],
            "--reject",
            "duplicate",
            "--by",
            "rina",
        ],
        0,
    );
    inst.run_ok(&["review", &flagged[1], "--accept", "--by", "rina"], 0);
    inst.run_ok(&["nightly"], 0);
    {
        let store = open_store(&inst.data_dir());
        store
            .set_cursor("x:mentions:pemkot_bjm", "1790000000000000001")
            .unwrap();
        // stand-ins for trees other modules keep: users with binary keys, anything at all
        let users = store.tree("users").unwrap();
        users
            .insert(
                b"rina",
                &b"{\"role\":\"admin\",\"hash\":\"$argon2id$v=19$...\"}"[..],
            )
            .unwrap();
        store
            .tree("sessions")
            .unwrap()
            .insert([0u8, 255, 7, 13, 10], vec![0u8; 300])
            .unwrap();
        store.tree("empty-later").unwrap();
        store.flush().unwrap();
    }
    let before = dump(&inst.data_dir());
    for tree in [
        "items", "queue", "audit", "cursors", "runs", "users", "sessions", "meta",
    ] {
        assert!(before.contains_key(tree.as_bytes()), "no tree {tree}");
    }
    assert!(
        before.keys().any(|k| k.starts_with(b"outbox")),
        "the forward stage's outbox"
    );

    let file = inst.path("backup.jsonl.gz");
    let o = inst.run_ok(&["backup", file.to_str().unwrap()], 0);
    assert!(stdout(&o).contains("records in"), "{}", stdout(&o));
    assert!(!inst.path("backup.jsonl.gz.partial").exists());

    // into a new directory
    let target = inst.path("restored");
    let r = std::process::Command::new(bin())
        .args([
            "restore",
            file.to_str().unwrap(),
            "--data-dir",
            target.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(code(&r), 0, "{}", stderr(&r));
    assert_eq!(dump(&target), before);

    // the restored installation works: status reads it, a new run appends without clobbering
    let restored = |args: &[&str]| {
        std::process::Command::new(bin())
            .arg("--data-dir")
            .arg(&target)
            .arg("--config")
            .arg(inst.path("config.toml"))
            .args(args)
            .output()
            .unwrap()
    };
    let s = restored(&["status"]);
    assert!(stdout(&s).contains("last run    #2"), "{}", stdout(&s));
    let audit_before = before[b"audit".as_slice()].len();
    assert_eq!(code(&restored(&["nightly"])), 0);
    let after = dump(&target);
    assert!(after[b"audit".as_slice()].len() > audit_before);
    for (k, v) in &before[b"audit".as_slice()] {
        assert!(
            after[b"audit".as_slice()].contains(&(k.clone(), v.clone())),
            "an audit entry was overwritten"
        );
    }
}

#[test]
fn restore_refuses_non_empty_directories_and_broken_files() {
    let inst = Install::harvested(3, "");
    let backup = inst.path("b.gz");
    inst.run_ok(&["backup", backup.to_str().unwrap()], 0);

    let busy = inst.path("busy");
    std::fs::create_dir_all(&busy).unwrap();
    std::fs::write(busy.join("something"), b"x").unwrap();
    let o = std::process::Command::new(bin())
        .args([
            "restore",
            backup.to_str().unwrap(),
            "--data-dir",
            busy.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("is not empty"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_dir(&busy).unwrap().count(),
        1,
        "nothing was touched"
    );

    // a backup cut short
    let bytes = std::fs::read(&backup).unwrap();
    let cut = inst.write("cut.gz", &bytes[..bytes.len() / 2]);
    let empty = inst.path("empty");
    let o = std::process::Command::new(bin())
        .args([
            "restore",
            cut.to_str().unwrap(),
            "--data-dir",
            empty.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(
        std::fs::read_dir(&empty).map(|d| d.count()).unwrap_or(0) == 0,
        "a failed restore leaves the directory empty"
    );
}
