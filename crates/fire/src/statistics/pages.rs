//! `/fire/statistics`: the figures as cards of links, a table per township and per person;
//! `/fire/statistics.xlsx` the same as a workbook.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use platform::error::AppResult;
use platform::web::form::{FormErrors, Query};
use platform::web::statistics::{FIGURE_HEADERS, figure_rows};
use platform::web::xlsx::{self, Sheet};
use platform::web::{AppState, PageCtx};

use super::{Period, Section, Statistics, TownshipRow, compute};
use crate::access::require_reader;
use crate::patrols::store::{RATE_HEADERS, RateRow, rate_sheet};
use crate::reports::model::local_day;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/fire/statistics", get(page))
        .route("/fire/statistics.xlsx", get(export))
}

#[derive(Template, WebTemplate)]
#[template(path = "statistics/page.html")]
struct StatisticsPage {
    ctx: PageCtx,
    from: String,
    to: String,
    sections: Vec<Section>,
    townships: Vec<TownshipRow>,
    people: Vec<RateRow>,
    /// The period was understood (else only the form and its error).
    shown: bool,
    errors: FormErrors,
    export: String,
}

async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(period): Query<Period>,
) -> AppResult<StatisticsPage> {
    require_reader(&ctx.actor)?;
    let export = platform::web::statistics::query("/fire/statistics.xlsx", &period);
    Ok(match period.resolve(&ctx.actor, local_day(state.now())) {
        Ok(_) => {
            let s = compute(&state, &ctx.actor, &period).await?;
            StatisticsPage {
                ctx,
                from: s.from,
                to: s.to,
                sections: s.sections,
                townships: s.townships,
                people: s.people,
                shown: true,
                errors: FormErrors::default(),
                export,
            }
        }
        Err(err) => StatisticsPage {
            ctx,
            from: period.from.clone().unwrap_or_default(),
            to: period.to.clone().unwrap_or_default(),
            sections: Vec::new(),
            townships: Vec::new(),
            people: Vec::new(),
            shown: false,
            errors: FormErrors::from_error(err)?,
            export,
        },
    })
}

/// Columns of the townships sheet.
pub const TOWNSHIP_HEADERS: [&str; 14] = [
    "乡镇",
    "卫星热点",
    "按时反馈",
    "逾期反馈",
    "超时未反馈",
    "按时反馈率",
    "应报",
    "按时报送",
    "迟报",
    "未报",
    "扫码签到",
    "包干任务",
    "扫码督导率",
    "森林火灾",
];

fn township_rows(rows: &[TownshipRow]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|t| {
            vec![
                t.name.clone(),
                t.hotspots.received.to_string(),
                t.hotspots.on_time.to_string(),
                t.hotspots.late.to_string(),
                t.hotspots.overdue.to_string(),
                t.hotspot_rate(),
                t.reports.asked.to_string(),
                t.reports.on_time.to_string(),
                t.reports.late.to_string(),
                t.reports.missing.to_string(),
                t.checkins.to_string(),
                t.tours.to_string(),
                t.scan_rate(),
                t.fires.to_string(),
            ]
        })
        .collect()
}

async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(period): Query<Period>,
) -> AppResult<Response> {
    let Statistics {
        from,
        to,
        sections,
        townships,
        people,
        ..
    } = compute(&state, &ctx.actor, &period).await?;
    let bytes = xlsx::workbook_of(&[
        Sheet {
            name: "防火统计",
            headers: &FIGURE_HEADERS,
            rows: &figure_rows(&sections),
        },
        Sheet {
            name: "乡镇",
            headers: &TOWNSHIP_HEADERS,
            rows: &township_rows(&townships),
        },
        Sheet {
            name: "包干人",
            headers: &RATE_HEADERS,
            rows: &rate_sheet(&people),
        },
    ])?;
    Ok(xlsx::download(
        &format!("森林防火统计{from}至{to}.xlsx"),
        bytes,
    ))
}
