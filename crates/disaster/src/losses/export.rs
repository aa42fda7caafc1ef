//! Exports: a report as XLSX in the layout of the national quick-report form (title, the
//! process, stage and figures-to date, two header rows grouping the indicators, one row per
//! township, the totals row) and the process summary as DOCX through `platform::web::letter`.

use axum::response::Response;
use platform::access::Actor;
use platform::error::{AppError, AppResult};
use platform::web::AppState;
use platform::web::letter::{Letter, written_date};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use uuid::Uuid;

use super::indicators::{self, GROUPS};
use super::model::{self, Figures};
use super::store::{self, ReportDetail};

/// Columns before the indicators: 乡镇（街道）, 填报状态.
const LEAD: u16 = 2;

fn header_rows(ws: &mut Worksheet, head: &Format) -> Result<(), XlsxError> {
    ws.merge_range(3, 0, 4, 0, "乡镇（街道）", head)?;
    ws.merge_range(3, 1, 4, 1, "填报状态", head)?;
    let mut col = LEAD;
    for group in GROUPS {
        let members = indicators::of_group(group);
        let last = col + members.len() as u16 - 1;
        if last > col {
            ws.merge_range(3, col, 3, last, group, head)?;
        } else {
            ws.write_string_with_format(3, col, group, head)?;
        }
        for ind in members {
            ws.write_string_with_format(4, col, ind.title(), head)?;
            ws.set_column_width(col, 12)?;
            col += 1;
        }
    }
    Ok(())
}

fn figures_row(
    ws: &mut Worksheet,
    row: u32,
    name: &str,
    status: &str,
    f: &Figures,
    cell: &Format,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, 0, name, cell)?;
    ws.write_string_with_format(row, 1, status, cell)?;
    for (i, ind) in indicators::ALL.iter().enumerate() {
        ws.write_number_with_format(
            row,
            LEAD + i as u16,
            ind.as_f64(model::get(f, ind.code)),
            cell,
        )?;
    }
    Ok(())
}

/// The report's workbook.
pub fn report_xlsx(d: &ReportDetail, authority: &str) -> AppResult<Vec<u8>> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        ws.set_name("灾情快报")?;
        let title = Format::new()
            .set_bold()
            .set_font_size(16)
            .set_align(FormatAlign::Center);
        let head = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_border(FormatBorder::Thin);
        let cell = Format::new().set_border(FormatBorder::Thin);
        let last_col = LEAD + indicators::ALL.len() as u16 - 1;
        ws.merge_range(0, 0, 0, last_col, "自然灾害情况统计快报表", &title)?;
        let figures_to = d
            .report
            .figures_to
            .map(|day| format!("统计截止：{} 24时", day))
            .unwrap_or_else(|| format!("报告时限：{}", d.report.due_local()));
        let mut line = format!(
            "填报单位：{authority}    灾害过程：{}（{}）    报告类型：{}    {figures_to}",
            d.process.name, d.process.main_type_label, d.report.stage_label
        );
        if d.report.late {
            line.push_str("    迟报");
        }
        ws.merge_range(1, 0, 1, last_col, &line, &Format::new())?;
        let flag = d.direct_report_label.clone().unwrap_or_default();
        ws.merge_range(
            2,
            0,
            2,
            last_col,
            &flag,
            &Format::new().set_bold().set_font_color("#C00000"),
        )?;
        header_rows(ws, &head)?;
        ws.set_column_width(0, 14)?;
        let mut row = 5;
        for e in &d.entries {
            figures_row(
                ws,
                row,
                &e.township_name,
                &e.status_label,
                &e.figures,
                &cell,
            )?;
            row += 1;
        }
        figures_row(ws, row, "合计", "", &d.total_figures, &head)?;
        ws.set_freeze_panes(5, 1)?;
        book.save_to_buffer()
    };
    build().map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))
}

async fn authority(state: &AppState, county: &str) -> AppResult<String> {
    let (name, _) = platform::regions::store::county_names(&state.db, county).await?;
    Ok(format!("{name}应急管理局"))
}

pub async fn report_download(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<Response> {
    let d = store::get(state, actor, id).await?;
    let bytes = report_xlsx(&d, &authority(state, &d.process.county).await?)?;
    let name = format!("{}{}.xlsx", d.process.name, d.report.title());
    Ok(platform::web::xlsx::download(&name, bytes))
}

fn totals_text(f: &Figures) -> String {
    let parts: Vec<String> = indicators::ALL
        .iter()
        .filter(|i| model::get(f, i.code) != 0)
        .map(|i| format!("{}{}{}", i.label, i.format(model::get(f, i.code)), i.unit))
        .collect();
    if parts.is_empty() {
        "暂无经审核的灾情数据。".to_string()
    } else {
        format!("{}。", parts.join("，"))
    }
}

/// The process summary as a letter to the city bureau.
pub async fn summary_letter(
    state: &AppState,
    actor: &Actor,
    process_id: Uuid,
) -> AppResult<Letter> {
    let process = crate::processes::store::get(state, actor, process_id).await?;
    let reports = store::list(state, actor, &store::ReportFilter::of_process(process_id)).await?;
    let mut paragraphs = vec![format!(
        "{}起，我县发生{}，受灾乡镇（街道）为{}{}。",
        process.started_local(),
        process.type_text(),
        process.township_names(),
        if process.closed {
            format!("，过程于{}结束", process.ended_local())
        } else {
            "，过程尚未结束".to_string()
        }
    )];
    let mut ordered = reports.clone();
    ordered.sort_by_key(|r| r.seq);
    paragraphs.push("报送情况：".to_string());
    for r in &ordered {
        paragraphs.push(format!(
            "{}：应于{}前报送，{}{}。",
            r.title(),
            r.due_local(),
            if r.reported_at.is_some() {
                format!("{}上报", r.reported_local())
            } else {
                r.status_label.clone()
            },
            if r.late { "（迟报）" } else { "" }
        ));
    }
    let county = process.county.clone();
    let by_township = store::figures_by_township(&state.db, &county, process_id).await?;
    let totals = model::total(by_township.values());
    paragraphs.push(format!("最新灾情（县合计）：{}", totals_text(&totals)));
    let late: Vec<String> = ordered
        .iter()
        .filter(|r| r.late)
        .map(|r| r.title())
        .collect();
    paragraphs.push(if late.is_empty() {
        "各次报告均按时报送。".to_string()
    } else {
        format!("迟报：{}。", late.join("、"))
    });
    if model::needs_direct_report(&totals) {
        paragraphs.push(format!(
            "死亡失踪人数达 10 人以上，{}。",
            model::DIRECT_LABEL
        ));
    }
    Ok(Letter {
        authority: authority(state, &county).await?,
        title: format!("关于{}灾情的总结报告", process.name),
        number: String::new(),
        addressee: "市应急管理局".to_string(),
        paragraphs,
        signatures: Vec::new(),
        date: written_date(platform::clock::local_day(state.now())),
    })
}

pub async fn summary_download(
    state: &AppState,
    actor: &Actor,
    process_id: Uuid,
) -> AppResult<Response> {
    summary_letter(state, actor, process_id).await?.download()
}
