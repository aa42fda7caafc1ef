//! Export a table to XLSX and send it as a download.

use axum::response::Response;
use rust_xlsxwriter::{Format, Workbook};

use crate::error::{AppError, AppResult};

/// One sheet: a bold header row, then the rows as text.
pub fn workbook(sheet: &str, headers: &[&str], rows: &[Vec<String>]) -> AppResult<Vec<u8>> {
    workbook_of(&[Sheet {
        name: sheet,
        headers,
        rows,
    }])
}

/// One sheet of a workbook with several.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub headers: &'a [&'a str],
    pub rows: &'a [Vec<String>],
}

/// Several sheets, each a bold header row, then its rows as text.
pub fn workbook_of(sheets: &[Sheet<'_>]) -> AppResult<Vec<u8>> {
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        for sheet in sheets {
            let ws = book.add_worksheet();
            ws.set_name(sheet.name)?;
            for (col, title) in sheet.headers.iter().enumerate() {
                ws.write_string_with_format(0, col as u16, *title, &bold)?;
                ws.set_column_width(col as u16, 18)?;
            }
            for (i, row) in sheet.rows.iter().enumerate() {
                for (col, value) in row.iter().enumerate() {
                    ws.write_string(i as u32 + 1, col as u16, value)?;
                }
            }
            ws.set_freeze_panes(1, 0)?;
        }
        book.save_to_buffer()
    };
    build().map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))
}

/// A download named in Chinese.
pub fn download(filename: &str, bytes: Vec<u8>) -> Response {
    super::letter::file_download(
        filename,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "export.xlsx",
        bytes,
    )
}
