//! Collectors: everything that brings posts in. Each source turns what it reads into canonical
//! [`Post`](crate::model::Post)s; storing them and saving cursors is the pipeline's job.
//!
//! - [`file`]: JSONL in our Post shape, CSV exports and twarc2 JSONL, for staff who already
//!   harvest with other tools;
//! - [`demo`]: the embedded demo feed, the default source of a first run with no API tokens.

pub mod demo;
pub mod file;
