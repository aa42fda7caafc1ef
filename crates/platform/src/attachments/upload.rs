//! Reading a multipart form: its text fields (deserialized like an urlencoded form) and its
//! files, each checked for size and for being a kind of file we keep.

use axum::extract::{FromRequest, Multipart, Request};
use serde::de::DeserializeOwned;

use crate::error::{AppError, AppResult, FieldErrors};

/// Largest single file: a phone photo or a scanned PDF.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Body limit for routes taking uploads (several photos at once); set with
/// `.route_layer(axum::extract::DefaultBodyLimit::max(UPLOAD_BODY_LIMIT))`.
pub const UPLOAD_BODY_LIMIT: usize = 48 * 1024 * 1024;

/// One uploaded file, its type taken from its content (not from what the browser claimed).
#[derive(Clone, Debug)]
pub struct Upload {
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl Upload {
    pub fn is_image(&self) -> bool {
        self.content_type.starts_with("image/")
    }
}

/// A multipart form: text fields and files by field name.
#[derive(Debug, Default)]
pub struct MultipartForm {
    fields: Vec<(String, String)>,
    files: Vec<(String, Upload)>,
}

impl MultipartForm {
    /// The text fields as `T`, the way [`crate::web::form::Form`] reads an urlencoded body.
    pub fn fields<T: DeserializeOwned>(&self) -> AppResult<T> {
        let encoded = serde_urlencoded::to_string(&self.fields)
            .map_err(|_| AppError::bad_request("malformed_form", "上传内容格式不正确"))?;
        serde_urlencoded::from_str(&encoded)
            .map_err(|e| AppError::bad_request("malformed_form", format!("表单内容不正确：{e}")))
    }

    /// One text field, trimmed; `None` when absent or blank.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Where the phone said it was (`latitude`, `longitude` fields), when both are sensible;
    /// location is a courtesy of the device, so a missing or odd one is simply left out.
    pub fn location(&self) -> Option<(f64, f64)> {
        let lat: f64 = self.field("latitude")?.parse().ok()?;
        let lon: f64 = self.field("longitude")?.parse().ok()?;
        ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
    }

    /// The files sent under `name` (empty file inputs are skipped).
    pub fn files(&self, name: &str) -> Vec<&Upload> {
        self.files
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, f)| f)
            .collect()
    }

    async fn read(mut multipart: Multipart) -> AppResult<Self> {
        let malformed = |_| AppError::bad_request("malformed_form", "上传内容格式不正确或过大");
        let mut form = Self::default();
        let mut errors = FieldErrors::new();
        while let Some(field) = multipart.next_field().await.map_err(malformed)? {
            let name = field.name().unwrap_or_default().to_string();
            let filename = field.file_name().map(str::to_string);
            let bytes = field.bytes().await.map_err(malformed)?;
            match filename {
                None => form
                    .fields
                    .push((name, String::from_utf8_lossy(&bytes).into_owned())),
                // A file input left empty sends a part with no name and no content.
                Some(f) if f.is_empty() && bytes.is_empty() => {}
                Some(filename) => match checked(&filename, &bytes) {
                    Ok(content_type) => form.files.push((
                        name,
                        Upload {
                            filename: clean_name(&filename),
                            content_type,
                            bytes: bytes.to_vec(),
                        },
                    )),
                    Err(message) => {
                        errors.entry(name).or_insert(message);
                    }
                },
            }
        }
        if errors.is_empty() {
            Ok(form)
        } else {
            Err(AppError::Validation(errors))
        }
    }
}

impl<S: Send + Sync> FromRequest<S> for MultipartForm {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let multipart = Multipart::from_request(req, state)
            .await
            .map_err(|_| AppError::bad_request("malformed_form", "请以文件上传表单提交"))?;
        Self::read(multipart).await
    }
}

/// The file's type, or why we refuse it.
fn checked(filename: &str, bytes: &[u8]) -> Result<&'static str, String> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "文件“{filename}”超过 {} MB",
            MAX_FILE_BYTES / 1024 / 1024
        ));
    }
    sniff(filename, bytes).ok_or_else(|| {
        format!(
            "文件“{filename}”不是可接受的类型（照片 JPG/PNG/WebP/HEIC，或 PDF、Word、Excel、XML）"
        )
    })
}

/// Text that opens with an XML declaration or element (after a BOM and blanks).
fn looks_like_xml(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    body.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'<')
}

/// The content type from the file's first bytes; Office files are ZIPs told apart by extension.
fn sniff(filename: &str, bytes: &[u8]) -> Option<&'static str> {
    let lower = filename.to_lowercase();
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"\xFF\xD8\xFF") {
        Some("image/jpeg")
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some("image/webp")
    } else if bytes.get(4..8) == Some(b"ftyp")
        && matches!(
            bytes.get(8..12),
            Some(b"heic" | b"heix" | b"mif1" | b"msf1")
        )
    {
        Some("image/heic")
    } else if starts(b"%PDF-") {
        Some("application/pdf")
    } else if lower.ends_with(".xml") && looks_like_xml(bytes) {
        // CAP alerts from higher-level warning systems.
        Some("application/xml")
    } else if starts(b"PK\x03\x04") && lower.ends_with(".docx") {
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    } else if starts(b"PK\x03\x04") && lower.ends_with(".xlsx") {
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    } else {
        None
    }
}

/// The last path component, without control characters, at most 100 characters.
fn clean_name(filename: &str) -> String {
    let base = filename.rsplit(['/', '\\']).next().unwrap_or(filename);
    let name: String = base.chars().filter(|c| !c.is_control()).take(100).collect();
    if name.trim().is_empty() {
        "附件".to_string()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_content_not_from_the_name() {
        assert_eq!(sniff("a.png", b"\xFF\xD8\xFF\xE0rest"), Some("image/jpeg"));
        assert_eq!(sniff("x", b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(sniff("scan.jpg", b"MZ\x90\x00"), None);
        assert_eq!(
            sniff("a.docx", b"PK\x03\x04"),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
        assert_eq!(sniff("a.zip", b"PK\x03\x04"), None);
    }

    #[test]
    fn oversized_files_are_refused_by_name() {
        let big = vec![0xFF; MAX_FILE_BYTES + 1];
        let err = checked("现场.jpg", &big).unwrap_err();
        assert!(err.contains("现场.jpg") && err.contains("10 MB"), "{err}");
    }

    #[test]
    fn names_lose_their_paths() {
        assert_eq!(clean_name("C:\\Users\\王\\照片1.jpg"), "照片1.jpg");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("  "), "附件");
    }
}
