//! 森林火灾 pages: the year's records and a record's page with its 续报 form.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Datelike;
use platform::error::AppResult;
use platform::web::form::{Form, FormErrors, Path, local_input};
use platform::web::{AppState, PageCtx};
use serde::Deserialize;
use uuid::Uuid;

use super::store::{self, Fire, FireInput};
use crate::access::is_writer;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/fire/fires", get(list_page))
        .route("/fire/fires/{id}", get(detail_page).post(update))
}

#[derive(Deserialize)]
struct YearQuery {
    year: Option<i32>,
}

#[derive(Template, WebTemplate)]
#[template(path = "fires/list.html")]
struct ListPage {
    ctx: PageCtx,
    year: i32,
    fires: Vec<Fire>,
}

impl ListPage {
    fn area(&self) -> String {
        format!("{:.2}", self.fires.iter().map(|f| f.area_ha).sum::<f64>())
    }
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<YearQuery>,
) -> AppResult<ListPage> {
    let year = q
        .year
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| platform::clock::local_day(state.now()).year());
    Ok(ListPage {
        fires: store::list(&state, &ctx.actor, year).await?,
        ctx,
        year,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "fires/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    fire: Fire,
    may_edit: bool,
    input: FireInput,
    errors: FormErrors,
}

impl DetailPage {
    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or_default()
    }
}

fn input_of(f: &Fire) -> FireInput {
    FireInput {
        place: Some(f.place.clone()),
        area_ha: Some(f.area_ha.to_string()),
        deaths: Some(f.deaths.to_string()),
        injured: Some(f.injured.to_string()),
        extinguished_at: f.extinguished_at.map(local_input),
        note: Some(f.note.clone()),
        version: f.version,
    }
}

async fn detail_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<DetailPage> {
    let fire = store::get(&state, &ctx.actor, id).await?;
    Ok(DetailPage {
        may_edit: is_writer(&ctx.actor),
        input: input_of(&fire),
        fire,
        ctx,
        errors: FormErrors::default(),
    })
}

async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<FireInput>,
) -> AppResult<Response> {
    match store::update(&state, &ctx.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/fire/fires/{id}?done=saved")).into_response()),
        Err(e) => Ok(DetailPage {
            fire: store::get(&state, &ctx.actor, id).await?,
            may_edit: is_writer(&ctx.actor),
            errors: FormErrors::from_error(e)?,
            input,
            ctx,
        }
        .into_response()),
    }
}
