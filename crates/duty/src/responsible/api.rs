//! `/api/v1/duty/responsible`: responsible persons (责任人) and the county's publication setting.

use axum::extract::State;
use axum::http::StatusCode;
use platform::access::Actor;
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path, Query};
use platform::web::paging::{PageOf, Paging};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{
    self, DisplayInput, DisplaySetting, Person, PersonFilter, PersonInput, VoidInput,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(display, set_display))
        .routes(routes!(get, update))
        .routes(routes!(void))
}

/// Responsible persons in the caller's scope.
#[utoipa::path(get, path = "/api/v1/duty/responsible", tag = "值班值守",
    params(PersonFilter, Paging), responses((status = 200, body = PageOf<Person>), (status = 403)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<PersonFilter>,
    Query(paging): Query<Paging>,
) -> AppResult<axum::Json<PageOf<Person>>> {
    Ok(axum::Json(
        store::list(&state.db, &actor, &filter, paging).await?,
    ))
}

/// Add a responsible person: phone an 11-digit mobile or a landline with area code, the
/// township or village inside the caller's scope.
#[utoipa::path(post, path = "/api/v1/duty/responsible", tag = "值班值守",
    request_body = PersonInput,
    responses((status = 201, body = Person), (status = 403), (status = 422)))]
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<PersonInput>,
) -> AppResult<(StatusCode, axum::Json<Person>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create(&state, &actor, &input).await?),
    ))
}

/// One responsible person.
#[utoipa::path(get, path = "/api/v1/duty/responsible/{id}", tag = "值班值守",
    params(("id" = Uuid, Path)), responses((status = 200, body = Person), (status = 404)))]
async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Person>> {
    Ok(axum::Json(store::get(&state.db, &actor, id).await?))
}

/// Change a responsible person against the version read (409 when someone changed it first).
#[utoipa::path(put, path = "/api/v1/duty/responsible/{id}", tag = "值班值守",
    request_body = PersonInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Person), (status = 409), (status = 422)))]
async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<PersonInput>,
) -> AppResult<axum::Json<Person>> {
    Ok(axum::Json(store::update(&state, &actor, id, &input).await?))
}

/// 作废 with a reason.
#[utoipa::path(post, path = "/api/v1/duty/responsible/{id}/void", tag = "值班值守",
    request_body = VoidInput, params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404), (status = 422)))]
async fn void(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VoidInput>,
) -> AppResult<StatusCode> {
    store::void(&state, &actor, id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How the county's public pages show phone numbers.
#[utoipa::path(get, path = "/api/v1/duty/responsible-display", tag = "值班值守",
    responses((status = 200, body = DisplaySetting), (status = 403)))]
async fn display(
    State(state): State<AppState>,
    actor: Actor,
) -> AppResult<axum::Json<DisplaySetting>> {
    Ok(axum::Json(store::get_display(&state.db, &actor).await?))
}

/// Choose full or masked phone numbers on the public pages (county duty editors).
#[utoipa::path(put, path = "/api/v1/duty/responsible-display", tag = "值班值守",
    request_body = DisplayInput,
    responses((status = 200, body = DisplaySetting), (status = 403), (status = 409)))]
async fn set_display(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<DisplayInput>,
) -> AppResult<axum::Json<DisplaySetting>> {
    Ok(axum::Json(
        store::set_display(&state, &actor, &input).await?,
    ))
}
