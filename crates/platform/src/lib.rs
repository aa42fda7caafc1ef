//! Yingji's shared machinery: database, accounts and access, regions and organisation, audit,
//! and the web shell every area of the bureau's work plugs into. No business rules live here.

pub mod access;
pub mod audit;
pub mod auth;
pub mod clock;
pub mod db;
pub mod error;
pub mod home;
pub mod org;
pub mod regions;
pub mod users;
pub mod web;

pub use error::{AppError, AppResult};
