//! The integration tests, in one binary so the library and its dependencies are linked once
//! (`tests/text_alloc.rs` stays apart: its counting global allocator needs a process of its own).
//! One module per area; the shared harnesses are `util` (the binary on a temp data dir, the
//! forward receivers), `ops_util` (a temp installation), `collect_util` (mock platform servers
//! on 127.0.0.1:0) and `web::util` (a review site through the `Router`). Tests of all modules run
//! in parallel threads of this process, so none may touch process-global state (environment,
//! current directory, fixed ports or paths): configuration goes to the child process or is passed
//! explicitly.

mod collect_util;
mod ops_util;
mod util;

mod classify_cli;
mod collect_compliance;
mod collect_platforms;
mod collect_samples;
mod collect_webhook;
mod forward_file;
mod forward_lapor;
mod forward_open311;
mod ops_backup;
mod ops_export;
mod ops_http;
mod ops_init;
mod ops_lock;
mod ops_retention;
mod ops_runs;
mod ops_schedule;
mod skeleton_cli;
mod skeleton_import;
mod skeleton_nightly;
mod text_analyze;
mod web;
