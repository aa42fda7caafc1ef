//! 函件: 安全提示函、敦促提醒函、督办函 and 整改通知 to townships and member departments —
//! numbering, sending, reading and replying, overdue replies, and the recipients' inbox.

pub mod api;
mod demo;
pub mod entity;
pub mod migration;
pub mod model;
pub mod pages;
pub mod store;

pub use demo::load_demo;
pub use store::{NoticeTotals, list_href, totals};

use platform::access::Actor;
use platform::error::AppResult;
use platform::home::WorkItem;
use platform::web::AppState;

/// Home page items: letters waiting for this recipient's reply, and the sender's letters with
/// replies overdue.
pub async fn work_items(state: &AppState, actor: &Actor) -> AppResult<Vec<WorkItem>> {
    let today = store::today(state);
    let mut items = Vec::new();
    let (waiting, urgent) = store::awaiting_my_reply(&state.db, actor, today).await?;
    if waiting > 0 {
        items.push(WorkItem {
            title: format!("{waiting} 份函件待回复"),
            detail: if urgent > 0 {
                format!("其中 {urgent} 份即将到期或已逾期")
            } else {
                "请按期书面回复".to_string()
            },
            href: "/safety/inbox".to_string(),
            urgent: urgent > 0,
        });
    }
    if store::is_sender(actor) {
        let overdue = store::count_with_overdue(&state.db, &actor.scope(), today).await?;
        if overdue > 0 {
            items.push(WorkItem {
                title: format!("{overdue} 份函件有逾期未回复"),
                detail: "督促接收单位回复或办结".to_string(),
                href: "/safety/notices?overdue=true".to_string(),
                urgent: true,
            });
        }
    }
    Ok(items)
}
