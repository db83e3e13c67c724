//! Helpers shared by the `ops_*` integration tests: a temp installation (data dir, config,
//! fixture posts in our Post JSONL shape) and the binary run against it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub use crate::util::{bin, code, ids_with_status, jsonl_items, stderr, stdout};

/// Posts written for these tests (not taken from any corpus): complaints and chatter, on three
/// platforms, with authors, links and raw JSON.
pub fn posts_jsonl(n: usize, first_id: usize) -> String {
    const TEXTS: [&str; 8] = [
        "jalan di Jl. Veteran berlubang parah tolong diperbaiki",
        "sampah menumpuk di TPS Kelayan sudah seminggu belum diangkut",
        "selamat pagi pak wali semoga sehat selalu",
        "lampu jalan mati di gang mawar sudah tiga malam",
        "terima kasih atas infonya min",
        "banjir rob masuk rumah warga di Sungai Jingah tolong",
        "mantap acaranya kemarin",
        "air PDAM tidak mengalir dua hari di komplek kami",
    ];
    let platforms = ["x", "instagram", "facebook"];
    let mut s = String::new();
    for i in first_id..first_id + n {
        let platform = platforms[i % 3];
        let handle = format!("warga_uji{i}");
        let v = serde_json::json!({
            "platform": platform,
            "native_id": format!("{}", 9_000_000 + i),
            "author_id": format!("u{i}"),
            "author_handle": handle,
            "text": format!("{} ({i})", TEXTS[i % TEXTS.len()]),
            "created_at": "2026-11-20T01:02:03Z",
            "url": format!("https://x.com/{handle}/status/{}", 9_000_000 + i),
            "account": "pemkot_bjm",
            "raw": {"id": i, "user": handle},
        });
        s.push_str(&v.to_string());
        s.push('\n');
    }
    s
}

/// A temporary installation.
pub struct Install {
    pub dir: tempfile::TempDir,
}

impl Install {
    pub fn new() -> Install {
        Install {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.path("data")
    }

    /// An installation whose config harvests `n` fixture posts ([`posts_jsonl`]) from
    /// `posts.jsonl`, with `extra` config appended; nothing is run yet.
    pub fn with_posts(n: usize, extra: &str) -> Install {
        let inst = Install::new();
        let file = inst.write("posts.jsonl", posts_jsonl(n, 0));
        inst.config(&[&file], extra);
        inst
    }

    /// [`Install::with_posts`] after one successful `nightly`.
    pub fn harvested(n: usize, extra: &str) -> Install {
        let inst = Install::with_posts(n, extra);
        inst.run_ok(&["nightly"], 0);
        inst
    }

    /// Writes a file and returns its path.
    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).expect("write fixture");
        p
    }

    /// Writes `config.toml` harvesting `files` (no demo feed) and returns its path.
    pub fn config(&self, files: &[&Path], extra: &str) -> PathBuf {
        let list: Vec<String> = files
            .iter()
            .map(|f| toml_string(&f.display().to_string()))
            .collect();
        let text = format!(
            "[harvest]\ndemo = false\nfiles = [{}]\n{extra}",
            list.join(", ")
        );
        self.write("config.toml", text)
    }

    /// `dengar --data-dir DATA [--config CONFIG] …` as a command.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(bin());
        c.env_remove("DENGAR_CONFIG")
            .env_remove("DENGAR_DATA_DIR")
            .env_remove("DENGAR_LOG_FORMAT")
            .env_remove("RUST_LOG")
            .arg("--data-dir")
            .arg(self.data_dir());
        if self.path("config.toml").exists() {
            c.arg("--config").arg(self.path("config.toml"));
        }
        c.args(args);
        c
    }

    /// Runs `dengar …` to the end.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run dengar")
    }

    /// Runs `dengar …` and insists on exit code `want`.
    pub fn run_ok(&self, args: &[&str], want: i32) -> Output {
        let o = self.run(args);
        assert_eq!(
            code(&o),
            want,
            "dengar {args:?}\nstdout:\n{}\nstderr:\n{}",
            stdout(&o),
            stderr(&o)
        );
        o
    }

    /// The items of `dengar export --format jsonl --reveal-authors` (authors are pseudonymised
    /// unless revealed).
    pub fn exported(&self) -> Vec<serde_json::Value> {
        let o = self.run_ok(&["export", "--format", "jsonl", "--reveal-authors"], 0);
        jsonl_items(&stdout(&o))
    }

    /// The run records, newest first, through `dengar runs list --json`.
    pub fn runs(&self) -> Vec<serde_json::Value> {
        let o = self.run_ok(&["runs", "list", "--limit", "0", "--json"], 0);
        stdout(&o)
            .lines()
            .map(|l| serde_json::from_str(l).expect("runs line is JSON"))
            .collect()
    }
}

/// A TOML basic string.
pub fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// This machine's host name as dengar records it in locks.
pub fn hostname() -> String {
    dengar::ops::lock::hostname()
}

/// Waits up to `secs` for `cond`, polling.
pub fn wait_for(secs: u64, mut cond: impl FnMut() -> bool) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed().as_secs() < secs {
        if cond() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    cond()
}

/// Opens the store of a data directory no process holds any more (sled releases its file lock a
/// moment after the process that held it is gone).
pub fn open_store(dir: &Path) -> dengar::store::Store {
    let start = std::time::Instant::now();
    loop {
        match dengar::store::Store::open(dir) {
            Ok(s) => return s,
            Err(e) if start.elapsed().as_secs() < 5 => {
                assert!(e.to_string().contains("lock"), "{e}");
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => panic!("{e}"),
        }
    }
}
