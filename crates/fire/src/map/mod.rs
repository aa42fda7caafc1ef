//! 防火一张图: the county outline, township areas (近似范围 marked), the day's satellite hotspots
//! by stage — and, once patrols land, their checkpoints — on one Leaflet map. The base-map tiles
//! are configured (`[map]`, e.g. 天地图); without them the outlines are drawn on a plain
//! background, and the page lists the day's hotspots below the map for readers without JS.

pub mod api;
pub mod layers;
pub mod pages;

use chrono::NaiveDate;
use platform::error::{AppError, AppResult};
use platform::web::AppState;

/// The day asked for (`YYYY-MM-DD`), or today (UTC+8); anything else is refused by field.
pub fn day_or_today(state: &AppState, text: Option<&str>) -> AppResult<NaiveDate> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(platform::clock::local_day(state.now())),
        Some(t) => platform::web::form::parse_date(t)
            .ok_or_else(|| AppError::field("day", "日期格式应为 2026-06-01")),
    }
}
