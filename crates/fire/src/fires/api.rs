//! `/api/v1/fire/fires`: the year's fire records in scope, one record, and its 续报.

use axum::extract::State;
use platform::access::Actor;
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path, Query};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{self, Fire, FireInput};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get_one, update))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct YearQuery {
    /// Default this year.
    year: Option<i32>,
}

/// Fire records in scope that started in a year, newest first.
#[utoipa::path(get, path = "/api/v1/fire/fires", tag = "森林草原防灭火",
    params(YearQuery), responses((status = 200, body = Vec<Fire>), (status = 403)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<YearQuery>,
) -> AppResult<axum::Json<Vec<Fire>>> {
    use chrono::Datelike;
    let year = q
        .year
        .unwrap_or_else(|| platform::clock::local_day(state.now()).year());
    Ok(axum::Json(store::list(&state, &actor, year).await?))
}

#[utoipa::path(get, path = "/api/v1/fire/fires/{id}", tag = "森林草原防灭火",
    responses((status = 200, body = Fire), (status = 404)))]
async fn get_one(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Fire>> {
    Ok(axum::Json(store::get(&state, &actor, id).await?))
}

/// 续报: update the figures; the grade follows the fire-grade table.
#[utoipa::path(put, path = "/api/v1/fire/fires/{id}", tag = "森林草原防灭火",
    request_body = FireInput,
    responses((status = 200, body = Fire), (status = 409), (status = 422)))]
async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<FireInput>,
) -> AppResult<axum::Json<Fire>> {
    Ok(axum::Json(store::update(&state, &actor, id, &input).await?))
}
