//! What every harvested stream does with its cursor, whichever kind it is ([`Window`] or
//! [`Watermark`]): resume it from the sink, hand each page over with the cursor that covers it,
//! and save it once the pass ends. An unreadable saved cursor is reported and replaced by a
//! fresh one, so one bad cursor costs a re-read of the stream, not the platform's run.

use super::watermark::Watermark;
use super::window::Window;
use super::{Page, RunStats, Sink, SinkError};
use crate::model::Post;

/// A saved stream position: how it is read, written and closed at the end of a pass.
pub trait Cursor: Default {
    /// Reads a saved cursor.
    fn load(saved: Option<&str>) -> Result<Self, String>;
    /// The cursor as saved.
    fn save(&self) -> String;
    /// Records the pass's end.
    fn finish(&mut self);
}

impl Cursor for Window {
    fn load(saved: Option<&str>) -> Result<Window, String> {
        Window::load(saved)
    }
    fn save(&self) -> String {
        Window::save(self)
    }
    fn finish(&mut self) {
        Window::finish(self)
    }
}

impl Cursor for Watermark {
    fn load(saved: Option<&str>) -> Result<Watermark, String> {
        Watermark::load(saved)
    }
    fn save(&self) -> String {
        Watermark::save(self)
    }
    fn finish(&mut self) {
        Watermark::finish(self)
    }
}

/// A stream's cursor with the key it is saved under.
#[derive(Debug)]
pub struct Keyed<C> {
    /// The stream key (it starts with the platform name).
    pub key: String,
    /// The cursor as it stands in the pass.
    pub cursor: C,
}

impl<C: Cursor> Keyed<C> {
    /// The cursor saved under `key`, or a fresh one when there is none or it is unreadable
    /// (reported under `platform`: the stream starts afresh).
    pub fn resume(
        platform: &str,
        key: String,
        sink: &(dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<Keyed<C>, SinkError> {
        let cursor = C::load(sink.cursor(&key)?.as_deref()).unwrap_or_else(|e| {
            stats.error(platform, format!("{key}: {e}; starting afresh"));
            C::default()
        });
        Ok(Keyed { key, cursor })
    }

    /// Hands one page's posts to the sink with the cursor as it now stands, and counts them.
    pub fn commit(
        &self,
        posts: Vec<Post>,
        sink: &mut (dyn Sink + Send),
        stats: &mut RunStats,
    ) -> Result<(), SinkError> {
        stats.posts += posts.len();
        sink.commit(Page::new(posts, &self.key, self.cursor.save()))
    }

    /// Ends the pass and saves the cursor that records it.
    pub fn finish(&mut self, sink: &mut (dyn Sink + Send)) -> Result<(), SinkError> {
        self.cursor.finish();
        sink.commit(Page::new(Vec::new(), &self.key, self.cursor.save()))
    }
}
