//! 责任人公示: the responsible persons of townships, villages, reservoirs, dikes and
//! geological-hazard points (行政、技术、巡查责任人, 监测员) by year, kept by the townships for
//! their own and by the county's duty editors for all, exported and imported as XLSX, and
//! published per township on a public page with phone numbers shown in full or masked as the
//! county chooses.

pub mod api;
pub mod demo;
pub mod entity;
pub mod import;
pub mod migration;
pub mod model;
pub mod pages;
pub mod store;
