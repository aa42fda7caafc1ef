//! Pages: `/fire/forecasts` (days with their levels, coloured), the grid to enter a day
//! (`/fire/forecasts/entry`), a day (`/fire/forecasts/day/{day}`, offering 发布禁火令 when a
//! township is orange or red), `/fire/bans` (list, form, one ban with 解除), and
//! `/fire/documents` (研判结论与督促函: list, XLSX, form, print and DOCX).

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use platform::error::{AppError, AppResult};
use platform::regions::store::Region;
use platform::web::form::{Form, FormErrors, Path, Query};
use platform::web::{AppState, PageCtx, xlsx};
use serde::Deserialize;
use uuid::Uuid;

use super::bans::{self, Ban, BanInput, LiftInput};
use super::documents::{self, Document, DocumentInput};
use super::model::{DocKind, Level};
use super::store::{self, Forecast, ForecastDay, ForecastInput, LevelInput};
use crate::access::{county_of, is_writer};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/fire/forecasts", get(list_page))
        .route("/fire/forecasts/entry", get(entry_page).post(save_entry))
        .route("/fire/forecasts/day/{day}", get(day_page))
        .route("/fire/bans", get(bans_page).post(issue_ban))
        .route("/fire/bans/new", get(ban_form_page))
        .route("/fire/bans/{id}", get(ban_page))
        .route("/fire/bans/{id}/lift", post(lift_ban))
        .route("/fire/documents", get(documents_page).post(issue_document))
        .route("/fire/documents.xlsx", get(documents_xlsx))
        .route("/fire/documents/new", get(document_form_page))
        .route("/fire/documents/{id}", get(document_page))
        .route("/fire/documents/{id}/docx", get(document_docx))
        .route("/fire/documents/{id}/void", post(void_document))
        .merge(super::import::router())
}

#[derive(Clone, Debug, Default, Deserialize)]
struct ListQuery {
    year: Option<i32>,
    done: Option<String>,
    count: Option<usize>,
    days: Option<usize>,
    skipped: Option<usize>,
    kind: Option<String>,
}

fn parse_day(text: &str) -> AppResult<NaiveDate> {
    text.parse().map_err(|_| AppError::NotFound)
}

#[derive(Template, WebTemplate)]
#[template(path = "forecasts/list.html")]
struct ListPage {
    ctx: PageCtx,
    year: i32,
    days: Vec<ForecastDay>,
    levels: [Level; 5],
    today: NaiveDate,
    may_write: bool,
    notice: Option<String>,
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> AppResult<ListPage> {
    let year = q.year.unwrap_or_else(|| store::this_year(&state));
    let days = store::list(&state.db, &ctx.actor, year).await?;
    let notice = match q.done.as_deref() {
        Some("imported") => Some(format!(
            "已导入 {} 行（{} 天）{}",
            q.count.unwrap_or(0),
            q.days.unwrap_or(0),
            match q.skipped.unwrap_or(0) {
                0 => String::new(),
                n => format!("，跳过有误的 {n} 行"),
            }
        )),
        _ => None,
    };
    Ok(ListPage {
        may_write: is_writer(&ctx.actor),
        ctx,
        year,
        days,
        levels: Level::ALL,
        today: store::today(&state),
        notice,
    })
}

/// One row of the grid.
struct GridRow {
    code: String,
    name: String,
    level: String,
    error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "forecasts/entry.html")]
struct EntryPage {
    ctx: PageCtx,
    day: String,
    rows: Vec<GridRow>,
    options: Vec<(String, String)>,
    all_level: String,
    errors: FormErrors,
    existing: bool,
}

#[derive(Clone, Debug, Default, Deserialize)]
struct DayQuery {
    day: Option<String>,
}

fn level_options() -> Vec<(String, String)> {
    Level::options()
        .into_iter()
        .map(|(n, label)| (n.to_string(), label))
        .collect()
}

fn grid(townships: &[Region], levels: &HashMap<String, u8>, errors: &FormErrors) -> Vec<GridRow> {
    townships
        .iter()
        .map(|t| GridRow {
            code: t.code.clone(),
            name: t.short_name.clone(),
            level: levels.get(&t.code).map(u8::to_string).unwrap_or_default(),
            error: errors.fields.get(&format!("level.{}", t.code)).cloned(),
        })
        .collect()
}

async fn entry_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<DayQuery>,
) -> AppResult<EntryPage> {
    let county = crate::access::require_writer(&ctx.actor)?;
    let day = q
        .day
        .as_deref()
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .unwrap_or_else(|| store::today(&state));
    let townships = store::townships(&state.db, &county).await?;
    let forecast = store::of_day(&state.db, &county, day).await?;
    let levels: HashMap<String, u8> = forecast
        .as_ref()
        .map(|f| {
            f.levels
                .iter()
                .map(|l| (l.township.clone(), l.level.number()))
                .collect()
        })
        .unwrap_or_default();
    let errors = FormErrors::default();
    Ok(EntryPage {
        rows: grid(&townships, &levels, &errors),
        ctx,
        day: day.to_string(),
        options: level_options(),
        all_level: String::new(),
        errors,
        existing: forecast.is_some(),
    })
}

async fn save_entry(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(fields): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let county = crate::access::require_writer(&ctx.actor)?;
    let input = ForecastInput {
        day: fields.get("day").cloned().unwrap_or_default(),
        all_level: fields.get("all_level").cloned(),
        levels: fields
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("level.").map(|code| LevelInput {
                    township: code.to_string(),
                    level: Some(v.clone()),
                })
            })
            .collect(),
    };
    match store::save(&state, &ctx.actor, &input).await {
        Ok(f) => {
            Ok(Redirect::to(&format!("/fire/forecasts/day/{}?done=saved", f.day)).into_response())
        }
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let townships = store::townships(&state.db, &county).await?;
            let levels: HashMap<String, u8> = input
                .levels
                .iter()
                .filter_map(|l| {
                    let level = Level::parse(l.level.as_deref()?)?;
                    Some((l.township.clone(), level.number()))
                })
                .collect();
            let existing = match input.day.parse::<NaiveDate>() {
                Ok(d) => store::of_day(&state.db, &county, d).await?.is_some(),
                Err(_) => false,
            };
            let page = EntryPage {
                rows: grid(&townships, &levels, &errors),
                ctx,
                day: input.day.clone(),
                options: level_options(),
                all_level: input.all_level.clone().unwrap_or_default(),
                errors,
                existing,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "forecasts/day.html")]
struct DayPage {
    ctx: PageCtx,
    forecast: Forecast,
    levels: [Level; 5],
    bans: Vec<Ban>,
    in_season: bool,
    in_high_risk: bool,
    may_write: bool,
    saved: bool,
}

#[derive(Clone, Debug, Default, Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn day_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(day): Path<String>,
    Query(q): Query<DoneQuery>,
) -> AppResult<DayPage> {
    let day = parse_day(&day)?;
    let forecast = store::get(&state.db, &ctx.actor, day).await?;
    let season = crate::seasons::of_year(&state.db, &county_of(&ctx.actor.region_code), {
        use chrono::Datelike;
        day.year()
    })
    .await?;
    let bans = bans::list(&state.db, &ctx.actor, {
        use chrono::Datelike;
        day.year()
    })
    .await?
    .into_iter()
    .filter(|b| b.forecast_day == Some(day))
    .collect();
    Ok(DayPage {
        may_write: is_writer(&ctx.actor),
        ctx,
        forecast,
        levels: Level::ALL,
        bans,
        in_season: season.in_season(day),
        in_high_risk: season.in_high_risk(day),
        saved: q.done.is_some(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "forecasts/bans.html")]
struct BansPage {
    ctx: PageCtx,
    year: i32,
    bans: Vec<Ban>,
    today: NaiveDate,
    may_write: bool,
}

async fn bans_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> AppResult<BansPage> {
    let year = q.year.unwrap_or_else(|| store::this_year(&state));
    Ok(BansPage {
        bans: bans::list(&state.db, &ctx.actor, year).await?,
        may_write: is_writer(&ctx.actor),
        ctx,
        year,
        today: store::today(&state),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "forecasts/ban_form.html")]
struct BanFormPage {
    ctx: PageCtx,
    input: BanInput,
    townships: Vec<Region>,
    forecast: Option<Forecast>,
    errors: FormErrors,
}

impl BanFormPage {
    fn chosen(&self, code: &str) -> bool {
        self.input.townships.iter().any(|t| t == code)
    }

    fn level_of(&self, code: &str) -> Option<Level> {
        self.forecast.as_ref().and_then(|f| f.level_of(code))
    }

    fn eligible(&self) -> usize {
        self.forecast
            .as_ref()
            .map(|f| f.ban_townships.len())
            .unwrap_or(0)
    }
}

async fn ban_form(
    state: &AppState,
    ctx: PageCtx,
    input: BanInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let county = crate::access::require_writer(&ctx.actor)?;
    let forecast = match input
        .forecast_day
        .as_deref()
        .and_then(|d| d.parse::<NaiveDate>().ok())
    {
        Some(d) => store::of_day(&state.db, &county, d).await?,
        None => None,
    };
    let status = match (&errors.message, errors.fields.is_empty()) {
        (None, true) => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let page = BanFormPage {
        townships: store::townships(&state.db, &county).await?,
        ctx,
        input,
        forecast,
        errors,
    };
    Ok((status, page).into_response())
}

async fn ban_form_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<DayQuery>,
) -> AppResult<Response> {
    crate::access::require_writer(&ctx.actor)?;
    let day = q
        .day
        .as_deref()
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .unwrap_or_else(|| store::today(&state));
    let input = bans::blank_input(&state.db, &ctx.actor, day).await?;
    ban_form(&state, ctx, input, FormErrors::default()).await
}

async fn issue_ban(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<BanInput>,
) -> AppResult<Response> {
    match bans::issue(&state, &ctx.actor, &input).await {
        Ok(b) => Ok(Redirect::to(&format!("/fire/bans/{}?done=issued", b.id)).into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            ban_form(&state, ctx, input, errors).await
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "forecasts/ban.html")]
struct BanPage {
    ctx: PageCtx,
    ban: Ban,
    today: NaiveDate,
    may_write: bool,
    done: Option<String>,
    errors: FormErrors,
}

impl BanPage {
    /// A writer lifts a ban not lifted and not yet expired.
    fn may_lift(&self) -> bool {
        self.may_write && self.ban.lifted_at.is_none() && self.today <= self.ban.valid_to
    }
}

async fn ban_view(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    done: Option<String>,
    errors: FormErrors,
) -> AppResult<Response> {
    let ban = bans::get(&state.db, &ctx.actor, id).await?;
    let status = match (&errors.message, errors.fields.is_empty()) {
        (None, true) => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let page = BanPage {
        may_write: is_writer(&ctx.actor),
        ctx,
        ban,
        today: store::today(state),
        done,
        errors,
    };
    Ok((status, page).into_response())
}

async fn ban_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    ban_view(&state, ctx, id, q.done, FormErrors::default()).await
}

async fn lift_ban(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<LiftInput>,
) -> AppResult<Response> {
    match bans::lift(&state, &ctx.actor, id, &input).await {
        Ok(b) => Ok(Redirect::to(&format!("/fire/bans/{}?done=lifted", b.id)).into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            ban_view(&state, ctx, id, None, errors).await
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "forecasts/documents.html")]
struct DocumentsPage {
    ctx: PageCtx,
    year: i32,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    documents: Vec<Document>,
    may_write: bool,
}

async fn documents_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> AppResult<DocumentsPage> {
    let year = q.year.unwrap_or_else(|| store::this_year(&state));
    let kind = q.kind.as_deref().and_then(DocKind::parse);
    Ok(DocumentsPage {
        documents: documents::list(&state.db, &ctx.actor, year, kind).await?,
        may_write: is_writer(&ctx.actor),
        ctx,
        year,
        kind: kind.map(|k| k.code().to_string()).unwrap_or_default(),
        kinds: DocKind::options(),
    })
}

async fn documents_xlsx(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let year = q.year.unwrap_or_else(|| store::this_year(&state));
    let kind = q.kind.as_deref().and_then(DocKind::parse);
    let docs = documents::list(&state.db, &ctx.actor, year, kind).await?;
    let bytes = xlsx::workbook(
        "研判与督促",
        &documents::HEADERS,
        &documents::xlsx_rows(&docs),
    )?;
    Ok(xlsx::download(
        &format!("研判结论与督促函{year}.xlsx"),
        bytes,
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "forecasts/document_form.html")]
struct DocumentFormPage {
    ctx: PageCtx,
    input: DocumentInput,
    kinds: Vec<(&'static str, &'static str)>,
    townships: Vec<Region>,
    errors: FormErrors,
}

impl DocumentFormPage {
    fn chosen(&self, code: &str) -> bool {
        self.input.townships.iter().any(|t| t == code)
    }
}

async fn document_form(
    state: &AppState,
    ctx: PageCtx,
    input: DocumentInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let county = crate::access::require_writer(&ctx.actor)?;
    let status = match (&errors.message, errors.fields.is_empty()) {
        (None, true) => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let page = DocumentFormPage {
        townships: store::townships(&state.db, &county).await?,
        ctx,
        input,
        kinds: DocKind::options(),
        errors,
    };
    Ok((status, page).into_response())
}

#[derive(Clone, Debug, Default, Deserialize)]
struct KindQuery {
    kind: Option<String>,
}

async fn document_form_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<KindQuery>,
) -> AppResult<Response> {
    let input = DocumentInput {
        kind: q
            .kind
            .filter(|k| DocKind::parse(k).is_some())
            .unwrap_or_else(|| DocKind::Conclusion.code().into()),
        issued_on: Some(store::today(&state).to_string()),
        ..DocumentInput::default()
    };
    document_form(&state, ctx, input, FormErrors::default()).await
}

async fn issue_document(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<DocumentInput>,
) -> AppResult<Response> {
    match documents::issue(&state, &ctx.actor, &input).await {
        Ok(d) => Ok(Redirect::to(&format!("/fire/documents/{}", d.id)).into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            document_form(&state, ctx, input, errors).await
        }
    }
}

async fn document_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let doc = documents::get(&state.db, &ctx.actor, id).await?;
    doc.letter()
        .to_page("/fire/documents", &format!("/fire/documents/{id}/docx"))
}

async fn document_docx(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    documents::get(&state.db, &ctx.actor, id)
        .await?
        .letter()
        .download()
}

#[derive(Deserialize)]
struct VoidForm {
    #[serde(default)]
    reason: String,
}

/// 作废 from the list: back to the list, saying what happened (or why not).
async fn void_document(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(form): Form<VoidForm>,
) -> AppResult<Redirect> {
    let done = match documents::void(&state, &ctx.actor, id, &form.reason).await {
        Ok(()) => "voided",
        Err(AppError::Validation(_)) => "reason_missing",
        Err(e) => return Err(e),
    };
    Ok(Redirect::to(&format!("/fire/documents?done={done}")))
}
