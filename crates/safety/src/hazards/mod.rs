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

pub use demo::load_demo;
