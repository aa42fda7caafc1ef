//! The region tree (province → city → county → township → village) with 12-digit codes, loaded
//! from the published lists, and the pages and API to browse it.

//TMP pub mod api;
pub mod entity;
pub mod import;
pub mod model;
//TMP pub mod pages;
pub mod store;

pub use model::{Level, RegionCode};
