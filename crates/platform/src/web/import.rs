//! Importing a ledger from an XLSX sheet filled in from our template: read the rows, report
//! every problem by row number, and import all rows or — when the user asks — only the valid
//! ones. The page is shared by every ledger that imports.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::attachments::MultipartForm;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::PageCtx;

/// One problem in one row of the sheet (rows numbered as Excel shows them).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RowError {
    pub row: usize,
    pub message: String,
}

/// The uploaded sheet: its data rows (number, cells as text) and the user's choice.
pub struct Upload {
    pub rows: Vec<(usize, Vec<String>)>,
    /// 只导入无误的行: skip invalid rows instead of refusing the whole file.
    pub valid_only: bool,
}

impl Upload {
    /// Read field `file` (an .xlsx) and the `valid_only` check box; the first row is headers.
    pub fn read(form: &MultipartForm, width: usize) -> AppResult<Self> {
        let file = form
            .files("file")
            .into_iter()
            .next()
            .ok_or_else(|| AppError::field("file", "请选择按模板填写的 .xlsx 文件"))?;
        let rows = read_rows(&file.bytes, width).ok_or_else(|| {
            AppError::field("file", "无法读取文件，请上传按模板填写的 .xlsx 文件")
        })?;
        if rows.is_empty() {
            return Err(AppError::field("file", "文件中没有数据行"));
        }
        let valid_only = matches!(form.field("valid_only"), Some("on" | "true" | "1"));
        Ok(Self { rows, valid_only })
    }
}

/// The first sheet's non-empty rows after the header, each as `width` trimmed texts.
pub fn read_rows(bytes: &[u8], width: usize) -> Option<Vec<(usize, Vec<String>)>> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).ok()?;
    let range = book.worksheet_range_at(0)?.ok()?;
    // The range starts at the first used cell, not at Excel's A1: count from there.
    let (first, first_col) = range
        .start()
        .map(|(row, col)| (row as usize, col as usize))
        .unwrap_or((0, 0));
    Some(
        range
            .rows()
            .enumerate()
            .map(|(i, row)| (first + i, row))
            .filter(|(index, _)| *index > 0)
            .map(|(index, row)| {
                let cells = (0..width)
                    .map(|c| {
                        c.checked_sub(first_col)
                            .and_then(|i| row.get(i))
                            .map(cell_text)
                            .unwrap_or_default()
                    })
                    .collect::<Vec<_>>();
                (index + 1, cells)
            })
            .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
            .collect(),
    )
}

/// A cell as people typed it: whole numbers without ".0", dates as 2026-06-01.
pub fn cell_text(cell: &calamine::Data) -> String {
    match cell {
        calamine::Data::Empty => String::new(),
        calamine::Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        // Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
        calamine::Data::DateTime(d) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|epoch| epoch.checked_add_days(chrono::Days::new(d.as_f64() as u64)))
            .map(|day| day.to_string())
            .unwrap_or_else(|| d.to_string()),
        other => other.to_string().trim().to_string(),
    }
}

/// Row errors from a record's field errors, naming each field by its column heading.
pub fn row_errors(
    row: usize,
    fields: FieldErrors,
    column_of: impl Fn(&str) -> &'static str,
) -> Vec<RowError> {
    fields
        .into_iter()
        .map(|(field, message)| {
            let column = column_of(&field);
            RowError {
                row,
                message: if column.is_empty() {
                    message
                } else {
                    format!("{column}：{message}")
                },
            }
        })
        .collect()
}

/// The import page of a ledger.
#[derive(Template, WebTemplate)]
#[template(path = "import.html")]
pub struct ImportPage {
    pub ctx: PageCtx,
    /// e.g. 监管对象
    pub ledger: &'static str,
    /// The ledger's list, e.g. /safety/units
    pub back: &'static str,
    pub columns: &'static [&'static str],
    pub errors: Vec<RowError>,
    pub message: Option<String>,
}

impl ImportPage {
    pub fn new(
        ctx: PageCtx,
        ledger: &'static str,
        back: &'static str,
        columns: &'static [&'static str],
    ) -> Self {
        Self {
            ctx,
            ledger,
            back,
            columns,
            errors: Vec::new(),
            message: None,
        }
    }

    /// The page again with what went wrong (422).
    pub fn refused(mut self, message: &str, errors: Vec<RowError>) -> Response {
        self.message = Some(message.to_string());
        self.errors = errors;
        (StatusCode::UNPROCESSABLE_ENTITY, self).into_response()
    }

    /// The page for an error that is not about rows (no file, unreadable file).
    pub fn from_error(self, err: AppError) -> AppResult<Response> {
        let form = crate::web::form::FormErrors::from_error(err)?;
        let message = form
            .fields
            .values()
            .next()
            .cloned()
            .or(form.message)
            .unwrap_or_default();
        Ok(self.refused(&message, Vec::new()))
    }
}
