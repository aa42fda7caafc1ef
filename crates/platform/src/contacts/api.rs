//! `/api/v1/contacts`.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{self, Contact, ContactFilter, ContactInput};
use crate::access::Actor;
use crate::error::{AppError, AppResult};
use crate::org::api::VoidRequest;
use crate::web::AppState;
use crate::web::form::{Json, Path, Query};
use crate::web::paging::{PageOf, Paging};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(void))
}

/// Responsible persons in scope.
#[utoipa::path(get, path = "/api/v1/contacts", tag = "责任人通讯录",
    params(ContactFilter, Paging), responses((status = 200, body = PageOf<Contact>), (status = 403)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<ContactFilter>,
    Query(paging): Query<Paging>,
) -> AppResult<axum::Json<PageOf<Contact>>> {
    require_view(&actor)?;
    Ok(axum::Json(
        store::list(&state.db, &actor.scope(), &filter, paging).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/contacts", tag = "责任人通讯录", request_body = ContactInput,
    responses((status = 201, body = Contact), (status = 422, description = "字段错误")))]
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<ContactInput>,
) -> AppResult<(StatusCode, axum::Json<Contact>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create(&state, &actor, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/contacts/{id}", tag = "责任人通讯录",
    params(("id" = Uuid, Path)), responses((status = 200, body = Contact), (status = 404)))]
async fn get_one(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Contact>> {
    require_view(&actor)?;
    Ok(axum::Json(store::get(&state.db, &actor.scope(), id).await?))
}

fn require_view(actor: &Actor) -> AppResult<()> {
    if super::may_view(actor) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Edit; `version` must be the one read (a stale edit answers 409).
#[utoipa::path(patch, path = "/api/v1/contacts/{id}", tag = "责任人通讯录", request_body = ContactInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = Contact), (status = 409)))]
async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<ContactInput>,
) -> AppResult<axum::Json<Contact>> {
    Ok(axum::Json(store::update(&state, &actor, id, &input).await?))
}

/// 作废 with a reason.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/void", tag = "责任人通讯录", request_body = VoidRequest,
    params(("id" = Uuid, Path)), responses((status = 200, body = Contact)))]
async fn void(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VoidRequest>,
) -> AppResult<axum::Json<Contact>> {
    Ok(axum::Json(
        store::void(&state, &actor, id, &input.reason).await?,
    ))
}
