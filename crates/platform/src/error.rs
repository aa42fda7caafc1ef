//! One error type for every route: stable snake_case codes, Chinese messages, internals logged only.

use std::collections::BTreeMap;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Field name → message shown beside that field.
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("not logged in")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("{message}")]
    Locked { message: String },
    #[error("password change required")]
    PasswordChangeRequired,
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

/// Carried on the response so the page layer can render the same error as HTML.
#[derive(Clone, Debug, Serialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: FieldErrors,
}

impl AppError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
        }
    }

    /// One invalid field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(field.to_string(), message.into());
        Self::Validation(fields)
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::Locked { .. } => StatusCode::LOCKED,
            Self::PasswordChangeRequired => StatusCode::FORBIDDEN,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn body(&self) -> ErrorBody {
        let (code, message, fields) = match self {
            Self::NotFound => (
                "not_found",
                "记录不存在或不在您的管辖范围内".to_string(),
                None,
            ),
            Self::Unauthorized => ("unauthorized", "请先登录".to_string(), None),
            Self::Forbidden => ("forbidden", "您没有执行此操作的权限".to_string(), None),
            Self::BadRequest { code, message } => (*code, message.clone(), None),
            Self::Validation(fields) => (
                "validation_failed",
                "提交的内容有误，请按提示修改".to_string(),
                Some(fields.clone()),
            ),
            Self::Conflict { code, message } => (*code, message.clone(), None),
            Self::Locked { message } => ("account_locked", message.clone(), None),
            Self::PasswordChangeRequired => (
                "password_change_required",
                "首次登录或密码已被重置，请先修改密码".to_string(),
                None,
            ),
            Self::Internal(_) => (
                "internal_error",
                "系统内部错误，请稍后重试".to_string(),
                None,
            ),
        };
        ErrorBody {
            code: code.to_string(),
            message,
            fields: fields.unwrap_or_default(),
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::Internal(err.into())
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

#[derive(Serialize)]
struct Envelope {
    error: ErrorBody,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Internal(err) = &self {
            tracing::error!(error = ?err, "internal error");
        }
        let body = self.body();
        let mut response = (
            self.status(),
            Json(Envelope {
                error: body.clone(),
            }),
        )
            .into_response();
        response.extensions_mut().insert(body);
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;
