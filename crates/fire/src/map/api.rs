//! `GET /api/v1/fire/map`: the map's layers as one GeoJSON FeatureCollection.

use axum::extract::State;
use platform::access::Actor;
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::Query;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::layers::{self, Feature};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(map))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct DayQuery {
    /// The day (YYYY-MM-DD, UTC+8) whose hotspots are shown; default today.
    pub day: Option<String>,
}

/// A GeoJSON FeatureCollection with the day it shows.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MapCollection {
    /// Always `FeatureCollection`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The day shown (YYYY-MM-DD).
    pub day: String,
    /// Areas (`kind` = `area`: level, code, name, approximate) first, then hotspots
    /// (`kind` = `hotspot`: number, stage, stage_label, colour, township, verdict, link).
    pub features: Vec<Feature>,
}

/// 防火一张图: the county outline and township areas in scope, and the day's hotspots by stage.
#[utoipa::path(get, path = "/api/v1/fire/map", tag = "森林草原防灭火",
    params(DayQuery),
    responses((status = 200, body = MapCollection), (status = 403), (status = 422)))]
async fn map(
    State(state): State<AppState>,
    actor: Actor,
    Query(query): Query<DayQuery>,
) -> AppResult<axum::Json<MapCollection>> {
    crate::access::require_reader(&actor)?;
    let day = super::day_or_today(&state, query.day.as_deref())?;
    Ok(axum::Json(MapCollection {
        kind: "FeatureCollection",
        day: day.format("%Y-%m-%d").to_string(),
        features: layers::features(&state, &actor, day).await?,
    }))
}
