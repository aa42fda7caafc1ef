//! 风险会商报告: the bureau convenes weather, water, natural-resources and other departments to
//! judge the coming period's risks and issues a numbered report — judgments per hazard type and
//! township, recommended measures — which it archives and searches.

pub mod api;
mod demo;
mod document;
pub mod entity;
pub mod migration;
pub mod model;
pub mod pages;
pub mod store;

pub use demo::load_demo;
