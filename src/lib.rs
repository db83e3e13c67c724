//! dengar listens to what citizens write to a city government's social-media accounts and turns
//! their public-service complaints into SP4N-LAPOR! reports.
//!
//! Stages (see `ARCHITECTURE.md`): [`collect`] → [`text`] → [`classify`] → [`store`] →
//! review (CLI, web) → reports → forwarders. [`pipeline`] wires them; [`cli`] is the edge.
//! Leaf modules (`text`, `classify`, `store`, `collect`, `forward`) do not import one another
//! except `classify → text`.

pub mod catalog;
pub mod classify;
pub mod cli;
pub mod collect;
pub mod config;
pub mod forward;
pub mod model;
pub mod ops;
pub mod pipeline;
pub mod report;
pub mod store;
pub mod text;
pub mod web;
