//! `/api/v1/fire/statistics`: the same figures as the page, with the list each one counts.

use axum::extract::State;
use platform::access::Actor;
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::Query;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Period, Statistics, compute};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(statistics))
}

/// Fire figures for a range of days (default this year so far): forecasts, bans and documents;
/// hotspots by check and verdict; scheduled reports; patrol scans and the scan rate; fires.
/// Per township, the least reporting first; each figure's `href` is its list.
#[utoipa::path(get, path = "/api/v1/fire/statistics", tag = "森林防火",
    params(Period),
    responses((status = 200, body = Statistics), (status = 403), (status = 404), (status = 422)))]
async fn statistics(
    State(state): State<AppState>,
    actor: Actor,
    Query(period): Query<Period>,
) -> AppResult<axum::Json<Statistics>> {
    Ok(axum::Json(compute(&state, &actor, &period).await?))
}
