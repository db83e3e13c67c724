//! The nightly run lock through the binary: a second run while one is going exits at once with
//! code 75 and says who holds the lock; a lock left by a run that was killed is taken over, and
//! the killed run's record is marked interrupted.
//!
//! The first run is held in place deterministically: it harvests a named pipe, and blocks
//! reading it until the test writes the posts.

use crate::ops_util::*;
use std::io::Write;
use std::process::{Child, Stdio};

fn mkfifo(p: &std::path::Path) {
    let st = std::process::Command::new("mkfifo")
        .arg(p)
        .status()
        .expect("mkfifo");
    assert!(st.success());
}

/// Starts `nightly` on an installation whose only source is a named pipe, and waits until it
/// has taken the lock, recorded its start and is blocked in the harvest reading the pipe.
/// Returns the run and the pipe's write end (closing it lets the harvest finish).
fn start_blocked_run(inst: &Install) -> (Child, std::fs::File) {
    let fifo = inst.path("posts.jsonl");
    mkfifo(&fifo);
    inst.config(&[&fifo], "");
    let child = inst
        .cmd(&["nightly"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn nightly");
    // a non-blocking open for writing succeeds once a reader has the pipe open
    use std::os::unix::fs::OpenOptionsExt;
    const O_NONBLOCK: i32 = 0o4000;
    let mut writer = None;
    let reached = wait_for(30, || {
        writer = std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(O_NONBLOCK)
            .open(&fifo)
            .ok();
        writer.is_some()
    });
    assert!(reached, "the first run never reached its harvest");
    assert!(inst.data_dir().join("nightly.lock").exists());
    (child, writer.unwrap())
}

#[test]
fn second_nightly_refuses_at_once_while_the_first_runs() {
    let inst = Install::new();
    let (first, mut pipe) = start_blocked_run(&inst);

    let started = std::time::Instant::now();
    let second = inst.run(&["nightly"]);
    assert_eq!(code(&second), 75, "{}", stderr(&second));
    assert!(started.elapsed().as_secs() < 10, "the refusal is immediate");
    let msg = stderr(&second);
    assert!(
        msg.contains("another dengar nightly run is in progress"),
        "{msg}"
    );
    assert!(msg.contains(&format!("pid {}", first.id())), "{msg}");
    assert!(
        !msg.contains("could not acquire lock"),
        "the lock comes before sled's: {msg}"
    );

    // status sees the run going
    let s = inst.run(&["status"]);
    assert!(
        stdout(&s).contains("running     nightly since"),
        "{}",
        stdout(&s)
    );

    // let the first run finish
    pipe.write_all(posts_jsonl(6, 0).as_bytes()).unwrap();
    drop(pipe);
    let out = first.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !inst.data_dir().join("nightly.lock").exists(),
        "the lock is released"
    );

    let runs = inst.runs();
    assert_eq!(runs.len(), 1, "the refused run left no record");
    assert_eq!(runs[0]["state"], "finished");
    assert_eq!(runs[0]["harvest"]["new"], 6);
}

#[test]
fn lock_of_a_killed_run_is_taken_over_and_its_record_marked_interrupted() {
    let inst = Install::new();
    let (mut first, pipe) = start_blocked_run(&inst);
    first.kill().unwrap();
    first.wait().unwrap();
    drop(pipe);
    assert!(
        inst.data_dir().join("nightly.lock").exists(),
        "a killed run leaves its lock"
    );

    // the next night harvests a plain file
    let file = inst.write("more.jsonl", posts_jsonl(4, 100));
    inst.config(&[&file], "");
    let o = inst.run_ok(&["nightly"], 0);
    let err = stderr(&o);
    assert!(err.contains("took over a stale run lock"), "{err}");
    assert!(err.contains("its process is gone"), "{err}");

    let runs = inst.runs();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0]["state"], "finished");
    assert!(runs[0]["took_over"]
        .as_str()
        .unwrap()
        .contains("its process is gone"));
    assert_eq!(runs[1]["state"], "interrupted");
    let status = stdout(&inst.run(&["status"]));
    assert!(status.contains("last run    #2 ok"), "{status}");
}

#[test]
fn lock_of_a_dead_process_on_this_host_is_stale_and_a_live_one_is_not() {
    let inst = Install::with_posts(3, "");
    std::fs::create_dir_all(inst.data_dir()).unwrap();
    let mut dead = std::process::Command::new("true").spawn().unwrap();
    let dead_pid = dead.id();
    dead.wait().unwrap();
    let plant = |pid: u32, program: &str| {
        let lock = serde_json::json!({
            "pid": pid, "host": hostname(), "started_at": chrono::Utc::now(),
            "command": "nightly", "program": program, "token": "planted"
        });
        std::fs::write(inst.data_dir().join("nightly.lock"), lock.to_string()).unwrap();
    };
    // a live process of the same program name: this test's own pid and name
    let me = dengar::ops::lock::program_name();
    plant(std::process::id(), &me);
    let o = inst.run(&["nightly"]);
    assert_eq!(code(&o), 75, "{}", stderr(&o));
    // purge and backup respect the same lock
    assert_eq!(code(&inst.run(&["purge"])), 75);
    assert_eq!(
        code(&inst.run(&["backup", inst.path("b.gz").to_str().unwrap()])),
        75
    );
    // the same pid, but now recorded as another program: a reused pid
    plant(std::process::id(), "some-other-program");
    inst.run_ok(&["nightly"], 0);
    // a dead pid
    plant(dead_pid, "dengar");
    let o = inst.run_ok(&["nightly"], 0);
    assert!(stderr(&o).contains("its process is gone"), "{}", stderr(&o));
}
