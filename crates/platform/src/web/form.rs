//! Extractors that turn malformed input into our error body (Chinese message, stable code)
//! instead of axum's plain-text rejections, and the state a form page re-renders with.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::{AppError, AppResult, FieldErrors};

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

/// `2027-01-31` (also `2027/1/31`, as spreadsheets write it).
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    let t = text.trim();
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(t, "%Y/%m/%d"))
        .ok()
}

/// A time as a `datetime-local` input sends it (UTC+8), or RFC 3339 with an offset.
pub fn parse_time(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let t = text.trim();
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(at.with_timezone(&chrono::Utc));
    }
    [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| chrono::NaiveDateTime::parse_from_str(t, f).ok())
    .map(|local| (local - chrono::Duration::hours(8)).and_utc())
}

/// A time for a `datetime-local` input, in UTC+8.
pub fn local_input(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&crate::clock::china())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// An optional date field; a malformed one is noted in `errors`.
pub fn date_field(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<String>,
) -> Option<chrono::NaiveDate> {
    let text = optional(value)?;
    let d = parse_date(&text);
    if d.is_none() {
        errors.insert(field.into(), "日期格式应为 2026-06-01".into());
    }
    d
}

/// An optional text field of at most `max` characters; a longer one is noted in `errors`.
pub fn text_field(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<String>,
    max: usize,
    label: &str,
) -> Option<String> {
    let v = optional(value);
    if v.as_deref().is_some_and(|t| t.chars().count() > max) {
        errors.insert(field.into(), format!("{label}不超过 {max} 个字"));
    }
    v
}

/// Yuan as typed ("12.5") to fen; money is stored in fen so sums stay exact.
pub fn yuan_field(errors: &mut FieldErrors, field: &str, value: &Option<String>) -> Option<i64> {
    let text = optional(value)?;
    match text.parse::<f64>() {
        Ok(v) if (0.0..1e12).contains(&v) => Some((v * 100.0).round() as i64),
        _ => {
            errors.insert(field.into(), "请填写金额（元），如 5000".into());
            None
        }
    }
}

/// Fen shown as yuan with two decimals, e.g. `5000.00`.
pub fn fen_as_yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

/// The label of a code in a fixed `(code, label)` table; "" when unknown.
pub fn label_of(table: &[(&'static str, &'static str)], code: &str) -> &'static str {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

/// A number typed in a form ("" for blank) or sent as JSON.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(untagged)]
enum NumberOrText {
    Number(f64),
    Text(String),
}

/// `#[serde(default, deserialize_with = "de_number")]`: a field that forms send as text and
/// JSON clients as a number, kept as text for the validator to parse.
pub fn de_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    use serde::Deserialize;
    Ok(match Option::<NumberOrText>::deserialize(d)? {
        None => None,
        Some(NumberOrText::Number(n)) => Some(n.to_string()),
        Some(NumberOrText::Text(t)) => Some(t),
    })
}

/// A yes/no typed in a form ("on", "true") or sent as JSON.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(untagged)]
enum BoolOrText {
    Bool(bool),
    Text(String),
}

/// `#[serde(default, deserialize_with = "de_flag")]`: a checkbox ("on") or a JSON bool.
pub fn de_flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    use serde::Deserialize;
    Ok(match Option::<BoolOrText>::deserialize(d)? {
        None => None,
        Some(BoolOrText::Bool(b)) => Some(b),
        Some(BoolOrText::Text(t)) => Some(matches!(t.trim(), "on" | "true" | "1")),
    })
}

/// Like [`de_flag`], absent meaning no.
pub fn de_required_flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(de_flag(d)?.unwrap_or(false))
}

/// The answer to a submitted form: on success a redirect to `done(&saved)`; on a validation or
/// conflict error the form again (422) with the errors beside its fields and what was typed;
/// any other error as it is.
pub async fn redirect_or_again<T, P, F, Fut>(
    result: AppResult<T>,
    done: impl FnOnce(&T) -> String,
    again: F,
) -> AppResult<axum::response::Response>
where
    F: FnOnce(FormErrors) -> Fut,
    Fut: std::future::Future<Output = AppResult<P>>,
    P: axum::response::IntoResponse,
{
    use axum::response::IntoResponse;
    match result {
        Ok(saved) => Ok(axum::response::Redirect::to(&done(&saved)).into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let page = again(errors).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[cfg(test)]
mod field_tests {
    use super::*;

    #[test]
    fn dates_as_typed_and_as_spreadsheets_write_them() {
        let d = chrono::NaiveDate::from_ymd_opt(2027, 1, 31);
        assert_eq!(parse_date("2027-01-31"), d);
        assert_eq!(parse_date(" 2027/1/31 "), d);
        assert_eq!(parse_date("明年"), None);
    }

    #[test]
    fn yuan_to_fen_and_back() {
        let mut errors = FieldErrors::new();
        assert_eq!(
            yuan_field(&mut errors, "f", &Some("12.5".into())),
            Some(1250)
        );
        assert_eq!(yuan_field(&mut errors, "f", &Some("".into())), None);
        assert!(errors.is_empty());
        assert_eq!(yuan_field(&mut errors, "f", &Some("-3".into())), None);
        assert!(errors.contains_key("f"));
        assert_eq!(fen_as_yuan(500_005), "5000.05");
    }

    #[test]
    fn too_long_text_is_noted() {
        let mut errors = FieldErrors::new();
        assert_eq!(
            text_field(&mut errors, "t", &Some("一二三".into()), 2, "名称").as_deref(),
            Some("一二三")
        );
        assert_eq!(errors["t"], "名称不超过 2 个字");
    }
}
