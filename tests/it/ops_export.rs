//! Exports pseudonymise authors with the installation's key (made on first use, mode 0600):
//! the same author gets the same pseudonym, no handle, id or handle-bearing link leaves; only
//! `--reveal-authors` exports real authors, and that is in the audit log.

use crate::ops_util::*;
use serde_json::Value;

#[test]
fn exports_hide_authors_unless_revealed_and_audited() {
    let inst = Install::new();
    let mut posts = posts_jsonl(6, 0);
    // a second post by the same author as post 0
    posts.push_str(
        &posts_jsonl(1, 0)
            .replace("\"9000000\"", "\"9000099\"")
            .replace("status/9000000", "status/9000099"),
    );
    let file = inst.write("posts.jsonl", posts);
    inst.config(&[&file], "");
    inst.run_ok(&["nightly"], 0);

    let hidden = stdout(&inst.run_ok(&["export", "--format", "jsonl"], 0));
    assert!(!hidden.contains("warga_uji"), "{hidden}");
    assert!(!hidden.contains("\"u0\""), "{hidden}");
    let items: Vec<Value> = hidden
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(items.len(), 7);
    let handle_of = |native: &str| {
        items
            .iter()
            .find(|i| i["post"]["native_id"] == native)
            .map(|i| i["post"]["author_handle"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert!(handle_of("9000000").starts_with("anon-"));
    assert_eq!(
        handle_of("9000000"),
        handle_of("9000099"),
        "one author, one pseudonym"
    );
    assert_ne!(handle_of("9000000"), handle_of("9000001"));
    for i in &items {
        let url = i["post"]["url"].as_str().unwrap_or("");
        if i["post"]["platform"] == "x" {
            assert!(url.starts_with("https://x.com/i/status/"), "{url}");
        }
    }
    let csv = stdout(&inst.run_ok(&["export", "--format", "csv"], 0));
    assert!(!csv.contains("warga_uji"), "{csv}");
    // the same key next time
    let again = stdout(&inst.run_ok(&["export", "--format", "jsonl"], 0));
    assert_eq!(again, hidden);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let key = inst.data_dir().join("secret.key");
        let meta = std::fs::metadata(&key).unwrap();
        assert_eq!(meta.len(), 32);
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }

    let revealed = stdout(&inst.run_ok(
        &[
            "export",
            "--format",
            "jsonl",
            "--reveal-authors",
            "--by",
            "rina",
        ],
        0,
    ));
    assert!(
        revealed.contains("\"author_handle\":\"warga_uji0\""),
        "{revealed}"
    );
    let store = open_store(&inst.data_dir());
    let audit = store.audit(None).unwrap();
    let e = audit
        .iter()
        .find(|e| e.action == "export-reveal-authors")
        .expect("the reveal is audited");
    assert_eq!(e.actor, "rina");
    assert_eq!(e.why.as_deref(), Some("7 items with real authors"));
}
