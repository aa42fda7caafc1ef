//! Attachments: photos, scans and documents kept content-addressed (SHA-256) under the files
//! folder, each belonging to one record of an area and scoped by that record's region.
//!
//! A file is written before its row, and the row goes into the caller's transaction: a failed
//! change leaves at most an unreferenced file (same content, same name, harmless), never a row
//! without its file.

pub mod entity;
mod pages;
pub mod store;
pub mod upload;

pub use store::{Attachment, Owner, attach, get, list_for, save};
pub use upload::{MAX_FILE_BYTES, MultipartForm, UPLOAD_BODY_LIMIT, Upload};

/// Download of an attachment: `/files/{id}`.
pub fn router() -> axum::Router<crate::web::AppState> {
    pages::router()
}
