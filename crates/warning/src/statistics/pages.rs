//! `/warning/statistics`: the figures as cards of links and the 叫应 table; the same as XLSX.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use platform::access::perm;
use platform::error::AppResult;
use platform::regions::Level;
use platform::regions::store::Region;
use platform::web::form::{FormErrors, Query};
use platform::web::xlsx::{self, Sheet};
use platform::web::{AppState, PageCtx};

use super::model::decimal_text;
use super::{CallRow, Period, Section, Statistics, compute};
use crate::consultations::store::today;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/warning/statistics", get(page))
        .route("/warning/statistics/export", get(export))
}

#[derive(Template, WebTemplate)]
#[template(path = "statistics/page.html")]
struct StatisticsPage {
    ctx: PageCtx,
    period: Period,
    from: String,
    to: String,
    townships: Vec<Region>,
    sections: Vec<Section>,
    calls: Vec<CallRow>,
    total: Option<CallRow>,
    limits: String,
    errors: FormErrors,
    export: String,
}

impl StatisticsPage {
    fn is_township(&self, code: &str) -> bool {
        self.period.township.as_deref() == Some(code)
    }
}

impl CallRow {
    pub fn rate_text(&self) -> String {
        decimal_text(self.tally.confirmation_rate)
    }

    pub fn in_time_rate_text(&self) -> String {
        decimal_text(self.tally.in_time_rate)
    }

    pub fn mean_text(&self) -> String {
        decimal_text(self.tally.mean_minutes)
    }

    pub fn median_text(&self) -> String {
        decimal_text(self.tally.median_minutes)
    }

    /// The row as the sheet shows it.
    fn cells(&self) -> Vec<String> {
        let t = &self.tally;
        vec![
            self.name.clone(),
            t.asked.to_string(),
            t.confirmed.to_string(),
            self.rate_text(),
            t.in_time.to_string(),
            self.in_time_rate_text(),
            self.mean_text(),
            self.median_text(),
            t.unreachable.to_string(),
            t.escalations.to_string(),
        ]
    }
}

const CALL_HEADERS: [&str; 10] = [
    "乡镇（街道）",
    "叫应人次",
    "已确认",
    "确认率（%）",
    "时限内确认",
    "及时确认率（%）",
    "平均确认用时（分钟）",
    "中位确认用时（分钟）",
    "未叫应",
    "升级",
];

async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(period): Query<Period>,
) -> AppResult<StatisticsPage> {
    ctx.actor.require(perm::WARNING_VIEW)?;
    let townships =
        platform::regions::store::list_level(&state.db, &ctx.actor.scope(), Level::Township)
            .await?;
    let (stats, errors) = match period.resolve(&ctx.actor, today(&state)) {
        Ok(_) => (
            Some(compute(&state, &ctx.actor, &period).await?),
            FormErrors::default(),
        ),
        Err(err) => (None, FormErrors::from_error(err)?),
    };
    let export = format!(
        "/warning/statistics/export?{}",
        serde_urlencoded::to_string(&period).unwrap_or_default()
    );
    let page = match stats {
        Some(s) => StatisticsPage {
            from: s.from,
            to: s.to,
            sections: s.sections,
            calls: s.calls,
            total: Some(s.calls_total),
            limits: s.limits.join("、"),
            ctx,
            period,
            townships,
            errors,
            export,
        },
        None => StatisticsPage {
            from: period.from.clone().unwrap_or_default(),
            to: period.to.clone().unwrap_or_default(),
            sections: Vec::new(),
            calls: Vec::new(),
            total: None,
            limits: String::new(),
            ctx,
            period,
            townships,
            errors,
            export,
        },
    };
    Ok(page)
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
        calls,
        calls_total,
        ..
    } = compute(&state, &ctx.actor, &period).await?;
    let figures = platform::web::statistics::figure_rows(&sections);
    let table: Vec<Vec<String>> = calls
        .iter()
        .chain(std::iter::once(&calls_total))
        .map(CallRow::cells)
        .collect();
    let bytes = xlsx::workbook_of(&[
        Sheet {
            name: "预警统计",
            headers: &platform::web::statistics::FIGURE_HEADERS,
            rows: &figures,
        },
        Sheet {
            name: "叫应情况",
            headers: &CALL_HEADERS,
            rows: &table,
        },
    ])?;
    Ok(xlsx::download(&format!("预警统计{from}至{to}.xlsx"), bytes))
}
