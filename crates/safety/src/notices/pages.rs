//! Letter pages: the sender's list (filters, export), draft form, detail with the recipients'
//! table kept fresh by htmx, the printable letter; and the recipients' inbox with the reply form.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::perm;
use platform::attachments::{self, Attachment, MultipartForm};
use platform::audit::store::AuditRow;
use platform::error::{AppError, AppResult};
use platform::org::store::Department;
use platform::regions::Level;
use platform::regions::store::Region;
use platform::web::form::{Form, FormErrors, Path, Query};
use platform::web::paging::{PageOf, Paging, Sort, SortQuery, page_link};
use platform::web::{AppState, PageCtx, xlsx};
use uuid::Uuid;

use super::entity::notice;
use super::store::{
    self, CloseInput, Inbox, Notice, NoticeFilter, NoticeInput, ReplyInput, ReturnInput,
    VersionInput,
};

pub fn router() -> Router<AppState> {
    let upload_limit = DefaultBodyLimit::max(attachments::UPLOAD_BODY_LIMIT);
    Router::new()
        .route("/safety/notices", get(list_page))
        .route("/safety/notices/export", get(export))
        .route("/safety/notices/new", get(new_page).post(create))
        .route("/safety/notices/{id}", get(detail_page))
        .route("/safety/notices/{id}/recipients", get(recipients_fragment))
        .route("/safety/notices/{id}/edit", get(edit_page).post(update))
        .route("/safety/notices/{id}/send", post(send))
        .route("/safety/notices/{id}/close", post(close))
        .route(
            "/safety/notices/{id}/recipients/{recipient_id}/return",
            post(return_reply),
        )
        .route(
            "/safety/notices/{id}/files",
            post(upload).layer(upload_limit),
        )
        .route("/safety/notices/{id}/files/{file_id}", get(download))
        .route("/safety/notices/{id}/print", get(print_page))
        .route("/safety/inbox", get(inbox_page))
        .route("/safety/inbox/{id}", get(inbox_detail))
        .route("/safety/inbox/{id}/reply", post(reply).layer(upload_limit))
}

type Choices = Vec<(&'static str, &'static str)>;

fn done_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "sent" => "函件已发出",
        "closed" => "函件已办结",
        "returned" => "回复已退回",
        "files" => "附件已上传",
        "replied" => "回复已提交",
        _ => return None,
    })
}

#[derive(serde::Deserialize, Default)]
struct Done {
    done: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "notices/list.html")]
struct ListPage {
    ctx: PageCtx,
    filter: NoticeFilter,
    sort: Sort<notice::Column>,
    page: PageOf<Notice>,
    query: String,
    kinds: Choices,
    states: Choices,
}

impl ListPage {
    fn link(&self, page: u64) -> String {
        page_link(&self.query, page)
    }

    fn export_link(&self) -> String {
        format!("/safety/notices/export?{}", self.query)
    }

    fn is(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<NoticeFilter>,
    Query(sort): Query<SortQuery>,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let sort = store::SORTS.pick(&sort)?;
    if !store::may_read_all(&ctx.actor) {
        // Townships and departments receive letters: their list is the inbox.
        return Ok(Redirect::to("/safety/inbox").into_response());
    }
    let today = store::today(&state);
    let page = store::list(&state.db, &ctx.actor, &filter, &sort, paging, today).await?;
    Ok(ListPage {
        ctx,
        filter,
        sort,
        page,
        query: query.unwrap_or_default(),
        kinds: store::kinds(),
        states: store::states(),
    }
    .into_response())
}

const EXPORT_HEADERS: [&str; 12] = [
    "文号",
    "种类",
    "标题",
    "状态",
    "发出日期",
    "回复期限",
    "接收单位",
    "接收单位数",
    "已读",
    "已回复",
    "逾期",
    "办结说明",
];

/// The filtered list as XLSX with each letter's counts (up to 10 000 rows).
async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<NoticeFilter>,
    Query(sort): Query<SortQuery>,
) -> AppResult<Response> {
    let sort = store::SORTS.pick(&sort)?;
    let today = store::today(&state);
    let notices = store::all(&state.db, &ctx.actor, &filter, &sort, today, 10_000).await?;
    let rows: Vec<Vec<String>> = notices
        .iter()
        .map(|n| {
            vec![
                n.number.clone().unwrap_or_default(),
                n.kind_label().to_string(),
                n.title.clone(),
                n.state_label().to_string(),
                n.sent_on.map(|d| d.to_string()).unwrap_or_default(),
                n.due_text(),
                n.recipient_names(),
                n.counts.recipients.to_string(),
                n.counts.read.to_string(),
                n.counts.replied.to_string(),
                n.counts.late.to_string(),
                n.note.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let bytes = xlsx::workbook("函件", &EXPORT_HEADERS, &rows)?;
    Ok(xlsx::download("函件台账.xlsx", bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "notices/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    notice: Notice,
    files: Vec<Attachment>,
    history: Vec<AuditRow>,
    errors: FormErrors,
    done: Option<&'static str>,
    /// For the recipients' table, shared with its htmx fragment.
    csrf: String,
}

impl DetailPage {
    fn action_name<'a>(&self, row: &'a AuditRow) -> &'a str {
        &row.action_label
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }
}

async fn detail(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    errors: FormErrors,
    done: Option<&'static str>,
) -> AppResult<Response> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let today = store::today(state);
    let notice = store::get(&state.db, &ctx.actor, id, today).await?;
    if !store::may_read_all(&ctx.actor) {
        return Ok(Redirect::to(&format!("/safety/inbox/{id}")).into_response());
    }
    let files = store::files(&state.db, &ctx.actor, id, today).await?;
    let scope = ctx.actor.scope();
    let history =
        platform::audit::store::history(&state.db, &scope, store::KIND, &id.to_string()).await?;
    let status = if errors.message.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = DetailPage {
        // Readers who do not send get no action forms.
        csrf: if store::is_sender(&ctx.actor) {
            ctx.csrf.clone()
        } else {
            String::new()
        },
        ctx,
        notice,
        files,
        history,
        errors,
        done,
    };
    Ok((status, page).into_response())
}

async fn detail_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Query(q): Query<Done>,
) -> AppResult<Response> {
    let done = q.done.as_deref().and_then(done_message);
    detail(&state, ctx, id, FormErrors::default(), done).await
}

#[derive(Template, WebTemplate)]
#[template(path = "notices/recipients.html")]
struct RecipientsFragment {
    notice: Notice,
    csrf: String,
}

/// The recipients' table alone: the detail page polls it every 30 s.
async fn recipients_fragment(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    if !store::may_read_all(&ctx.actor) {
        return Err(AppError::NotFound);
    }
    let notice = store::get(&state.db, &ctx.actor, id, store::today(&state)).await?;
    let csrf = if store::is_sender(&ctx.actor) {
        ctx.csrf
    } else {
        String::new()
    };
    Ok(RecipientsFragment { notice, csrf }.into_response())
}

/// After an action: back to the detail page, or the page again with the error.
async fn after_action(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    result: AppResult<()>,
    done: &str,
) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/safety/notices/{id}?done={done}")).into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            detail(state, ctx, id, errors, None).await
        }
    }
}

async fn send(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<VersionInput>,
) -> AppResult<Response> {
    let result = store::send(&state, &ctx.actor, id, input.version).await;
    after_action(&state, ctx, id, result.map(|_| ()), "sent").await
}

async fn close(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<CloseInput>,
) -> AppResult<Response> {
    let result = store::close(&state, &ctx.actor, id, &input).await;
    after_action(&state, ctx, id, result.map(|_| ()), "closed").await
}

async fn return_reply(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, recipient_id)): Path<(Uuid, Uuid)>,
    Form(input): Form<ReturnInput>,
) -> AppResult<Response> {
    let result = store::return_reply(&state, &ctx.actor, id, recipient_id, &input).await;
    after_action(&state, ctx, id, result.map(|_| ()), "returned").await
}

async fn upload(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    form: MultipartForm,
) -> AppResult<Response> {
    let result = store::attach(&state, &ctx.actor, id, &form.files("files")).await;
    after_action(&state, ctx, id, result.map(|_| ()), "files").await
}

/// A letter's own file, for its sender and its recipients (whose scope does not cover the
/// county's files).
async fn download(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, file_id)): Path<(Uuid, Uuid)>,
) -> AppResult<Response> {
    let file = store::file(&state.db, &ctx.actor, id, file_id, store::today(&state)).await?;
    let path = attachments::store::path_of(&state.settings.files_dir, &file.sha256);
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("附件文件缺失 {}: {e}", path.display())))?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&file.content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    let disposition = format!(
        "inline; filename*=UTF-8''{}",
        platform::web::errors::encode(&file.filename)
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

#[derive(Template, WebTemplate)]
#[template(path = "notices/print.html")]
struct PrintPage {
    notice: Notice,
    county_name: String,
}

/// The letter on one clean A4 page: number, recipients, content, date.
async fn print_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<PrintPage> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let notice = store::get(&state.db, &ctx.actor, id, store::today(&state)).await?;
    let county_name = platform::regions::store::find(&state.db, &notice.region_code)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    Ok(PrintPage {
        notice,
        county_name,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "notices/form.html")]
struct FormPage {
    ctx: PageCtx,
    editing: Option<Notice>,
    input: NoticeInput,
    errors: FormErrors,
    kinds: Choices,
    townships: Vec<Region>,
    departments: Vec<Department>,
}

impl FormPage {
    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }

    fn has_township(&self, code: &str) -> bool {
        self.input.townships.iter().any(|c| c == code)
    }

    fn has_department(&self, id: &Uuid) -> bool {
        let id = id.to_string();
        self.input.departments.contains(&id)
    }

    fn reply_required(&self) -> bool {
        self.input.reply_required.unwrap_or(false)
    }
}

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    editing: Option<Notice>,
    input: NoticeInput,
    errors: FormErrors,
) -> AppResult<Response> {
    if !store::is_sender(&ctx.actor) {
        return Err(AppError::Forbidden);
    }
    let scope = ctx.actor.scope();
    let status = if errors.message.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = FormPage {
        townships: platform::regions::store::list_level(&state.db, &scope, Level::Township).await?,
        departments: platform::org::store::all(&state.db, &scope).await?,
        ctx,
        editing,
        input,
        errors,
        kinds: store::kinds(),
    };
    Ok((status, page).into_response())
}

async fn new_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let input = NoticeInput {
        kind: "reminder".to_string(),
        reply_required: Some(true),
        reply_due_on: Some((store::today(&state) + chrono::Duration::days(7)).to_string()),
        ..Default::default()
    };
    form_page(&state, ctx, None, input, FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<NoticeInput>,
) -> AppResult<Response> {
    match store::create(&state, &ctx.actor, &input).await {
        Ok(n) => {
            Ok(Redirect::to(&format!("/safety/notices/{}?done=created", n.id)).into_response())
        }
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
    let notice = store::get(&state.db, &ctx.actor, id, store::today(&state)).await?;
    if !notice.is_draft() {
        return Ok(Redirect::to(&format!("/safety/notices/{id}")).into_response());
    }
    let input = NoticeInput::from_notice(&notice);
    form_page(&state, ctx, Some(notice), input, FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<NoticeInput>,
) -> AppResult<Response> {
    match store::update(&state, &ctx.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/safety/notices/{id}?done=saved")).into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let notice = store::get(&state.db, &ctx.actor, id, store::today(&state)).await?;
            form_page(&state, ctx, Some(notice), input, errors).await
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "notices/inbox.html")]
struct InboxPage {
    ctx: PageCtx,
    page: PageOf<store::InboxItem>,
    unread: u64,
    query: String,
}

impl InboxPage {
    fn link(&self, page: u64) -> String {
        page_link(&self.query, page)
    }
}

async fn inbox_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<InboxPage> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let Inbox { page, unread } =
        store::inbox(&state.db, &ctx.actor, paging, store::today(&state)).await?;
    Ok(InboxPage {
        ctx,
        page,
        unread,
        query: query.unwrap_or_default(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "notices/inbox_detail.html")]
struct InboxDetail {
    ctx: PageCtx,
    notice: Notice,
    files: Vec<Attachment>,
    errors: FormErrors,
    reply_text: String,
    done: Option<&'static str>,
}

async fn inbox_view(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    errors: FormErrors,
    reply_text: String,
    done: Option<&'static str>,
) -> AppResult<Response> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let notice = store::open(state, &ctx.actor, id).await?;
    let files = store::files(&state.db, &ctx.actor, id, store::today(state)).await?;
    let status = if errors.message.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = InboxDetail {
        ctx,
        notice,
        files,
        errors,
        reply_text,
        done,
    };
    Ok((status, page).into_response())
}

/// Opening a letter from the inbox records that it was read.
async fn inbox_detail(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Query(q): Query<Done>,
) -> AppResult<Response> {
    let done = q.done.as_deref().and_then(done_message);
    inbox_view(&state, ctx, id, FormErrors::default(), String::new(), done).await
}

async fn reply(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    form: MultipartForm,
) -> AppResult<Response> {
    let input: ReplyInput = form.fields()?;
    match store::reply(&state, &ctx.actor, id, &input, &form.files("files")).await {
        Ok(_) => Ok(Redirect::to(&format!("/safety/inbox/{id}?done=replied")).into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            inbox_view(&state, ctx, id, errors, input.reply, None).await
        }
    }
}

/// Names of this ledger's audit actions, registered with the platform at start-up.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("notice.send", "发出"),
    ("notice.read", "签收"),
    ("notice.reply", "回复"),
    ("notice.return", "退回回复"),
    ("notice.close", "办结"),
];
