//! Forecasts from an XLSX sheet (乡镇, 日期, 等级): every row checked, problems reported by row
//! number, nothing written unless all rows are valid (or — when asked — only the valid ones).
//! Each day's imported townships take their new levels; the day's other townships keep theirs.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::NaiveDate;
use platform::attachments::{MultipartForm, UPLOAD_BODY_LIMIT};
use platform::error::AppResult;
use platform::web::form::parse_date;
use platform::web::import::{self, ImportPage, RowError};
use platform::web::{AppState, PageCtx, xlsx};

use super::model::Level;
use super::store::{self, Checked};
use crate::access::require_writer;

/// Columns of the template, in order.
pub const HEADERS: [&str; 3] = ["乡镇", "日期", "等级"];

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/fire/forecasts/import",
            get(page)
                .post(submit)
                .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route("/fire/forecasts/import/template", get(template))
}

fn page_for(ctx: PageCtx) -> ImportPage {
    ImportPage::new(ctx, "火险预报", "/fire/forecasts", &HEADERS)
}

async fn page(ctx: PageCtx) -> AppResult<ImportPage> {
    require_writer(&ctx.actor)?;
    Ok(page_for(ctx))
}

async fn template(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    require_writer(&ctx.actor)?;
    let day = store::today(&state).to_string();
    let rows = vec![
        vec!["潼川镇".to_string(), day.clone(), "4".to_string()],
        vec!["塔山镇".to_string(), day, "较高".to_string()],
    ];
    let bytes = xlsx::workbook("火险预报", &HEADERS, &rows)?;
    Ok(xlsx::download("火险预报导入模板.xlsx", bytes))
}

/// The rows read: (day, township code, level) for valid rows and the errors of the rest.
pub fn read_rows(
    rows: &[(usize, Vec<String>)],
    townships: &[platform::regions::store::Region],
) -> (Vec<(NaiveDate, String, Level)>, Vec<RowError>) {
    let mut valid = Vec::new();
    let mut errors = Vec::new();
    let mut seen: BTreeMap<(NaiveDate, String), usize> = BTreeMap::new();
    for (row, cells) in rows {
        let mut problems = Vec::new();
        let township = store::township_named(townships, &cells[0]);
        if township.is_none() {
            problems.push(match cells[0].trim().is_empty() {
                true => "乡镇：请填写乡镇（街道）名称".to_string(),
                false => format!("乡镇：「{}」不是本县的乡镇（街道）", cells[0].trim()),
            });
        }
        let day = parse_date(cells[1].trim());
        if day.is_none() {
            problems.push("日期：日期格式应为 2026-06-01".to_string());
        }
        let level = Level::parse(&cells[2]);
        if level.is_none() {
            problems.push("等级：火险等级应为 1–5 或 低/较低/较高/高/极高".to_string());
        }
        if let (Some(t), Some(d)) = (township, day)
            && let Some(first) = seen.insert((d, t.code.clone()), *row)
        {
            problems.push(format!("与第 {first} 行重复：同一乡镇同一天只能有一个等级"));
        }
        match (township, day, level, problems.is_empty()) {
            (Some(t), Some(d), Some(l), true) => valid.push((d, t.code.clone(), l)),
            _ => errors.extend(
                problems
                    .into_iter()
                    .map(|message| RowError { row: *row, message }),
            ),
        }
    }
    (valid, errors)
}

async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    form: MultipartForm,
) -> AppResult<Response> {
    let county = require_writer(&ctx.actor)?;
    let upload = match import::Upload::read(&form, HEADERS.len()) {
        Ok(u) => u,
        Err(err) => return page_for(ctx).from_error(err),
    };
    let townships = store::townships(&state.db, &county).await?;
    let (valid, errors) = read_rows(&upload.rows, &townships);
    if !errors.is_empty() && (!upload.valid_only || valid.is_empty()) {
        let message = "有错误，未导入任何数据；请修改后重新上传，或勾选“只导入无误的行”";
        return Ok(page_for(ctx).refused(message, errors));
    }
    let count = valid.len();
    let mut by_day: BTreeMap<NaiveDate, BTreeMap<String, Level>> = BTreeMap::new();
    for (day, township, level) in valid {
        by_day.entry(day).or_default().insert(township, level);
    }
    let mut days = Vec::new();
    for (day, levels) in by_day {
        let mut merged: BTreeMap<String, Level> = store::of_day(&state.db, &county, day)
            .await?
            .map(|f| {
                f.levels
                    .into_iter()
                    .map(|l| (l.township, l.level))
                    .collect()
            })
            .unwrap_or_default();
        merged.extend(levels);
        days.push(Checked {
            day,
            levels: merged.into_iter().collect(),
        });
    }
    let day_count = days.len();
    store::write_all(&state, &ctx.actor, &county, days).await?;
    let skipped = upload.rows.len() - count;
    Ok(Redirect::to(&format!(
        "/fire/forecasts?done=imported&count={count}&days={day_count}&skipped={skipped}"
    ))
    .into_response())
}
