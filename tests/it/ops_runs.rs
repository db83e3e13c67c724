//! Run records, reports, status and logs through the binary: every nightly run leaves a record
//! and an HTML report with four SVG charts; `runs list|show` and `status` read them; a failed
//! source is an error of the run and shows in `status`; `--log-format json` writes JSON lines.

use crate::ops_util::*;

#[test]
fn every_run_leaves_a_record_and_a_report() {
    let inst = Install::new();
    let mut posts = posts_jsonl(24, 0);
    posts.push_str("{this line is broken\n");
    let file = inst.write("posts.jsonl", posts);
    inst.config(&[&file], "");

    let o = inst.run_ok(&["nightly"], 2);
    assert!(
        stdout(&o).contains("run         #1 partial, report "),
        "{}",
        stdout(&o)
    );
    inst.run_ok(&["nightly"], 2);

    let runs = inst.runs();
    assert_eq!(runs.len(), 2);
    let (second, first) = (&runs[0], &runs[1]);
    assert_eq!(first["id"], 1);
    assert_eq!(first["harvest"]["read"], 24);
    assert_eq!(first["harvest"]["new"], 24);
    assert_eq!(second["harvest"]["new"], 0);
    assert_eq!(second["harvest"]["known"], 24);
    let flagged = first["classify"]["flagged"].as_u64().unwrap();
    let dismissed = first["classify"]["dismissed"].as_u64().unwrap();
    assert_eq!(flagged + dismissed, 24);
    assert!(flagged > 0 && dismissed > 0, "{first}");
    assert!(first["model_id"].as_str().unwrap().contains("complaint"));
    for p in ["x", "instagram", "facebook"] {
        assert_eq!(first["platforms"][p]["new"], 8, "{p}: {first}");
    }
    assert_eq!(first["errors"][0]["stage"], "harvest");
    assert!(first["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("line 25"));
    assert!(first["purge"].is_object());

    for r in &runs {
        let report = std::path::PathBuf::from(r["report"].as_str().unwrap());
        let html = std::fs::read_to_string(&report).unwrap();
        assert_eq!(html.matches("<svg").count(), 4, "{}", report.display());
        assert!(html.contains(&format!("Laporan run #{}", r["id"])));
    }

    let list = stdout(&inst.run_ok(&["runs"], 0));
    assert_eq!(list.lines().count(), 2, "{list}");
    assert!(list.lines().next().unwrap().starts_with("#2 "), "{list}");
    assert!(list.contains("reports/run-1.html"), "{list}");
    let show = stdout(&inst.run_ok(&["runs", "show", "1"], 0));
    assert!(show.contains("run #1 partial"), "{show}");
    assert!(show.contains("harvest   read 24 new 24"), "{show}");
    assert!(show.contains("line 25"), "{show}");
    let missing = inst.run(&["runs", "show", "9"]);
    assert_eq!(code(&missing), 1);
    assert!(stderr(&missing).contains("no run with id 9"));

    let status = inst.run_ok(&["status"], 2);
    let text = stdout(&status);
    assert!(text.contains("last run    #2 partial"), "{text}");
    assert!(
        text.contains(&format!("backlog     {flagged} flagged")),
        "{text}"
    );
    assert!(text.contains("run #2 finished with 1 errors"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&inst.run_ok(&["status", "--json"], 2))).unwrap();
    assert_eq!(json["backlog"]["items"], flagged);
}

#[test]
fn clean_runs_need_nobody_and_logs_can_be_json() {
    let inst = Install::with_posts(5, "");
    let o = inst
        .cmd(&["--log-format", "json", "nightly"])
        .env("RUST_LOG", "info")
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let logs = stderr(&o);
    let lines: Vec<serde_json::Value> = logs
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(
        lines.iter().any(|l| l["message"] == "nightly run finished"),
        "{logs}"
    );
    assert!(lines
        .iter()
        .all(|l| l["level"].is_string() && l["timestamp"].is_string()));
    // nothing needs a person: no error, no overdue run, no old backlog (the backlog is new)
    let s = inst.run_ok(&["status"], 0);
    assert!(
        stdout(&s).contains("attention   nothing needs a person"),
        "{}",
        stdout(&s)
    );
}
