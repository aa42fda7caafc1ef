//! `/disaster/statistics`: the figures as cards of links, losses by type, relief by programme
//! and a table per township; `/disaster/statistics.xlsx` the same as a workbook.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use platform::clock::local_day;
use platform::error::AppResult;
use platform::web::form::{FormErrors, Query};
use platform::web::statistics::{FIGURE_HEADERS, figure_rows};
use platform::web::xlsx::{self, Sheet};
use platform::web::{AppState, PageCtx};

use super::{
    HEADLINE, Loss, Period, ProgrammeRow, Section, Statistics, TownshipRow, TypeRow, compute,
};
use crate::access::require_reader;
use crate::losses::indicators;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/disaster/statistics", get(page))
        .route("/disaster/statistics.xlsx", get(export))
}

#[derive(Template, WebTemplate)]
#[template(path = "statistics/page.html")]
struct StatisticsPage {
    ctx: PageCtx,
    from: String,
    to: String,
    sections: Vec<Section>,
    loss_headers: Vec<String>,
    types: Vec<TypeRow>,
    programmes: Vec<ProgrammeRow>,
    /// Townships with a process or relief paid in the period.
    townships: Vec<TownshipRow>,
    /// The others' names, said in one line.
    quiet: String,
    /// The period was understood (else only the form and its error).
    shown: bool,
    errors: FormErrors,
    export: String,
}

/// "受灾人口（人）" for each headline loss, as the tables' column heads.
fn loss_headers() -> Vec<String> {
    HEADLINE
        .iter()
        .filter_map(|code| indicators::find(code))
        .map(|i| format!("{}（{}）", i.label, i.unit))
        .collect()
}

async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(period): Query<Period>,
) -> AppResult<StatisticsPage> {
    require_reader(&ctx.actor)?;
    let export = platform::web::statistics::query("/disaster/statistics.xlsx", &period);
    let empty = |ctx, errors| StatisticsPage {
        ctx,
        from: period.from.clone().unwrap_or_default(),
        to: period.to.clone().unwrap_or_default(),
        sections: Vec::new(),
        loss_headers: loss_headers(),
        types: Vec::new(),
        programmes: Vec::new(),
        townships: Vec::new(),
        quiet: String::new(),
        shown: false,
        errors,
        export: export.clone(),
    };
    if let Err(err) = period.resolve(&ctx.actor, local_day(state.now())) {
        return Ok(empty(ctx, FormErrors::from_error(err)?));
    }
    let s = compute(&state, &ctx.actor, &period).await?;
    let (townships, quiet): (Vec<TownshipRow>, Vec<TownshipRow>) =
        s.townships.into_iter().partition(TownshipRow::has_records);
    Ok(StatisticsPage {
        from: s.from,
        to: s.to,
        sections: s.sections,
        types: s.types,
        programmes: s.programmes,
        townships,
        quiet: quiet
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join("、"),
        shown: true,
        ..empty(ctx, FormErrors::default())
    })
}

fn values(losses: &[Loss]) -> impl Iterator<Item = String> + '_ {
    losses.iter().map(|l| l.value.clone())
}

fn as_refs(headers: &[String]) -> Vec<&str> {
    headers.iter().map(String::as_str).collect()
}

fn with_headers(first: &[&str], last: &[&str]) -> Vec<String> {
    first
        .iter()
        .map(|h| h.to_string())
        .chain(loss_headers())
        .chain(last.iter().map(|h| h.to_string()))
        .collect()
}

async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(period): Query<Period>,
) -> AppResult<Response> {
    let Statistics {
        from,
        to,
        sections,
        types,
        programmes,
        townships,
        ..
    } = compute(&state, &ctx.actor, &period).await?;
    let type_headers = with_headers(&["灾害种类", "灾害过程"], &[]);
    let type_rows: Vec<Vec<String>> = types
        .iter()
        .map(|t| {
            [t.label.to_string(), t.processes.to_string()]
                .into_iter()
                .chain(values(&t.losses))
                .collect()
        })
        .collect();
    let programme_headers = [
        "救助项目",
        "项目类别",
        "发放资金（万元）",
        "救助户数",
        "救助人次",
    ];
    let programme_rows: Vec<Vec<String>> = programmes
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                p.kind_label.clone(),
                p.paid_wan.clone(),
                p.households.to_string(),
                p.person_times.to_string(),
            ]
        })
        .collect();
    let township_headers = with_headers(
        &["乡镇", "灾害过程"],
        &["发放资金（万元）", "救助户数", "救助人次"],
    );
    let township_rows: Vec<Vec<String>> = townships
        .iter()
        .map(|t| {
            [t.name.clone(), t.processes.to_string()]
                .into_iter()
                .chain(values(&t.losses))
                .chain([
                    t.paid_wan.clone(),
                    t.households.to_string(),
                    t.person_times.to_string(),
                ])
                .collect()
        })
        .collect();
    let bytes = xlsx::workbook_of(&[
        Sheet {
            name: "灾情统计",
            headers: &FIGURE_HEADERS,
            rows: &figure_rows(&sections),
        },
        Sheet {
            name: "按灾种",
            headers: &as_refs(&type_headers),
            rows: &type_rows,
        },
        Sheet {
            name: "救助项目",
            headers: &programme_headers,
            rows: &programme_rows,
        },
        Sheet {
            name: "乡镇",
            headers: &as_refs(&township_headers),
            rows: &township_rows,
        },
    ])?;
    Ok(xlsx::download(
        &format!("灾情救助统计{from}至{to}.xlsx"),
        bytes,
    ))
}
