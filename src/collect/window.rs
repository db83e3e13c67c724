//! The id-window cursor of platforms whose listings run newest first and accept both a lower and
//! an upper id bound (X `since_id`/`until_id`, Mastodon `since_id`/`max_id`).
//!
//! A pass asks for everything above `since` and pages down. While it runs, the cursor records
//! the pass's newest id and the oldest id stored so far; a pass cut short (crash, page budget,
//! rate limit) is resumed by asking for ids above `since` and below that oldest id, so nothing
//! is skipped and nothing is read twice. When a pass reaches the end, its newest id becomes
//! `since` — exactly X's polling recipe (newest_id of the first page, the same since_id through
//! every page). Ids are compared as decimal numbers of any length, never as floats.
//! [`WindowPass`] is the pass loop the X and Mastodon streams share.

use super::cursor::Keyed;
use super::{RunStats, Sink, SinkError};
use crate::model::Post;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Compares two decimal id strings numerically (`"9" < "10"`), whatever their length.
pub fn cmp_ids(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// An unfinished pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pass {
    /// The newest id the pass has stored: the next `since` once it completes.
    pub newest: String,
    /// The oldest id the pass has stored: the pass resumes below it.
    pub below: String,
}

/// The cursor of one stream.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// Everything at or below this id is stored.
    #[serde(default)]
    pub since: Option<String>,
    /// A pass in progress.
    #[serde(default)]
    pub pass: Option<Pass>,
}

impl Window {
    /// Reads a saved cursor; an unreadable one is reported and replaced by a fresh window.
    pub fn load(saved: Option<&str>) -> Result<Window, String> {
        match saved {
            None => Ok(Window::default()),
            Some(s) => serde_json::from_str(s).map_err(|e| format!("unreadable cursor `{s}`: {e}")),
        }
    }

    /// The cursor as saved.
    pub fn save(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The exclusive upper bound of the next request: where an interrupted pass resumes.
    pub fn until(&self) -> Option<&str> {
        self.pass.as_ref().map(|p| p.below.as_str())
    }

    /// Records a stored page by its newest and oldest ids.
    pub fn page(&mut self, newest: &str, oldest: &str) {
        match &mut self.pass {
            None => {
                self.pass = Some(Pass {
                    newest: newest.to_string(),
                    below: oldest.to_string(),
                })
            }
            Some(p) => {
                if cmp_ids(newest, &p.newest) == Ordering::Greater {
                    p.newest = newest.to_string();
                }
                if cmp_ids(oldest, &p.below) == Ordering::Less {
                    p.below = oldest.to_string();
                }
            }
        }
    }

    /// Records a stored page by its items' ids; a page without ids leaves the window as it is.
    pub fn page_ids<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) {
        if let Some((newest, oldest)) = bounds(ids) {
            self.page(newest, oldest);
        }
    }

    /// Records the pass's end: its newest id becomes `since`.
    pub fn finish(&mut self) {
        if let Some(p) = self.pass.take() {
            let newer = self
                .since
                .as_deref()
                .is_none_or(|s| cmp_ids(&p.newest, s) == Ordering::Greater);
            if newer {
                self.since = Some(p.newest);
            }
        }
    }

    /// Whether an id is above `since`, i.e. not harvested by an earlier completed pass.
    pub fn is_new(&self, id: &str) -> bool {
        self.since
            .as_deref()
            .is_none_or(|s| cmp_ids(id, s) == Ordering::Greater)
    }
}

/// The newest and oldest of some ids, numerically.
pub fn bounds<'a>(ids: impl IntoIterator<Item = &'a str>) -> Option<(&'a str, &'a str)> {
    let mut it = ids.into_iter();
    let first = it.next()?;
    Some(it.fold((first, first), |(hi, lo), id| {
        (
            if cmp_ids(id, hi) == Ordering::Greater {
                id
            } else {
                hi
            },
            if cmp_ids(id, lo) == Ordering::Less {
                id
            } else {
                lo
            },
        )
    }))
}

/// The passes of one window stream in a run: an interrupted pass is finished first, then a
/// fresh one reads what came since. At most `max_pages` requests a run; past that the pass
/// resumes next run.
#[derive(Debug)]
pub struct WindowPass {
    /// The stream's window under its key.
    pub stream: Keyed<Window>,
    /// Whether the pass under way resumes an interrupted one (so a fresh pass follows it).
    resumed: bool,
    /// Pages read in this run.
    pages: u32,
    max_pages: u32,
}

impl WindowPass {
    /// Resumes the window saved under `key` (see [`Keyed::resume`]).
    pub fn resume(
        platform: &str,
        key: String,
        max_pages: u32,
        sink: &(dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<WindowPass, SinkError> {
        Ok(WindowPass {
            stream: Keyed::resume(platform, key, sink, stats)?,
            resumed: false,
            pages: 0,
            max_pages,
        })
    }

    /// The window as it stands.
    pub fn window(&self) -> &Window {
        &self.stream.cursor
    }

    /// Starts a pass; returns its lower bound, `since`.
    pub fn begin(&mut self) -> Option<String> {
        self.resumed = self.window().pass.is_some();
        self.window().since.clone()
    }

    /// Whether the page budget allows another request; logs it when it does not.
    pub fn budget_left(&self) -> bool {
        if self.pages >= self.max_pages {
            tracing::info!(stream = %self.stream.key, pages = self.pages, "page budget used; the pass resumes next run");
            return false;
        }
        true
    }

    /// Counts a fetched page and hands it over: its item ids move the window, and its posts
    /// are committed with it.
    pub fn page<'a>(
        &mut self,
        ids: impl IntoIterator<Item = &'a str>,
        posts: Vec<Post>,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<(), SinkError> {
        self.pages += 1;
        stats.pages += 1;
        self.stream.cursor.page_ids(ids);
        self.stream.commit(posts, sink, stats)
    }

    /// Ends the pass and saves the window; returns whether a fresh pass follows (the one
    /// that ended resumed an interrupted pass).
    pub fn finish(&mut self, sink: &mut (dyn Sink + Send)) -> Result<bool, SinkError> {
        self.stream.finish(sink)?;
        Ok(self.resumed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_compare_as_numbers_beyond_2_pow_53() {
        assert_eq!(cmp_ids("9", "10"), Ordering::Less);
        // 2^53 + 1 and 2^53 + 2 are the same f64 but different ids
        assert_eq!(
            cmp_ids("9007199254740993", "9007199254740994"),
            Ordering::Less
        );
        assert_eq!(
            cmp_ids("18446744073709551616", "18446744073709551615"),
            Ordering::Greater
        );
        assert_eq!(cmp_ids("007", "7"), Ordering::Equal);
        assert_eq!(
            bounds(["5", "12", "9007199254740993", "3"]),
            Some(("9007199254740993", "3"))
        );
    }

    #[test]
    fn an_interrupted_pass_resumes_below_its_oldest_and_then_advances() {
        let mut w = Window {
            since: Some("100".into()),
            pass: None,
        };
        assert_eq!(w.until(), None);
        w.page("190", "150");
        let saved = w.save();
        let mut w = Window::load(Some(&saved)).unwrap();
        assert_eq!(w.since.as_deref(), Some("100"));
        assert_eq!(w.until(), Some("150"));
        w.page("149", "120");
        assert_eq!(w.until(), Some("120"));
        w.finish();
        assert_eq!(
            w,
            Window {
                since: Some("190".into()),
                pass: None
            }
        );
        assert!(w.is_new("191") && !w.is_new("190"));
    }

    #[test]
    fn an_empty_pass_keeps_since() {
        let mut w = Window {
            since: Some("100".into()),
            pass: None,
        };
        w.finish();
        assert_eq!(w.since.as_deref(), Some("100"));
        assert!(Window::load(Some("not json")).is_err());
    }
}
