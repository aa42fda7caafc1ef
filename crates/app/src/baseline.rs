//! The ceilings the performance harness measures pages against, served by the same stack
//! (router, middleware, sessions, templates) only when `serve --bench-baselines` asks for them:
//! `/bench/static`, a fixed answer without a session; `/bench/table`, a signed-in page in the
//! usual layout with a 50-row table built from memory (no ledger query).

use std::sync::LazyLock;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::routing::get;
use platform::web::AppState;
use platform::web::page::PageCtx;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/bench/static", get(|| async { "ok" }))
        .route("/bench/table", get(table))
}

/// One row shaped like the hazard list's.
pub struct Row {
    pub number: String,
    pub unit: String,
    pub description: String,
    pub grade: &'static str,
    pub state: &'static str,
    pub deadline: String,
}

static ROWS: LazyLock<Vec<Row>> = LazyLock::new(|| {
    (1..=50)
        .map(|i| Row {
            number: format!("YH2026-{i:04}"),
            unit: format!("三台县鑫源化工贸易有限公司（{i}）"),
            description: format!("灭火器压力不足（{i}）"),
            grade: if i % 20 == 0 {
                "重大隐患"
            } else {
                "一般隐患"
            },
            state: ["已登记", "已下达整改", "整改中", "待复查", "已销号"][i % 5],
            deadline: format!("2026-06-{:02}", 1 + i % 28),
        })
        .collect()
});

#[derive(Template, WebTemplate)]
#[template(path = "baseline/table.html")]
struct TablePage {
    ctx: PageCtx,
    rows: &'static [Row],
}

async fn table(ctx: PageCtx) -> TablePage {
    TablePage {
        ctx,
        rows: ROWS.as_slice(),
    }
}
