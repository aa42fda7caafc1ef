//! Consultation pages: the archive (filters, export), the draft form with its judgment rows
//! (one more row at a time through htmx), the detail page with issue and void, and the letter
//! printed on A4 or downloaded as Word.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Datelike;
use platform::audit::store::AuditRow;
use platform::dicts::store::DictItem;
use platform::error::{AppError, AppResult, FieldErrors};
use platform::regions::store::Region;
use platform::web::form::{Form, FormErrors, Path, Query};
use platform::web::paging::{PageOf, Paging, page_link};
use platform::web::{AppState, PageCtx, xlsx};
use serde::Deserialize;
use uuid::Uuid;

use super::store::{
    self, Choices, Consultation, ConsultationFilter, ConsultationInput, JudgmentInput,
    VersionInput, VoidInput, judgment_field,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/warning/consultations", get(list_page))
        .route("/warning/consultations/export", get(export))
        .route("/warning/consultations/new", get(new_page).post(create))
        .route("/warning/consultations/judgment-row", get(row_fragment))
        .route("/warning/consultations/{id}", get(detail_page))
        .route(
            "/warning/consultations/{id}/edit",
            get(edit_page).post(update),
        )
        .route("/warning/consultations/{id}/issue", post(issue))
        .route("/warning/consultations/{id}/void", post(void))
        .route("/warning/consultations/{id}/print", get(print_page))
        .route("/warning/consultations/{id}/docx", get(docx))
}

/// Names of this ledger's audit actions, registered with the platform at start-up.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("consultation.issue", "印发"),
    ("consultation.void", "作废"),
];

type Codes = Vec<(&'static str, &'static str)>;

#[derive(Template, WebTemplate)]
#[template(path = "consultations/list.html")]
struct ListPage {
    ctx: PageCtx,
    filter: ConsultationFilter,
    page: PageOf<Consultation>,
    query: String,
    states: Codes,
    hazards: Vec<DictItem>,
    townships: Vec<Region>,
    years: Vec<i32>,
    may_write: bool,
}

impl ListPage {
    fn link(&self, page: u64) -> String {
        page_link(&self.query, page)
    }

    fn export_link(&self) -> String {
        format!("/warning/consultations/export?{}", self.query)
    }

    fn is(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }

    fn is_year(&self, year: &i32) -> bool {
        self.filter.year() == Some(*year)
    }
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<ConsultationFilter>,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<ListPage> {
    let page = store::list(&state.db, &ctx.actor, &filter, paging).await?;
    let county = platform::regions::model::county_of(&ctx.actor.region_code);
    let this_year = store::today(&state).year();
    Ok(ListPage {
        hazards: platform::dicts::store::options(&state.db, store::HAZARD_DICT).await?,
        townships: store::choices(&state.db, &county)
            .await
            .map(|c| c.townships)
            .unwrap_or_default(),
        years: (this_year - 5..=this_year).rev().collect(),
        may_write: crate::bureau::is_writer(&ctx.actor),
        ctx,
        filter,
        page,
        query: query.unwrap_or_default(),
        states: store::states(),
    })
}

const EXPORT_HEADERS: [&str; 13] = [
    "文号",
    "标题",
    "状态",
    "会商时段",
    "会商日期",
    "召集单位",
    "参会部门",
    "受邀专家",
    "风险研判",
    "防范措施建议",
    "签发人",
    "印发日期",
    "作废原因",
];

/// One judgment per line: 洪涝｜较高｜潼川镇、塔山镇｜text.
fn judgments_cell(c: &Consultation) -> String {
    c.judgments
        .iter()
        .map(|j| {
            format!(
                "{}｜{}｜{}｜{}",
                j.hazard_label,
                j.level_label(),
                j.area_names(),
                j.text
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn export_row(c: &Consultation) -> Vec<String> {
    vec![
        c.number.clone().unwrap_or_default(),
        c.title.clone(),
        c.state_label().to_string(),
        c.period_text(),
        c.meeting_on.to_string(),
        c.convener.clone(),
        c.department_names(),
        c.experts.clone().unwrap_or_default(),
        judgments_cell(c),
        c.measures.clone(),
        c.issuer.clone().unwrap_or_default(),
        c.issued_on.map(|d| d.to_string()).unwrap_or_default(),
        c.void_reason.clone().unwrap_or_default(),
    ]
}

/// The filtered archive as XLSX (up to 10 000 reports).
async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<ConsultationFilter>,
) -> AppResult<Response> {
    let reports = store::all(&state.db, &ctx.actor, &filter, 10_000).await?;
    let rows: Vec<Vec<String>> = reports.iter().map(export_row).collect();
    let bytes = xlsx::workbook("风险会商", &EXPORT_HEADERS, &rows)?;
    Ok(xlsx::download("风险会商报告台账.xlsx", bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "consultations/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    c: Consultation,
    history: Vec<AuditRow>,
    errors: FormErrors,
    issued: bool,
    may_write: bool,
}

impl DetailPage {
    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }
}

#[derive(Deserialize, Default)]
struct Done {
    done: Option<String>,
}

async fn detail(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    errors: FormErrors,
    issued: bool,
) -> AppResult<Response> {
    let c = store::get(&state.db, &ctx.actor, id).await?;
    // The drafting history is the county's business; townships read the report itself.
    let history = match store::reads_drafts(&ctx.actor) {
        true => {
            let scope = platform::access::Scope::of(&c.region_code);
            platform::audit::store::history(&state.db, &scope, store::KIND, &id.to_string()).await?
        }
        false => Vec::new(),
    };
    let status = if errors.message.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = DetailPage {
        may_write: crate::bureau::is_writer(&ctx.actor),
        ctx,
        c,
        history,
        errors,
        issued,
    };
    Ok((status, page).into_response())
}

async fn detail_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Query(q): Query<Done>,
) -> AppResult<Response> {
    let issued = q.done.as_deref() == Some("issued");
    detail(&state, ctx, id, FormErrors::default(), issued).await
}

/// After issue or void: back to the report, or the report again with the error.
async fn after_action(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    result: AppResult<Consultation>,
    done: &str,
) -> AppResult<Response> {
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/warning/consultations/{id}?done={done}")).into_response())
        }
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            detail(state, ctx, id, errors, false).await
        }
    }
}

async fn issue(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<VersionInput>,
) -> AppResult<Response> {
    let result = store::issue(&state, &ctx.actor, id, input.version).await;
    after_action(&state, ctx, id, result, "issued").await
}

async fn void(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<VoidInput>,
) -> AppResult<Response> {
    let result = store::void(&state, &ctx.actor, id, &input).await;
    after_action(&state, ctx, id, result, "voided").await
}

/// The letter alone on an A4 page (as issued; a preview for a draft).
async fn print_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let letter = store::letter_of(&state, &ctx.actor, id).await?;
    letter.to_page(
        &format!("/warning/consultations/{id}"),
        &format!("/warning/consultations/{id}/docx"),
    )
}

async fn docx(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    store::letter_of(&state, &ctx.actor, id).await?.download()
}

/// What every judgment row offers: hazard types, levels, the county and its townships.
struct RowOptions {
    hazards: Vec<DictItem>,
    levels: Codes,
    county_code: String,
    townships: Vec<Region>,
}

/// One judgment row of the form, with its errors.
struct Row {
    index: usize,
    hazard_type: String,
    level: String,
    townships: Vec<String>,
    text: String,
    /// What the collapsed township picker shows.
    summary: String,
    err_hazard: String,
    err_level: String,
    err_townships: String,
    err_text: String,
}

impl Row {
    fn new(index: usize, j: &JudgmentInput, opts: &RowOptions, errors: &FieldErrors) -> Self {
        let err = |f: &str| {
            errors
                .get(&judgment_field(index, f))
                .cloned()
                .unwrap_or_default()
        };
        Self {
            index,
            hazard_type: j.hazard_type.clone(),
            level: j.level.clone(),
            townships: j.townships.clone(),
            text: j.text.clone(),
            summary: summary(&j.townships, opts),
            err_hazard: err("hazard_type"),
            err_level: err("level"),
            err_townships: err("townships"),
            err_text: err("text"),
        }
    }

    fn has(&self, code: &str) -> bool {
        self.townships.iter().any(|c| c == code)
    }
}

fn summary(codes: &[String], opts: &RowOptions) -> String {
    if codes.contains(&opts.county_code) {
        return store::WHOLE_COUNTY.to_string();
    }
    let names: Vec<&str> = opts
        .townships
        .iter()
        .filter(|t| codes.contains(&t.code))
        .map(|t| t.short_name.as_str())
        .collect();
    match names.is_empty() {
        true => "点击选择（可多选）".to_string(),
        false => names.join("、"),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "consultations/form.html")]
struct FormPage {
    ctx: PageCtx,
    editing: Option<Consultation>,
    input: ConsultationInput,
    rows: Vec<Row>,
    opts: RowOptions,
    departments: Vec<platform::org::store::Department>,
    errors: FormErrors,
}

impl FormPage {
    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }

    fn has_department(&self, id: &Uuid) -> bool {
        let id = id.to_string();
        self.input.departments.contains(&id)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "consultations/row_fragment.html")]
struct RowFragment {
    row: Row,
    opts: RowOptions,
}

async fn row_options(state: &AppState, county: &str) -> AppResult<(RowOptions, Choices)> {
    let choices = store::choices(&state.db, county).await?;
    let opts = RowOptions {
        hazards: platform::dicts::store::options(&state.db, store::HAZARD_DICT).await?,
        levels: store::levels(),
        county_code: choices.county.code.clone(),
        townships: choices.townships.clone(),
    };
    Ok((opts, choices))
}

/// The county a page form writes for: the report's, or the writer's own county.
fn form_county(ctx: &PageCtx, editing: Option<&Consultation>) -> AppResult<String> {
    if !crate::bureau::is_writer(&ctx.actor) {
        return Err(AppError::Forbidden);
    }
    match editing {
        Some(c) => Ok(c.region_code.clone()),
        None if ctx.actor.scope().prefix().len() == 6 => {
            Ok(platform::regions::model::county_of(&ctx.actor.region_code))
        }
        // Above the county the form would need a county picker; the API takes `region_code`.
        None => Err(AppError::bad_request(
            "county_required",
            "请使用县级账号拟写会商报告，或通过接口指定所属县",
        )),
    }
}

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    editing: Option<Consultation>,
    input: ConsultationInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let county = form_county(&ctx, editing.as_ref())?;
    let (opts, choices) = row_options(state, &county).await?;
    let mut rows: Vec<Row> = input
        .judgments
        .iter()
        .enumerate()
        .map(|(i, j)| Row::new(i, j, &opts, &errors.fields))
        .collect();
    // Room to type: two empty rows on a new report, one more on an existing one.
    let blanks = if rows.is_empty() { 2 } else { 1 };
    for _ in 0..blanks {
        rows.push(Row::new(
            rows.len(),
            &JudgmentInput::default(),
            &opts,
            &errors.fields,
        ));
    }
    let status = if errors.message.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = FormPage {
        departments: choices.departments,
        ctx,
        editing,
        input,
        rows,
        opts,
        errors,
    };
    Ok((status, page).into_response())
}

#[derive(Deserialize)]
struct RowQuery {
    index: usize,
}

/// One more empty judgment row (and the button for the next), for the form's htmx button.
async fn row_fragment(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<RowQuery>,
) -> AppResult<RowFragment> {
    let county = form_county(&ctx, None)?;
    let (opts, _) = row_options(&state, &county).await?;
    let row = Row::new(
        q.index.min(200),
        &JudgmentInput::default(),
        &opts,
        &FieldErrors::new(),
    );
    Ok(RowFragment { row, opts })
}

/// The form as a browser sends it: judgments as parallel lists, townships as `row:code`.
#[derive(Clone, Debug, Default, Deserialize)]
struct ConsultationForm {
    #[serde(default)]
    title: String,
    period_from: Option<String>,
    period_to: Option<String>,
    meeting_on: Option<String>,
    #[serde(default)]
    convener: String,
    #[serde(default)]
    departments: Vec<String>,
    experts: Option<String>,
    #[serde(default)]
    measures: String,
    issuer: Option<String>,
    version: Option<i32>,
    #[serde(default)]
    j_hazard: Vec<String>,
    #[serde(default)]
    j_level: Vec<String>,
    #[serde(default)]
    j_text: Vec<String>,
    #[serde(default)]
    j_area: Vec<String>,
}

impl ConsultationForm {
    fn judgment(&self, i: usize) -> JudgmentInput {
        let at = |list: &Vec<String>| list.get(i).cloned().unwrap_or_default();
        let prefix = format!("{i}:");
        JudgmentInput {
            hazard_type: at(&self.j_hazard),
            level: at(&self.j_level),
            text: at(&self.j_text),
            townships: self
                .j_area
                .iter()
                .filter_map(|v| v.strip_prefix(&prefix))
                .map(str::to_string)
                .collect(),
        }
    }

    /// The input the store takes; rows left entirely empty are dropped.
    fn into_input(self) -> ConsultationInput {
        let rows = self.j_hazard.len().max(self.j_text.len());
        let judgments = (0..rows)
            .map(|i| self.judgment(i))
            .filter(|j| {
                !(j.hazard_type.trim().is_empty()
                    && j.text.trim().is_empty()
                    && j.townships.is_empty())
            })
            .collect();
        ConsultationInput {
            title: self.title,
            period_from: self.period_from,
            period_to: self.period_to,
            meeting_on: self.meeting_on,
            convener: self.convener,
            departments: self.departments,
            experts: self.experts,
            judgments,
            measures: self.measures,
            issuer: self.issuer,
            region_code: None,
            version: self.version,
        }
    }
}

async fn new_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let today = store::today(&state);
    let input = ConsultationInput {
        meeting_on: Some(today.to_string()),
        period_from: Some(today.to_string()),
        period_to: Some((today + chrono::Duration::days(9)).to_string()),
        convener: "县应急管理局".to_string(),
        ..Default::default()
    };
    form_page(&state, ctx, None, input, FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(form): Form<ConsultationForm>,
) -> AppResult<Response> {
    let input = form.into_input();
    match store::create(&state, &ctx.actor, &input).await {
        Ok(c) => Ok(
            Redirect::to(&format!("/warning/consultations/{}?done=created", c.id)).into_response(),
        ),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            form_page(&state, ctx, None, input, errors).await
        }
    }
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let c = store::get(&state.db, &ctx.actor, id).await?;
    if !c.is_draft() {
        return Ok(Redirect::to(&format!("/warning/consultations/{id}")).into_response());
    }
    let input = ConsultationInput::from_consultation(&c);
    form_page(&state, ctx, Some(c), input, FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(form): Form<ConsultationForm>,
) -> AppResult<Response> {
    let input = form.into_input();
    match store::update(&state, &ctx.actor, id, &input).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/warning/consultations/{id}?done=saved")).into_response())
        }
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let c = store::get(&state.db, &ctx.actor, id).await?;
            form_page(&state, ctx, Some(c), input, errors).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_rows_become_judgments_and_empty_rows_are_dropped() {
        let form = ConsultationForm {
            j_hazard: vec!["flood".into(), "".into(), "landslide".into()],
            j_level: vec!["high".into(), "moderate".into(), "".into()],
            j_text: vec!["强降雨".into(), " ".into(), "".into()],
            j_area: vec![
                "0:510722101000".into(),
                "0:510722104000".into(),
                "2:510722000000".into(),
            ],
            ..Default::default()
        };
        let input = form.into_input();
        assert_eq!(input.judgments.len(), 2);
        assert_eq!(
            input.judgments[0].townships,
            vec!["510722101000", "510722104000"]
        );
        assert_eq!(input.judgments[1].hazard_type, "landslide");
        assert_eq!(input.judgments[1].townships, vec!["510722000000"]);
    }
}
