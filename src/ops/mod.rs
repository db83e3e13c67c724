//! Operations: what makes dengar safe to leave alone at night and lawful to keep.
//!
//! - [`schedule`]: systemd service and timer (or crontab line) for `dengar nightly`;
//! - [`lock`]: one run at a time per data directory, stale locks taken over safely;
//! - [`runs`]: a record of every nightly run in the store; [`report`]: its HTML page with charts;
//! - [`status`]: the last run, the review backlog and what needs a person;
//! - [`metrics`] and [`http`]: `/healthz` and Prometheus `/metrics`, with a latency middleware;
//! - [`retention`] and [`privacy`]: purge after `retention_days`, pseudonymised exports;
//! - [`backup`]: consistent snapshots and restore into an empty directory;
//! - [`init`]: a commented config and reference-data templates for a new installation.

pub mod backup;
pub mod charts;
pub mod http;
pub mod init;
pub mod latency;
pub mod lock;
pub mod metrics;
pub mod nightly;
pub mod privacy;
pub mod report;
pub mod retention;
pub mod runs;
pub mod schedule;
pub mod status;
