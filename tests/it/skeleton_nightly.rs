//! `dengar nightly` on the embedded default: twice, idempotent; config errors name the key.

use crate::util::*;

#[test]
fn nightly_twice_imports_once_and_duplicates_nothing() {
    let env = Env::new();
    let first = env.run(&["nightly"]);
    assert_eq!(code(&first), 0, "{}\n{}", stdout(&first), stderr(&first));
    let out = stdout(&first);
    assert!(out.contains("harvested"), "{out}");
    assert!(out.contains("flagged"), "{out}");
    let items = exported(&env);
    assert!(items.len() >= 300, "{}", items.len());
    let flagged = items.iter().filter(|i| i["status"] == "flagged").count();
    let dismissed = items.iter().filter(|i| i["status"] == "dismissed").count();
    assert_eq!(flagged + dismissed, items.len(), "every item classified");
    assert!(
        flagged > 50 && dismissed > 50,
        "flagged {flagged} dismissed {dismissed}"
    );

    let second = env.run(&["nightly", "--json"]);
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    let summary: serde_json::Value = serde_json::from_str(&stdout(&second)).unwrap();
    assert_eq!(summary["sources"][0]["new"], 0);
    assert_eq!(summary["classify"]["classified"], 0);
    assert_eq!(exported(&env).len(), items.len());
}

#[test]
fn nightly_with_configured_files_and_a_bad_line_exits_2_but_stores_the_rest() {
    let env = Env::new();
    let feed = env.write(
        "feed.jsonl",
        concat!(
            r#"{"platform":"x","native_id":"1862000000000000001","author_handle":"warga","text":"@pemkot_bjm jalan di Jl. Pramuka berlubang parah tolong diperbaiki","created_at":"2026-11-20T01:00:00Z"}"#,
            "\n{broken\n",
            r#"{"platform":"x","native_id":"1862000000000000002","author_handle":"warga2","text":"selamat pagi pak wali","created_at":"2026-11-20T02:00:00Z"}"#,
            "\n"
        ),
    );
    let config = env.write(
        "dengar.toml",
        format!("[harvest]\nfiles = [{:?}]\n", feed.display().to_string()),
    );
    let o = env.run(&["--config", config.to_str().unwrap(), "nightly"]);
    assert_eq!(code(&o), 2, "{}\n{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("line 2"), "{}", stdout(&o));
    assert_eq!(exported(&env).len(), 2);
}

#[test]
fn broken_config_is_refused_before_any_work_naming_the_key() {
    let env = Env::new();
    let config = env.write("bad.toml", "[classify]\ncomplaint_threshold = \"tinggi\"\n");
    let o = env.run(&["--config", config.to_str().unwrap(), "nightly"]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("classify.complaint_threshold"),
        "{}",
        stderr(&o)
    );
    assert!(!env.data_dir().exists(), "no store was created");
    let config = env.write("bad2.toml", "[harvest]\ndemo = true\nfeeds = []\n");
    let o = env.run(&["--config", config.to_str().unwrap(), "nightly"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("feeds"), "{}", stderr(&o));
}
