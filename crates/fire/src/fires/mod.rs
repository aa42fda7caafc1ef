//! 森林火灾: the fire records a hotspot check judged 林火 opened, kept up to date (area burned,
//! casualties, put out) with the grade recomputed from the fire-grade table at every change.

pub mod api;
pub mod entity;
pub mod model;
pub mod pages;
pub mod store;
