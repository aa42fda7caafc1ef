//! Demo fire season and forecasts for 三台县: the 2026 season at the Sichuan defaults, a week of
//! forecasts in the high-risk period (10–16 March 2026, a deterministic pattern peaking at
//! orange and red mid-week), a burn ban for the worst day and one warning conclusion. Through
//! the real stores, entered by 周减灾 (`disaster`).

use chrono::NaiveDate;
use platform::auth::entity::user;
use platform::web::AppState;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::entity::forecast::Entity as Forecasts;
use super::model::Level;
use super::store::{self, Checked};
use super::{bans, documents};
use crate::access::county_of;
use crate::seasons;

async fn actor(
    state: &AppState,
    username: &str,
) -> anyhow::Result<Option<platform::access::Actor>> {
    let Some(u) = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(
        platform::auth::actor_for(&state.db, &u, None, None).await?,
    ))
}

/// The level of township `i` on day `d` of the demo week.
fn level(i: usize, d: usize) -> Level {
    const BASE: [i64; 7] = [2, 3, 3, 4, 4, 3, 2];
    const OFFSET: [i64; 5] = [0, -1, -1, 1, -2];
    let offset = OFFSET[i % 5];
    Level::from_number((BASE[d] + offset).clamp(1, 5)).unwrap_or(Level::Low)
}

pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    if Forecasts::find().count(&state.db).await? > 0 {
        return Ok(());
    }
    let Some(disaster) = actor(state, "disaster").await? else {
        return Ok(());
    };
    let county = county_of(&disaster.region_code);
    let season = seasons::model::defaults(2026);
    seasons::store::set(
        state,
        &disaster,
        &county,
        2026,
        &seasons::store::SeasonInput::of(&season),
    )
    .await?;
    let townships = store::townships(&state.db, &county).await?;
    let first = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap_or_default();
    let days = (0..7)
        .map(|d| Checked {
            day: first + chrono::Days::new(d as u64),
            levels: townships
                .iter()
                .enumerate()
                .map(|(i, t)| (t.code.clone(), level(i, d)))
                .collect(),
        })
        .collect();
    store::write_all(state, &disaster, &county, days).await?;
    let worst = first + chrono::Days::new(3);
    let input = bans::blank_input(&state.db, &disaster, worst).await?;
    bans::issue(state, &disaster, &input).await?;
    documents::issue(
        state,
        &disaster,
        &documents::DocumentInput {
            kind: "conclusion".into(),
            title: "关于3月中旬森林火险形势的研判结论".into(),
            body: "【演示】经县森防指办公室会同气象、林业部门会商研判，3月12日至14日我县大部以晴为主，气温回升，空气湿度低，森林火险气象等级为高（橙色）至极高（红色）。\n请各乡镇（街道）严格落实野外火源管控，加强重点林区巡护和卡口值守，确保不发生森林草原火灾。".into(),
            townships: Vec::new(),
            issued_on: Some("2026-03-12".into()),
        },
    )
    .await?;
    Ok(())
}
