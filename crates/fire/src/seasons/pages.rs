//! `/fire/seasons`: this year's fire season and high-risk period, the defaults shown until set.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Datelike;
use platform::error::AppResult;
use platform::web::form::{Form, FormErrors, Query};
use platform::web::{AppState, PageCtx};
use serde::Deserialize;

use super::model::Season;
use super::store::{self, SeasonInput};
use crate::access::is_writer;

pub fn router() -> Router<AppState> {
    Router::new().route("/fire/seasons", get(page).post(save))
}

#[derive(Clone, Debug, Default, Deserialize)]
struct YearQuery {
    year: Option<i32>,
    done: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "seasons/page.html")]
struct Page {
    ctx: PageCtx,
    season: Season,
    this_year: bool,
    today_in_season: bool,
    today_high: bool,
    input: SeasonInput,
    errors: FormErrors,
    may_write: bool,
    saved: bool,
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    year: i32,
    input: Option<SeasonInput>,
    errors: FormErrors,
    saved: bool,
) -> AppResult<Response> {
    let season = store::get(&state.db, &ctx.actor, year).await?;
    let today = state
        .now()
        .with_timezone(&platform::clock::china())
        .date_naive();
    let status = match (&errors.message, errors.fields.is_empty()) {
        (None, true) => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let page = Page {
        may_write: is_writer(&ctx.actor),
        ctx,
        this_year: today.year() == year,
        today_in_season: season.in_season(today),
        today_high: season.in_high_risk(today),
        input: input.unwrap_or_else(|| SeasonInput::of(&season)),
        season,
        errors,
        saved,
    };
    Ok((status, page).into_response())
}

async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let year = q.year.unwrap_or_else(|| store::this_year(&state));
    let saved = q.done.is_some();
    render(&state, ctx, year, None, FormErrors::default(), saved).await
}

async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<YearQuery>,
    Form(input): Form<SeasonInput>,
) -> AppResult<Response> {
    let year = q.year.unwrap_or_else(|| store::this_year(&state));
    match store::save(&state, &ctx.actor, year, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/fire/seasons?year={year}&done=saved")).into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            render(&state, ctx, year, Some(input), errors, false).await
        }
    }
}
