//! Pages: the user's inbox (站内消息), the delivery list staff watch (发送记录) with resend, and
//! the group robots (群机器人) messages can go to.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use sea_orm::TransactionTrait;
use serde::Deserialize;
use uuid::Uuid;

use super::entity::message;
use super::outbox::state as delivery;
use super::{ChannelKind, inbox, robots};
use crate::access::perm;
use crate::audit::{self, Entry};
use crate::clock::format_local;
use crate::error::{AppError, AppResult};
use crate::web::form::{Form, FormErrors, Path, Query};
use crate::web::paging::{PageOf, Paging, page_link};
use crate::web::{AppState, PageCtx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/inbox", get(inbox_page))
        .route("/inbox/read-all", post(read_all))
        .route("/inbox/{id}", get(open))
        .route("/notify/messages", get(messages_page))
        .route("/notify/messages/{id}/resend", post(resend))
        .route("/notify/robots", get(robots_page).post(create_robot))
        .route("/notify/robots/{id}/void", post(void_robot))
}

/// A message as lists show it.
pub struct MessageRow {
    pub id: Uuid,
    pub channel: &'static str,
    pub recipient: String,
    pub address: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub state: &'static str,
    pub state_code: String,
    pub attempts: i32,
    pub error: String,
    pub created: String,
    pub sent: String,
    pub unread: bool,
}

impl From<message::Model> for MessageRow {
    fn from(m: message::Model) -> Self {
        Self {
            id: m.id,
            channel: ChannelKind::parse(&m.channel).map_or("未知", ChannelKind::label),
            recipient: m.recipient_name,
            address: m.address,
            title: m.title,
            body: m.body,
            link: m.link,
            state: delivery::label(&m.state),
            state_code: m.state,
            attempts: m.attempts,
            error: m.last_error.unwrap_or_default(),
            created: format_local(m.created_at),
            sent: m.sent_at.map(format_local).unwrap_or_default(),
            unread: m.read_at.is_none(),
        }
    }
}

impl MessageRow {
    /// Tag colour of the delivery state.
    pub fn tone(&self) -> &'static str {
        match self.state_code.as_str() {
            delivery::SENT => "green",
            delivery::FAILED => "red",
            delivery::RETRY => "orange",
            _ => "gray",
        }
    }

    pub fn may_resend(&self) -> bool {
        matches!(self.state_code.as_str(), delivery::FAILED | delivery::RETRY)
    }
}

#[derive(Deserialize, Default)]
struct InboxFilter {
    unread: Option<bool>,
}

#[derive(Template, WebTemplate)]
#[template(path = "notify/inbox.html")]
struct InboxPage {
    ctx: PageCtx,
    page: PageOf<MessageRow>,
    unread_only: bool,
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
    Query(filter): Query<InboxFilter>,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<InboxPage> {
    let unread_only = filter.unread.unwrap_or(false);
    let page = inbox::list(&state.db, ctx.actor.user_id, unread_only, paging)
        .await?
        .map(MessageRow::from);
    Ok(InboxPage {
        ctx,
        page,
        unread_only,
        query: query.unwrap_or_default(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "notify/message.html")]
struct MessagePage {
    ctx: PageCtx,
    message: MessageRow,
}

/// Opening a message marks it read; the page offers its link (e.g. the warning to confirm).
async fn open(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<MessagePage> {
    let found = inbox::open(&state.db, ctx.actor.user_id, id, state.now())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(MessagePage {
        ctx,
        message: found.into(),
    })
}

async fn read_all(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Redirect> {
    inbox::read_all(&state.db, ctx.actor.user_id, state.now()).await?;
    Ok(Redirect::to("/inbox?done=saved"))
}

#[derive(Deserialize, Default)]
struct MessageFilter {
    channel: Option<String>,
    state: Option<String>,
    q: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "notify/messages.html")]
struct MessagesPage {
    ctx: PageCtx,
    filter: MessageFilter,
    page: PageOf<MessageRow>,
    query: String,
    channels: [ChannelKind; 5],
    states: [&'static str; 5],
}

impl MessagesPage {
    fn link(&self, page: u64) -> String {
        page_link(&self.query, page)
    }

    /// The robots page is offered to those who may keep robots.
    fn may_keep_robots(&self) -> bool {
        crate::contacts::may_edit(&self.ctx.actor)
    }

    fn state_label(&self, code: &str) -> &'static str {
        delivery::label(code)
    }

    fn is_channel(&self, kind: &ChannelKind) -> bool {
        self.filter.channel.as_deref() == Some(kind.code())
    }

    fn is_state(&self, code: &str) -> bool {
        self.filter.state.as_deref() == Some(code)
    }
}

async fn messages_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<MessageFilter>,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<MessagesPage> {
    ctx.actor.require(perm::NOTIFY_VIEW)?;
    let page = super::store::search(
        &state.db,
        &ctx.actor.scope(),
        filter.channel.as_deref(),
        filter.state.as_deref(),
        filter.q.as_deref(),
        paging,
    )
    .await?
    .map(MessageRow::from);
    Ok(MessagesPage {
        ctx,
        filter,
        page,
        query: query.unwrap_or_default(),
        channels: ChannelKind::ALL,
        states: [
            delivery::PENDING,
            delivery::SENDING,
            delivery::RETRY,
            delivery::SENT,
            delivery::FAILED,
        ],
    })
}

async fn resend(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    ctx.actor.require(perm::NOTIFY_VIEW)?;
    let found = super::store::find_in_scope(&state.db, &ctx.actor.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    if !super::outbox::resend(&txn, id, now).await? {
        return Err(AppError::conflict(
            "not_resendable",
            "只有发送失败或等待重试的消息可以重新发送",
        ));
    }
    let channel = ChannelKind::parse(&found.channel).map_or("未知", ChannelKind::label);
    let entry = Entry::new("update", "notify_message", id, &found.region_code).summary(format!(
        "重新发送{channel}消息「{}」给 {}",
        found.title, found.recipient_name
    ));
    audit::record(&txn, &ctx.actor, now, entry).await?;
    txn.commit().await?;
    Ok(Redirect::to("/notify/messages?done=saved").into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "notify/robots.html")]
struct RobotsPage {
    ctx: PageCtx,
    robots: Vec<robots::Robot>,
    form: robots::RobotInput,
    errors: FormErrors,
}

/// Those who keep the contacts keep their work groups' robots too: organisation admins,
/// warning staff, and the duty staff of the county or a township (each in their own scope).
fn require_robots(ctx: &PageCtx) -> AppResult<()> {
    if crate::contacts::may_edit(&ctx.actor) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn robots_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<RobotsPage> {
    require_robots(&ctx)?;
    let robots = robots::list(&state.db, &ctx.actor.scope()).await?;
    Ok(RobotsPage {
        ctx,
        robots,
        form: robots::RobotInput::default(),
        errors: FormErrors::default(),
    })
}

async fn create_robot(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(form): Form<robots::RobotInput>,
) -> AppResult<Response> {
    require_robots(&ctx)?;
    match robots::create(&state, &ctx.actor, &form).await {
        Ok(_) => Ok(Redirect::to("/notify/robots?done=created").into_response()),
        Err(e) => {
            let errors = FormErrors::from_error(e)?;
            let robots = robots::list(&state.db, &ctx.actor.scope()).await?;
            let page = RobotsPage {
                ctx,
                robots,
                form,
                errors,
            };
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Deserialize)]
struct VoidForm {
    reason: String,
}

async fn void_robot(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(form): Form<VoidForm>,
) -> AppResult<Redirect> {
    require_robots(&ctx)?;
    robots::void(&state, &ctx.actor, id, &form.reason).await?;
    Ok(Redirect::to("/notify/robots?done=voided"))
}
