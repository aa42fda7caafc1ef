//! `duty.reminders`: every hour, each person on a shift that starts tomorrow (UTC+8) gets an
//! inbox message — once per person and shift. The assignment is marked by a conditional update
//! in the same transaction as the message, so a second run (or a second server) sends nothing.

use chrono::{Duration, NaiveTime};
use platform::audit::{self, Entry, Who};
use platform::error::AppResult;
use platform::jobs::Job;
use platform::notify::{Message, enqueue};
use platform::web::AppState;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};

use super::entity::{assignment, period, shift};
use super::model::{self, Post, Slot};
use super::store::KIND_SHIFT;

/// Where a reminder's message comes from (`messages.source_kind`).
pub const SOURCE: &str = "duty_shift";

pub fn job() -> Job {
    Job {
        name: "duty.reminders",
        label: "值班提醒（提前一天）",
        every: Duration::hours(1),
        run: |state| Box::pin(async move { run(state).await.map(|n| format!("提醒 {n} 人次")) }),
    }
}

/// Send tomorrow's reminders not yet sent; returns how many were sent.
pub async fn run(state: &AppState) -> AppResult<usize> {
    let now = state.now();
    let tomorrow = model::local_day(now) + Duration::days(1);
    let midnight = NaiveTime::MIN;
    let from = model::local_instant(tomorrow, midnight);
    let to = from + Duration::days(1);
    let due = assignment::Entity::find()
        .filter(assignment::Column::StartsAt.gte(from))
        .filter(assignment::Column::StartsAt.lt(to))
        .filter(assignment::Column::RemindedAt.is_null())
        .order_by_asc(assignment::Column::StartsAt)
        .all(&state.db)
        .await?;
    let names =
        platform::users::store::display_names(&state.db, due.iter().map(|a| a.user_id).collect())
            .await?;
    let mut sent = 0;
    for a in due {
        let Some(s) = shift::Entity::find_by_id(a.shift_id).one(&state.db).await? else {
            continue;
        };
        let Some(p) = period::Entity::find_by_id(a.period_id)
            .filter(period::Column::VoidedAt.is_null())
            .one(&state.db)
            .await?
        else {
            continue;
        };
        let slot = Slot::parse(&s.slot).unwrap_or(Slot::Full);
        let label = model::shift_label(s.day, slot, s.starts_at, s.ends_at);
        let post = Post::parse(&a.post).unwrap_or(Post::Officer).label();
        let name = names.get(&a.user_id).cloned().unwrap_or_default();
        let txn = state.db.begin().await?;
        // Conditional: only the run that marks it sends it.
        let marked = assignment::Entity::update_many()
            .col_expr(assignment::Column::RemindedAt, Expr::value(Some(now)))
            .filter(assignment::Column::Id.eq(a.id))
            .filter(assignment::Column::RemindedAt.is_null())
            .exec(&txn)
            .await?;
        if marked.rows_affected != 1 {
            continue;
        }
        let title = format!("值班提醒：明天您担任{post}");
        let body = format!(
            "《{}》{}，您担任{post}。请按时到岗，做好交接班。",
            p.name, label
        );
        let message = Message::inbox(a.user_id, &name, &title, &body, &a.region_code)
            .link(format!(
                "/duty/periods/{}?month={}",
                p.id,
                s.day.format("%Y-%m")
            ))
            .source(SOURCE, s.id);
        enqueue(&txn, None, now, vec![message]).await?;
        let entry = Entry::new("duty.remind", KIND_SHIFT, s.id, &a.region_code)
            .summary(format!("提醒 {name}：{label} 担任{post}"));
        audit::record(
            &txn,
            Who {
                id: None,
                name: "系统",
                ip: None,
            },
            now,
            entry,
        )
        .await?;
        txn.commit().await?;
        sent += 1;
    }
    Ok(sent)
}
