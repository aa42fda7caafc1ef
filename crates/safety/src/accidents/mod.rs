//! 生产安全事故: the accident ledger — report, casualty revisions (续报), investigation,
//! approval and publication; grades and late reports computed by [`model`].

pub mod api;
mod demo;
pub mod entity;
pub mod migration;
pub mod model;
pub mod pages;
pub mod store;

pub use demo::load_demo;
