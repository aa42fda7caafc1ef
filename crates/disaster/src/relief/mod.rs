//! Placeholder until the ledger lands.

pub mod api;
pub mod pages;

use platform::web::AppState;
use sea_orm_migration::MigrationTrait;

pub const ACTION_LABELS: &[(&str, &str)] = &[];

pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    Vec::new()
}

pub fn work_items() -> Vec<platform::home::WorkItemSource> {
    Vec::new()
}

pub async fn load_demo(_state: &AppState) -> anyhow::Result<()> {
    Ok(())
}
