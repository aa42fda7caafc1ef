//! Official documents (公文-style letters: orders, opinions, notices) from one description,
//! rendered as a printable page and as a DOCX file, so the two never disagree.
//!
//! Layout follows GB/T 9704 loosely: A4, the issuing authority and title centred in a large
//! Song typeface, the document number under them, body text in FangSong 三号 (16 pt).

use askama::Template;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use docx_rs::{AlignmentType, Docx, LineSpacing, Paragraph, Run, RunFonts};

use crate::error::{AppError, AppResult};

/// One letter, as issued.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Letter {
    /// 发文机关, e.g. 三台县应急管理局.
    pub authority: String,
    /// e.g. 责令限期整改指令书.
    pub title: String,
    /// e.g. 三台应急责改〔2026〕13号.
    pub number: String,
    /// 主送: the unit or offices addressed, without the trailing colon.
    pub addressee: String,
    /// Body paragraphs, in order.
    pub paragraphs: Vec<String>,
    /// Lines for signatures, e.g. "执法人员（签名）：__________".
    pub signatures: Vec<String>,
    /// 成文日期 as written on the letter, e.g. 2026年6月1日.
    pub date: String,
}

/// `2026年6月1日`, as dates are written on documents.
pub fn written_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// `〔2026〕13号`-style document numbers: `{prefix}〔{year}〕{n}号`.
pub fn document_number(prefix: &str, year: i32, n: i64) -> String {
    format!("{prefix}〔{year}〕{n}号")
}

// Half-points, as Word counts font sizes.
const TITLE_SIZE: usize = 44; // 二号
const BODY_SIZE: usize = 32; // 三号

fn song(text: &str, size: usize) -> Run {
    Run::new()
        .add_text(text)
        .size(size)
        .fonts(RunFonts::new().east_asia("方正小标宋简体").ascii("SimSun"))
}

fn fangsong(text: &str) -> Run {
    Run::new()
        .add_text(text)
        .size(BODY_SIZE)
        .fonts(RunFonts::new().east_asia("仿宋_GB2312").ascii("FangSong"))
}

fn centred(run: Run) -> Paragraph {
    Paragraph::new().add_run(run).align(AlignmentType::Center)
}

impl Letter {
    /// The DOCX file: A4 with official margins, fixed 28-point line spacing.
    pub fn to_docx(&self) -> AppResult<Vec<u8>> {
        let spacing = LineSpacing::new()
            .line(560)
            .line_rule(docx_rs::LineSpacingType::Exact);
        let body = |text: &str| {
            Paragraph::new()
                .add_run(fangsong(text))
                .line_spacing(spacing.clone())
                .indent(
                    None,
                    Some(docx_rs::SpecialIndentType::FirstLine(640)),
                    None,
                    None,
                )
        };
        let mut doc = Docx::new()
            .page_size(11906, 16838)
            .page_margin(
                docx_rs::PageMargin::new()
                    .top(2098)
                    .bottom(1984)
                    .left(1588)
                    .right(1474),
            )
            .add_paragraph(centred(song(&self.authority, TITLE_SIZE)))
            .add_paragraph(centred(song(&self.title, TITLE_SIZE)))
            .add_paragraph(centred(fangsong(&self.number)))
            .add_paragraph(Paragraph::new())
            .add_paragraph(
                Paragraph::new()
                    .add_run(fangsong(&format!("{}：", self.addressee)))
                    .line_spacing(spacing.clone()),
            );
        for p in &self.paragraphs {
            doc = doc.add_paragraph(body(p));
        }
        doc = doc.add_paragraph(Paragraph::new());
        for s in &self.signatures {
            doc = doc.add_paragraph(
                Paragraph::new()
                    .add_run(fangsong(s))
                    .line_spacing(spacing.clone()),
            );
        }
        doc = doc
            .add_paragraph(Paragraph::new())
            .add_paragraph(
                Paragraph::new()
                    .add_run(fangsong(&format!("{}（印章）", self.authority)))
                    .align(AlignmentType::Right),
            )
            .add_paragraph(
                Paragraph::new()
                    .add_run(fangsong(&self.date))
                    .align(AlignmentType::Right),
            );
        let mut out = std::io::Cursor::new(Vec::new());
        doc.build()
            .pack(&mut out)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("docx: {e}")))?;
        Ok(out.into_inner())
    }

    /// The printable page: the letter alone on A4, with a print button hidden when printing.
    pub fn to_page(&self, back_href: &str, docx_href: &str) -> AppResult<Response> {
        let page = LetterPage {
            letter: self,
            back_href,
            docx_href,
        };
        let html = page
            .render()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("letter page: {e}")))?;
        Ok(axum::response::Html(html).into_response())
    }

    /// The DOCX as a download named after the title and number.
    pub fn download(&self) -> AppResult<Response> {
        let name = format!("{}{}.docx", self.title, self.number);
        Ok(file_download(
            &name,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "document.docx",
            self.to_docx()?,
        ))
    }
}

#[derive(Template)]
#[template(path = "letter.html")]
struct LetterPage<'a> {
    letter: &'a Letter,
    back_href: &'a str,
    docx_href: &'a str,
}

/// A download named in Chinese (RFC 5987 `filename*`), with an ASCII fallback name.
pub fn file_download(
    filename: &str,
    content_type: &'static str,
    fallback: &str,
    bytes: Vec<u8>,
) -> Response {
    let encoded: String = filename
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let disposition = format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}");
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter() -> Letter {
        Letter {
            authority: "三台县应急管理局".into(),
            title: "责令限期整改指令书".into(),
            number: document_number("三台应急责改", 2026, 13),
            addressee: "三台县某化工有限公司".into(),
            paragraphs: vec![
                "经查，你单位存在下列问题：".into(),
                "1. 消防通道堵塞。".into(),
            ],
            signatures: vec!["执法人员（签名）：".into()],
            date: written_date(chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()),
        }
    }

    #[test]
    fn numbers_and_dates_are_written_as_on_paper() {
        assert_eq!(letter().number, "三台应急责改〔2026〕13号");
        assert_eq!(letter().date, "2026年6月1日");
    }

    #[test]
    fn the_docx_reads_back_with_every_paragraph() {
        let bytes = letter().to_docx().unwrap();
        let doc = docx_rs::read_docx(&bytes).unwrap();
        let json = doc.json();
        for text in [
            "责令限期整改指令书",
            "三台应急责改〔2026〕13号",
            "消防通道堵塞",
            "2026年6月1日",
        ] {
            assert!(json.contains(text), "{text} missing");
        }
    }
}
