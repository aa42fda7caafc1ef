//! 灾情报告: the loss reports of a process (初报 due two hours after the start, 续报 daily by
//! 09:00 with figures to 24:00 of the day before — every ten days for drought — and one 核报
//! with the ledgers of dead/missing persons and damaged houses). Townships enter their own
//! figures, the county checks, approves and reports upward; county totals are sums.

pub mod api;
pub mod entity;
pub mod export;
pub mod indicators;
pub mod migration;
pub mod model;
pub mod pages;
pub mod store;

use platform::jobs::Job;
use sea_orm_migration::MigrationTrait;

pub const ACTION_LABELS: &[(&str, &str)] = store::ACTION_LABELS;

pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![Box::new(migration::Losses)]
}

/// Townships: figures to enter or returned; the county: reports to approve or send upward.
pub fn work_items() -> Vec<platform::home::WorkItemSource> {
    vec![|state, actor| Box::pin(store::work_items(state, actor))]
}

pub fn call_subjects() -> Vec<(&'static str, platform::calls::Loader)> {
    Vec::new()
}

/// Hourly: opens each open process's 续报 once its day has ended (ten days for drought).
pub fn jobs() -> Vec<Job> {
    vec![Job {
        name: "disaster.updates",
        label: "灾情续报按日（旱灾每 10 天）自动建立",
        every: chrono::Duration::hours(1),
        run: |state| Box::pin(store::open_due_updates(state)),
    }]
}
