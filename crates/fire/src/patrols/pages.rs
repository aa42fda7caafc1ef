//! Pages: `/fire/checkpoints` (list, form, one checkpoint with its QR code, 停用), the QR
//! images (`qr.svg`, `qr.png`) and a printable sheet per township, the phone page a QR code
//! opens (`/fire/scan/{token}`), `/fire/tours` (分片包干 with the scan rates, XLSX) and
//! `/fire/checkins` (签到记录, XLSX).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::error::{AppError, AppResult};
use platform::regions::store::Region;
use platform::web::form::{Form, FormErrors, Path, Query};
use platform::web::{AppState, PageCtx, xlsx};
use serde::Deserialize;
use uuid::Uuid;

use super::model::Kind;
use super::qr;
use super::store::{
    self, CheckIn, CheckInFilter, Checkpoint, CheckpointFilter, CheckpointInput, Position, Rates,
    ScanResult, Tour, TourFilter, TourInput,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/fire/checkpoints", get(list_page).post(create))
        .route("/fire/checkpoints/new", get(new_page))
        .route("/fire/checkpoints/sheet", get(sheet_page))
        .route("/fire/checkpoints/{id}", get(checkpoint_page).post(update))
        .route("/fire/checkpoints/{id}/void", post(void))
        .route("/fire/checkpoints/{id}/qr.svg", get(qr_svg))
        .route("/fire/checkpoints/{id}/qr.png", get(qr_png))
        .route("/fire/scan/{token}", get(scan_page).post(scan))
        .route("/fire/tours", get(tours_page).post(create_tour))
        .route("/fire/tours.xlsx", get(tours_xlsx))
        .route("/fire/tours/new", get(tour_form_page))
        .route("/fire/checkins", get(checkins_page))
        .route("/fire/checkins.xlsx", get(checkins_xlsx))
}

fn status_of(errors: &FormErrors) -> StatusCode {
    match (&errors.message, errors.fields.is_empty()) {
        (None, true) => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

// ---------------------------------------------------------------------------------------------
// Checkpoints

#[derive(Template, WebTemplate)]
#[template(path = "patrols/checkpoints.html")]
struct ListPage {
    ctx: PageCtx,
    checkpoints: Vec<Checkpoint>,
    townships: Vec<Region>,
    township: String,
    may_write: bool,
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<CheckpointFilter>,
) -> AppResult<ListPage> {
    Ok(ListPage {
        checkpoints: store::list_checkpoints(&state, &ctx.actor, &q).await?,
        townships: store::townships(&state.db, &ctx.actor).await?,
        township: q.township.unwrap_or_default(),
        may_write: store::may_edit(&ctx.actor),
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "patrols/checkpoint.html")]
struct CheckpointPage {
    ctx: PageCtx,
    /// None: a new checkpoint.
    checkpoint: Option<Checkpoint>,
    qr_svg: String,
    input: CheckpointInput,
    townships: Vec<Region>,
    kinds: [Kind; 2],
    warning: Option<String>,
    may_write: bool,
    errors: FormErrors,
}

async fn checkpoint_form(
    state: &AppState,
    ctx: PageCtx,
    checkpoint: Option<Checkpoint>,
    input: CheckpointInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let (qr_svg, warning) = match &checkpoint {
        Some(c) => (
            qr::inline_svg(&c.link, 220)?,
            store::position_warning(&state.db, &ctx.actor, &c.township, (c.lon, c.lat)).await?,
        ),
        None => (String::new(), None),
    };
    let page = CheckpointPage {
        townships: store::townships(&state.db, &ctx.actor).await?,
        may_write: store::may_edit(&ctx.actor),
        kinds: Kind::ALL,
        ctx,
        checkpoint,
        qr_svg,
        input,
        warning,
        errors,
    };
    Ok((status_of(&page.errors), page).into_response())
}

fn input_of(c: &Checkpoint) -> CheckpointInput {
    CheckpointInput {
        township: c.township.clone(),
        name: c.name.clone(),
        kind: c.kind.code().into(),
        lon: Some(c.lon.to_string()),
        lat: Some(c.lat.to_string()),
        note: c.note.clone(),
        version: Some(c.version),
    }
}

async fn new_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    platform::access::Actor::require(&ctx.actor, platform::access::perm::FIRE_EDIT)?;
    let input = CheckpointInput {
        kind: Kind::Supervision.code().into(),
        ..CheckpointInput::default()
    };
    checkpoint_form(&state, ctx, None, input, FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<CheckpointInput>,
) -> AppResult<Response> {
    match store::create_checkpoint(&state, &ctx.actor, &input).await {
        Ok(c) => {
            Ok(Redirect::to(&format!("/fire/checkpoints/{}?done=saved", c.id)).into_response())
        }
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            checkpoint_form(&state, ctx, None, input, errors).await
        }
    }
}

async fn checkpoint_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let c = store::get_checkpoint(&state, &ctx.actor, id).await?;
    let input = input_of(&c);
    checkpoint_form(&state, ctx, Some(c), input, FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<CheckpointInput>,
) -> AppResult<Response> {
    match store::update_checkpoint(&state, &ctx.actor, id, &input).await {
        Ok(c) => {
            Ok(Redirect::to(&format!("/fire/checkpoints/{}?done=saved", c.id)).into_response())
        }
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let c = store::get_checkpoint(&state, &ctx.actor, id).await?;
            checkpoint_form(&state, ctx, Some(c), input, errors).await
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
struct VoidForm {
    #[serde(default)]
    reason: String,
}

async fn void(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(form): Form<VoidForm>,
) -> AppResult<Response> {
    match store::void_checkpoint(&state, &ctx.actor, id, &form.reason).await {
        Ok(c) => {
            Ok(Redirect::to(&format!("/fire/checkpoints/{}?done=voided", c.id)).into_response())
        }
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let c = store::get_checkpoint(&state, &ctx.actor, id).await?;
            let input = input_of(&c);
            checkpoint_form(&state, ctx, Some(c), input, errors).await
        }
    }
}

fn image(content_type: &'static str, filename: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

async fn qr_svg(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let c = store::get_checkpoint(&state, &ctx.actor, id).await?;
    let svg = qr::svg(&c.link, 300)?;
    Ok(image(
        "image/svg+xml",
        format!("qr-{id}.svg"),
        svg.into_bytes(),
    ))
}

async fn qr_png(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let c = store::get_checkpoint(&state, &ctx.actor, id).await?;
    Ok(image(
        "image/png",
        format!("qr-{id}.png"),
        qr::png(&c.link, 8)?,
    ))
}

/// One card of the printable sheet.
struct SheetCard {
    checkpoint: Checkpoint,
    svg: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "patrols/sheet.html")]
struct SheetPage {
    ctx: PageCtx,
    title: String,
    cards: Vec<SheetCard>,
}

async fn sheet_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<CheckpointFilter>,
) -> AppResult<SheetPage> {
    let filter = CheckpointFilter {
        township: q.township,
        all: None,
    };
    let checkpoints = store::list_checkpoints(&state, &ctx.actor, &filter).await?;
    let title = match checkpoints.first() {
        Some(c) if filter.township.is_some() => format!("{}巡查点位二维码", c.township_name),
        _ => "巡查点位二维码".to_string(),
    };
    let cards = checkpoints
        .into_iter()
        .map(|c| {
            Ok(SheetCard {
                svg: qr::inline_svg(&c.link, 180)?,
                checkpoint: c,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(SheetPage { ctx, title, cards })
}

// ---------------------------------------------------------------------------------------------
// Scanning

#[derive(Template, WebTemplate)]
#[template(path = "patrols/scan.html")]
struct ScanPage {
    ctx: PageCtx,
    token: String,
    checkpoint: Option<Checkpoint>,
    /// 二维码无效 and the like: the page says so instead of the form.
    refusal: Option<String>,
    result: Option<ScanResult>,
}

fn refusal(err: AppError) -> AppResult<(StatusCode, String)> {
    match err {
        AppError::BadRequest { message, .. } => Ok((StatusCode::BAD_REQUEST, message)),
        AppError::Conflict { message, .. } => Ok((StatusCode::CONFLICT, message)),
        other => Err(other),
    }
}

async fn scan_view(
    state: &AppState,
    ctx: PageCtx,
    token: String,
    result: Option<ScanResult>,
) -> AppResult<Response> {
    let (status, checkpoint, refused) = match store::scanned(state, &ctx.actor, &token).await {
        Ok(c) => (StatusCode::OK, Some(c), None),
        Err(err) => {
            let (status, message) = refusal(err)?;
            (status, None, Some(message))
        }
    };
    let page = ScanPage {
        ctx,
        token,
        checkpoint,
        refusal: refused,
        result,
    };
    Ok((status, page).into_response())
}

async fn scan_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    scan_view(&state, ctx, token, None).await
}

async fn scan(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    Form(position): Form<Position>,
) -> AppResult<Response> {
    match store::check_in(&state, &ctx.actor, &token, &position).await {
        Ok(result) => scan_view(&state, ctx, token, Some(result)).await,
        Err(err) => {
            let (status, message) = refusal(err)?;
            let page = ScanPage {
                ctx,
                token,
                checkpoint: None,
                refusal: Some(message),
                result: None,
            };
            Ok((status, page).into_response())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tours and check-ins

#[derive(Template, WebTemplate)]
#[template(path = "patrols/tours.html")]
struct ToursPage {
    ctx: PageCtx,
    filter: TourFilter,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    tours: Vec<Tour>,
    rates: Rates,
    townships: Vec<Region>,
    query: String,
    may_write: bool,
}

async fn tours_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<TourFilter>,
) -> AppResult<ToursPage> {
    let (from, to) = store::period(&q, store::today(&state));
    let tours = store::list_tours(&state, &ctx.actor, &q).await?;
    Ok(ToursPage {
        rates: store::rates(&tours),
        townships: store::townships(&state.db, &ctx.actor).await?,
        query: serde_urlencoded::to_string(&q).unwrap_or_default(),
        may_write: store::may_edit(&ctx.actor),
        ctx,
        filter: q,
        from,
        to,
        tours,
    })
}

async fn tours_xlsx(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<TourFilter>,
) -> AppResult<Response> {
    let tours = store::list_tours(&state, &ctx.actor, &q).await?;
    let rates = store::rates(&tours);
    let tour_rows = store::tour_rows(&tours);
    let mut rate_rows = store::rate_sheet(std::slice::from_ref(&rates.overall));
    rate_rows.extend(store::rate_sheet(&rates.by_township));
    let person_rows = store::rate_sheet(&rates.by_person);
    let bytes = xlsx::workbook_of(&[
        xlsx::Sheet {
            name: "包干任务",
            headers: &store::TOUR_HEADERS,
            rows: &tour_rows,
        },
        xlsx::Sheet {
            name: "按乡镇",
            headers: &store::RATE_HEADERS,
            rows: &rate_rows,
        },
        xlsx::Sheet {
            name: "按人员",
            headers: &store::RATE_HEADERS,
            rows: &person_rows,
        },
    ])?;
    Ok(xlsx::download("分片包干扫码督导.xlsx", bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "patrols/tour_form.html")]
struct TourFormPage {
    ctx: PageCtx,
    input: TourInput,
    townships: Vec<Region>,
    checkpoints: Vec<Checkpoint>,
    errors: FormErrors,
}

impl TourFormPage {
    fn chosen(&self, id: &Uuid) -> bool {
        let id = id.to_string();
        self.input.checkpoints.contains(&id)
    }
}

async fn tour_form(
    state: &AppState,
    ctx: PageCtx,
    input: TourInput,
    errors: FormErrors,
) -> AppResult<Response> {
    platform::access::Actor::require(&ctx.actor, platform::access::perm::FIRE_EDIT)?;
    let page = TourFormPage {
        townships: store::townships(&state.db, &ctx.actor).await?,
        checkpoints: store::list_checkpoints(state, &ctx.actor, &CheckpointFilter::default())
            .await?,
        ctx,
        input,
        errors,
    };
    Ok((status_of(&page.errors), page).into_response())
}

async fn tour_form_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let today = store::today(&state);
    let input = TourInput {
        date_from: today.to_string(),
        date_to: (today + chrono::Duration::days(30)).to_string(),
        required: Some("1".into()),
        ..TourInput::default()
    };
    tour_form(&state, ctx, input, FormErrors::default()).await
}

async fn create_tour(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<TourInput>,
) -> AppResult<Response> {
    match store::create_tour(&state, &ctx.actor, &input).await {
        Ok(_) => Ok(Redirect::to("/fire/tours?done=saved").into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            tour_form(&state, ctx, input, errors).await
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "patrols/checkins.html")]
struct CheckinsPage {
    ctx: PageCtx,
    filter: CheckInFilter,
    checkins: Vec<CheckIn>,
    townships: Vec<Region>,
    query: String,
}

async fn checkins_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<CheckInFilter>,
) -> AppResult<CheckinsPage> {
    Ok(CheckinsPage {
        checkins: store::list_checkins(&state, &ctx.actor, &q).await?,
        townships: store::townships(&state.db, &ctx.actor).await?,
        query: serde_urlencoded::to_string(&q).unwrap_or_default(),
        ctx,
        filter: q,
    })
}

async fn checkins_xlsx(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<CheckInFilter>,
) -> AppResult<Response> {
    let checkins = store::list_checkins(&state, &ctx.actor, &q).await?;
    let bytes = xlsx::workbook(
        "签到记录",
        &store::CHECKIN_HEADERS,
        &store::checkin_rows(&checkins),
    )?;
    Ok(xlsx::download("巡查签到记录.xlsx", bytes))
}
