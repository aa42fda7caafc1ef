//! 叫应: asking every recipient to confirm a warning, chasing the silent with repeated
//! deliveries, then escalating them to the next wave (the township head, then the county
//! leader on duty). Each step writes its calls and messages in one transaction.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use platform::access::Actor;
use platform::audit::{self, Entry};
use platform::contacts::{self, entity::Model as Contact, role};
use platform::error::{AppError, AppResult};
use platform::notify::{self, ChannelKind, Channels, Message};
use platform::web::AppState;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::Serialize;
use uuid::Uuid;

use super::entity::call::{self, Column, Entity};
use super::model::{self, Policy, Step, call_state, state, wave};
use super::policies;
use super::store::{self, KIND, Warning};
use platform::regions::model::county_of;

/// The message source kind of 叫应 calls.
pub const SOURCE: &str = "warning_call";

/// A fresh unguessable secret for a confirmation link.
fn new_token() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// Where a confirmation link points.
pub fn link(token: &str) -> String {
    format!("/ack/{token}")
}

fn heading(w: &Warning) -> String {
    format!("{}{}预警", w.level().colour(), w.kind_label)
}

/// What one delivery to one person says.
struct Says {
    title: String,
    body: String,
}

fn asking(w: &Warning, delivery: i32) -> Says {
    let again = if delivery > 1 {
        format!("（第 {delivery} 次提醒）")
    } else {
        String::new()
    };
    Says {
        title: format!("{}{again}：{}", heading(w), w.title),
        body: format!(
            "{}\n防范要求：{}\n有效期：{}\n请立即点击链接确认收到并在岗。",
            w.content,
            w.actions,
            w.validity_text()
        ),
    }
}

fn escalating(w: &Warning, about: &str) -> Says {
    Says {
        title: format!("叫应升级：{about} 未确认{}", heading(w)),
        body: format!(
            "{about} 在规定时限内未确认预警「{}」。请立即电话联系或派人上门督促落实，并点击链接确认已知悉。\n预警内容：{}",
            w.title, w.content
        ),
    }
}

/// What the groups hear when a wave climbs: someone is still silent, the next level is asked.
fn escalation_notice(w: &Warning) -> Says {
    Says {
        title: format!("叫应升级：{}", heading(w)),
        body: format!(
            "预警「{}」仍有人员未确认，已通知上一级责任人督促。",
            w.title
        ),
    }
}

/// The person-to-person messages of one delivery: the inbox when they have an account, SMS
/// and e-mail when those are configured and known.
fn messages_to(
    channels: &Channels,
    w: &Warning,
    person: &call::Model,
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
        link: Some(link(&person.token)),
        region_code: w.region_code.clone(),
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
    w: &Warning,
    people: &[&call::Model],
    says: &Says,
) -> AppResult<Vec<Message>> {
    let mut by_township: BTreeMap<String, Vec<&call::Model>> = BTreeMap::new();
    for p in people {
        by_township
            .entry(model::township_of(&p.region_code))
            .or_default()
            .push(p);
    }
    let mut regions: Vec<String> = by_township.keys().cloned().collect();
    regions.push(w.region_code.clone());
    let robots = notify::robots::of_regions(db, &regions).await?;
    let mut out = Vec::new();
    for robot in robots {
        let Some(kind) = ChannelKind::parse(&robot.channel) else {
            continue;
        };
        // A county robot hears about the county's own people (leaders, departments).
        let members: Vec<&&call::Model> = match by_township.get(&robot.region_code) {
            Some(members) => members.iter().collect(),
            None if robot.region_code == w.region_code => people
                .iter()
                .filter(|p| p.region_code == w.region_code)
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
            link: Some(format!("/warning/warnings/{}", w.id)),
            region_code: w.region_code.clone(),
            source_kind: "warning",
            source_id: Some(w.id),
        });
    }
    Ok(out)
}

fn new_call(
    w: &Warning,
    c: &Contact,
    wave_no: i32,
    policy: &Policy,
    now: DateTime<Utc>,
    about: Option<(Uuid, String)>,
) -> call::Model {
    call::Model {
        id: Uuid::now_v7(),
        warning_id: w.id,
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
        due_at: policy.deadline(now),
        confirmed_at: None,
        confirmed_via: None,
        confirmed_by: None,
        escalated_at: None,
    }
}

async fn insert_calls(db: &impl ConnectionTrait, calls: &[call::Model]) -> AppResult<()> {
    // 21 columns: 400 rows stay under SQLite's bound-variable limit.
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

/// The people a warning asks: the recipients' roles in its townships (and their villages),
/// plus the member departments' liaisons when the warning says so, plus the members of its
/// contact groups. One call per person.
async fn recipients(db: &impl ConnectionTrait, w: &Warning) -> AppResult<Vec<Contact>> {
    let mut people = contacts::store::in_regions(db, &w.area_codes, model::RECIPIENT_ROLES).await?;
    if w.include_departments {
        people.extend(
            contacts::store::in_regions(
                db,
                std::slice::from_ref(&w.region_code),
                &[role::DEPARTMENT_LIAISON],
            )
            .await?,
        );
    }
    people.extend(contacts::groups::store::members(db, &w.contact_groups).await?);
    let mut seen = HashSet::new();
    people.retain(|c| seen.insert(c.id));
    Ok(people)
}

/// On issue: a call for every recipient, and the first delivery of each. Returns how many
/// people were asked.
pub async fn fan_out(
    txn: &impl ConnectionTrait,
    state: &AppState,
    actor: &Actor,
    w: &Warning,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let policy = policies::get(txn, w.level()).await?;
    let people = recipients(txn, w).await?;
    let calls: Vec<call::Model> = people
        .iter()
        .map(|c| new_call(w, c, wave::RECIPIENT, &policy, now, None))
        .collect();
    insert_calls(txn, &calls).await?;
    let emails: HashMap<Uuid, &str> = people
        .iter()
        .filter_map(|c| Some((c.id, c.email.as_deref()?)))
        .collect();
    let says = asking(w, 1);
    let mut messages: Vec<Message> = calls
        .iter()
        .flat_map(|c| {
            messages_to(
                &state.channels,
                w,
                c,
                emails.get(&c.contact_id).copied(),
                &says,
            )
        })
        .collect();
    let everyone: Vec<&call::Model> = calls.iter().collect();
    messages.extend(robot_messages(txn, w, &everyone, &says).await?);
    notify::enqueue(txn, Some(actor.user_id), now, messages).await?;
    Ok(calls.len())
}

/// The distinct people first asked about a warning.
async fn first_wave(db: &impl ConnectionTrait, warning_id: Uuid) -> AppResult<Vec<call::Model>> {
    Ok(Entity::find()
        .filter(Column::WarningId.eq(warning_id))
        .filter(Column::Wave.eq(wave::RECIPIENT))
        .all(db)
        .await?)
}

/// Tell everyone asked that the warning changed (更新); no new confirmation is asked.
pub async fn announce_revision(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    w: &Warning,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let says = Says {
        title: format!("预警更新：{}（{}）", w.title, w.level_text()),
        body: format!(
            "{}\n防范要求：{}\n有效期：{}",
            w.content,
            w.actions,
            w.validity_text()
        ),
    };
    announce(txn, actor, w, &says, now).await
}

/// Tell everyone asked that the warning is lifted, and stop chasing the silent.
pub async fn announce_lift(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    w: &Warning,
    now: DateTime<Utc>,
) -> AppResult<()> {
    Entity::update_many()
        .col_expr(Column::State, Expr::value(call_state::CLOSED))
        .filter(Column::WarningId.eq(w.id))
        .filter(Column::State.eq(call_state::PENDING))
        .exec(txn)
        .await?;
    let says = Says {
        title: format!("预警解除：{}", w.title),
        body: format!(
            "{} 发布的{}已解除。{}",
            w.issued_local(),
            heading(w),
            w.lift_reason.clone().unwrap_or_default()
        ),
    };
    announce(txn, actor, w, &says, now).await
}

/// An inbox message to each first-wave person with an account (follow-ups are not 叫应).
async fn announce(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    w: &Warning,
    says: &Says,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let messages: Vec<Message> = first_wave(txn, w.id)
        .await?
        .into_iter()
        .filter_map(|c| {
            let user = c.user_id?;
            Some(
                Message::inbox(user, &c.name, &says.title, &says.body, &w.region_code)
                    .link(format!("/warning/warnings/{}", w.id))
                    .source("warning", w.id),
            )
        })
        .collect();
    notify::enqueue(txn, Some(actor.user_id), now, messages).await?;
    Ok(())
}

/// How a confirmation went.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Confirmation {
    pub call_id: Uuid,
    pub warning_id: Uuid,
    pub name: String,
    pub warning_title: String,
    pub confirmed_at: DateTime<Utc>,
    /// False when this link had already been used: nothing changed.
    pub newly: bool,
}

/// The call behind a link, with its warning; an unknown token is a forged or mistyped link.
pub async fn by_token(db: &impl ConnectionTrait, token: &str) -> AppResult<(call::Model, Warning)> {
    let token = token.trim();
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let found = Entity::find()
        .filter(Column::Token.eq(token))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let w = store::find(db, found.warning_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((found, Warning::from(w)))
}

/// Confirm through the link in a message (no login: the link is the credential).
pub async fn confirm_by_token(state: &AppState, token: &str) -> AppResult<Confirmation> {
    let (found, w) = by_token(&state.db, token).await?;
    confirm(state, found, &w, "link", None).await
}

/// Confirm in the app, logged in as the person asked.
pub async fn confirm_in_app(
    state: &AppState,
    actor: &Actor,
    call_id: Uuid,
) -> AppResult<Confirmation> {
    let found = Entity::find_by_id(call_id)
        .one(&state.db)
        .await?
        .filter(|c| c.user_id == Some(actor.user_id))
        .ok_or(AppError::NotFound)?;
    let w = Warning::from(
        store::find(&state.db, found.warning_id)
            .await?
            .ok_or(AppError::NotFound)?,
    );
    confirm(state, found, &w, "app", Some(actor)).await
}

async fn confirm(
    state: &AppState,
    found: call::Model,
    w: &Warning,
    via: &str,
    actor: Option<&Actor>,
) -> AppResult<Confirmation> {
    let result = |at: DateTime<Utc>, newly: bool| Confirmation {
        call_id: found.id,
        warning_id: w.id,
        name: found.name.clone(),
        warning_title: w.title.clone(),
        confirmed_at: at,
        newly,
    };
    if let Some(at) = found.confirmed_at {
        return Ok(result(at, false));
    }
    let now = state.now();
    if !w.in_force(now) || found.state == call_state::CLOSED {
        return Err(AppError::conflict(
            "link_expired",
            "该预警已解除或已过有效期，无需再确认",
        ));
    }
    let txn = state.db.begin().await?;
    // A late confirmation still counts, even after the silent were escalated.
    let changed = Entity::update_many()
        .col_expr(Column::State, Expr::value(call_state::CONFIRMED))
        .col_expr(Column::ConfirmedAt, Expr::value(Some(now)))
        .col_expr(Column::ConfirmedVia, Expr::value(Some(via.to_string())))
        .col_expr(Column::ConfirmedBy, Expr::value(actor.map(|a| a.user_id)))
        .filter(Column::Id.eq(found.id))
        .filter(Column::ConfirmedAt.is_null())
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Ok(result(now, false));
    }
    let entry = Entry::new("warning.confirm", KIND, w.id, &w.region_code).summary(format!(
        "{} 确认收到预警「{}」（{}）",
        found.name,
        w.title,
        if via == "app" {
            "平台内"
        } else {
            "消息链接"
        }
    ));
    match actor {
        Some(a) => audit::record(&txn, a, now, entry).await?,
        None => {
            let who = audit::Who {
                id: None,
                name: &found.name,
                ip: None,
            };
            audit::record(&txn, who, now, entry).await?
        }
    }
    txn.commit().await?;
    Ok(result(now, true))
}

/// The job: every call past its deadline is delivered again or, after the level's cycles,
/// marked 未叫应 and escalated. Calls of lifted or expired warnings are closed.
pub async fn chase_due(state: &AppState) -> AppResult<String> {
    let now = state.now();
    let due = Entity::find()
        .filter(Column::State.eq(call_state::PENDING))
        .filter(Column::DueAt.lte(now))
        .order_by_asc(Column::DueAt)
        .all(&state.db)
        .await?;
    let mut by_warning: BTreeMap<Uuid, Vec<call::Model>> = BTreeMap::new();
    for c in due {
        by_warning.entry(c.warning_id).or_default().push(c);
    }
    let (mut again, mut escalated, mut closed) = (0, 0, 0);
    for (warning_id, calls) in by_warning {
        let Some(w) = store::find(&state.db, warning_id).await?.map(Warning::from) else {
            continue;
        };
        let txn = state.db.begin().await?;
        if !w.in_force(now) {
            closed += close(&txn, &calls).await?;
        } else {
            let policy = policies::get(&txn, w.level()).await?;
            let (redeliver, silent): (Vec<_>, Vec<_>) = calls
                .into_iter()
                .partition(|c| policy.next_step(c.cycle) == Step::Redeliver);
            again += redeliver_all(&txn, state, &w, &policy, &redeliver, now).await?;
            escalated += escalate_all(&txn, state, &w, &policy, &silent, now).await?;
        }
        txn.commit().await?;
    }
    Ok(format!(
        "再次提醒 {again} 人，升级 {escalated} 人，关闭 {closed} 条"
    ))
}

async fn close(txn: &impl ConnectionTrait, calls: &[call::Model]) -> AppResult<usize> {
    let ids: Vec<Uuid> = calls.iter().map(|c| c.id).collect();
    let done = Entity::update_many()
        .col_expr(Column::State, Expr::value(call_state::CLOSED))
        .filter(Column::Id.is_in(ids))
        .filter(Column::State.eq(call_state::PENDING))
        .exec(txn)
        .await?;
    Ok(done.rows_affected as usize)
}

/// Claim a due call for this step: only if nobody confirmed or moved it meanwhile.
async fn claim(
    txn: &impl ConnectionTrait,
    c: &call::Model,
    changes: sea_orm::UpdateMany<Entity>,
) -> AppResult<bool> {
    let done = changes
        .filter(Column::Id.eq(c.id))
        .filter(Column::State.eq(call_state::PENDING))
        .filter(Column::Cycle.eq(c.cycle))
        .exec(txn)
        .await?;
    Ok(done.rows_affected == 1)
}

async fn emails_of(
    db: &impl ConnectionTrait,
    calls: &[&call::Model],
) -> AppResult<HashMap<Uuid, String>> {
    use platform::contacts::entity::{Column as C, Entity as Contacts};
    let ids: Vec<Uuid> = calls.iter().map(|c| c.contact_id).collect();
    Ok(Contacts::find()
        .filter(C::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|c| Some((c.id, c.email?)))
        .collect())
}

async fn redeliver_all(
    txn: &impl ConnectionTrait,
    state: &AppState,
    w: &Warning,
    policy: &Policy,
    calls: &[call::Model],
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let mut sent = Vec::new();
    for c in calls {
        let changes = Entity::update_many()
            .col_expr(Column::Cycle, Expr::value(c.cycle + 1))
            .col_expr(Column::LastSentAt, Expr::value(now))
            .col_expr(Column::DueAt, Expr::value(policy.deadline(now)));
        if claim(txn, c, changes).await? {
            sent.push(c);
        }
    }
    let emails = emails_of(txn, &sent).await?;
    let mut messages = Vec::new();
    for c in &sent {
        let says = match &c.about {
            Some(about) => escalating(w, about),
            None => asking(w, c.cycle + 1),
        };
        messages.extend(messages_to(
            &state.channels,
            w,
            c,
            emails.get(&c.contact_id).map(String::as_str),
            &says,
        ));
    }
    // The groups hear a reminder for the people asked again, and the escalation notice for
    // the township heads and leaders being chased.
    let (chasing, asked): (Vec<&call::Model>, Vec<&call::Model>) =
        sent.iter().copied().partition(|c| c.about.is_some());
    if let Some(first) = asked.first() {
        messages.extend(robot_messages(txn, w, &asked, &asking(w, first.cycle + 1)).await?);
    }
    if !chasing.is_empty() {
        messages.extend(robot_messages(txn, w, &chasing, &escalation_notice(w)).await?);
    }
    notify::enqueue(txn, None, now, messages).await?;
    Ok(sent.len())
}

/// Who a silent call climbs to: the township's head, else (or after the head) the county
/// leader on duty — the county-leader contact whose account the duty roster names as 带班领导
/// now; every county leader when no roster names one with a contact.
async fn next_wave(
    db: &impl ConnectionTrait,
    w: &Warning,
    silent: &call::Model,
    leader_on_duty: Option<Uuid>,
) -> AppResult<(i32, Vec<Contact>)> {
    let Some(mut next) = model::escalation_wave(silent.wave, &silent.role) else {
        return Ok((0, Vec::new()));
    };
    if next == wave::TOWNSHIP_HEAD {
        let township = model::township_of(&silent.region_code);
        let heads = contacts::store::of_region_role(db, &township, role::TOWNSHIP_HEAD).await?;
        let heads: Vec<Contact> = heads
            .into_iter()
            .filter(|h| h.id != silent.contact_id)
            .collect();
        if !heads.is_empty() {
            return Ok((next, heads));
        }
        next = wave::COUNTY_LEADER;
    }
    let county = county_of(&w.region_code);
    let leaders = contacts::store::of_region_role(db, &county, role::COUNTY_LEADER).await?;
    let on_duty: Vec<Contact> = leaders
        .iter()
        .filter(|l| leader_on_duty.is_some() && l.user_id == leader_on_duty)
        .cloned()
        .collect();
    Ok((next, if on_duty.is_empty() { leaders } else { on_duty }))
}

async fn escalate_all(
    txn: &impl ConnectionTrait,
    state: &AppState,
    w: &Warning,
    policy: &Policy,
    calls: &[call::Model],
    now: DateTime<Utc>,
) -> AppResult<usize> {
    if calls.is_empty() {
        return Ok(0);
    }
    let mut raised = Vec::new();
    let mut escalated = 0;
    let on_duty = platform::on_duty::at(state, &county_of(&w.region_code), now).await?;
    let leader_on_duty = on_duty.and_then(|d| d.leader);
    for c in calls {
        let changes = Entity::update_many()
            .col_expr(Column::State, Expr::value(call_state::UNREACHABLE))
            .col_expr(Column::EscalatedAt, Expr::value(Some(now)));
        if !claim(txn, c, changes).await? {
            continue;
        }
        escalated += 1;
        let (next, targets) = next_wave(txn, w, c, leader_on_duty).await?;
        let place = platform::regions::store::find(txn, &c.region_code)
            .await?
            .map(|r| r.short_name)
            .unwrap_or_default();
        let about = format!("{}（{}{}）", c.name, place, contacts::role_label(&c.role));
        for t in &targets {
            raised.push(new_call(
                w,
                t,
                next,
                policy,
                now,
                Some((c.id, about.clone())),
            ));
        }
        let entry = Entry::new("warning.escalate", KIND, w.id, &w.region_code).summary(format!(
            "{about} 未叫应，升级至{}（{} 人）",
            model::wave::label(next),
            targets.len()
        ));
        let system = audit::Who {
            id: None,
            name: "系统（叫应计时）",
            ip: None,
        };
        audit::record(txn, system, now, entry).await?;
    }
    insert_calls(txn, &raised).await?;
    let refs: Vec<&call::Model> = raised.iter().collect();
    let emails = emails_of(txn, &refs).await?;
    let mut messages = Vec::new();
    for c in &raised {
        let says = escalating(w, c.about.as_deref().unwrap_or_default());
        messages.extend(messages_to(
            &state.channels,
            w,
            c,
            emails.get(&c.contact_id).map(String::as_str),
            &says,
        ));
    }
    if !raised.is_empty() {
        messages.extend(robot_messages(txn, w, &refs, &escalation_notice(w)).await?);
    }
    notify::enqueue(txn, None, now, messages).await?;
    Ok(escalated)
}

/// A call as the live page shows it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CallRow {
    pub id: Uuid,
    pub name: String,
    pub role: String,
    pub role_label: &'static str,
    pub region_code: String,
    pub mobile: Option<String>,
    pub wave: i32,
    pub about: Option<String>,
    pub state: String,
    pub state_label: &'static str,
    pub cycle: i32,
    pub first_sent_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub confirmed_via: Option<String>,
    pub escalated_at: Option<DateTime<Utc>>,
    /// Minutes from the first delivery to the confirmation.
    pub minutes_to_confirm: Option<i64>,
}

impl From<call::Model> for CallRow {
    fn from(c: call::Model) -> Self {
        Self {
            role_label: contacts::role_label(&c.role),
            state_label: call_state::label(&c.state),
            minutes_to_confirm: c
                .confirmed_at
                .map(|at| (at - c.first_sent_at).num_minutes()),
            id: c.id,
            name: c.name,
            role: c.role,
            region_code: c.region_code,
            mobile: c.mobile,
            wave: c.wave,
            about: c.about,
            state: c.state,
            cycle: c.cycle,
            first_sent_at: c.first_sent_at,
            due_at: c.due_at,
            confirmed_at: c.confirmed_at,
            confirmed_via: c.confirmed_via,
            escalated_at: c.escalated_at,
        }
    }
}

impl CallRow {
    pub fn sent_local(&self) -> String {
        platform::clock::format_local(self.first_sent_at)
    }

    pub fn confirmed_local(&self) -> String {
        self.confirmed_at
            .map(platform::clock::format_local)
            .unwrap_or_default()
    }

    pub fn tone(&self) -> &'static str {
        call_state::tone(&self.state)
    }

    pub fn wave_label(&self) -> &'static str {
        wave::label(self.wave)
    }

    pub fn via_label(&self) -> &'static str {
        match self.confirmed_via.as_deref() {
            Some("app") => "平台内",
            Some("link") => "消息链接",
            _ => "",
        }
    }
}

/// Every call of a warning: by wave, then region and name.
pub async fn of_warning(db: &impl ConnectionTrait, warning_id: Uuid) -> AppResult<Vec<CallRow>> {
    Ok(Entity::find()
        .filter(Column::WarningId.eq(warning_id))
        .order_by_asc(Column::Wave)
        .order_by_asc(Column::RegionCode)
        .order_by_asc(Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(CallRow::from)
        .collect())
}

/// Counts for a warning's page header and the leader's home page.
#[derive(Clone, Copy, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Tally {
    pub asked: usize,
    pub confirmed: usize,
    pub pending: usize,
    pub unreachable: usize,
}

pub fn tally(rows: &[CallRow]) -> Tally {
    let count = |s: &str| rows.iter().filter(|r| r.state == s).count();
    Tally {
        asked: rows.len(),
        confirmed: count(call_state::CONFIRMED),
        pending: count(call_state::PENDING),
        unreachable: count(call_state::UNREACHABLE),
    }
}

/// The calls waiting for this user's own confirmation, newest first.
pub async fn waiting_for(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Vec<call::Model>> {
    Ok(Entity::find()
        .filter(Column::UserId.eq(user_id))
        .filter(Column::State.is_in([call_state::PENDING, call_state::UNREACHABLE]))
        .filter(Column::ConfirmedAt.is_null())
        .order_by_desc(Column::FirstSentAt)
        .all(db)
        .await?)
}

/// Unconfirmed people on warnings in force in a scope, for the leader's home page.
pub async fn unconfirmed_in(
    db: &impl ConnectionTrait,
    county_prefix: &str,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    use super::entity::warning::{Column as W, Entity as Warnings};
    let live: Vec<Uuid> = Warnings::find()
        .filter(W::State.eq(state::ISSUED))
        .filter(W::ValidUntil.gt(now))
        .filter(W::RegionCode.starts_with(county_prefix))
        .all(db)
        .await?
        .into_iter()
        .map(|w| w.id)
        .collect();
    if live.is_empty() {
        return Ok(0);
    }
    use sea_orm::PaginatorTrait;
    Ok(Entity::find()
        .filter(Column::WarningId.is_in(live))
        .filter(Column::State.is_in([call_state::PENDING, call_state::UNREACHABLE]))
        .filter(Column::ConfirmedAt.is_null())
        .count(db)
        .await?)
}
