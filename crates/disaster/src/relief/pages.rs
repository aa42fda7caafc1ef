//! Placeholder until the ledger lands.

use axum::Router;
use platform::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
}
