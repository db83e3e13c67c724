//! `dengar import`: good lines land, bad lines are reported by number, exit code 2; a crash
//! mid-import leaves a store that reopens and a rerun completes without duplicates.

use crate::util::*;
use std::time::Duration;

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
    let f = env.write("big.jsonl", &body);
    // The first import reads a named pipe: the test writes half the posts and keeps the pipe
    // open, so the import is certainly mid-run (blocked waiting for more lines) when killed.
    let fifo = env.data_dir().with_file_name("pipe.jsonl");
    let st = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(st.success());
    let mut child = env
        .cmd()
        .args(["import", fifo.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut pipe = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    let half: String = body.lines().take(n / 2).flat_map(|l| [l, "\n"]).collect();
    // blocks until the import has read all but a pipe buffer's worth of it
    std::io::Write::write_all(&mut pipe, half.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the import ended while its input was still open"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    drop(pipe);
    // the store reopens and holds some prefix of the posts
    let partial = env.run(&["stats"]);
    assert_eq!(
        code(&partial),
        0,
        "store did not reopen: {}",
        stderr(&partial)
    );
    let stored: usize = stdout(&partial)
        .lines()
        .find_map(|l| l.trim().strip_prefix("items "))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .expect("stats prints the item count");
    // imports store and flush every 1,000 posts, and the import had read all but a pipe
    // buffer (64 KiB, about 400 lines) of the first half when the write returned
    assert!(
        (n / 2 - 2_000..n).contains(&stored),
        "stored {stored}: flushed batches must survive the kill"
    );
    eprintln!("the killed import had stored {stored} of {n} posts");
    // rerun: everything lands exactly once
    let o = env.run(&["import", f.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let s = stdout(&env.run(&["stats"]));
    assert!(s.contains(&format!("items {n}")), "{s}");
}
