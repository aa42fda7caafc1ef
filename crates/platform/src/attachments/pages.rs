//! `/files/{id}`: an attachment's content, for readers whose scope covers its record.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use uuid::Uuid;

use super::store;
use crate::access::Actor;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::form::Path;

pub fn router() -> Router<AppState> {
    Router::new().route("/files/{id}", get(download))
}

async fn download(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let file = store::get(&state.db, &actor.scope(), id).await?;
    let path = store::path_of(&state.settings.files_dir, &file.sha256);
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("附件文件缺失 {}: {e}", path.display())))?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&file.content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    let disposition = format!(
        "inline; filename*=UTF-8''{}",
        crate::web::errors::encode(&file.filename)
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}
