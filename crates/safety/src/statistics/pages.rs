//! `/safety/statistics`: the figures as cards of links, and the same as an XLSX sheet.

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
use platform::web::{AppState, PageCtx, xlsx};

use super::{Period, Section, compute};
use crate::units::store::today;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/safety/statistics", get(page))
        .route("/safety/statistics/export", get(export))
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
    errors: FormErrors,
    export: String,
}

async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(period): Query<Period>,
) -> AppResult<StatisticsPage> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let townships =
        platform::regions::store::list_level(&state.db, &ctx.actor.scope(), Level::Township)
            .await?;
    let day = today(&state);
    let (sections, errors, from, to) = match period.resolve(&ctx.actor, day) {
        Ok(r) => (
            compute(&state, &ctx.actor, &period).await?,
            FormErrors::default(),
            r.from.to_string(),
            r.to.to_string(),
        ),
        Err(err) => (
            Vec::new(),
            FormErrors::from_error(err)?,
            period.from.clone().unwrap_or_default(),
            period.to.clone().unwrap_or_default(),
        ),
    };
    let export = format!(
        "/safety/statistics/export?{}",
        serde_urlencoded::to_string(&period).unwrap_or_default()
    );
    Ok(StatisticsPage {
        ctx,
        period,
        from,
        to,
        townships,
        sections,
        errors,
        export,
    })
}

impl StatisticsPage {
    fn is_township(&self, code: &str) -> bool {
        self.period.township.as_deref() == Some(code)
    }
}

async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(period): Query<Period>,
) -> AppResult<Response> {
    let r = period.resolve(&ctx.actor, today(&state))?;
    let sections = compute(&state, &ctx.actor, &period).await?;
    let rows = platform::web::statistics::figure_rows(&sections);
    let bytes = xlsx::workbook(
        "安全生产统计",
        &platform::web::statistics::FIGURE_HEADERS,
        &rows,
    )?;
    Ok(xlsx::download(
        &format!("安全生产统计{}至{}.xlsx", r.from, r.to),
        bytes,
    ))
}
