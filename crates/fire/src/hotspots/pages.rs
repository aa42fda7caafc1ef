//! 卫星热点 pages: the list (with the FIRMS upload, the files received and the county's rules),
//! manual entry, a hotspot's page (pixels, who was asked, the answer, assigning and voiding),
//! and the phone page a township answers on.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::attachments::{MultipartForm, UPLOAD_BODY_LIMIT};
use platform::auth::layer::MaybeActor;
use platform::calls::CallRow;
use platform::calls::model::call_state;
use platform::error::{AppError, AppResult};
use platform::regions::store::Region;
use platform::web::form::{Form, FormErrors, Path, local_input};
use platform::web::{AppState, PageCtx};
use serde::Deserialize;
use uuid::Uuid;

use super::answer::{self, AnswerInput};
use super::model::{Rules, Verdict};
use super::receive::{self, EntryInput, Receipt};
use super::store::{self, Batch, Detail, Hotspot, ListFilter};
use crate::access::county_of;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/fire/hotspots", get(list_page))
        .route(
            "/fire/hotspots/upload",
            post(upload).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route("/fire/hotspots/rules", post(save_rules))
        .route("/fire/hotspots/new", get(entry_page).post(enter))
        .route("/fire/hotspots/{id}", get(detail_page))
        .route("/fire/hotspots/{id}/assign", post(assign))
        .route("/fire/hotspots/{id}/void", post(void))
        .route(
            "/fire/hotspots/answer/{token}",
            get(answer_page)
                .post(answer)
                .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
}

/// Whether townships are matched by approximate areas (近似范围), to be said beside them.
async fn approximate(state: &AppState, ctx: &PageCtx) -> AppResult<bool> {
    crate::areas::store::any_approximate(&state.db, &ctx.actor).await
}

async fn townships(state: &AppState, ctx: &PageCtx) -> AppResult<Vec<Region>> {
    crate::forecasts::store::townships(&state.db, &county_of(&ctx.actor.region_code)).await
}

#[derive(Template, WebTemplate)]
#[template(path = "hotspots/list.html")]
struct ListPage {
    ctx: PageCtx,
    filter: ListFilter,
    hotspots: Vec<Hotspot>,
    townships: Vec<Region>,
    may_edit: bool,
    rules: Rules,
    batches: Vec<Batch>,
    receipt: Option<Receipt>,
    upload_errors: Vec<String>,
    rules_errors: FormErrors,
    approximate: bool,
}

impl ListPage {
    fn count(&self, answered: bool) -> usize {
        self.hotspots
            .iter()
            .filter(|h| h.stage.is_answered() == answered)
            .count()
    }

    fn chosen(&self, code: &str) -> bool {
        self.filter.township.as_deref() == Some(code)
    }
}

struct Extras {
    receipt: Option<Receipt>,
    upload_errors: Vec<String>,
    rules_errors: FormErrors,
    rules: Option<Rules>,
}

impl Extras {
    fn none() -> Self {
        Self {
            receipt: None,
            upload_errors: Vec::new(),
            rules_errors: FormErrors::default(),
            rules: None,
        }
    }
}

async fn render_list(
    state: &AppState,
    ctx: PageCtx,
    filter: ListFilter,
    extras: Extras,
) -> AppResult<Response> {
    let may_edit = store::may_edit(&ctx.actor);
    let rules = match extras.rules {
        Some(r) => r,
        None => store::rules(state, &ctx.actor).await?,
    };
    Ok(ListPage {
        hotspots: store::list(state, &ctx.actor, &filter).await?,
        townships: townships(state, &ctx).await?,
        approximate: approximate(state, &ctx).await?,
        batches: if may_edit {
            store::batches(state, &ctx.actor, 10).await?
        } else {
            Vec::new()
        },
        may_edit,
        rules,
        receipt: extras.receipt,
        upload_errors: extras.upload_errors,
        rules_errors: extras.rules_errors,
        filter,
        ctx,
    }
    .into_response())
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<ListFilter>,
) -> AppResult<Response> {
    render_list(&state, ctx, filter, Extras::none()).await
}

/// The FIRMS file of the upload form (CSV: not a kind of attachment, so read here).
async fn csv_file(mut multipart: Multipart) -> AppResult<Option<(String, Vec<u8>)>> {
    let malformed = |_| AppError::bad_request("malformed_form", "上传内容格式不正确或过大");
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        let is_file = field.name() == Some("file") && field.file_name().is_some();
        let name = field.file_name().unwrap_or_default().to_string();
        let bytes = field.bytes().await.map_err(malformed)?;
        if is_file && !bytes.is_empty() {
            return Ok(Some((name, bytes.to_vec())));
        }
    }
    Ok(None)
}

async fn upload(
    State(state): State<AppState>,
    ctx: PageCtx,
    multipart: Multipart,
) -> AppResult<Response> {
    let result = match csv_file(multipart).await? {
        None => Err(AppError::field("file", "请选择 FIRMS 火点 CSV 文件")),
        Some((name, bytes)) => receive::receive_upload(&state, &ctx.actor, &name, &bytes).await,
    };
    let mut extras = Extras::none();
    match result {
        Ok(receipt) => extras.receipt = Some(receipt),
        Err(AppError::Validation(errors)) => extras.upload_errors = errors.into_values().collect(),
        Err(AppError::Conflict { message, .. }) => extras.upload_errors = vec![message],
        Err(e) => return Err(e),
    }
    render_list(&state, ctx, ListFilter::default(), extras).await
}

async fn save_rules(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(rules): Form<Rules>,
) -> AppResult<Response> {
    match store::set_rules(&state, &ctx.actor, &rules).await {
        Ok(_) => Ok(Redirect::to("/fire/hotspots?done=saved").into_response()),
        Err(e) => {
            let extras = Extras {
                rules_errors: FormErrors::from_error(e)?,
                rules: Some(rules),
                ..Extras::none()
            };
            render_list(&state, ctx, ListFilter::default(), extras).await
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "hotspots/entry.html")]
struct EntryPage {
    ctx: PageCtx,
    input: EntryInput,
    townships: Vec<Region>,
    errors: FormErrors,
}

impl EntryPage {
    fn chosen(&self, code: &str) -> bool {
        self.input.township.as_deref() == Some(code)
    }
}

async fn entry_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<EntryPage> {
    let input = EntryInput {
        detected_at: Some(local_input(state.now())),
        ..EntryInput::default()
    };
    Ok(EntryPage {
        townships: townships(&state, &ctx).await?,
        ctx,
        input,
        errors: FormErrors::default(),
    })
}

async fn enter(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<EntryInput>,
) -> AppResult<Response> {
    match receive::enter(&state, &ctx.actor, &input).await {
        Ok(h) => Ok(Redirect::to(&format!("/fire/hotspots/{}?done=saved", h.id)).into_response()),
        Err(e) => Ok(EntryPage {
            townships: townships(&state, &ctx).await?,
            errors: FormErrors::from_error(e)?,
            ctx,
            input,
        }
        .into_response()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "hotspots/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    d: Detail,
    may_edit: bool,
    townships: Vec<Region>,
    errors: FormErrors,
    approximate: bool,
}

async fn render_detail(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    errors: FormErrors,
) -> AppResult<Response> {
    Ok(DetailPage {
        d: store::detail(state, &ctx.actor, id).await?,
        may_edit: store::may_edit(&ctx.actor),
        townships: townships(state, &ctx).await?,
        approximate: approximate(state, &ctx).await?,
        ctx,
        errors,
    }
    .into_response())
}

async fn detail_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    render_detail(&state, ctx, id, FormErrors::default()).await
}

#[derive(Deserialize)]
struct AssignForm {
    #[serde(default)]
    township: String,
}

async fn assign(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(form): Form<AssignForm>,
) -> AppResult<Response> {
    match receive::assign(&state, &ctx.actor, id, &form.township).await {
        Ok(_) => Ok(Redirect::to(&format!("/fire/hotspots/{id}?done=saved")).into_response()),
        Err(e) => render_detail(&state, ctx, id, FormErrors::from_error(e)?).await,
    }
}

#[derive(Deserialize)]
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
    match receive::void(&state, &ctx.actor, id, &form.reason).await {
        Ok(_) => Ok(Redirect::to(&format!("/fire/hotspots/{id}?done=voided")).into_response()),
        Err(e) => render_detail(&state, ctx, id, FormErrors::from_error(e)?).await,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "hotspots/answer.html")]
struct AnswerPage {
    csrf: Option<String>,
    token: String,
    call: CallRow,
    h: Hotspot,
    /// `answered` (just now), `acknowledged`, `closed`, or empty (asking).
    outcome: &'static str,
    verdicts: [Verdict; 6],
    input: AnswerInput,
    errors: FormErrors,
}

impl AnswerPage {
    fn chosen(&self, v: &Verdict) -> bool {
        self.input.verdict.as_deref() == Some(v.code())
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or_default()
    }

    /// The form's action, with the CSRF token for a logged-in browser (multipart bodies are
    /// not searched for it).
    fn action(&self) -> String {
        match &self.csrf {
            Some(c) => format!("/fire/hotspots/answer/{}?_csrf={c}", self.token),
            None => format!("/fire/hotspots/answer/{}", self.token),
        }
    }
}

fn outcome_of(call: &platform::calls::entity::Model, h: &Hotspot) -> &'static str {
    if call.about.is_some() && call.confirmed_at.is_some() {
        "acknowledged"
    } else if h.answered_at.is_some() {
        "answered"
    } else if h.stage == super::model::Stage::Voided || call.state == call_state::CLOSED {
        "closed"
    } else {
        ""
    }
}

async fn answer_page(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    Path(token): Path<String>,
) -> AppResult<AnswerPage> {
    let (found, h) = answer::by_token(&state, &token).await?;
    Ok(AnswerPage {
        csrf: actor.and_then(|a| a.csrf_token),
        outcome: outcome_of(&found, &h),
        token,
        call: found.into(),
        h,
        verdicts: Verdict::ALL,
        input: AnswerInput::default(),
        errors: FormErrors::default(),
    })
}

async fn answer(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    Path(token): Path<String>,
    form: Result<MultipartForm, AppError>,
) -> AppResult<AnswerPage> {
    let (input, result) = match form {
        Ok(form) => {
            let input: AnswerInput = form.fields()?;
            let photos = form.files("photos");
            let result = answer::answer_by_token(&state, &token, &input, &photos).await;
            (input, result.map(|_| ()))
        }
        Err(e) => (AnswerInput::default(), Err(e)),
    };
    // Read after answering, so the page shows the answer as stored.
    let (found, h) = answer::by_token(&state, &token).await?;
    let errors = match result {
        Ok(()) | Err(AppError::Conflict { .. }) => FormErrors::default(),
        Err(e) => FormErrors::from_error(e)?,
    };
    Ok(AnswerPage {
        csrf: actor.and_then(|a| a.csrf_token),
        outcome: outcome_of(&found, &h),
        token,
        call: found.into(),
        h,
        verdicts: Verdict::ALL,
        input,
        errors,
    })
}
