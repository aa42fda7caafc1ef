//! `/api/v1/fire/areas`: the live areas, importing a GeoJSON FeatureCollection (the body),
//! locating a point, and the demo county's approximate areas.

use axum::extract::State;
use axum::http::StatusCode;
use platform::access::Actor;
use platform::error::{AppError, AppResult};
use platform::web::AppState;
use platform::web::form::Query;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::demo::{self, DemoOutcome};
use super::store::{self, Area, ImportOptions, ImportOutcome, Location};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, import))
        .routes(routes!(locate))
        .routes(routes!(generate_demo))
}

/// The live areas in scope (county outlines and township areas), without geometry.
#[utoipa::path(get, path = "/api/v1/fire/areas", tag = "森林草原防灭火",
    responses((status = 200, body = Vec<Area>), (status = 403)))]
async fn list(State(state): State<AppState>, actor: Actor) -> AppResult<axum::Json<Vec<Area>>> {
    Ok(axum::Json(store::list(&state.db, &actor).await?))
}

/// Import a GeoJSON FeatureCollection (the request body): each feature names its region by
/// `code`/`gb`/`adcode` (6, 9 or 12 digits, or `156` + county) or `name`; all or nothing; a
/// region's earlier area is replaced. 422 lists each bad feature under `feature_0001`….
#[utoipa::path(post, path = "/api/v1/fire/areas", tag = "森林草原防灭火",
    params(ImportOptions),
    request_body(content = String, content_type = "application/geo+json"),
    responses((status = 201, body = ImportOutcome), (status = 403), (status = 422)))]
async fn import(
    State(state): State<AppState>,
    actor: Actor,
    Query(options): Query<ImportOptions>,
    body: String,
) -> AppResult<(StatusCode, axum::Json<ImportOutcome>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::import(&state, &actor, &body, &options).await?),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct Point {
    /// Longitude (EPSG:4490 ≈ WGS84).
    lon: Option<f64>,
    /// Latitude.
    lat: Option<f64>,
}

/// The township of a point in the actor's county (`township`), inside the county outline but
/// in no township area (`county_only`), or `outside`. On a boundary shared by two townships
/// the lower code wins.
#[utoipa::path(get, path = "/api/v1/fire/areas/locate", tag = "森林草原防灭火",
    params(Point), responses((status = 200, body = Location), (status = 422)))]
async fn locate(
    State(state): State<AppState>,
    actor: Actor,
    Query(point): Query<Point>,
) -> AppResult<axum::Json<Location>> {
    let (Some(lon), Some(lat)) = (point.lon, point.lat) else {
        return Err(AppError::field("lon", "请提供经度 lon 和纬度 lat"));
    };
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(AppError::field("lon", "经纬度超出范围"));
    }
    Ok(axum::Json(
        store::locate(&state.db, &actor, lon, lat).await?,
    ))
}

/// 生成三台县近似乡镇范围（演示）: only for the demo county's staff.
#[utoipa::path(post, path = "/api/v1/fire/areas/demo", tag = "森林草原防灭火",
    responses((status = 201, body = DemoOutcome), (status = 403)))]
async fn generate_demo(
    State(state): State<AppState>,
    actor: Actor,
) -> AppResult<(StatusCode, axum::Json<DemoOutcome>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(demo::generate(&state, &actor).await?),
    ))
}
