//! 乡镇范围: township areas (and county outlines) for locating points — satellite hotspots,
//! patrol check-ins — in a township. Imported from GeoJSON (the natural-resources bureau's
//! boundaries), or for the demo county approximated from township centres (近似范围).
//! Other ledgers locate with [`store::index_for`] and [`index::AreaIndex::locate`].

pub mod api;
pub mod approximate;
pub mod demo;
pub mod entity;
pub mod index;
pub mod migration;
pub mod model;
pub mod pages;
pub mod store;

pub use index::{AreaIndex, Located};
