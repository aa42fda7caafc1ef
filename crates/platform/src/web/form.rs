//! Extractors that turn malformed input into our error body (Chinese message, stable code)
//! instead of axum's plain-text rejections, and the state a form page re-renders with.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::{AppError, FieldErrors};

macro_rules! wrap_parts_extractor {
    ($name:ident, $inner:path, $code:literal, $message:literal) => {
        pub struct $name<T>(pub T);

        impl<T, S> FromRequestParts<S> for $name<T>
        where
            T: DeserializeOwned + Send,
            S: Send + Sync,
        {
            type Rejection = AppError;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
                <$inner>::from_request_parts(parts, state)
                    .await
                    .map(|v| Self(v.0))
                    .map_err(|e| {
                        tracing::debug!(error = %e, "rejected request parameters");
                        AppError::bad_request($code, $message)
                    })
            }
        }
    };
}

macro_rules! wrap_body_extractor {
    ($name:ident, $inner:path, $code:literal, $message:literal) => {
        pub struct $name<T>(pub T);

        impl<T, S> FromRequest<S> for $name<T>
        where
            T: DeserializeOwned,
            S: Send + Sync,
        {
            type Rejection = AppError;

            async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
                <$inner>::from_request(req, state)
                    .await
                    .map(|v| Self(v.0))
                    .map_err(|e| match e.status() {
                        axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                            AppError::bad_request("body_too_large", "提交的内容过大")
                        }
                        _ => {
                            tracing::debug!(error = %e, "rejected request body");
                            AppError::bad_request($code, $message)
                        }
                    })
            }
        }
    };
}

wrap_parts_extractor!(
    Path,
    axum::extract::Path<T>,
    "invalid_path",
    "地址中的参数不正确"
);
wrap_parts_extractor!(
    Query,
    axum::extract::Query<T>,
    "invalid_query",
    "查询条件格式不正确"
);
wrap_body_extractor!(
    Form,
    axum_extra::extract::Form<T>,
    "malformed_form",
    "表单内容格式不正确，请检查后重新提交"
);
wrap_body_extractor!(
    Json,
    axum::extract::Json<T>,
    "malformed_json",
    "JSON 格式不正确或缺少必填字段"
);

/// Errors a form page shows beside its fields, plus a message for the whole form.
#[derive(Default, Debug)]
pub struct FormErrors {
    pub fields: FieldErrors,
    pub message: Option<String>,
}

impl FormErrors {
    /// Keep validation and conflict errors for the form; anything else stays an error.
    pub fn from_error(err: AppError) -> Result<Self, AppError> {
        match err {
            AppError::Validation(fields) => Ok(Self {
                fields,
                message: Some("提交的内容有误，请按提示修改".to_string()),
            }),
            AppError::Conflict { message, .. } | AppError::BadRequest { message, .. } => Ok(Self {
                fields: FieldErrors::new(),
                message: Some(message),
            }),
            other => Err(other),
        }
    }

    pub fn get(&self, field: &str) -> &str {
        self.fields.get(field).map(String::as_str).unwrap_or("")
    }

    pub fn has(&self, field: &str) -> bool {
        self.fields.contains_key(field)
    }
}

/// Trimmed text, or `None` when blank.
pub fn optional(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A phone number as people write them: digits and hyphens, 5–20 characters. Blank is fine.
pub fn valid_phone(phone: &Option<String>) -> bool {
    phone.as_deref().is_none_or(|p| {
        (5..=20).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit() || b == b'-')
    })
}
