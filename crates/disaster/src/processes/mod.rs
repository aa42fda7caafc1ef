//! 灾害过程: a natural disaster from its start to its end — type and sub-types from the
//! national list, the townships it affects (more may be added as it spreads) — grouping its
//! loss reports (初报, 续报, 核报). Closing a process stops its 续报.

pub mod api;
pub mod demo;
pub mod entity;
pub mod migration;
pub mod model;
pub mod pages;
pub mod store;

pub use demo::load_demo;
use sea_orm_migration::MigrationTrait;

pub const ACTION_LABELS: &[(&str, &str)] = store::ACTION_LABELS;

pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![Box::new(migration::Processes)]
}
