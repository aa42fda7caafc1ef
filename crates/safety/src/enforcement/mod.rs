//! 行政执法案件: administrative penalty cases from 立案 through 告知, 决定 and 执行 to 结案,
//! with their payments, linked hazards and the typical-case (典型案例) mark.

pub mod api;
mod demo;
pub mod entity;
pub(crate) mod migration;
pub mod model;
pub mod pages;
pub mod store;

pub use demo::load_demo;
pub use store::{EnforcementTotals, TotalsFigure, list_href, totals};
