//! `/duty/dispatch/questions`: the county's questions for one season (a tab per kind), with
//! 采用默认问题 while the defaults are asked, a form to add, up/down, and a page to edit or
//! remove one.

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
use uuid::Uuid;

use super::api::KindQuery;
use super::model::{AlarmRule, AnswerKind, Question};
use super::store::{self, MoveInput, QuestionInput, QuestionList, VoidInput};
use crate::rosters::model::PeriodKind;
use crate::rosters::store::is_writer;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/duty/dispatch/questions", get(list_page).post(create))
        .route("/duty/dispatch/questions/defaults", post(adopt_defaults))
        .route(
            "/duty/dispatch/questions/{id}/edit",
            get(edit_page).post(update),
        )
        .route("/duty/dispatch/questions/{id}/void", post(void))
        .route("/duty/dispatch/questions/{id}/move", post(move_question))
}

type Codes = Vec<(&'static str, &'static str)>;

fn link(kind: PeriodKind) -> String {
    format!("/duty/dispatch/questions?kind={}", kind.code())
}

#[derive(Template, WebTemplate)]
#[template(path = "dispatch/questions.html")]
struct ListPage {
    ctx: PageCtx,
    list: QuestionList,
    kinds: Codes,
    answer_kinds: Codes,
    alarms: Codes,
    input: QuestionInput,
    errors: FormErrors,
    may_write: bool,
}

impl ListPage {
    fn is_kind(&self, code: &str) -> bool {
        self.list.kind.code() == code
    }

    fn kind_label(&self) -> &'static str {
        self.list.kind.label()
    }

    fn is_last(&self, index: &usize) -> bool {
        *index + 1 == self.list.questions.len()
    }

    fn alarm_is(&self, code: &str) -> bool {
        self.input.alarm.as_deref() == Some(code)
    }
}

async fn list(
    state: &AppState,
    ctx: PageCtx,
    kind: PeriodKind,
    input: Option<QuestionInput>,
    errors: FormErrors,
) -> AppResult<Response> {
    let list = store::list(&state.db, &ctx.actor, kind).await?;
    let status = match (&errors.message, errors.fields.is_empty()) {
        (None, true) => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let page = ListPage {
        may_write: is_writer(&ctx.actor),
        ctx,
        list,
        kinds: PeriodKind::options(),
        answer_kinds: AnswerKind::options(),
        alarms: AlarmRule::options(),
        input: input.unwrap_or(QuestionInput {
            kind: kind.code().into(),
            answer_kind: AnswerKind::YesNo.code().into(),
            required: true,
            ..Default::default()
        }),
        errors,
    };
    Ok((status, page).into_response())
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<KindQuery>,
) -> AppResult<Response> {
    let kind = store::parse_kind(q.kind.as_deref())?;
    list(&state, ctx, kind, None, FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<QuestionInput>,
) -> AppResult<Response> {
    match store::create(&state, &ctx.actor, &input).await {
        Ok(q) => Ok(Redirect::to(&format!("{}&done=created", link(q.kind))).into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let kind = PeriodKind::parse(input.kind.trim()).unwrap_or(PeriodKind::Flood);
            list(&state, ctx, kind, Some(input), errors).await
        }
    }
}

async fn adopt_defaults(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(q): Form<KindQuery>,
) -> AppResult<Response> {
    let kind = store::parse_kind(q.kind.as_deref())?;
    match store::adopt_defaults(&state, &ctx.actor, kind).await {
        Ok(_) => Ok(Redirect::to(&format!("{}&done=created", link(kind))).into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            list(&state, ctx, kind, None, errors).await
        }
    }
}

async fn move_question(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<MoveInput>,
) -> AppResult<Response> {
    match store::move_question(&state, &ctx.actor, id, &input).await {
        Ok(l) => Ok(Redirect::to(&format!("{}&done=saved", link(l.kind))).into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let kind = store::get(&state.db, &ctx.actor, id).await?.kind;
            list(&state, ctx, kind, None, errors).await
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "dispatch/questions_edit.html")]
struct EditPage {
    ctx: PageCtx,
    question: Question,
    answer_kinds: Codes,
    alarms: Codes,
    input: QuestionInput,
    errors: FormErrors,
}

impl EditPage {
    fn alarm_is(&self, code: &str) -> bool {
        self.input.alarm.as_deref() == Some(code)
    }

    fn back(&self) -> String {
        link(self.question.kind)
    }

    fn id(&self) -> String {
        self.question
            .id
            .map(|id| id.to_string())
            .unwrap_or_default()
    }
}

async fn edit(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    input: Option<QuestionInput>,
    errors: FormErrors,
) -> AppResult<Response> {
    let question = store::get(&state.db, &ctx.actor, id).await?;
    let status = match (&errors.message, errors.fields.is_empty()) {
        (None, true) => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let input = input.unwrap_or_else(|| QuestionInput {
        kind: question.kind.code().into(),
        text: question.text.clone(),
        answer_kind: question.answer_kind.code().into(),
        required: question.required,
        alarm: question.alarm.map(|a| a.code().to_string()),
        version: Some(question.version),
    });
    let page = EditPage {
        ctx,
        question,
        answer_kinds: AnswerKind::options(),
        alarms: AlarmRule::options(),
        input,
        errors,
    };
    Ok((status, page).into_response())
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    edit(&state, ctx, id, None, FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<QuestionInput>,
) -> AppResult<Response> {
    match store::update(&state, &ctx.actor, id, &input).await {
        Ok(q) => Ok(Redirect::to(&format!("{}&done=saved", link(q.kind))).into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            edit(&state, ctx, id, Some(input), errors).await
        }
    }
}

async fn void(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<VoidInput>,
) -> AppResult<Response> {
    match store::void(&state, &ctx.actor, id, &input).await {
        Ok(q) => Ok(Redirect::to(&format!("{}&done=voided", link(q.kind))).into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            edit(&state, ctx, id, None, errors).await
        }
    }
}
