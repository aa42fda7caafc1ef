//! 火险预报: daily fire-danger forecasts per township (levels 1–5, one issue per county and
//! day, entered on a grid or imported from XLSX), the burn bans (禁火令) they bring when a
//! township is orange or red, and the numbered warning conclusions (火险预警研判结论) and urging
//! letters (督促函) to townships.

pub mod api;
pub mod bans;
pub mod demo;
pub mod documents;
pub mod entity;
pub mod import;
pub mod migration;
pub mod model;
pub mod pages;
pub mod store;

pub use model::Level;
