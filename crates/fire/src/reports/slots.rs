//! Report slots: one per county, day and report time, opened by the job `fire.reports.open`
//! when the time comes in the fire season (or by the county's fire editors by hand). Asking,
//! chasing the silent after the grace period and escalating them are the platform's 叫应
//! (`platform::calls`); [`Asked`] is how a slot reads there. Townships file through the link in
//! their message (no login) or in the app.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use platform::access::Actor;
use platform::audit::{self, Entry};
use platform::calls::model::{Chase, call_state};
use platform::calls::{self, Confirmation, Says, Subject, Via, entity::Model as Call};
use platform::contacts::{self, role};
use platform::error::{AppError, AppResult};
use platform::regions::model::county_of;
use platform::regions::model::township_of;
use platform::web::AppState;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::slot::{Column, Entity, Model};
use super::model::{self, Filing, SlotSpec};
use super::schedule;
use crate::access::require_writer;
use crate::seasons;

/// The subject kind of a slot's calls, and its audit entity kind.
pub const KIND: &str = "fire_report";

/// Names of the reports' audit actions.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("fire.report.schedule", "设置防火报告时间"),
    ("fire.report.open", "发起防火报告"),
    ("fire.report.file", "报送防火报告"),
    ("fire.report.escalate", "防火报告未报升级"),
];

const ENDED: &str =
    "已过当日24时，本时段防火报告不再接收。如有火情请直接电话报告县森林防火指挥部办公室。";

/// A slot being asked about, as the 叫应 machinery reads it.
pub struct Asked(pub Model);

impl Asked {
    pub fn title_text(&self) -> String {
        format!(
            "{} {} {}防火报告",
            self.0.day.format("%-m月%-d日"),
            self.0.slot_time,
            self.0.slot_name
        )
    }

    fn late_text(&self) -> String {
        platform::clock::format_local(self.0.late_after)
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
        "防火报告"
    }

    fn page(&self) -> String {
        format!("/fire/reports?day={}", self.0.day)
    }

    fn link(&self, token: &str) -> String {
        format!("/fire/reports/file/{token}")
    }

    fn in_force(&self, now: DateTime<Utc>) -> bool {
        now < self.0.closes_at && self.0.voided_at.is_none()
    }

    fn ended_message(&self) -> &'static str {
        ENDED
    }

    fn chase(&self) -> Chase {
        Chase {
            ack_minutes: self.0.grace_minutes,
            cycles: model::CYCLES,
        }
    }

    fn asking(&self, delivery: i32) -> Says {
        let again = if delivery > 1 {
            format!("（第 {delivery} 次提醒，已超时）")
        } else {
            String::new()
        };
        Says {
            title: format!("{}{again}", self.title_text()),
            body: format!(
                "请于 {} 前点击链接报送本乡镇森林草原火情、隐患及处置情况；无火情请选择「零报告」。",
                self.late_text()
            ),
        }
    }

    fn escalating(&self, about: &str) -> Says {
        Says {
            title: format!("防火报告升级：{about} 未报送{}", self.0.slot_name),
            body: format!(
                "{about} 未按时报送{}。请立即督促报送，并点击链接确认已知悉。",
                self.title_text()
            ),
        }
    }

    fn escalation_notice(&self) -> Says {
        Says {
            title: format!("防火报告升级：{}", self.title_text()),
            body: "仍有乡镇未报送防火报告，已通知上一级负责人督促。".to_string(),
        }
    }

    fn actions(&self) -> (&'static str, &'static str) {
        ("fire.report.file", "fire.report.escalate")
    }
}

/// One slot by id (no scope check: callers hold a token, a call or a checked id).
pub(super) async fn find(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Model> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The slots' loader for the platform's chasing job.
pub fn load<'a>(state: &'a AppState, id: Uuid) -> calls::LoadFuture<'a> {
    Box::pin(async move {
        match find(&state.db, id).await {
            Ok(m) => Ok(Some(Box::new(Asked(m)) as Box<dyn Subject>)),
            Err(AppError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    })
}

/// A county's slots of a day, in time order.
pub(super) async fn of_day(
    db: &impl ConnectionTrait,
    county: &str,
    day: NaiveDate,
) -> AppResult<Vec<Model>> {
    use sea_orm::QueryOrder;
    Ok(Entity::find()
        .filter(Column::RegionCode.eq(county))
        .filter(Column::Day.eq(day))
        .filter(Column::VoidedAt.is_null())
        .order_by_asc(Column::SlotTime)
        .all(db)
        .await?)
}

/// Whether a county-local day lies in the county's fire season (of its year, or of the year
/// before when a county extended that one into this spring).
pub async fn in_season(db: &impl ConnectionTrait, county: &str, day: NaiveDate) -> AppResult<bool> {
    for year in [day.year(), day.year() - 1] {
        if seasons::of_year(db, county, year).await?.in_season(day) {
            return Ok(true);
        }
    }
    Ok(false)
}

fn already_reported() -> AppError {
    AppError::conflict("already_reported", "本乡镇本时段已报送，无需重复报送")
}

fn already_open() -> AppError {
    AppError::conflict("already_open", "本时段防火报告已经发起")
}

/// Open one slot: its record, a call to each township's people and their first messages, in
/// one transaction. `by` is the editor opening it by hand (none for the job).
pub(super) async fn open(
    state: &AppState,
    by: Option<&Actor>,
    county: &str,
    day: NaiveDate,
    spec: &SlotSpec,
    grace_minutes: i32,
) -> AppResult<Asked> {
    let now = state.now();
    let due_at = model::local_instant(day, spec.at());
    let txn = state.db.begin().await?;
    let taken = Entity::find()
        .filter(Column::RegionCode.eq(county))
        .filter(Column::Day.eq(day))
        .filter(Column::SlotTime.eq(&spec.time))
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(already_open());
    }
    let people = contacts::store::township_on_call(&txn, county).await?;
    if people.is_empty() {
        return Err(AppError::conflict(
            "nobody_to_ask",
            "通讯录中没有乡镇值班人员或负责人，请先完善通讯录",
        ));
    }
    let m = Model {
        id: Uuid::now_v7(),
        region_code: county.to_string(),
        version: 1,
        created_at: now,
        created_by: by.map(|a| a.user_id),
        updated_at: now,
        updated_by: by.map(|a| a.user_id),
        voided_at: None,
        void_reason: None,
        day,
        slot_time: spec.time.clone(),
        slot_name: spec.name.clone(),
        due_at,
        grace_minutes,
        late_after: due_at + chrono::Duration::minutes(i64::from(grace_minutes)),
        closes_at: model::day_end(day),
        asked: people.len() as i32,
    };
    // The job and an editor at once: the unique (county, day, time) index decides.
    let m = match m.into_active_model().insert(&txn).await {
        Ok(m) => m,
        Err(_) => return Err(already_open()),
    };
    let asked = Asked(m);
    calls::fan_out(&txn, state, by.map(|a| a.user_id), &asked, &people, now).await?;
    let entry = Entry::new("fire.report.open", KIND, asked.0.id, county).summary(format!(
        "发起{}，通知 {} 人",
        asked.title_text(),
        people.len()
    ));
    match by {
        Some(actor) => audit::record(&txn, actor, now, entry).await?,
        None => {
            let system = audit::Who {
                id: None,
                name: "系统（一日三报）",
                ip: None,
            };
            audit::record(&txn, system, now, entry).await?
        }
    }
    txn.commit().await?;
    Ok(asked)
}

/// The job that opens each county's due slots in the fire season, every minute.
pub fn job() -> platform::jobs::Job {
    platform::jobs::Job {
        name: "fire.reports.open",
        label: "一日三报：按时发起防火报告",
        every: chrono::Duration::minutes(1),
        run: |state| Box::pin(open_due(state)),
    }
}

/// The counties with somebody to ask (a township's duty contact or head): the regions table
/// holds the whole province, but only the counties using the platform have contacts.
async fn counties_with_people(db: &impl ConnectionTrait) -> AppResult<BTreeSet<String>> {
    use platform::contacts::entity::{Column as C, Entity as Contacts};
    use sea_orm::QuerySelect;
    let regions: Vec<String> = Contacts::find()
        .select_only()
        .column(C::RegionCode)
        .distinct()
        .filter(C::Role.is_in([role::TOWNSHIP_DUTY, role::TOWNSHIP_HEAD]))
        .filter(C::VoidedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    Ok(regions.iter().map(String::as_str).map(county_of).collect())
}

/// One pass of the job; says what it did.
pub async fn open_due(state: &AppState) -> AppResult<String> {
    let now = state.now();
    let today = model::local_day(now);
    let own = schedule::all_stored(&state.db).await?;
    let (mut opened, mut skipped) = (0, 0);
    for county in counties_with_people(&state.db).await? {
        let schedule = own.get(&county).cloned().unwrap_or_else(model::defaults);
        let due: Vec<&SlotSpec> = schedule
            .slots
            .iter()
            .filter(|s| {
                model::job_opens(
                    model::local_instant(today, s.at()),
                    schedule.grace_minutes,
                    now,
                )
            })
            .collect();
        if due.is_empty() || !in_season(&state.db, &county, today).await? {
            continue;
        }
        let open_already = of_day(&state.db, &county, today).await?;
        for spec in due {
            if open_already.iter().any(|s| s.slot_time == spec.time) {
                continue;
            }
            match open(state, None, &county, today, spec, schedule.grace_minutes).await {
                Ok(_) => opened += 1,
                // Opened meanwhile (or nobody left to ask): the next pass looks again.
                Err(AppError::Conflict { .. }) => skipped += 1,
                Err(e) => return Err(e),
            }
        }
    }
    Ok(format!("发起 {opened} 个时段，跳过 {skipped} 个"))
}

/// Open a slot of today by hand (the job missed it): county fire editors, in season, once its
/// time has come.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct OpenInput {
    /// `HH:MM`: one of the schedule's times.
    pub time: String,
}

/// A slot as the API shows it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SlotView {
    pub id: Uuid,
    pub region_code: String,
    pub day: NaiveDate,
    pub time: String,
    pub name: String,
    pub due_at: DateTime<Utc>,
    pub late_after: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub asked: i32,
}

impl From<Model> for SlotView {
    fn from(m: Model) -> Self {
        Self {
            id: m.id,
            region_code: m.region_code,
            day: m.day,
            time: m.slot_time,
            name: m.slot_name,
            due_at: m.due_at,
            late_after: m.late_after,
            closes_at: m.closes_at,
            asked: m.asked,
        }
    }
}

pub async fn open_by_hand(
    state: &AppState,
    actor: &Actor,
    input: &OpenInput,
) -> AppResult<SlotView> {
    let county = require_writer(actor)?;
    let schedule = schedule::of_county(&state.db, &county).await?;
    let time = model::parse_time(&input.time)
        .map(|t| t.format("%H:%M").to_string())
        .unwrap_or_default();
    let Some(spec) = schedule.slot(&time) else {
        return Err(AppError::field("time", "请选择本县设置的报送时间"));
    };
    let now = state.now();
    let today = model::local_day(now);
    if now < model::local_instant(today, spec.at()) {
        return Err(AppError::conflict("not_due", "报送时间未到，不能提前发起"));
    }
    if !in_season(&state.db, &county, today).await? {
        return Err(AppError::conflict(
            "out_of_season",
            "今天不在防火期内，无需报送",
        ));
    }
    let asked = open(
        state,
        Some(actor),
        &county,
        today,
        spec,
        schedule.grace_minutes,
    )
    .await?;
    Ok(asked.0.into())
}

/// What a township files: a zero report, or its situation.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct FilingInput {
    /// 零报告（今日无火情）.
    #[serde(default)]
    pub zero: bool,
    /// 火情、隐患及处置情况 (required unless a zero report).
    pub situation: Option<String>,
}

/// How a filing went.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Filed {
    pub confirmation: Confirmation,
    /// Filed after the grace period (迟报).
    pub late: bool,
}

const MAX_SITUATION_CHARS: usize = 1000;

fn checked_filing(input: &FilingInput, late: bool) -> AppResult<Filing> {
    if input.zero {
        return Ok(Filing {
            zero: true,
            situation: None,
            late,
        });
    }
    let text = input.situation.as_deref().map(str::trim).unwrap_or("");
    if text.is_empty() {
        return Err(AppError::field(
            "situation",
            "请填写火情、隐患及处置情况，或选择「零报告」",
        ));
    }
    if text.chars().count() > MAX_SITUATION_CHARS {
        return Err(AppError::field(
            "situation",
            format!("情况说明最多 {MAX_SITUATION_CHARS} 字"),
        ));
    }
    Ok(Filing {
        zero: false,
        situation: Some(text.to_string()),
        late,
    })
}

/// File (or, for an escalation, acknowledge) a slot. One report per township and slot: a
/// second is refused (本时段已报送); after the county's midnight nothing is taken.
async fn file(
    state: &AppState,
    found: Call,
    slot: Model,
    via: Via<'_>,
    input: &FilingInput,
) -> AppResult<Filed> {
    let asked = Asked(slot);
    let now = state.now();
    if !asked.in_force(now) {
        return Err(AppError::conflict("report_closed", ENDED));
    }
    // Closed before the day's end: the township filed through someone else.
    if found.state == call_state::CLOSED {
        return Err(already_reported());
    }
    if found.about.is_some() {
        let confirmation = calls::confirm(state, &asked, found, via, None).await?;
        return Ok(Filed {
            confirmation,
            late: false,
        });
    }
    let township = township_of(&found.region_code);
    let others = calls::township_calls(&state.db, asked.0.id, &township).await?;
    if others.iter().any(|c| c.confirmed_at.is_some()) {
        return Err(already_reported());
    }
    let late = now > asked.0.late_after;
    let filing = checked_filing(input, late)?;
    let answer = serde_json::to_value(&filing).map_err(anyhow::Error::from)?;
    if found.confirmed_at.is_some() {
        let confirmation = calls::confirm(state, &asked, found, via, None).await?;
        return Ok(Filed { confirmation, late });
    }
    // The filing and the end of the township's chase go in together.
    let txn = state.db.begin().await?;
    let newly = calls::confirm_in(&txn, &asked, &found, via, Some(&answer), now).await?;
    calls::close_township(&txn, asked.0.id, &township).await?;
    txn.commit().await?;
    let confirmation = calls::confirmation(&asked, &found, now, newly);
    Ok(Filed { confirmation, late })
}

/// The call behind a link, with its slot.
pub async fn by_token(state: &AppState, token: &str) -> AppResult<(Call, Model)> {
    let found = calls::by_token(&state.db, KIND, token).await?;
    let slot = find(&state.db, found.subject_id).await?;
    Ok((found, slot))
}

/// File through the link in the message (no login: the link is the credential).
pub async fn file_by_token(state: &AppState, token: &str, input: &FilingInput) -> AppResult<Filed> {
    let (found, slot) = by_token(state, token).await?;
    file(state, found, slot, Via::Link, input).await
}

/// File in the app, logged in as the person asked.
pub async fn file_in_app(
    state: &AppState,
    actor: &Actor,
    call_id: Uuid,
    input: &FilingInput,
) -> AppResult<Filed> {
    let found = calls::own(&state.db, KIND, actor, call_id).await?;
    let slot = find(&state.db, found.subject_id).await?;
    file(state, found, slot, Via::App(actor), input).await
}
