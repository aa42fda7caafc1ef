//! 救助: relief programmes (救助项目), the villages' rolls of households (救助名册) through
//! 村级公示, 乡镇审核 and 县级审批, the public list (公示) with masked numbers, XLSX import,
//! corrections after approval, and payments (发放) with totals and person-times (救助人次).

pub mod api;
pub mod demo;
pub mod entity;
pub mod households;
pub mod id_number;
pub mod import;
pub mod migration;
pub mod model;
pub mod pages;
pub mod payments;
pub mod store;

use platform::access::Actor;
use platform::error::AppResult;
use platform::home::WorkItem;
use platform::web::AppState;
use sea_orm_migration::MigrationTrait;

pub use demo::load_demo;

/// Names of this ledger's audit actions.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("disaster.relief.programme.create", "新增救助项目"),
    ("disaster.relief.programme.close", "结束救助项目"),
    ("disaster.relief.roll.create", "建立救助名册"),
    ("disaster.relief.roll.post", "名册公示"),
    ("disaster.relief.roll.check", "名册乡镇审核"),
    ("disaster.relief.roll.approve", "名册县级审批"),
    ("disaster.relief.roll.return", "名册退回"),
    ("disaster.relief.roll.import", "导入救助名册"),
    ("disaster.relief.household.add", "新增救助对象"),
    ("disaster.relief.household.update", "修改救助对象"),
    ("disaster.relief.household.correct", "更正救助对象"),
    ("disaster.relief.household.void", "删除救助对象"),
    ("disaster.relief.payment.record", "发放救助金"),
];

pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![Box::new(migration::Relief)]
}

pub fn work_items() -> Vec<platform::home::WorkItemSource> {
    vec![|state, actor| Box::pin(rolls_waiting(state, actor))]
}

/// Rolls waiting for the actor's level: posted ones for a township, checked ones for the county.
async fn rolls_waiting(state: &AppState, actor: &Actor) -> AppResult<Vec<WorkItem>> {
    use crate::access::Level;
    use model::RollState;
    let waiting = match crate::access::require_editor(actor) {
        Ok(Level::Township) => RollState::Posted,
        Ok(Level::County) => RollState::Checked,
        _ => return Ok(Vec::new()),
    };
    let filter = store::RollFilter {
        state: Some(waiting.code().into()),
        ..Default::default()
    };
    let count = store::count_rolls(state, actor, &filter).await?;
    let what = if waiting == RollState::Posted {
        "乡镇审核"
    } else {
        "县级审批"
    };
    Ok((count > 0)
        .then(|| WorkItem {
            title: format!("{count} 份救助名册待{what}"),
            detail: "核对名册后审核通过或退回".to_string(),
            href: format!("/disaster/relief/rolls?state={}", waiting.code()),
            urgent: false,
        })
        .into_iter()
        .collect())
}
