//! The time watermark of listings that cannot be asked for "only newer than" (YouTube comment
//! threads, Meta comment edges, Instagram media): every pass reads from the newest item down,
//! keeps the items newer than the watermark, and may stop at the first item older than it.
//!
//! The watermark only moves when a pass completes, so a pass cut short (crash, budget, rate
//! limit) is simply read again from the top: the items it had already stored come back as
//! already known to the store and nothing older is skipped. Several items can share one
//! timestamp (second precision), so the ids at the watermark are remembered too.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The newest item seen, with every id at that instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub at: DateTime<Utc>,
    pub ids: Vec<String>,
}

impl Mark {
    fn see(slot: &mut Option<Mark>, at: DateTime<Utc>, id: &str) {
        match slot {
            Some(m) if at < m.at => {}
            Some(m) if at == m.at => {
                if !m.ids.iter().any(|i| i == id) {
                    m.ids.push(id.to_string());
                }
            }
            _ => {
                *slot = Some(Mark {
                    at,
                    ids: vec![id.to_string()],
                })
            }
        }
    }
}

/// The cursor of one time-ordered stream.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watermark {
    /// Everything up to this mark was harvested by a completed pass.
    #[serde(default)]
    pub high: Option<Mark>,
    /// The newest item of the pass in progress.
    #[serde(default)]
    pub pass: Option<Mark>,
}

impl Watermark {
    /// Reads a saved cursor.
    pub fn load(saved: Option<&str>) -> Result<Watermark, String> {
        match saved {
            None => Ok(Watermark::default()),
            Some(s) => serde_json::from_str(s).map_err(|e| format!("unreadable cursor `{s}`: {e}")),
        }
    }

    /// The cursor as saved.
    pub fn save(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Whether an item was not harvested by a completed pass.
    pub fn is_new(&self, at: DateTime<Utc>, id: &str) -> bool {
        match &self.high {
            None => true,
            Some(h) => at > h.at || (at == h.at && !h.ids.iter().any(|i| i == id)),
        }
    }

    /// Whether an item is strictly older than the watermark (a newest-first listing can stop).
    pub fn is_older(&self, at: DateTime<Utc>) -> bool {
        self.high.as_ref().is_some_and(|h| at < h.at)
    }

    /// Records an item handed to the sink in this pass.
    pub fn see(&mut self, at: DateTime<Utc>, id: &str) {
        Mark::see(&mut self.pass, at, id);
    }

    /// Records the pass's end: its newest item becomes the watermark.
    pub fn finish(&mut self) {
        if let Some(p) = self.pass.take() {
            for id in &p.ids {
                Mark::see(&mut self.high, p.at, id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, s).unwrap()
    }

    #[test]
    fn only_a_completed_pass_moves_the_mark() {
        let mut w = Watermark::default();
        assert!(w.is_new(t(1), "a"));
        w.see(t(5), "e");
        w.see(t(3), "c");
        assert!(
            w.is_new(t(1), "a"),
            "an unfinished pass must not hide older items"
        );
        let mut w = Watermark::load(Some(&w.save())).unwrap();
        w.finish();
        assert!(!w.is_new(t(5), "e") && !w.is_new(t(4), "d"));
        assert!(w.is_older(t(4)) && !w.is_older(t(5)));
    }

    #[test]
    fn items_sharing_the_marks_second_are_told_apart_by_id() {
        let mut w = Watermark::default();
        w.see(t(5), "e1");
        w.finish();
        assert!(!w.is_new(t(5), "e1"));
        assert!(w.is_new(t(5), "e2"));
        w.see(t(5), "e2");
        w.finish();
        assert_eq!(w.high.as_ref().unwrap().ids, ["e1", "e2"]);
        w.see(t(6), "f");
        w.finish();
        assert_eq!(w.high.as_ref().unwrap().ids, ["f"]);
        // an empty pass keeps the mark
        w.finish();
        assert_eq!(w.high.as_ref().unwrap().at, t(6));
    }
}
