//! The run lock: one `nightly` (or `purge`, `backup`) at a time per data directory, with a
//! clear message for the second one and a safe takeover of a lock left by a crashed run.
//!
//! The lock is the file `nightly.lock` in the data directory, holding JSON: process id, host,
//! start time, command, program name and a random token. It is taken *before* the store is
//! opened, so a second run gets "another run is in progress (pid …)" instead of sled's
//! "could not acquire lock" on the database directory.
//!
//! Protocol. Every change of the lock file (create, take over, release) happens while holding a
//! short-lived guard file `nightly.lock.guard`, created with `O_CREAT|O_EXCL` (atomic on local
//! file systems) and removed a few milliseconds later. Under the guard the lock is read and
//! judged, then written to a temporary file and `rename`d into place (atomic), so a reader never
//! sees half a lock and two processes can never both believe they took over the same stale lock.
//! A guard left by a process that crashed inside that tiny window is removed after
//! [`GUARD_STALE_SECS`].
//!
//! A lock is stale when its process is gone (same host, `/proc/<pid>` missing), when its process
//! id now belongs to another program (the recorded program name differs from `/proc/<pid>/cmdline`),
//! or when it is older than the configured maximum age (a hung run, or a lock from another host
//! whose processes cannot be checked). Limits: the guard relies on `O_EXCL`, which network file
//! systems may not honour; keep the data directory on a local disk.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lock file's name inside the data directory.
pub const LOCK_FILE: &str = "nightly.lock";
const GUARD_FILE: &str = "nightly.lock.guard";
/// Age after which a guard file counts as left by a crash.
pub const GUARD_STALE_SECS: u64 = 30;
/// How long to wait for another process's guard before giving up.
const GUARD_WAIT: Duration = Duration::from_secs(10);

/// What a lock file says about its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockInfo {
    /// Process id of the holder.
    pub pid: u32,
    /// Host name of the holder.
    pub host: String,
    /// When the holder took the lock.
    pub started_at: DateTime<Utc>,
    /// What the holder runs (`nightly`, `purge`, `backup`).
    pub command: String,
    /// File name of the holder's program, to tell a reused process id.
    pub program: String,
    /// Random token that tells this holder's lock from a later one.
    pub token: String,
}

/// Errors taking or reading the lock.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another run holds the lock and is alive.
    #[error(
        "another dengar {} run is in progress (pid {} on {}, started {}); lock file {}",
        holder.command, holder.pid, holder.host,
        holder.started_at.format("%Y-%m-%d %H:%M:%S UTC"), path.display()
    )]
    Busy {
        holder: Box<LockInfo>,
        path: PathBuf,
    },
    #[error("cannot use the lock file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the lock guard {path} stayed busy for {secs} s; remove it if no dengar is running")]
    GuardBusy { path: PathBuf, secs: u64 },
}

/// Whether a lock's holder still runs, as far as this host can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// Its process runs (or cannot be checked) and the lock is younger than the maximum age.
    Alive,
    /// Its process is gone.
    Dead,
    /// Its process id belongs to another program now.
    Reused,
    /// The lock is older than the maximum age.
    TooOld,
}

impl Holder {
    /// Whether the lock may be taken over.
    pub fn is_stale(self) -> bool {
        self != Holder::Alive
    }

    /// Why the lock is stale, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Holder::Alive => "alive",
            Holder::Dead => "its process is gone",
            Holder::Reused => "its process id now belongs to another program",
            Holder::TooOld => "it is older than the maximum age",
        }
    }
}

/// A held lock; released on drop.
#[derive(Debug)]
pub struct RunLock {
    path: PathBuf,
    info: LockInfo,
    took_over: Option<(LockInfo, Holder)>,
    released: bool,
}

/// This machine's host name.
pub fn hostname() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".to_string())
}

/// The file name of this process's program.
pub fn program_name() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "dengar".to_string())
}

/// Judges a lock's holder at time `now`.
pub fn judge(info: &LockInfo, now: DateTime<Utc>, max_age: chrono::Duration) -> Holder {
    if now.signed_duration_since(info.started_at) > max_age {
        return Holder::TooOld;
    }
    if info.host != hostname() {
        // another machine's process cannot be checked from here: only age counts
        return Holder::Alive;
    }
    let proc_dir = Path::new("/proc");
    if !proc_dir.join("self").exists() {
        return Holder::Alive;
    }
    let pid_dir = proc_dir.join(info.pid.to_string());
    if !pid_dir.exists() {
        return Holder::Dead;
    }
    match std::fs::read(pid_dir.join("cmdline")) {
        Ok(cmdline) => {
            let argv0 = cmdline.split(|b| *b == 0).next().unwrap_or_default();
            let argv0 = String::from_utf8_lossy(argv0);
            let name = Path::new(argv0.as_ref())
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            // a zombie or kernel thread has an empty command line: treat as gone
            if name.is_empty() {
                Holder::Dead
            } else if name == info.program {
                Holder::Alive
            } else {
                Holder::Reused
            }
        }
        Err(_) => Holder::Alive,
    }
}

/// Reads the lock file of a data directory, if there is one. A lock file that does not parse
/// is reported as an error, not ignored.
pub fn read(dir: &Path) -> Result<Option<LockInfo>, LockError> {
    let path = dir.join(LOCK_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| LockError::Io {
                path,
                source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(LockError::Io { path, source }),
    }
}

/// The short-lived guard around every change of the lock file.
struct Guard {
    path: PathBuf,
}

impl Guard {
    fn take(dir: &Path) -> Result<Guard, LockError> {
        let path = dir.join(GUARD_FILE);
        let start = Instant::now();
        loop {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(_) => return Ok(Guard { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let left_by_crash = std::fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age.as_secs() >= GUARD_STALE_SECS);
                    if left_by_crash {
                        tracing::warn!(path = %path.display(), "removing a lock guard left by a crashed process");
                        let _ = std::fs::remove_file(&path);
                        continue;
                    }
                    if start.elapsed() > GUARD_WAIT {
                        return Err(LockError::GuardBusy {
                            path,
                            secs: GUARD_WAIT.as_secs(),
                        });
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(source) => return Err(LockError::Io { path, source }),
            }
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn random_token() -> String {
    use rand::Rng;
    let bytes: [u8; 12] = rand::thread_rng().gen();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn write_atomically(path: &Path, info: &LockInfo) -> Result<(), LockError> {
    let io = |source| LockError::Io {
        path: path.to_path_buf(),
        source,
    };
    let tmp = path.with_extension(format!("lock.{}.{}.tmp", info.pid, info.token));
    let body = serde_json::to_vec_pretty(info)
        .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(io)?;
    let written = f.write_all(&body).and_then(|_| f.sync_all());
    drop(f);
    if let Err(e) = written.and_then(|_| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}

impl RunLock {
    /// Takes the lock of data directory `dir` for `command`, at time `now`. Fails with
    /// [`LockError::Busy`] at once when a live run holds it; takes over a stale lock.
    pub fn acquire(
        dir: &Path,
        command: &str,
        now: DateTime<Utc>,
        max_age: chrono::Duration,
    ) -> Result<RunLock, LockError> {
        std::fs::create_dir_all(dir).map_err(|source| LockError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(LOCK_FILE);
        let info = LockInfo {
            pid: std::process::id(),
            host: hostname(),
            started_at: now,
            command: command.to_string(),
            program: program_name(),
            token: random_token(),
        };
        let _guard = Guard::take(dir)?;
        let took_over = match std::fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice::<LockInfo>(&bytes) {
                Ok(holder) => {
                    let state = judge(&holder, now, max_age);
                    if !state.is_stale() {
                        return Err(LockError::Busy {
                            holder: Box::new(holder),
                            path,
                        });
                    }
                    tracing::warn!(
                        pid = holder.pid,
                        host = %holder.host,
                        started_at = %holder.started_at,
                        reason = state.describe(),
                        "taking over a stale run lock"
                    );
                    Some((holder, state))
                }
                Err(e) => {
                    // only this protocol writes the file, atomically: garbage is not a live run
                    tracing::warn!(path = %path.display(), error = %e, "replacing an unreadable run lock");
                    None
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => return Err(LockError::Io { path, source }),
        };
        write_atomically(&path, &info)?;
        Ok(RunLock {
            path,
            info,
            took_over,
            released: false,
        })
    }

    /// What this lock says about us.
    pub fn info(&self) -> &LockInfo {
        &self.info
    }

    /// The stale lock this one replaced, and why it was stale.
    pub fn took_over(&self) -> Option<&(LockInfo, Holder)> {
        self.took_over.as_ref()
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Releases the lock (also done on drop). Leaves the file alone if another process has
    /// taken it over in the meantime.
    pub fn release(mut self) -> Result<(), LockError> {
        self.release_inner()
    }

    fn release_inner(&mut self) -> Result<(), LockError> {
        if self.released {
            return Ok(());
        }
        self.released = true;
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let _guard = Guard::take(dir)?;
        match read(dir) {
            Ok(Some(current)) if current.token == self.info.token => {
                std::fs::remove_file(&self.path).map_err(|source| LockError::Io {
                    path: self.path.clone(),
                    source,
                })
            }
            Ok(Some(current)) => {
                tracing::warn!(
                    pid = current.pid,
                    "run lock was taken over by another process; leaving it"
                );
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        if let Err(e) = self.release_inner() {
            tracing::error!(error = %e, "cannot release the run lock");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Barrier};

    fn hours(h: i64) -> chrono::Duration {
        chrono::Duration::hours(h)
    }

    fn plant(dir: &Path, info: &LockInfo) {
        std::fs::write(dir.join(LOCK_FILE), serde_json::to_vec(info).unwrap()).unwrap();
    }

    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    fn foreign(pid: u32, started_at: DateTime<Utc>) -> LockInfo {
        LockInfo {
            pid,
            host: hostname(),
            started_at,
            command: "nightly".into(),
            program: program_name(),
            token: "old".into(),
        }
    }

    #[test]
    fn second_acquire_is_refused_until_release() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc::now();
        let lock = RunLock::acquire(dir.path(), "nightly", now, hours(12)).unwrap();
        assert!(lock.took_over().is_none());
        let err = RunLock::acquire(dir.path(), "nightly", now, hours(12)).unwrap_err();
        match &err {
            LockError::Busy { holder, .. } => assert_eq!(holder.pid, std::process::id()),
            other => panic!("expected busy, got {other}"),
        }
        let msg = err.to_string();
        assert!(
            msg.contains("another dengar nightly run is in progress"),
            "{msg}"
        );
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
        lock.release().unwrap();
        assert!(read(dir.path()).unwrap().is_none());
        let again = RunLock::acquire(dir.path(), "purge", now, hours(12)).unwrap();
        assert_eq!(read(dir.path()).unwrap().unwrap().command, "purge");
        drop(again);
        assert!(!dir.path().join(LOCK_FILE).exists());
        assert!(!dir.path().join(GUARD_FILE).exists());
    }

    #[test]
    fn lock_of_a_dead_process_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc::now();
        let old = foreign(dead_pid(), now - chrono::Duration::minutes(5));
        plant(dir.path(), &old);
        let lock = RunLock::acquire(dir.path(), "nightly", now, hours(12)).unwrap();
        let (prev, why) = lock.took_over().unwrap();
        assert_eq!(prev, &old);
        assert_eq!(*why, Holder::Dead);
        assert_eq!(read(dir.path()).unwrap().unwrap().token, lock.info().token);
    }

    #[test]
    fn live_lock_is_taken_over_only_when_too_old() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc::now();
        // our own pid: alive, and the same program
        let old = foreign(std::process::id(), now - hours(2));
        plant(dir.path(), &old);
        assert!(matches!(
            RunLock::acquire(dir.path(), "nightly", now, hours(12)),
            Err(LockError::Busy { .. })
        ));
        let later = now + hours(11);
        let lock = RunLock::acquire(dir.path(), "nightly", later, hours(12)).unwrap();
        assert_eq!(lock.took_over().unwrap().1, Holder::TooOld);
    }

    #[test]
    fn reused_pid_is_stale() {
        let now = Utc::now();
        let mut info = foreign(std::process::id(), now);
        assert_eq!(judge(&info, now, hours(12)), Holder::Alive);
        info.program = "not-dengar-at-all".into();
        assert_eq!(judge(&info, now, hours(12)), Holder::Reused);
        info.host = "another-host".into();
        assert_eq!(judge(&info, now, hours(12)), Holder::Alive);
        assert_eq!(judge(&info, now + hours(13), hours(12)), Holder::TooOld);
    }

    #[test]
    fn unreadable_lock_is_replaced_and_guard_left_by_crash_is_cleared() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(LOCK_FILE), b"{\"pid\": 12").unwrap();
        let guard = dir.path().join(GUARD_FILE);
        std::fs::write(&guard, b"").unwrap();
        let old = std::time::SystemTime::now() - Duration::from_secs(GUARD_STALE_SECS + 5);
        std::fs::File::options()
            .write(true)
            .open(&guard)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let lock = RunLock::acquire(dir.path(), "nightly", Utc::now(), hours(12)).unwrap();
        assert!(lock.took_over().is_none());
        assert_eq!(read(dir.path()).unwrap().unwrap().token, lock.info().token);
    }

    #[test]
    fn concurrent_takeover_of_a_stale_lock_has_one_winner() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc::now();
        plant(dir.path(), &foreign(dead_pid(), now - hours(1)));
        let n = 8;
        let barrier = Arc::new(Barrier::new(n));
        let handles: Vec<_> = (0..n)
            .map(|_| {
                let dir = dir.path().to_path_buf();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    RunLock::acquire(&dir, "nightly", now, hours(12))
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let winners: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(winners.len(), 1, "exactly one process takes over");
        assert!(winners[0].took_over().is_some());
        for r in &results {
            if let Err(e) = r {
                assert!(matches!(e, LockError::Busy { .. }), "{e}");
            }
        }
    }
}
