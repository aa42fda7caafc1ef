//! `/duty/statistics`: the figures as cards of links and three tables (periods, people, log by
//! kind); `/duty/statistics.xlsx` the same as a workbook.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use platform::access::perm;
use platform::error::AppResult;
use platform::web::form::{FormErrors, Query};
use platform::web::xlsx::{self, Sheet};
use platform::web::{AppState, PageCtx};

use super::{LogRow, Period, PeriodRow, PersonRow, Section, Statistics, compute};
use crate::dispatch::model::RateRow;
use crate::rosters::model::local_day;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/duty/statistics", get(page))
        .route("/duty/statistics.xlsx", get(export))
}

#[derive(Template, WebTemplate)]
#[template(path = "statistics/page.html")]
struct StatisticsPage {
    ctx: PageCtx,
    from: String,
    to: String,
    county_wide: bool,
    sections: Vec<Section>,
    periods: Vec<PeriodRow>,
    people: Vec<PersonRow>,
    logs: Vec<LogRow>,
    total: Option<LogRow>,
    dispatch_rates: Vec<RateRow>,
    errors: FormErrors,
    export: String,
}

async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(period): Query<Period>,
) -> AppResult<StatisticsPage> {
    ctx.actor.require(perm::DUTY_VIEW)?;
    let export = platform::web::statistics::query("/duty/statistics.xlsx", &period);
    let checked = period.resolve(&ctx.actor, local_day(state.now()));
    Ok(match checked {
        Ok(_) => {
            let s = compute(&state, &ctx.actor, &period).await?;
            StatisticsPage {
                ctx,
                from: s.from,
                to: s.to,
                county_wide: s.county_wide,
                sections: s.sections,
                periods: s.periods,
                people: s.people,
                logs: s.logs,
                total: Some(s.logs_total),
                dispatch_rates: s.dispatch_rates,
                errors: FormErrors::default(),
                export,
            }
        }
        Err(err) => StatisticsPage {
            ctx,
            from: period.from.clone().unwrap_or_default(),
            to: period.to.clone().unwrap_or_default(),
            county_wide: true,
            sections: Vec::new(),
            periods: Vec::new(),
            people: Vec::new(),
            logs: Vec::new(),
            total: None,
            dispatch_rates: Vec::new(),
            errors: FormErrors::from_error(err)?,
            export,
        },
    })
}

/// Columns of the periods sheet.
pub const PERIOD_HEADERS: [&str; 7] = [
    "值班期",
    "类型",
    "起止日期",
    "统计天数",
    "全员在岗天数",
    "班次",
    "缺岗班次",
];

/// Columns of the dispatch sheet.
pub const RATE_HEADERS: [&str; 8] = [
    "单位",
    "类别",
    "调度次数",
    "回复次数",
    "未回复次数",
    "待回复",
    "回复率",
    "报告险情次数",
];

async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(period): Query<Period>,
) -> AppResult<Response> {
    let Statistics {
        from,
        to,
        sections,
        periods,
        people,
        logs,
        logs_total,
        dispatch_rates,
        ..
    } = compute(&state, &ctx.actor, &period).await?;
    let figures = platform::web::statistics::figure_rows(&sections);
    let period_rows: Vec<Vec<String>> = periods
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                p.kind_label().to_string(),
                format!("{} 至 {}", p.starts_on, p.ends_on),
                p.days.to_string(),
                p.covered_days.to_string(),
                p.shifts.to_string(),
                p.gap_shifts.to_string(),
            ]
        })
        .collect();
    let people_rows: Vec<Vec<String>> = people
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                p.leader.to_string(),
                p.officer.to_string(),
                p.total().to_string(),
            ]
        })
        .collect();
    let log_rows: Vec<Vec<String>> = logs
        .iter()
        .chain(std::iter::once(&logs_total))
        .map(|l| {
            vec![
                l.label.to_string(),
                l.entries.to_string(),
                l.open.to_string(),
            ]
        })
        .collect();
    let rate_rows: Vec<Vec<String>> = dispatch_rates
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                if r.is_township {
                    "乡镇"
                } else {
                    "部门及其他"
                }
                .to_string(),
                r.asked.to_string(),
                r.answered.to_string(),
                r.silent.to_string(),
                r.pending.to_string(),
                format!("{}%", r.rate()),
                r.alarming.to_string(),
            ]
        })
        .collect();
    let bytes = xlsx::workbook_of(&[
        Sheet {
            name: "值班统计",
            headers: &platform::web::statistics::FIGURE_HEADERS,
            rows: &figures,
        },
        Sheet {
            name: "值班期",
            headers: &PERIOD_HEADERS,
            rows: &period_rows,
        },
        Sheet {
            name: "值班人员",
            headers: &["姓名", "带班次数", "值班次数", "合计"],
            rows: &people_rows,
        },
        Sheet {
            name: "值班日志",
            headers: &["类型", "记录数", "待办"],
            rows: &log_rows,
        },
        Sheet {
            name: "每日调度",
            headers: &RATE_HEADERS,
            rows: &rate_rows,
        },
    ])?;
    Ok(xlsx::download(&format!("值班统计{from}至{to}.xlsx"), bytes))
}
