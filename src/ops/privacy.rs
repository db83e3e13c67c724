//! Pseudonymised authors in exports: a keyed hash (HMAC-SHA256) replaces an author's id and
//! handle, so exported data can still count repeat reporters but cannot name them without the
//! installation's secret key.
//!
//! The key is 32 random bytes in `secret.key` in the data directory, made on first use with
//! mode 0600 and published atomically (written to a temporary file, then hard-linked into
//! place, so two first uses agree on one key). Losing the key only changes future pseudonyms;
//! it never exposes anyone. Reviewers see real handles in the review page; exports show them
//! only when asked (`dengar export --reveal-authors`, which is audited).
//!
//! Links: a link that carries the author's handle as a path segment (`x.com/<handle>/status/…`,
//! `instagram.com/<handle>/…`) is rewritten to X's handle-free form `x.com/i/status/<id>` when
//! it is an X link, and dropped otherwise.

use crate::model::Item;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The key file's name inside the data directory.
pub const KEY_FILE: &str = "secret.key";
const KEY_LEN: usize = 32;

/// Errors loading or making the key.
#[derive(Debug, thiserror::Error)]
pub enum PrivacyError {
    #[error("cannot use the pseudonymisation key {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the pseudonymisation key {path} is {len} bytes, expected {KEY_LEN}; restore it from a backup or remove it to make a new one (pseudonyms will change)")]
    BadKey { path: PathBuf, len: usize },
}

/// Turns authors into stable pseudonyms with the installation's key.
pub struct Pseudonymizer {
    key: [u8; KEY_LEN],
}

impl std::fmt::Debug for Pseudonymizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonymizer { key: <secret> }")
    }
}

#[cfg(unix)]
fn restrict(opts: &mut std::fs::OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    opts.mode(0o600);
}

#[cfg(not(unix))]
fn restrict(_opts: &mut std::fs::OpenOptions) {}

#[cfg(unix)]
fn tighten(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        tracing::warn!(path = %path.display(), mode = format!("{:o}", mode & 0o777), "pseudonymisation key was readable by others; setting mode 0600");
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn tighten(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

impl Pseudonymizer {
    /// A pseudonymizer with a given key (tests, or a key kept elsewhere).
    pub fn with_key(key: [u8; KEY_LEN]) -> Pseudonymizer {
        Pseudonymizer { key }
    }

    /// Loads the key of data directory `dir`, making it on first use.
    pub fn load_or_create(dir: &Path) -> Result<Pseudonymizer, PrivacyError> {
        let path = dir.join(KEY_FILE);
        let io = |source| PrivacyError::Io {
            path: path.clone(),
            source,
        };
        if !path.exists() {
            std::fs::create_dir_all(dir).map_err(io)?;
            let key: [u8; KEY_LEN] = rand::random();
            let tmp = dir.join(format!(
                "{KEY_FILE}.{}.{}.tmp",
                std::process::id(),
                rand::random::<u32>()
            ));
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            restrict(&mut opts);
            let written = opts
                .open(&tmp)
                .and_then(|mut f| f.write_all(&key).and_then(|_| f.sync_all()));
            let linked = written.and_then(|_| match std::fs::hard_link(&tmp, &path) {
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
                other => other,
            });
            let _ = std::fs::remove_file(&tmp);
            linked.map_err(io)?;
        }
        tighten(&path).map_err(io)?;
        let bytes = std::fs::read(&path).map_err(io)?;
        let key: [u8; KEY_LEN] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| PrivacyError::BadKey {
                path: path.clone(),
                len: bytes.len(),
            })?;
        Ok(Pseudonymizer { key })
    }

    /// The pseudonym of an author on a platform: `anon-` and 16 hex digits of
    /// HMAC-SHA256(key, "author\0platform\0id").
    pub fn pseudonym(&self, platform: &str, author: &str) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) else {
            // HMAC takes keys of any length; this branch cannot be reached with 32 bytes
            return "anon".to_string();
        };
        mac.update(b"author\0");
        mac.update(platform.as_bytes());
        mac.update(b"\0");
        mac.update(author.to_lowercase().as_bytes());
        let tag = mac.finalize().into_bytes();
        let hex: String = tag[..8].iter().map(|b| format!("{b:02x}")).collect();
        format!("anon-{hex}")
    }

    /// Replaces an item's author id and handle by the pseudonym and removes the author's handle
    /// from its link. The raw JSON, which repeats the author, is dropped.
    pub fn apply(&self, item: &mut Item) {
        let post = &mut item.post;
        let who = if post.author_id.is_empty() {
            post.author_handle.clone()
        } else {
            post.author_id.clone()
        };
        if who.is_empty() {
            return;
        }
        let handle = std::mem::take(&mut post.author_handle);
        let p = self.pseudonym(post.platform.as_str(), &who);
        post.author_id = p.clone();
        post.author_handle = p;
        post.raw = None;
        if let Some(url) = post.url.take() {
            post.url = strip_handle_from_url(&url, &handle);
        }
    }
}

/// A link without the author's handle: unchanged when it does not carry it, X's handle-free
/// status link when it is an X link, else `None`.
pub fn strip_handle_from_url(url: &str, handle: &str) -> Option<String> {
    let handle = handle.trim_start_matches('@').to_lowercase();
    if handle.is_empty() {
        return Some(url.to_string());
    }
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let path_only = path.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path_only.split('/').collect();
    let carries = segments
        .iter()
        .any(|s| s.trim_start_matches('@').to_lowercase() == handle);
    let query_carries = path
        .to_lowercase()
        .split(['?', '&', '=', '#'])
        .any(|p| p.trim_start_matches('@') == handle);
    if !carries && !query_carries {
        return Some(url.to_string());
    }
    let host_l = host.to_lowercase();
    let is_x = [
        "x.com",
        "twitter.com",
        "www.x.com",
        "www.twitter.com",
        "mobile.twitter.com",
    ]
    .contains(&host_l.as_str());
    if is_x {
        if let Some(pos) = segments.iter().position(|s| *s == "status") {
            if let Some(id) = segments.get(pos + 1).filter(|id| !id.is_empty()) {
                return Some(format!("{scheme}://x.com/i/status/{id}"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Platform, Post, Status};

    fn item(handle: &str, id: &str, url: &str) -> Item {
        Item {
            post: Post {
                platform: Platform::X,
                native_id: "1790000000000000001".into(),
                author_id: id.into(),
                author_handle: handle.into(),
                text: "jalan berlubang".into(),
                created_at: chrono::Utc::now(),
                url: Some(url.into()),
                reply_to: None,
                account: Some("pemkot_bjm".into()),
                raw: Some(serde_json::json!({"user": handle})),
            },
            status: Status::Flagged,
            updated_at: chrono::Utc::now(),
            prediction: None,
            decision: None,
        }
    }

    #[test]
    fn key_is_made_once_with_mode_0600_and_gives_stable_pseudonyms() {
        let dir = tempfile::tempdir().unwrap();
        let a = Pseudonymizer::load_or_create(dir.path()).unwrap();
        let b = Pseudonymizer::load_or_create(dir.path()).unwrap();
        assert_eq!(a.pseudonym("x", "42"), b.pseudonym("x", "42"));
        assert_ne!(a.pseudonym("x", "42"), a.pseudonym("x", "43"));
        assert_ne!(a.pseudonym("x", "42"), a.pseudonym("instagram", "42"));
        assert!(a.pseudonym("x", "42").starts_with("anon-"));
        assert_eq!(a.pseudonym("x", "42").len(), 5 + 16);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let other = tempfile::tempdir().unwrap();
        let c = Pseudonymizer::load_or_create(other.path()).unwrap();
        assert_ne!(a.pseudonym("x", "42"), c.pseudonym("x", "42"));
        assert_eq!(format!("{a:?}"), "Pseudonymizer { key: <secret> }");
    }

    #[cfg(unix)]
    #[test]
    fn loose_key_permissions_are_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(KEY_FILE);
        std::fs::write(&path, [7u8; 32]).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let p = Pseudonymizer::load_or_create(dir.path()).unwrap();
        assert_eq!(p.key, [7u8; 32]);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn truncated_key_is_an_error_not_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(KEY_FILE), [1u8; 5]).unwrap();
        let err = Pseudonymizer::load_or_create(dir.path()).unwrap_err();
        assert!(err.to_string().contains("5 bytes"), "{err}");
    }

    #[test]
    fn apply_hides_the_author_everywhere() {
        let p = Pseudonymizer::with_key([3; 32]);
        let mut i = item(
            "Warga_BJM",
            "42",
            "https://x.com/warga_bjm/status/1790000000000000001",
        );
        p.apply(&mut i);
        let json = serde_json::to_string(&i).unwrap().to_lowercase();
        assert!(!json.contains("warga_bjm"), "{json}");
        assert!(!json.contains("\"42\""), "{json}");
        assert_eq!(i.post.author_handle, p.pseudonym("x", "42"));
        assert_eq!(
            i.post.url.as_deref(),
            Some("https://x.com/i/status/1790000000000000001")
        );
        assert_eq!(i.post.text, "jalan berlubang");
    }

    #[test]
    fn links_without_the_handle_are_kept() {
        assert_eq!(
            strip_handle_from_url("https://www.instagram.com/p/Cabc123/", "warga").as_deref(),
            Some("https://www.instagram.com/p/Cabc123/")
        );
        assert_eq!(
            strip_handle_from_url("https://mastodon.social/@warga/1123", "warga"),
            None
        );
        assert_eq!(
            strip_handle_from_url(
                "https://www.facebook.com/permalink.php?id=warga&x=1",
                "warga"
            ),
            None
        );
    }
}
