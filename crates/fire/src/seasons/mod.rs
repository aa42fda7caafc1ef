//! 防火期: the fire season and its high-risk period per county and year, the Sichuan defaults
//! (1 January – 31 May, high risk 1 February – 10 May) until the county sets (or extends) them.

pub mod api;
pub mod entity;
pub mod migration;
pub mod model;
pub mod pages;
pub mod store;

pub use model::Season;
pub use store::of_year;
