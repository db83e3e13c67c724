//! `dengar import`: good lines land, bad lines are reported by number, exit code 2; a crash
//! mid-import leaves a store that reopens and a rerun completes without duplicates.

mod util;
use std::time::{Duration, Instant};
use util::*;

#[test]
fn malformed_files_report_lines_and_keep_good_ones() {
    let env = Env::new();
    let mut jsonl = Vec::new();
    jsonl.extend_from_slice(br#"{"platform":"instagram","native_id":"17950000000000001","author_handle":"acil","text":"sampah numpuk di TPS Jl. Veteran","created_at":"2026-11-20T01:00:00Z"}"#);
    jsonl.extend_from_slice(b"\n{\"platform\":\"instagram\",\"native_id\":\"2\",\"text\":\"\xc3\x28\",\"created_at\":\"2026-11-20T01:00:00Z\"}\n");
    jsonl.extend_from_slice(
        br#"{"platform":"myspace","native_id":"3","text":"x","created_at":"2026-11-20T01:00:00Z"}"#,
    );
    jsonl.extend_from_slice(b"\n");
    let j = env.write("posts.jsonl", jsonl);
    let c = env.write(
        "export.csv",
        "id,created_at,author,text,url,extra\n\
         a1,2026-11-21T10:00:00Z,budi,\"air PDAM mati, sudah 2 hari\",https://www.facebook.com/1/posts/2,x\n\
         a2,not a date,budi,lampu mati,,\n",
    );
    let o = env.run(&["import", j.to_str().unwrap(), c.to_str().unwrap()]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("line 2") && err.contains("UTF-8"), "{err}");
    assert!(err.contains("line 3") && err.contains("myspace"), "{err}");
    assert!(err.contains("created_at"), "{err}");
    assert_eq!(exported(&env).len(), 2);
    // importing the same files again adds nothing
    let o = env.run(&["import", j.to_str().unwrap(), c.to_str().unwrap()]);
    assert!(stdout(&o).contains("new 0"), "{}", stdout(&o));
    assert_eq!(exported(&env).len(), 2);
    // a missing file is a clear error, not a panic
    let o = env.run(&["import", env.path("nope.jsonl").to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("cannot read"), "{}", stderr(&o));
}

#[test]
fn twarc2_export_imports() {
    let env = Env::new();
    let page = r#"{"data":[{"id":"1862100000000000001","text":"@pemkot_bjm lampu merah simpang sultan adam mati lagi","author_id":"11","created_at":"2026-11-22T12:00:00.000Z"}],"includes":{"users":[{"id":"11","username":"urang_banua"}]},"meta":{"result_count":1}}"#;
    let f = env.write("twarc.jsonl", format!("{page}\n"));
    let o = env.run(&["import", f.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let items = exported(&env);
    assert_eq!(items[0]["post"]["author_handle"], "urang_banua");
    assert_eq!(items[0]["post"]["native_id"], "1862100000000000001");
}

#[test]
fn crash_during_import_then_reopen_and_resume_without_duplicates() {
    let env = Env::new();
    let n = 60_000;
    let mut body = String::with_capacity(n * 160);
    for i in 0..n {
        body.push_str(&format!(
            "{{\"platform\":\"x\",\"native_id\":\"{}\",\"author_handle\":\"w{}\",\"text\":\"keluhan nomor {} jalan rusak\",\"created_at\":\"2026-11-20T01:00:00Z\"}}\n",
            1_862_000_000_000_000_000u64 + i as u64,
            i % 97,
            i
        ));
    }
    let f = env.write("big.jsonl", body);
    let mut child = env
        .cmd()
        .args(["import", f.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // wait until the store exists and some posts are in, then kill it hard
    let start = Instant::now();
    let db = env.data_dir().join("db");
    while !db.exists() && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(700));
    let finished_early = child.try_wait().unwrap().is_some();
    child.kill().ok();
    child.wait().unwrap();
    // the store reopens and holds some prefix of the posts
    let partial = env.run(&["stats"]);
    assert_eq!(
        code(&partial),
        0,
        "store did not reopen: {}",
        stderr(&partial)
    );
    // rerun: everything lands exactly once
    let o = env.run(&["import", f.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let s = stdout(&env.run(&["stats"]));
    assert!(s.contains(&format!("items {n}")), "{s}");
    if finished_early {
        eprintln!("note: the first import finished before it could be killed");
    }
}
