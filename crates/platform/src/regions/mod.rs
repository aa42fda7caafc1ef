//! The region tree (province → city → county → township → village) with 12-digit codes, loaded
//! from the published lists, and the pages and API to browse it.

pub mod api;
pub mod entity;
pub mod import;
pub mod model;
pub mod pages;
pub mod store;

pub use model::{Level, RegionCode};
