//! `/api/v1/fire/seasons/{year}`: the county's fire season of a year (the defaults until set).

use axum::extract::State;
use platform::access::Actor;
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::model::Season;
use super::store::{self, SeasonInput};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get, put))
}

/// The county's fire season and high-risk period of a year (`configured` false: the defaults).
#[utoipa::path(get, path = "/api/v1/fire/seasons/{year}", tag = "森林防火",
    params(("year" = i32, Path)),
    responses((status = 200, body = Season), (status = 403)))]
async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(year): Path<i32>,
) -> AppResult<axum::Json<Season>> {
    Ok(axum::Json(store::get(&state.db, &actor, year).await?))
}

/// 设置 the county's fire season of a year.
#[utoipa::path(put, path = "/api/v1/fire/seasons/{year}", tag = "森林防火",
    params(("year" = i32, Path)), request_body = SeasonInput,
    responses((status = 200, body = Season), (status = 403), (status = 409), (status = 422)))]
async fn put(
    State(state): State<AppState>,
    actor: Actor,
    Path(year): Path<i32>,
    Json(input): Json<SeasonInput>,
) -> AppResult<axum::Json<Season>> {
    Ok(axum::Json(store::save(&state, &actor, year, &input).await?))
}
