//! `/api/v1/admin/regions`: browse the region tree inside scope.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::store::{self, Region};
use crate::access::Actor;
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::form::{Path, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get_one))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct RegionQuery {
    /// Children of this region (default: the user's own region).
    pub parent: Option<String>,
    /// Or: regions whose name contains this text.
    pub q: Option<String>,
}

/// Children of a region, or a name search, inside the user's scope.
#[utoipa::path(get, path = "/api/v1/admin/regions", tag = "行政区划",
    params(RegionQuery), responses((status = 200, body = Vec<Region>)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<RegionQuery>,
) -> AppResult<axum::Json<Vec<Region>>> {
    let scope = actor.scope();
    if let Some(text) = crate::web::form::optional(&q.q) {
        return Ok(axum::Json(
            store::search(&state.db, &scope, &text, 100).await?,
        ));
    }
    let parent = q.parent.unwrap_or_else(|| actor.region_code.clone());
    Ok(axum::Json(
        store::children(&state.db, &scope, &parent).await?,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RegionDetail {
    pub region: Region,
    /// From the top of the tree down to this region.
    pub path: Vec<Region>,
    pub children: Vec<Region>,
}

/// One region with its path and children; outside scope answers 404.
#[utoipa::path(get, path = "/api/v1/admin/regions/{code}", tag = "行政区划",
    params(("code" = String, Path, description = "12 位区划代码")),
    responses((status = 200, body = RegionDetail), (status = 404)))]
async fn get_one(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
) -> AppResult<axum::Json<RegionDetail>> {
    let scope = actor.scope();
    let region = store::get(&state.db, &scope, &code).await?;
    let path = store::ancestors(&state.db, &code).await?;
    let children = store::children(&state.db, &scope, &code).await?;
    Ok(axum::Json(RegionDetail {
        region,
        path,
        children,
    }))
}
