//! The daily dispatch's queries and changes, scoped and audited.
//! - Readers: county-level DUTY_VIEW holders of the county.
//! - Starting and closing: the county's duty editors, or whoever stands the county's shift now.
//! - Answering: the person asked, through the link in their message (no login) or in the app.
//!
//! Asking, chasing and escalating are the platform's 叫应 (`platform::calls`); [`Asked`] is how
//! a dispatch reads there.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use platform::access::{Actor, perm};
use platform::audit::{self, Entry};
use platform::calls::model::Chase;
use platform::calls::{self, CallRow, Confirmation, Says, Subject, Via, entity::Model as Call};
use platform::clock::format_local;
use platform::contacts::{self, entity::Model as Contact, role};
use platform::error::{AppError, AppResult};
use platform::regions::model::{county_of, township_of};
use platform::web::AppState;
use platform::web::form::{optional, parse_date};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{Column, Entity, Model};
use super::model::{self, DispatchError, Totals, UnitRow};
use super::questions::{self, Question};
use crate::rosters::model::{PeriodKind, local_day};
use crate::rosters::store::{is_writer, reads_all, shifts_at};

/// The subject kind of a dispatch's calls, and its audit entity kind.
pub const KIND: &str = "duty_dispatch";

/// Names of this ledger's audit actions, registered with the platform at start-up.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("duty.dispatch.start", "发起每日调度"),
    ("duty.dispatch.answer", "回复调度"),
    ("duty.dispatch.escalate", "调度未回复升级"),
    ("duty.dispatch.close", "结束调度"),
];

/// 每日调度.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Dispatch {
    pub id: Uuid,
    pub region_code: String,
    pub day: NaiveDate,
    pub kind: PeriodKind,
    pub questions: Vec<Question>,
    pub include_departments: bool,
    #[schema(value_type = Vec<String>)]
    pub contact_groups: Vec<Uuid>,
    pub ack_minutes: i32,
    pub cycles: i32,
    pub closes_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub asked: i32,
    pub started_at: DateTime<Utc>,
    /// Empty when the morning job started it.
    pub started_by_name: String,
    pub closed_by_name: Option<String>,
    /// Answers are still taken.
    pub open: bool,
    pub version: i32,
}

impl Dispatch {
    pub fn title(&self) -> String {
        format!(
            "{} {}每日调度",
            self.day.format("%Y年%-m月%-d日"),
            self.kind.label()
        )
    }

    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }

    pub fn started_local(&self) -> String {
        format_local(self.started_at)
    }

    pub fn closes_local(&self) -> String {
        format_local(self.closed_at.unwrap_or(self.closes_at))
    }

    fn from_model(m: Model, names: &HashMap<Uuid, String>, now: DateTime<Utc>) -> Self {
        Self {
            open: model::is_open(m.closes_at, m.closed_at, now),
            kind: PeriodKind::parse(&m.kind).unwrap_or(PeriodKind::Flood),
            questions: serde_json::from_str(&m.questions).unwrap_or_default(),
            contact_groups: m
                .contact_groups
                .split(',')
                .filter_map(|id| Uuid::parse_str(id.trim()).ok())
                .collect(),
            started_by_name: m
                .created_by
                .and_then(|u| names.get(&u).cloned())
                .unwrap_or_default(),
            closed_by_name: m.closed_by.and_then(|u| names.get(&u).cloned()),
            id: m.id,
            region_code: m.region_code,
            day: m.day,
            include_departments: m.include_departments,
            ack_minutes: m.ack_minutes,
            cycles: m.cycles,
            closes_at: m.closes_at,
            closed_at: m.closed_at,
            asked: m.asked,
            started_at: m.created_at,
            version: m.version,
        }
    }
}

async fn decorate(
    db: &impl ConnectionTrait,
    models: Vec<Model>,
    now: DateTime<Utc>,
) -> AppResult<Vec<Dispatch>> {
    let people: Vec<Uuid> = models
        .iter()
        .flat_map(|m| m.created_by.into_iter().chain(m.closed_by))
        .collect();
    let names = platform::users::store::display_names(db, people).await?;
    Ok(models
        .into_iter()
        .map(|m| Dispatch::from_model(m, &names, now))
        .collect())
}

/// One dispatch by id, decorated (no scope check: callers hold a token, a call or a checked id).
async fn find(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> AppResult<Dispatch> {
    let m = Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(decorate(db, vec![m], now).await?.remove(0))
}

/// A dispatch being asked about, as the 叫应 machinery reads it.
pub struct Asked(pub Dispatch);

impl Asked {
    fn day_text(&self) -> String {
        self.0.day.format("%-m月%-d日").to_string()
    }
}

impl Subject for Asked {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn id(&self) -> Uuid {
        self.0.id
    }

    fn region_code(&self) -> &str {
        &self.0.region_code
    }

    fn title(&self) -> &str {
        "每日调度"
    }

    fn page(&self) -> String {
        format!("/duty/dispatch/{}", self.0.id)
    }

    fn link(&self, token: &str) -> String {
        format!("/duty/dispatch/answer/{token}")
    }

    fn in_force(&self, now: DateTime<Utc>) -> bool {
        model::is_open(self.0.closes_at, self.0.closed_at, now)
    }

    fn ended_message(&self) -> &'static str {
        DispatchError::Closed.message()
    }

    fn chase(&self) -> Chase {
        Chase {
            ack_minutes: self.0.ack_minutes,
            cycles: self.0.cycles,
        }
    }

    fn asking(&self, delivery: i32) -> Says {
        let again = if delivery > 1 {
            format!("（第 {delivery} 次提醒）")
        } else {
            String::new()
        };
        let questions: Vec<String> = self
            .0
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| format!("{}. {}", i + 1, q.text))
            .collect();
        Says {
            title: format!("{}{}值班调度{again}", self.day_text(), self.0.kind.label()),
            body: format!(
                "县应急局值班室今日调度，请在 {} 分钟内点击链接回复：\n{}",
                self.0.ack_minutes,
                questions.join("\n")
            ),
        }
    }

    fn escalating(&self, about: &str) -> Says {
        Says {
            title: format!("调度升级：{about} 未回复{}调度", self.day_text()),
            body: format!(
                "{about} 在规定时限内未回复县应急局值班室{}的每日调度。请立即电话联系督促回复，并点击链接确认已知悉。",
                self.day_text()
            ),
        }
    }

    fn escalation_notice(&self) -> Says {
        Says {
            title: format!("调度升级：{}每日调度", self.day_text()),
            body: "仍有单位未回复今日调度，已通知上一级负责人督促。".to_string(),
        }
    }

    fn actions(&self) -> (&'static str, &'static str) {
        ("duty.dispatch.answer", "duty.dispatch.escalate")
    }
}

/// The dispatches' loader for the platform's chasing job.
pub fn load<'a>(state: &'a AppState, id: Uuid) -> calls::LoadFuture<'a> {
    Box::pin(async move {
        match find(&state.db, id, state.now()).await {
            Ok(d) => Ok(Some(Box::new(Asked(d)) as Box<dyn Subject>)),
            Err(AppError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    })
}

/// The county a county-level actor dispatches for.
fn county_of_reader(actor: &Actor) -> AppResult<String> {
    actor.require(perm::DUTY_VIEW)?;
    if !reads_all(actor) {
        return Err(AppError::Forbidden);
    }
    Ok(county_of(&actor.region_code))
}

/// Whether the actor may start or close the county's dispatch now: a duty editor, or on duty.
async fn may_run(state: &AppState, actor: &Actor, county: &str) -> AppResult<bool> {
    if is_writer(actor) {
        return Ok(true);
    }
    let on_duty = crate::rosters::store::on_duty_at(&state.db, county, state.now()).await?;
    Ok(on_duty.is_some_and(|(leader, officers)| {
        leader == Some(actor.user_id) || officers.contains(&actor.user_id)
    }))
}

/// Whether the actor may start or close dispatches (for the page's buttons).
pub async fn may_dispatch(state: &AppState, actor: &Actor) -> AppResult<bool> {
    match county_of_reader(actor) {
        Ok(county) => may_run(state, actor, &county).await,
        Err(_) => Ok(false),
    }
}

/// Recent dispatches of the actor's county, newest first.
pub async fn list(state: &AppState, actor: &Actor, limit: u64) -> AppResult<Vec<Dispatch>> {
    let county = county_of_reader(actor)?;
    let rows = Entity::find()
        .filter(Column::RegionCode.eq(county))
        .filter(Column::VoidedAt.is_null())
        .order_by_desc(Column::Day)
        .limit(limit)
        .all(&state.db)
        .await?;
    decorate(&state.db, rows, state.now()).await
}

/// The dispatches of a county between two days (both included), oldest first.
pub async fn between(
    state: &AppState,
    county: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<Dispatch>> {
    let rows = Entity::find()
        .filter(Column::RegionCode.eq(county))
        .filter(Column::VoidedAt.is_null())
        .filter(Column::Day.gte(from))
        .filter(Column::Day.lte(to))
        .order_by_asc(Column::Day)
        .all(&state.db)
        .await?;
    decorate(&state.db, rows, state.now()).await
}

/// A county's dispatches between two days with each day's units, for the statistics.
pub async fn summaries_between(
    state: &AppState,
    county: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(Dispatch, Vec<UnitRow>, Totals)>> {
    let dispatches = between(state, county, from, to).await?;
    let ids: Vec<Uuid> = dispatches.iter().map(|d| d.id).collect();
    let all = calls::of_subjects(&state.db, &ids).await?;
    let names = platform::regions::store::short_names(
        &state.db,
        all.iter().map(|c| township_of(&c.region_code)),
    )
    .await?;
    let mut calls_of: HashMap<Uuid, Vec<CallRow>> = HashMap::new();
    for c in all {
        calls_of.entry(c.subject_id).or_default().push(c);
    }
    Ok(dispatches
        .into_iter()
        .map(|d| {
            let calls = calls_of.remove(&d.id).unwrap_or_default();
            let (units, totals) = model::summarise(&calls, &d.region_code, &names);
            (d, units, totals)
        })
        .collect())
}

/// Today's dispatch of the actor's county, if started.
pub async fn today(state: &AppState, actor: &Actor) -> AppResult<Option<Dispatch>> {
    let county = county_of_reader(actor)?;
    let found = Entity::find()
        .filter(Column::RegionCode.eq(county))
        .filter(Column::Day.eq(local_day(state.now())))
        .filter(Column::VoidedAt.is_null())
        .one(&state.db)
        .await?;
    Ok(match found {
        Some(m) => Some(decorate(&state.db, vec![m], state.now()).await?.remove(0)),
        None => None,
    })
}

pub async fn get(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<Dispatch> {
    let county = county_of_reader(actor)?;
    let m = Entity::find_by_id(id)
        .filter(Column::RegionCode.eq(county))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(decorate(&state.db, vec![m], state.now()).await?.remove(0))
}

/// A dispatch with who was asked and what they answered, per township.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub dispatch: Dispatch,
    pub units: Vec<UnitRow>,
    pub totals: Totals,
    pub calls: Vec<CallRow>,
}

pub async fn summary(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<Summary> {
    let dispatch = get(state, actor, id).await?;
    summarise(state, dispatch).await
}

pub(crate) async fn summarise(state: &AppState, dispatch: Dispatch) -> AppResult<Summary> {
    let calls = calls::of_subject(&state.db, dispatch.id).await?;
    let codes: Vec<String> = calls.iter().map(|c| township_of(&c.region_code)).collect();
    let names = platform::regions::store::short_names(&state.db, codes).await?;
    let (units, totals) = model::summarise(&calls, &dispatch.region_code, &names);
    Ok(Summary {
        dispatch,
        units,
        totals,
        calls,
    })
}

/// What starting a dispatch takes; everything has a default.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct StartInput {
    /// The season whose questions are asked: flood | forest_fire | major_event | holiday;
    /// default the running duty period's, else flood.
    pub kind: Option<String>,
    /// Ask the member departments' liaisons too (default yes).
    pub include_departments: Option<bool>,
    /// Contact groups also asked.
    #[serde(default)]
    pub contact_groups: Vec<String>,
    /// Minutes to answer each delivery (default 30).
    pub ack_minutes: Option<i32>,
    /// Deliveries before escalation (default 2).
    pub cycles: Option<i32>,
    /// The day (YYYY-MM-DD); only today is accepted.
    pub day: Option<String>,
}

fn refused(e: DispatchError) -> AppError {
    match e.field() {
        Some(f) => AppError::field(f, e.message()),
        None => AppError::conflict(e.code(), e.message()),
    }
}

/// Who a dispatch asks: each township's duty contacts (its head when none is registered),
/// the county's department liaisons when asked for, and the members of the chosen groups.
async fn recipients(
    db: &impl ConnectionTrait,
    county: &str,
    include_departments: bool,
    groups: &[Uuid],
) -> AppResult<Vec<Contact>> {
    let mut people = contacts::store::township_on_call(db, county).await?;
    if include_departments {
        people.extend(contacts::store::of_region_role(db, county, role::DEPARTMENT_LIAISON).await?);
    }
    people.extend(contacts::groups::store::members(db, groups).await?);
    let mut seen = HashSet::new();
    people.retain(|c| seen.insert(c.id));
    Ok(people)
}

/// The season asked: as chosen, else the duty period running now, else flood.
async fn season(
    state: &AppState,
    county: &str,
    chosen: Option<&str>,
) -> AppResult<(PeriodKind, Option<Uuid>)> {
    let running = shifts_at(&state.db, &platform::access::Scope::of(county), state.now())
        .await?
        .into_iter()
        .next()
        .map(|(p, _)| p);
    let kind = match chosen {
        Some(code) => PeriodKind::parse(code).ok_or_else(|| {
            AppError::field(
                "kind",
                "请选择调度类型（防汛、森林防灭火、重大活动、节假日）",
            )
        })?,
        None => running.as_ref().map_or(PeriodKind::Flood, |p| p.kind),
    };
    Ok((kind, running.map(|p| p.id)))
}

/// 发起每日调度: the day's dispatch, a call to everyone asked and their first messages, in one
/// transaction.
pub async fn start(state: &AppState, actor: &Actor, input: &StartInput) -> AppResult<Dispatch> {
    let county = county_of_reader(actor)?;
    actor.require(perm::DUTY_VIEW)?;
    if !may_run(state, actor, &county).await? {
        return Err(AppError::Forbidden);
    }
    let now = state.now();
    let today = local_day(now);
    let day = match optional(&input.day) {
        Some(text) => {
            parse_date(&text).ok_or_else(|| AppError::field("day", "日期格式应为 YYYY-MM-DD"))?
        }
        None => today,
    };
    let ack_minutes = input.ack_minutes.unwrap_or(model::DEFAULT_ACK_MINUTES);
    let cycles = input.cycles.unwrap_or(model::DEFAULT_CYCLES);
    model::check_start(day, today, ack_minutes, cycles).map_err(refused)?;
    let (kind, period_id) = season(state, &county, input.kind.as_deref()).await?;
    let groups = contacts::groups::store::parse_ids(&input.contact_groups)?;
    contacts::groups::store::require_in_scope(&state.db, &actor.scope(), &groups).await?;
    let include_departments = input.include_departments.unwrap_or(true);
    let questions = questions::current(&state.db, &county, kind).await?;

    let txn = state.db.begin().await?;
    let taken = Entity::find()
        .filter(Column::RegionCode.eq(&county))
        .filter(Column::Day.eq(day))
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(refused(DispatchError::AlreadyStarted));
    }
    let people = recipients(&txn, &county, include_departments, &groups).await?;
    if people.is_empty() {
        return Err(refused(DispatchError::NobodyToAsk));
    }
    let m = Model {
        id: Uuid::now_v7(),
        region_code: county.clone(),
        version: 1,
        created_at: now,
        created_by: Some(actor.user_id),
        updated_at: now,
        updated_by: Some(actor.user_id),
        voided_at: None,
        void_reason: None,
        day,
        period_id,
        kind: kind.code().to_string(),
        questions: serde_json::to_string(&questions).map_err(anyhow::Error::from)?,
        include_departments,
        contact_groups: groups
            .iter()
            .map(Uuid::to_string)
            .collect::<Vec<_>>()
            .join(","),
        ack_minutes,
        cycles,
        closes_at: model::day_end(day),
        closed_at: None,
        closed_by: None,
        asked: people.len() as i32,
    };
    let inserted = m.into_active_model().insert(&txn).await;
    let m = match inserted {
        Ok(m) => m,
        // Two duty officers pressing the button at once: the unique day index decides.
        Err(_) => return Err(refused(DispatchError::AlreadyStarted)),
    };
    let dispatch = decorate(&txn, vec![m], now).await?.remove(0);
    let asked = Asked(dispatch);
    calls::fan_out(&txn, state, Some(actor.user_id), &asked, &people, now).await?;
    let entry = Entry::new("duty.dispatch.start", KIND, asked.0.id, &county)
        .summary(format!("发起{}，调度 {} 人", asked.0.title(), people.len()))
        .after(&asked.0);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(asked.0)
}

#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CloseInput {
    pub version: i32,
}

/// 结束调度: no more answers; the silent are no longer chased.
pub async fn close(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &CloseInput,
) -> AppResult<Dispatch> {
    let before = get(state, actor, id).await?;
    if !may_run(state, actor, &before.region_code).await? {
        return Err(AppError::Forbidden);
    }
    if !before.open {
        return Err(refused(DispatchError::Closed));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    let done = Entity::update_many()
        .col_expr(Column::ClosedAt, Expr::value(Some(now)))
        .col_expr(Column::ClosedBy, Expr::value(Some(actor.user_id)))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .col_expr(Column::UpdatedBy, Expr::value(Some(actor.user_id)))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::Id.eq(id))
        .filter(Column::Version.eq(input.version))
        .filter(Column::ClosedAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(AppError::conflict(
            "stale_version",
            "调度已被他人修改或已结束，请刷新后再试",
        ));
    }
    let closed = calls::close_pending(&txn, id).await?;
    let after = find(&txn, id, now).await?;
    let entry = Entry::new("duty.dispatch.close", KIND, id, &after.region_code).summary(format!(
        "结束{}，{} 人未回复",
        after.title(),
        closed
    ));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// The call behind a link, with its dispatch.
pub async fn by_token(state: &AppState, token: &str) -> AppResult<(Call, Dispatch)> {
    let found = calls::by_token(&state.db, KIND, token).await?;
    let d = find(&state.db, found.subject_id, state.now()).await?;
    Ok((found, d))
}

/// Answers as typed: question key → value.
pub type Answers = HashMap<String, String>;

/// Answer (or, for an escalation, acknowledge) a dispatch. The person's township's answers are
/// checked against the questions asked; escalation calls carry no answers.
async fn answer(
    state: &AppState,
    found: Call,
    d: Dispatch,
    via: Via<'_>,
    answers: &Answers,
) -> AppResult<Confirmation> {
    let asked = Asked(d);
    let checked = if found.about.is_some() || found.confirmed_at.is_some() {
        None
    } else {
        if !asked.in_force(state.now()) {
            return Err(refused(DispatchError::Closed));
        }
        let checked = questions::check_answers(&asked.0.questions, answers)
            .map_err(|errors| AppError::Validation(errors.into_iter().collect()))?;
        Some(serde_json::to_value(checked).map_err(anyhow::Error::from)?)
    };
    let township = township_of(&found.region_code);
    if checked.is_none() || township == county_of(&found.region_code) {
        return calls::confirm(state, &asked, found, via, checked).await;
    }
    answer_for_township(state, &asked, &found, via, checked.as_ref(), &township).await
}

/// A township answers once: the first of its people to answer speaks for it, and its other
/// people and the escalations about it stop being chased in the same transaction.
async fn answer_for_township(
    state: &AppState,
    asked: &Asked,
    found: &Call,
    via: Via<'_>,
    checked: Option<&serde_json::Value>,
    township: &str,
) -> AppResult<Confirmation> {
    if found.state == calls::model::call_state::CLOSED {
        let others = calls::township_calls(&state.db, asked.0.id, township).await?;
        if let Some(by) = others.iter().find(|c| c.confirmed_at.is_some()) {
            return Err(AppError::conflict(
                "already_answered",
                format!("本乡镇今日调度已由{}回复，无需再回复", by.name),
            ));
        }
        return Err(refused(DispatchError::Closed));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    let newly = calls::confirm_in(&txn, asked, found, via, checked, now).await?;
    calls::close_township(&txn, asked.0.id, township).await?;
    txn.commit().await?;
    Ok(calls::confirmation(asked, found, now, newly))
}

/// Answer through the link in the message (no login: the link is the credential).
pub async fn answer_by_token(
    state: &AppState,
    token: &str,
    answers: &Answers,
) -> AppResult<Confirmation> {
    let (found, d) = by_token(state, token).await?;
    answer(state, found, d, Via::Link, answers).await
}

/// Answer in the app, logged in as the person asked.
pub async fn answer_in_app(
    state: &AppState,
    actor: &Actor,
    call_id: Uuid,
    answers: &Answers,
) -> AppResult<Confirmation> {
    let found = calls::own(&state.db, KIND, actor, call_id).await?;
    let d = find(&state.db, found.subject_id, state.now()).await?;
    answer(state, found, d, Via::App(actor), answers).await
}

/// One of the person's own dispatch calls, with its day, for their list.
#[derive(Clone, Debug, Serialize)]
pub struct Mine {
    pub call: CallRow,
    pub token: String,
    pub title: String,
    pub open: bool,
}

/// The person's own dispatch calls (to answer, or answered), newest first: what a township's
/// duty officer sees under 每日调度.
pub async fn mine(state: &AppState, actor: &Actor) -> AppResult<Vec<Mine>> {
    actor.require(perm::DUTY_VIEW)?;
    let calls = calls::of_user(&state.db, KIND, actor.user_id, 30).await?;
    let ids: Vec<Uuid> = calls.iter().map(|c| c.subject_id).collect();
    let models = Entity::find()
        .filter(Column::Id.is_in(ids))
        .all(&state.db)
        .await?;
    let dispatches: HashMap<Uuid, Dispatch> = decorate(&state.db, models, state.now())
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    Ok(calls
        .into_iter()
        .filter_map(|c| {
            let d = dispatches.get(&c.subject_id)?;
            Some(Mine {
                token: c.token.clone(),
                title: d.title(),
                open: d.open,
                call: c.into(),
            })
        })
        .collect())
}

/// The dispatch calls waiting for this user's answer.
pub async fn waiting_for(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Vec<Call>> {
    calls::waiting_for(db, KIND, user_id).await
}

/// Home page items: today's dispatch waiting for this person's answer (its link is the page);
/// for the county's duty readers, how many units have not answered today's dispatch yet.
pub async fn work_items(
    state: &AppState,
    actor: &Actor,
) -> AppResult<Vec<platform::home::WorkItem>> {
    let now = state.now();
    let mut items = Vec::new();
    if actor.can(perm::DUTY_VIEW)
        && reads_all(actor)
        && let Some(d) = today(state, actor).await?
        && d.open
    {
        let s = summarise(state, d).await?;
        let waiting = s.totals.pending + s.totals.silent;
        if waiting > 0 {
            items.push(platform::home::WorkItem {
                title: format!("今日调度：{waiting} 个单位尚未回复"),
                detail: format!(
                    "已回复 {} 个，其中 {} 个报告险情",
                    s.totals.answered, s.totals.alarming
                ),
                href: format!("/duty/dispatch/{}", s.dispatch.id),
                urgent: s.totals.silent > 0,
            });
        }
    }
    for c in waiting_for(&state.db, actor.user_id).await? {
        let Some(m) = Entity::find_by_id(c.subject_id).one(&state.db).await? else {
            continue;
        };
        if !model::is_open(m.closes_at, m.closed_at, now) {
            continue;
        }
        items.push(platform::home::WorkItem {
            title: match &c.about {
                Some(about) => format!("{about} 未回复今日调度，请督促"),
                None => "今日调度等待您回复".to_string(),
            },
            detail: format!("请在 {} 前回复", format_local(m.closes_at)),
            href: format!("/duty/dispatch/answer/{}", c.token),
            urgent: true,
        });
    }
    Ok(items)
}
