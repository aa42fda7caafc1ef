//! Pages: `/disaster/reports` (all reports with status and late flags), a report (townships'
//! status, county totals, approve / return / 零报告 / 上报, XLSX, the 核报's ledgers) and the
//! township entry form `/disaster/reports/{id}/townships/{code}`, grouped by indicator group
//! and readable on a phone.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::error::AppResult;
use platform::web::form::{Form, FormErrors, Path, Query};
use platform::web::{AppState, PageCtx};

use super::model::Timeliness;
use serde::Deserialize;
use uuid::Uuid;

use super::export;
use super::indicators::{self, GROUPS};
use super::store::{
    self, ApproveInput, EntryInput, LedgerInput, Report, ReportDetail, ReportFilter, TownshipEntry,
};
use crate::access::{Level, is_county_writer, level};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/disaster/reports", get(list_page))
        .route("/disaster/reports/{id}", get(report_page))
        .route("/disaster/reports/{id}/report.xlsx", get(xlsx))
        .route("/disaster/reports/{id}/approve", post(approve))
        .route("/disaster/reports/{id}/upward", post(upward))
        .route("/disaster/reports/{id}/ledger", post(ledger))
        .route(
            "/disaster/reports/{id}/ledger/{row}/void",
            post(void_ledger_row),
        )
        .route(
            "/disaster/reports/{id}/townships/{code}",
            get(entry_page).post(save_entry),
        )
        .route("/disaster/reports/{id}/townships/{code}/zero", post(zero))
        .route(
            "/disaster/reports/{id}/townships/{code}/return",
            post(return_entry),
        )
}

fn status_of(errors: &FormErrors) -> StatusCode {
    match (&errors.message, errors.fields.is_empty()) {
        (None, true) => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "losses/list.html")]
struct ListPage {
    ctx: PageCtx,
    reports: Vec<Report>,
    filter: ReportFilter,
}

impl ListPage {
    fn picked(&self, t: &Timeliness) -> bool {
        self.filter.timeliness == Some(*t)
    }

    fn choices(&self) -> [Timeliness; 4] {
        Timeliness::ALL
    }
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ReportFilter>,
) -> AppResult<ListPage> {
    Ok(ListPage {
        reports: store::list(&state, &ctx.actor, &q).await?,
        filter: q,
        ctx,
    })
}

/// A total or a township's value of one indicator, for the tables.
struct Column {
    title: String,
    code: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "losses/report.html")]
struct ReportPage {
    ctx: PageCtx,
    d: ReportDetail,
    columns: Vec<Column>,
    county_writer: bool,
    may_enter: bool,
    errors: FormErrors,
}

impl ReportPage {
    fn total(&self, code: &str) -> String {
        self.d
            .totals
            .get(code)
            .cloned()
            .unwrap_or_else(|| "0".into())
    }
    fn value(&self, e: &TownshipEntry, code: &str) -> String {
        e.values.get(code).cloned().unwrap_or_else(|| "0".into())
    }
}

fn key_columns() -> Vec<Column> {
    indicators::ALL
        .iter()
        .filter(|i| i.key)
        .map(|i| Column {
            title: i.title(),
            code: i.code,
        })
        .collect()
}

async fn report_view(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    errors: FormErrors,
) -> AppResult<Response> {
    let d = store::get(state, &ctx.actor, id).await?;
    let page = ReportPage {
        county_writer: is_county_writer(&ctx.actor),
        may_enter: ctx.actor.can(platform::access::perm::DISASTER_EDIT)
            && matches!(level(&ctx.actor), Some(Level::County | Level::Township)),
        columns: key_columns(),
        d,
        ctx,
        errors,
    };
    Ok((status_of(&page.errors), page).into_response())
}

async fn report_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    report_view(&state, ctx, id, FormErrors::default()).await
}

async fn xlsx(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    export::report_download(&state, &ctx.actor, id).await
}

async fn approve(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<ApproveInput>,
) -> AppResult<Response> {
    match store::approve(&state, &ctx.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/disaster/reports/{id}?done=saved")).into_response()),
        Err(err) => report_view(&state, ctx, id, FormErrors::from_error(err)?).await,
    }
}

async fn upward(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    match store::report_upward(&state, &ctx.actor, id).await {
        Ok(_) => Ok(Redirect::to(&format!("/disaster/reports/{id}?done=saved")).into_response()),
        Err(err) => report_view(&state, ctx, id, FormErrors::from_error(err)?).await,
    }
}

async fn ledger(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<LedgerInput>,
) -> AppResult<Response> {
    match store::add_ledger_row(&state, &ctx.actor, id, &input).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/disaster/reports/{id}?done=saved#ledger")).into_response())
        }
        Err(err) => report_view(&state, ctx, id, FormErrors::from_error(err)?).await,
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
struct ReasonForm {
    #[serde(default)]
    reason: String,
}

async fn void_ledger_row(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, row)): Path<(Uuid, Uuid)>,
    Form(form): Form<ReasonForm>,
) -> AppResult<Response> {
    match store::void_ledger_row(&state, &ctx.actor, id, row, &form.reason).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/disaster/reports/{id}?done=voided#ledger")).into_response())
        }
        Err(err) => report_view(&state, ctx, id, FormErrors::from_error(err)?).await,
    }
}

async fn return_entry(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, code)): Path<(Uuid, String)>,
    Form(form): Form<ReasonForm>,
) -> AppResult<Response> {
    match store::return_entry(&state, &ctx.actor, id, &code, &form.reason).await {
        Ok(_) => Ok(Redirect::to(&format!("/disaster/reports/{id}?done=saved")).into_response()),
        Err(err) => report_view(&state, ctx, id, FormErrors::from_error(err)?).await,
    }
}

async fn zero(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, code)): Path<(Uuid, String)>,
) -> AppResult<Response> {
    match store::zero_entry(&state, &ctx.actor, id, &code).await {
        Ok(_) => Ok(Redirect::to(&format!("/disaster/reports/{id}?done=saved")).into_response()),
        Err(err) => report_view(&state, ctx, id, FormErrors::from_error(err)?).await,
    }
}

// ---------------------------------------------------------------------------------------------
// The township entry form

/// One input of the form.
struct Field {
    code: &'static str,
    label: &'static str,
    unit: &'static str,
    decimals: u32,
    value: String,
}

struct Group {
    name: &'static str,
    fields: Vec<Field>,
}

#[derive(Template, WebTemplate)]
#[template(path = "losses/entry.html")]
struct EntryPage {
    ctx: PageCtx,
    d: ReportDetail,
    entry: TownshipEntry,
    groups: Vec<Group>,
    correction_reason: String,
    version: i32,
    editable: bool,
    correcting: bool,
    errors: FormErrors,
}

fn groups(values: &BTreeMap<String, String>) -> Vec<Group> {
    GROUPS
        .iter()
        .map(|g| Group {
            name: g,
            fields: indicators::of_group(g)
                .into_iter()
                .map(|i| Field {
                    code: i.code,
                    label: i.label,
                    unit: i.unit,
                    decimals: i.decimals,
                    value: values.get(i.code).cloned().unwrap_or_default(),
                })
                .collect(),
        })
        .collect()
}

async fn entry_view(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    code: &str,
    typed: Option<EntryInput>,
    errors: FormErrors,
) -> AppResult<Response> {
    let (d, entry) = store::get_entry(state, &ctx.actor, id, code).await?;
    let county = is_county_writer(&ctx.actor);
    let township_editor = ctx.actor.can(platform::access::perm::DISASTER_EDIT)
        && level(&ctx.actor) == Some(Level::Township);
    let correcting = !d.report.is_open() && county;
    let editable =
        correcting || d.report.is_open() && (county || township_editor && !entry.is_submitted());
    let (values, correction_reason, version) = match typed {
        Some(t) => (
            t.values,
            t.correction_reason.unwrap_or_default(),
            t.version.unwrap_or(entry.version),
        ),
        None => (
            entry.values.clone(),
            entry.correction_reason.clone().unwrap_or_default(),
            entry.version,
        ),
    };
    let page = EntryPage {
        groups: groups(&values),
        ctx,
        d,
        entry,
        correction_reason,
        version,
        editable,
        correcting,
        errors,
    };
    Ok((status_of(&page.errors), page).into_response())
}

async fn entry_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, code)): Path<(Uuid, String)>,
) -> AppResult<Response> {
    entry_view(&state, ctx, id, &code, None, FormErrors::default()).await
}

/// The form's fields: indicator codes, `correction_reason`, `version`, `action` (save|submit).
fn entry_input(form: BTreeMap<String, String>) -> EntryInput {
    let mut values = BTreeMap::new();
    let mut input = EntryInput::default();
    for (k, v) in form {
        match k.as_str() {
            "correction_reason" => input.correction_reason = Some(v),
            "version" => input.version = v.trim().parse().ok(),
            "action" => input.submit = v == "submit",
            _ if indicators::find(&k).is_some() => {
                values.insert(k, v);
            }
            _ => {}
        }
    }
    input.values = values;
    input
}

async fn save_entry(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, code)): Path<(Uuid, String)>,
    Form(form): Form<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let input = entry_input(form);
    match store::save_entry(&state, &ctx.actor, id, &code, &input).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/disaster/reports/{id}/townships/{code}?done=saved"
        ))
        .into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            entry_view(&state, ctx, id, &code, Some(input), errors).await
        }
    }
}
