//! Demo 一日三报 for 三台县: today's morning report (早报) opened for every township (the demo
//! contacts' township heads are asked), three townships filed — one a zero report — and the
//! rest still to report.

use chrono::Duration;
use platform::auth::entity::user;
use platform::calls::entity::{Column as C, Entity as Calls};
use platform::web::AppState;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use super::entity::slot::{Entity as Slots, Model as Slot};
use super::model::{self, Filing};
use super::schedule;
use super::slots::{self, FilingInput};
use crate::access::county_of;

const SITUATIONS: [&str; 2] = [
    "巡山护林员巡查 6 条重点线路，劝阻野外祭祀用火 2 起，无火情。",
    "发现村民田边烧灰积肥 1 处，已现场制止并清理火源，无蔓延。",
];

pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    if Slots::find().count(&state.db).await? > 0 {
        return Ok(());
    }
    let Some(disaster) = user::Entity::find()
        .filter(user::Column::Username.eq("disaster"))
        .one(&state.db)
        .await?
    else {
        return Ok(());
    };
    let county = county_of(&disaster.region_code);
    let schedule = schedule::of_county(&state.db, &county).await?;
    let Some(morning) = schedule.slots.first() else {
        return Ok(());
    };
    let today = model::local_day(state.now());
    // Shown whatever the season: the demo is for looking at the board.
    let opened = slots::open(state, None, &county, today, morning, schedule.grace_minutes).await;
    let Ok(asked) = opened else {
        return Ok(());
    };
    let calls = Calls::find()
        .filter(C::SubjectId.eq(asked.0.id))
        .order_by_asc(C::RegionCode)
        .all(&state.db)
        .await?;
    let filings = [
        FilingInput {
            zero: true,
            situation: None,
        },
        FilingInput {
            zero: false,
            situation: Some(SITUATIONS[0].to_string()),
        },
        FilingInput {
            zero: false,
            situation: Some(SITUATIONS[1].to_string()),
        },
    ];
    for (call, input) in calls.iter().zip(filings.iter()) {
        slots::file_by_token(state, &call.token, input).await?;
    }
    backdate(state, &asked.0).await
}

/// Loaded after the morning: the slot reads as opened at its time and the three filed within
/// the grace period, as they would have been.
async fn backdate(state: &AppState, slot: &Slot) -> anyhow::Result<()> {
    if state.now() <= slot.late_after {
        return Ok(());
    }
    let calls = Calls::find()
        .filter(C::SubjectId.eq(slot.id))
        .order_by_asc(C::RegionCode)
        .all(&state.db)
        .await?;
    let mut minutes = 4;
    for call in calls {
        let mut active = call.clone().into_active_model();
        active.first_sent_at = Set(slot.due_at);
        active.last_sent_at = Set(slot.due_at);
        if call.confirmed_at.is_some() {
            let mut filing: Filing = call
                .answer
                .as_deref()
                .and_then(|a| serde_json::from_str(a).ok())
                .unwrap_or_default();
            filing.late = false;
            active.confirmed_at = Set(Some(slot.due_at + Duration::minutes(minutes)));
            active.answer = Set(Some(serde_json::to_string(&filing)?));
            minutes += 7;
        }
        active.update(&state.db).await?;
    }
    Ok(())
}
