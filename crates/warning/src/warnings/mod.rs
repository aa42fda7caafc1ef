//! 预警发布与叫应: warnings from draft to lifting, the 叫应 of every recipient with its timers
//! and escalation waves, CAP export and import.

pub mod api;
pub mod calls;
pub mod cap_map;
mod demo;
pub mod entity;
pub mod migration;
pub mod model;
pub mod pages;
pub mod policies;
pub mod store;

pub use demo::load_demo;

use platform::access::{Actor, perm};
use platform::error::AppResult;
use platform::home::WorkItem;
use platform::web::AppState;

/// Home page items: a person's own warnings to confirm; for county readers, how many people
/// have not confirmed warnings in force.
pub async fn work_items(state: &AppState, actor: &Actor) -> AppResult<Vec<WorkItem>> {
    let mut items = Vec::new();
    let mine = calls::waiting_for(&state.db, actor.user_id).await?;
    if !mine.is_empty() {
        items.push(WorkItem {
            title: format!("{} 条预警等待您确认收到（叫应）", mine.len()),
            detail: "请立即确认并按要求落实防范措施".to_string(),
            href: "/warning/my".to_string(),
            urgent: true,
        });
    }
    let scope = actor.scope();
    if actor.can(perm::WARNING_VIEW) && scope.prefix().len() <= 6 {
        let silent = calls::unconfirmed_in(&state.db, scope.prefix(), state.now()).await?;
        if silent > 0 {
            items.push(WorkItem {
                title: format!("{silent} 人尚未确认生效中的预警"),
                detail: "查看叫应情况，电话督促未确认人员".to_string(),
                href: "/warning/warnings?state=issued".to_string(),
                urgent: true,
            });
        }
    }
    Ok(items)
}
