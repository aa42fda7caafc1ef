//! `/api/v1/disaster/statistics`: the same figures as the page, with the list each one counts.

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

/// Disaster figures for a range of days (default this year so far): processes by type, loss
/// reports on time and late, losses by type and township, relief paid and 救助人次 by
/// programme and township. Each figure's `href` is its list.
#[utoipa::path(get, path = "/api/v1/disaster/statistics", tag = "灾情救助",
    params(Period),
    responses((status = 200, body = Statistics), (status = 403), (status = 404), (status = 422)))]
async fn statistics(
    State(state): State<AppState>,
    actor: Actor,
    Query(period): Query<Period>,
) -> AppResult<axum::Json<Statistics>> {
    Ok(axum::Json(compute(&state, &actor, &period).await?))
}
