//! `dengar schedule`: the generated service and timer carry the right command line and time,
//! pass `systemd-analyze verify` (when the tool exists) and `systemd-analyze calendar`; `--cron`
//! prints a crontab line; `show` and `remove` only touch what `install` wrote.

use crate::ops_util::*;
use std::path::Path;
use std::process::Command;

fn systemd_analyze() -> Option<&'static str> {
    let ok = Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some("systemd-analyze")
}

#[test]
fn units_are_written_verified_shown_and_removed() {
    let inst = Install::with_posts(2, "[schedule]\nat = \"01:30\"\n");
    std::fs::create_dir_all(inst.data_dir()).unwrap();
    let units = inst.path("units");
    let u = units.to_str().unwrap();

    let o = inst.run_ok(&["schedule", "install", "--unit-dir", u], 0);
    assert!(
        stdout(&o).contains("enable --now dengar-nightly.timer"),
        "{}",
        stdout(&o)
    );
    let service = std::fs::read_to_string(units.join("dengar-nightly.service")).unwrap();
    let timer = std::fs::read_to_string(units.join("dengar-nightly.timer")).unwrap();
    let exec = service
        .lines()
        .find(|l| l.starts_with("ExecStart="))
        .unwrap();
    assert!(exec.contains(&format!("\"{}\"", bin().display())), "{exec}");
    assert!(
        exec.contains(&format!("\"--data-dir\" \"{}\"", inst.data_dir().display())),
        "{exec}"
    );
    assert!(
        exec.contains(&format!(
            "\"--config\" \"{}\"",
            inst.path("config.toml").display()
        )),
        "{exec}"
    );
    assert!(
        exec.ends_with("\"--log-format\" \"json\" \"nightly\""),
        "{exec}"
    );
    assert!(
        timer.contains("OnCalendar=*-*-* 01:30:00 Asia/Makassar\n"),
        "{timer}"
    );

    if let Some(tool) = systemd_analyze() {
        let v = Command::new(tool)
            .args(["verify", "--man=no"])
            .arg(units.join("dengar-nightly.service"))
            .arg(units.join("dengar-nightly.timer"))
            .output()
            .unwrap();
        assert!(
            v.status.success(),
            "systemd-analyze verify:\n{}{}",
            stdout(&v),
            stderr(&v)
        );
        let c = Command::new(tool)
            .args(["calendar", "*-*-* 01:30:00 Asia/Makassar"])
            .output()
            .unwrap();
        assert!(c.status.success(), "{}", stderr(&c));
        assert!(
            stdout(&c).contains("17:30:00 UTC"),
            "WITA is UTC+8: {}",
            stdout(&c)
        );
    } else {
        eprintln!("systemd-analyze not installed: skipping unit verification");
    }

    // reinstall with another time replaces the units
    inst.run_ok(
        &[
            "schedule",
            "install",
            "--unit-dir",
            u,
            "--at",
            "03:05",
            "--timezone",
            "Asia/Jakarta",
        ],
        0,
    );
    let show = stdout(&inst.run_ok(&["schedule", "show", "--unit-dir", u], 0));
    assert!(
        show.contains("OnCalendar=*-*-* 03:05:00 Asia/Jakarta"),
        "{show}"
    );

    let bad = inst.run(&["schedule", "install", "--unit-dir", u, "--at", "3pm"]);
    assert_eq!(code(&bad), 1);
    assert!(stderr(&bad).contains("HH:MM"), "{}", stderr(&bad));

    let removed = stdout(&inst.run_ok(&["schedule", "remove", "--unit-dir", u], 0));
    assert_eq!(removed.matches("removed ").count(), 2, "{removed}");
    assert!(!units.join("dengar-nightly.timer").exists());
    let show = stdout(&inst.run_ok(&["schedule", "show", "--unit-dir", u], 0));
    assert!(show.contains("not installed"), "{show}");
}

#[test]
fn cron_line_runs_nightly_in_wita() {
    let inst = Install::new();
    let o = inst.run_ok(&["schedule", "install", "--cron"], 0);
    let text = stdout(&o);
    assert!(text.contains("CRON_TZ=Asia/Makassar\n"), "{text}");
    let job = text
        .lines()
        .find(|l| l.starts_with("0 2 * * * "))
        .expect("job line");
    assert!(
        job.contains("'nightly'") && job.contains("'--data-dir'"),
        "{job}"
    );
    assert!(job.ends_with(&format!(
        ">> '{}' 2>&1",
        inst.data_dir().join("nightly.log").display()
    )));
    assert!(
        text.contains("`0 18 * * *`"),
        "the UTC equivalent for crons without CRON_TZ"
    );
    assert!(!Path::new(&inst.path("units")).exists());
}
