//! `/api/v1/admin/dicts`: code tables for every logged-in user to read (forms need them) and for
//! the system administrator to maintain.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{self, Dict, DictItem, ItemChange, NewItem};
use crate::access::Actor;
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::form::{Json, Path, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_dicts))
        .routes(routes!(list_items, create_item))
        .routes(routes!(set_current_edition))
        .routes(routes!(get_item, update_item))
}

/// Every dictionary with its editions and item counts.
#[utoipa::path(get, path = "/api/v1/admin/dicts", tag = "数据字典",
    responses((status = 200, body = Vec<Dict>), (status = 401, description = "未登录")))]
async fn list_dicts(
    State(state): State<AppState>,
    _actor: Actor,
) -> AppResult<axum::Json<Vec<Dict>>> {
    Ok(axum::Json(store::list_dicts(&state.db).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ItemsQuery {
    /// Edition; the dictionary's current edition when absent.
    edition: Option<String>,
    /// `true`: enabled items only (what a form offers); `false`: disabled only.
    enabled: Option<bool>,
}

/// The items of one edition, in display order.
#[utoipa::path(get, path = "/api/v1/admin/dicts/{code}/items", tag = "数据字典",
    params(("code" = String, Path, description = "字典编码"), ItemsQuery),
    responses((status = 200, body = Vec<DictItem>), (status = 404, description = "字典或版本不存在")))]
async fn list_items(
    State(state): State<AppState>,
    _actor: Actor,
    Path(code): Path<String>,
    Query(q): Query<ItemsQuery>,
) -> AppResult<axum::Json<Vec<DictItem>>> {
    let items = store::items(&state.db, &code, q.edition.as_deref()).await?;
    Ok(axum::Json(
        items
            .into_iter()
            .filter(|i| q.enabled.is_none_or(|e| i.enabled == e))
            .collect(),
    ))
}

/// Add an item (to the current edition unless `edition` names another or a new one).
#[utoipa::path(post, path = "/api/v1/admin/dicts/{code}/items", tag = "数据字典",
    params(("code" = String, Path, description = "字典编码")), request_body = NewItem,
    responses((status = 201, body = DictItem), (status = 403, description = "无权限"),
        (status = 404, description = "字典不存在"), (status = 422, description = "编码重复或内容有误")))]
async fn create_item(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    Json(input): Json<NewItem>,
) -> AppResult<(StatusCode, axum::Json<DictItem>)> {
    let created = store::create_item(&state, &actor, &code, &input).await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct EditionChoice {
    pub edition: String,
}

/// Switch the edition new records are classified under.
#[utoipa::path(post, path = "/api/v1/admin/dicts/{code}/current-edition", tag = "数据字典",
    params(("code" = String, Path, description = "字典编码")), request_body = EditionChoice,
    responses((status = 200, body = Dict), (status = 403, description = "无权限"),
        (status = 422, description = "该版本没有启用的字典项")))]
async fn set_current_edition(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    Json(input): Json<EditionChoice>,
) -> AppResult<axum::Json<Dict>> {
    Ok(axum::Json(
        store::set_current_edition(&state, &actor, &code, &input.edition).await?,
    ))
}

/// One item.
#[utoipa::path(get, path = "/api/v1/admin/dict-items/{id}", tag = "数据字典",
    params(("id" = Uuid, Path)), responses((status = 200, body = DictItem), (status = 404)))]
async fn get_item(
    State(state): State<AppState>,
    _actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<DictItem>> {
    Ok(axum::Json(store::get_item(&state.db, id).await?))
}

/// Change an item's label, parent, order or state (`enabled: false` disables it). `version` must
/// be the one read; a stale version answers 409 `stale_edit`.
#[utoipa::path(patch, path = "/api/v1/admin/dict-items/{id}", tag = "数据字典",
    params(("id" = Uuid, Path)), request_body = ItemChange,
    responses((status = 200, body = DictItem), (status = 403, description = "无权限"), (status = 404),
        (status = 409, description = "已被他人修改"), (status = 422, description = "内容有误")))]
async fn update_item(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<ItemChange>,
) -> AppResult<axum::Json<DictItem>> {
    Ok(axum::Json(
        store::update_item(&state, &actor, id, &input).await?,
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_route_is_in_the_openapi_document() {
        let (_, doc) = super::router().split_for_parts();
        let paths: Vec<&str> = doc.paths.paths.keys().map(String::as_str).collect();
        for path in [
            "/api/v1/admin/dicts",
            "/api/v1/admin/dicts/{code}/items",
            "/api/v1/admin/dicts/{code}/current-edition",
            "/api/v1/admin/dict-items/{id}",
        ] {
            assert!(paths.contains(&path), "{path} missing from {paths:?}");
        }
        let item = &doc.paths.paths["/api/v1/admin/dict-items/{id}"];
        assert!(item.get.is_some() && item.patch.is_some());
    }
}
