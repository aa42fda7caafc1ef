//! Placeholder until the ledger lands.

pub mod api;
pub mod pages;

use platform::jobs::Job;
use sea_orm_migration::MigrationTrait;

pub const ACTION_LABELS: &[(&str, &str)] = &[];

pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    Vec::new()
}

pub fn work_items() -> Vec<platform::home::WorkItemSource> {
    Vec::new()
}

pub fn call_subjects() -> Vec<(&'static str, platform::calls::Loader)> {
    Vec::new()
}

pub fn jobs() -> Vec<Job> {
    Vec::new()
}
