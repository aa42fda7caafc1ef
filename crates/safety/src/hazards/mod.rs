//! 事故隐患: the closed loop from registration through rectification and review to 销号.

pub mod api;
mod demo;
pub mod documents;
pub mod entity;
pub mod escalation;
pub mod import;
pub mod model;
pub mod pages;
pub mod rollup;
pub mod store;

/// (category, description, location) of typical findings: the demo ledger, the bulk generator
/// and the benchmarks draw from them.
pub use demo::FINDINGS as DEMO_FINDINGS;

pub use demo::load_demo;
