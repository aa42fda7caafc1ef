//! 叫应: asking people to confirm something — a warning, a day's dispatch — chasing the silent
//! with repeated deliveries, then escalating them to the next wave (the township head, then the
//! county leader on duty). Each step writes its calls and messages in one transaction.
//!
//! The areas say what is asked (a [`Subject`]: its texts, its deadline, whether it still
//! stands) and who is asked; everything else — tokens, deliveries, robots, confirmation,
//! the chasing job — lives here once.

pub mod chase;
pub mod entity;
pub mod migration;
pub mod model;
mod rows;

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::Serialize;
use uuid::Uuid;

use crate::access::Actor;
use crate::audit::{self, Entry};
use crate::contacts::entity::Model as Contact;
use crate::error::{AppError, AppResult};
use crate::notify::{self, ChannelKind, Channels, Message};
use crate::regions::model::township_of;
use crate::web::AppState;
use entity::{Column, Entity, Model as Call};
use model::{Chase, call_state};

pub use rows::{CallRow, Tally, of_subject, of_subjects, tally};

/// The message source kind of a call's deliveries.
pub const SOURCE: &str = "call";

/// What one delivery to one person says.
pub struct Says {
    pub title: String,
    pub body: String,
}

/// What is asked about. The area loads it (see [`Loader`]) and says how it reads.
pub trait Subject: Send + Sync {
    /// Stored with each call and used as the audit entity kind: `warning`, `duty_dispatch`.
    fn kind(&self) -> &'static str;
    fn id(&self) -> Uuid;
    /// The region that asks (the county): the messages' region and whose leader is on duty.
    fn region_code(&self) -> &str;
    fn title(&self) -> &str;
    /// Its page for staff; group-robot messages link there.
    fn page(&self) -> String;
    /// Where a person's link goes: the page that confirms (and asks the questions).
    fn link(&self, token: &str) -> String;
    /// Still asking at `now`: answers after this are refused and silent calls are closed.
    fn in_force(&self, now: DateTime<Utc>) -> bool;
    /// Why an answer is refused once it no longer stands.
    fn ended_message(&self) -> &'static str;
    fn chase(&self) -> Chase;
    /// The `delivery`-th request to confirm.
    fn asking(&self, delivery: i32) -> Says;
    /// To the next wave, about someone silent (`about`: 「李四（龙树村防汛联络人）」).
    fn escalating(&self, about: &str) -> Says;
    /// What the groups hear when a wave climbs.
    fn escalation_notice(&self) -> Says;
    /// Audit action names of a confirmation and an escalation.
    fn actions(&self) -> (&'static str, &'static str);
}

pub type LoadFuture<'a> =
    Pin<Box<dyn Future<Output = AppResult<Option<Box<dyn Subject>>>> + Send + 'a>>;

/// How an area loads its subjects by id, for the chasing job.
pub type Loader = for<'a> fn(&'a AppState, Uuid) -> LoadFuture<'a>;

/// The subject a call is about, through the loader its area registered.
pub async fn load(state: &AppState, kind: &str, id: Uuid) -> AppResult<Option<Box<dyn Subject>>> {
    match state.call_subjects.iter().find(|(k, _)| *k == kind) {
        Some((_, loader)) => loader(state, id).await,
        None => Ok(None),
    }
}

/// A fresh unguessable secret for a confirmation link.
fn new_token() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// The person-to-person messages of one delivery: the inbox when they have an account, SMS
/// and e-mail when those are configured and known.
fn messages_to(
    channels: &Channels,
    s: &dyn Subject,
    person: &Call,
    email: Option<&str>,
    says: &Says,
) -> Vec<Message> {
    let base = |channel: ChannelKind, address: String| Message {
        channel,
        address,
        recipient_user_id: person.user_id,
        recipient_name: person.name.clone(),
        mention: None,
        title: says.title.clone(),
        body: says.body.clone(),
        link: Some(s.link(&person.token)),
        region_code: s.region_code().to_string(),
        source_kind: SOURCE,
        source_id: Some(person.id),
    };
    let mut out = Vec::new();
    if let Some(user) = person.user_id {
        out.push(base(ChannelKind::Inbox, user.to_string()));
    }
    if let Some(mobile) = &person.mobile
        && channels.is_configured(ChannelKind::Sms)
    {
        out.push(base(ChannelKind::Sms, mobile.clone()));
    }
    if let Some(email) = email
        && channels.is_configured(ChannelKind::Email)
    {
        out.push(base(ChannelKind::Email, email.to_string()));
    }
    out
}

/// One group-robot message per township robot, @-mentioning everyone of that township asked.
async fn robot_messages(
    db: &impl ConnectionTrait,
    s: &dyn Subject,
    people: &[&Call],
    says: &Says,
) -> AppResult<Vec<Message>> {
    let mut by_township: BTreeMap<String, Vec<&Call>> = BTreeMap::new();
    for p in people {
        by_township
            .entry(township_of(&p.region_code))
            .or_default()
            .push(p);
    }
    let mut regions: Vec<String> = by_township.keys().cloned().collect();
    regions.push(s.region_code().to_string());
    let robots = notify::robots::of_regions(db, &regions).await?;
    let mut out = Vec::new();
    for robot in robots {
        let Some(kind) = ChannelKind::parse(&robot.channel) else {
            continue;
        };
        // A county robot hears about the county's own people (leaders, departments).
        let members: Vec<&&Call> = match by_township.get(&robot.region_code) {
            Some(members) => members.iter().collect(),
            None if robot.region_code == s.region_code() => people
                .iter()
                .filter(|p| p.region_code == s.region_code())
                .collect(),
            None => continue,
        };
        if members.is_empty() {
            continue;
        }
        let mention: Vec<&str> = members.iter().filter_map(|p| p.mobile.as_deref()).collect();
        let names: Vec<&str> = members.iter().map(|p| p.name.as_str()).collect();
        out.push(Message {
            channel: kind,
            address: robot.id.to_string(),
            recipient_user_id: None,
            recipient_name: robot.name.clone(),
            mention: (!mention.is_empty()).then(|| mention.join(",")),
            title: says.title.clone(),
            body: format!(
                "{}\n请 {} 在平台或短信链接中确认收到。",
                says.body,
                names.join("、")
            ),
            link: Some(s.page()),
            region_code: s.region_code().to_string(),
            source_kind: s.kind(),
            source_id: Some(s.id()),
        });
    }
    Ok(out)
}

fn new_call(
    s: &dyn Subject,
    c: &Contact,
    wave_no: i32,
    now: DateTime<Utc>,
    about: Option<(Uuid, String)>,
) -> Call {
    Call {
        id: Uuid::now_v7(),
        subject_kind: s.kind().to_string(),
        subject_id: s.id(),
        region_code: c.region_code.clone(),
        contact_id: c.id,
        user_id: c.user_id,
        name: c.name.clone(),
        role: c.role.clone(),
        mobile: c.mobile.clone(),
        wave: wave_no,
        escalated_from: about.as_ref().map(|(id, _)| *id),
        about: about.map(|(_, text)| text),
        state: call_state::PENDING.to_string(),
        cycle: 1,
        token: new_token(),
        first_sent_at: now,
        last_sent_at: now,
        due_at: s.chase().deadline(now),
        confirmed_at: None,
        confirmed_via: None,
        confirmed_by: None,
        escalated_at: None,
        answer: None,
    }
}

async fn insert_calls(db: &impl ConnectionTrait, calls: &[Call]) -> AppResult<()> {
    // 24 columns: 400 rows stay under SQLite's bound-variable limit.
    for chunk in calls.chunks(400) {
        Entity::insert_many(
            chunk
                .iter()
                .cloned()
                .map(IntoActiveModel::into_active_model),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// Ask everyone: a call per person and the first delivery of each. `people` should hold each
/// contact once. Returns how many were asked.
pub async fn fan_out(
    txn: &impl ConnectionTrait,
    state: &AppState,
    sender: Option<Uuid>,
    s: &dyn Subject,
    people: &[Contact],
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let calls: Vec<Call> = people
        .iter()
        .map(|c| new_call(s, c, model::wave::RECIPIENT, now, None))
        .collect();
    insert_calls(txn, &calls).await?;
    let emails: HashMap<Uuid, &str> = people
        .iter()
        .filter_map(|c| Some((c.id, c.email.as_deref()?)))
        .collect();
    let says = s.asking(1);
    let mut messages: Vec<Message> = calls
        .iter()
        .flat_map(|c| {
            messages_to(
                &state.channels,
                s,
                c,
                emails.get(&c.contact_id).copied(),
                &says,
            )
        })
        .collect();
    let everyone: Vec<&Call> = calls.iter().collect();
    messages.extend(robot_messages(txn, s, &everyone, &says).await?);
    notify::enqueue(txn, sender, now, messages).await?;
    Ok(calls.len())
}

/// The people first asked about a subject (follow-up notices go to them).
pub async fn first_wave(db: &impl ConnectionTrait, subject_id: Uuid) -> AppResult<Vec<Call>> {
    Ok(Entity::find()
        .filter(Column::SubjectId.eq(subject_id))
        .filter(Column::Wave.eq(model::wave::RECIPIENT))
        .all(db)
        .await?)
}

/// Stop chasing a subject that ended: every pending call is closed.
pub async fn close_pending(db: &impl ConnectionTrait, subject_id: Uuid) -> AppResult<u64> {
    let done = Entity::update_many()
        .col_expr(Column::State, Expr::value(call_state::CLOSED))
        .filter(Column::SubjectId.eq(subject_id))
        .filter(Column::State.eq(call_state::PENDING))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}

/// The people first asked about a subject in one township (its villages included).
pub async fn township_calls(
    db: &impl ConnectionTrait,
    subject_id: Uuid,
    township: &str,
) -> AppResult<Vec<Call>> {
    Ok(Entity::find()
        .filter(Column::SubjectId.eq(subject_id))
        .filter(Column::Wave.eq(model::wave::RECIPIENT))
        .filter(crate::access::Scope::of(township).condition(Column::RegionCode))
        .all(db)
        .await?)
}

/// Once a township has answered, nobody else is chased about it: its other people need not
/// answer, and the escalations raised about its silence (the head, then the county leader) are
/// over. Call inside the answer's transaction.
pub async fn close_township(
    txn: &impl ConnectionTrait,
    subject_id: Uuid,
    township: &str,
) -> AppResult<()> {
    let close = |ids: Vec<Uuid>| {
        Entity::update_many()
            .col_expr(Column::State, Expr::value(call_state::CLOSED))
            .filter(Column::Id.is_in(ids))
            .filter(Column::State.eq(call_state::PENDING))
    };
    let mut frontier: Vec<Uuid> = township_calls(txn, subject_id, township)
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    close(frontier.clone()).exec(txn).await?;
    // Escalation chains climb at most two waves; the bound guards against a malformed loop.
    for _ in 0..3 {
        if frontier.is_empty() {
            break;
        }
        frontier = Entity::find()
            .filter(Column::SubjectId.eq(subject_id))
            .filter(Column::EscalatedFrom.is_in(frontier))
            .all(txn)
            .await?
            .iter()
            .map(|c| c.id)
            .collect();
        close(frontier.clone()).exec(txn).await?;
    }
    Ok(())
}

/// How a confirmation went.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Confirmation {
    pub call_id: Uuid,
    /// The warning or dispatch asked about.
    pub subject_id: Uuid,
    pub name: String,
    pub subject_title: String,
    pub confirmed_at: DateTime<Utc>,
    /// False when this link had already been used: nothing changed.
    pub newly: bool,
}

/// The call behind a link of a subject kind; an unknown token is a forged or mistyped link.
pub async fn by_token(db: &impl ConnectionTrait, kind: &str, token: &str) -> AppResult<Call> {
    let token = token.trim();
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    Entity::find()
        .filter(Column::Token.eq(token))
        .filter(Column::SubjectKind.eq(kind))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A call of this user's own about a subject of `kind` (to confirm in the app, logged in).
pub async fn own(
    db: &impl ConnectionTrait,
    kind: &str,
    actor: &Actor,
    call_id: Uuid,
) -> AppResult<Call> {
    Entity::find_by_id(call_id)
        .filter(Column::SubjectKind.eq(kind))
        .filter(Column::UserId.eq(actor.user_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// How the person answered: through the link in a message (no login: the link is the
/// credential) or in the app as themselves.
#[derive(Clone, Copy)]
pub enum Via<'a> {
    Link,
    App(&'a Actor),
}

impl<'a> Via<'a> {
    fn code(&self) -> &'static str {
        match self {
            Via::Link => "link",
            Via::App(_) => "app",
        }
    }

    /// Who the audit trail names: the user in the app, the person asked through a link.
    pub fn who(self, call: &'a Call) -> audit::Who<'a> {
        match self {
            Via::App(a) => a.into(),
            Via::Link => audit::Who {
                id: None,
                name: &call.name,
                ip: None,
            },
        }
    }
}

/// Confirm a call, with the answer when the subject asks questions (already checked by the
/// area). A second confirmation changes nothing; one after the subject ended is refused.
pub async fn confirm(
    state: &AppState,
    s: &dyn Subject,
    found: Call,
    via: Via<'_>,
    answer: Option<serde_json::Value>,
) -> AppResult<Confirmation> {
    let result = |at: DateTime<Utc>, newly: bool| confirmation(s, &found, at, newly);
    if let Some(at) = found.confirmed_at {
        return Ok(result(at, false));
    }
    let now = state.now();
    if !s.in_force(now) || found.state == call_state::CLOSED {
        return Err(AppError::conflict("link_expired", s.ended_message()));
    }
    let txn = state.db.begin().await?;
    let confirmed = confirm_in(&txn, s, &found, via, answer.as_ref(), now).await?;
    txn.commit().await?;
    Ok(result(now, confirmed))
}

/// What a confirmation says back (for subjects confirming through [`confirm_in`]).
pub fn confirmation(s: &dyn Subject, found: &Call, at: DateTime<Utc>, newly: bool) -> Confirmation {
    Confirmation {
        call_id: found.id,
        subject_id: s.id(),
        name: found.name.clone(),
        subject_title: s.title().to_string(),
        confirmed_at: at,
        newly,
    }
}

/// Record a confirmation inside the caller's transaction, for subjects whose answer changes
/// their own records too (all or nothing). False when someone confirmed this call meanwhile.
/// The caller has checked that the call is open and the subject in force.
pub async fn confirm_in(
    txn: &impl ConnectionTrait,
    s: &dyn Subject,
    found: &Call,
    via: Via<'_>,
    answer: Option<&serde_json::Value>,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let actor = match via {
        Via::App(a) => Some(a),
        Via::Link => None,
    };
    // A late confirmation still counts, even after the silent were escalated.
    let changed = Entity::update_many()
        .col_expr(Column::State, Expr::value(call_state::CONFIRMED))
        .col_expr(Column::ConfirmedAt, Expr::value(Some(now)))
        .col_expr(
            Column::ConfirmedVia,
            Expr::value(Some(via.code().to_string())),
        )
        .col_expr(Column::ConfirmedBy, Expr::value(actor.map(|a| a.user_id)))
        .col_expr(
            Column::Answer,
            Expr::value(answer.as_ref().map(|a| a.to_string())),
        )
        .filter(Column::Id.eq(found.id))
        .filter(Column::ConfirmedAt.is_null())
        .exec(txn)
        .await?;
    if changed.rows_affected == 0 {
        return Ok(false);
    }
    let entry = Entry::new(s.actions().0, s.kind(), s.id(), s.region_code()).summary(format!(
        "{} 确认「{}」（{}）",
        found.name,
        s.title(),
        rows::via_label(Some(via.code()))
    ));
    let entry = match answer {
        Some(a) => entry.after(a),
        None => entry,
    };
    audit::record(txn, via.who(found), now, entry).await?;
    Ok(true)
}

/// The calls of a kind waiting for this user's own confirmation, newest first.
pub async fn waiting_for(
    db: &impl ConnectionTrait,
    kind: &str,
    user_id: Uuid,
) -> AppResult<Vec<Call>> {
    Ok(Entity::find()
        .filter(Column::SubjectKind.eq(kind))
        .filter(Column::UserId.eq(user_id))
        .filter(Column::State.is_in([call_state::PENDING, call_state::UNREACHABLE]))
        .filter(Column::ConfirmedAt.is_null())
        .order_by_desc(Column::FirstSentAt)
        .all(db)
        .await?)
}

/// The latest calls of a kind to this user, answered or not, newest first.
pub async fn of_user(
    db: &impl ConnectionTrait,
    kind: &str,
    user_id: Uuid,
    limit: u64,
) -> AppResult<Vec<Call>> {
    use sea_orm::QuerySelect;
    Ok(Entity::find()
        .filter(Column::SubjectKind.eq(kind))
        .filter(Column::UserId.eq(user_id))
        .order_by_desc(Column::FirstSentAt)
        .limit(limit)
        .all(db)
        .await?)
}

/// How many people have not confirmed any of these subjects yet.
pub async fn unconfirmed_of(db: &impl ConnectionTrait, subject_ids: Vec<Uuid>) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    if subject_ids.is_empty() {
        return Ok(0);
    }
    Ok(Entity::find()
        .filter(Column::SubjectId.is_in(subject_ids))
        .filter(Column::State.is_in([call_state::PENDING, call_state::UNREACHABLE]))
        .filter(Column::ConfirmedAt.is_null())
        .count(db)
        .await?)
}
