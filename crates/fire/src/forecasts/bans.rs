//! 禁火令: issued by the county's fire editors for the townships at orange or red on a day's
//! forecast (or all townships; without any orange or red only with the override and a reason),
//! numbered per county and year (三台禁火令〔2026〕3号), and published to the townships'
//! responsible persons (inbox, and SMS when configured) in the same transaction; lifting it
//! tells them too.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use platform::access::Actor;
use platform::audit::{self, Entry};
use platform::contacts::role;
use platform::error::{AppError, AppResult, FieldErrors};
use platform::notify::ChannelKind;
use platform::notify::outbox::{Message, enqueue};
use platform::web::AppState;
use platform::web::form::{date_field, optional};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::ban as entity;
use super::model;
use super::store;
use crate::access::{require_reader, require_writer};

pub const KIND_BAN: &str = "fire_burn_ban";

/// Names of this ledger's audit actions.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("fire.ban.issue", "发布禁火令"),
    ("fire.ban.lift", "解除禁火令"),
];

/// Who hears of a ban in each township.
pub const RECIPIENT_ROLES: &[&str] = &[
    role::TOWNSHIP_HEAD,
    role::TOWNSHIP_DEPUTY,
    role::TOWNSHIP_DUTY,
    role::VILLAGE_HEAD,
];

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Ban {
    pub id: Uuid,
    pub number: String,
    pub year: i32,
    pub forecast_day: Option<NaiveDate>,
    pub townships: Vec<String>,
    pub township_names: Vec<String>,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub body: String,
    pub override_reason: Option<String>,
    pub issued_at: String,
    pub issued_by_name: String,
    pub lifted_at: Option<String>,
    pub lift_reason: Option<String>,
    pub version: i32,
}

impl Ban {
    /// 生效中 / 已解除 / 已到期 / 未生效 on a day.
    pub fn state_on(&self, today: NaiveDate) -> (&'static str, &'static str) {
        if self.lifted_at.is_some() {
            ("已解除", "gray")
        } else if today > self.valid_to {
            ("已到期", "gray")
        } else if today < self.valid_from {
            ("未生效", "blue")
        } else {
            ("生效中", "red")
        }
    }

    pub fn places(&self) -> String {
        self.township_names.join("、")
    }
}

fn codes(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

fn to_ban(m: entity::Model, names: &HashMap<String, String>) -> Ban {
    let townships = codes(&m.townships);
    Ban {
        id: m.id,
        number: m.number,
        year: m.year,
        forecast_day: m.forecast_day,
        township_names: townships
            .iter()
            .map(|c| names.get(c).cloned().unwrap_or_else(|| c.clone()))
            .collect(),
        townships,
        valid_from: m.valid_from,
        valid_to: m.valid_to,
        body: m.body,
        override_reason: m.override_reason,
        issued_at: platform::clock::format_local(m.issued_at),
        issued_by_name: m.issued_by_name,
        lifted_at: m.lifted_at.map(platform::clock::format_local),
        lift_reason: m.lift_reason,
        version: m.version,
    }
}

async fn names(db: &impl ConnectionTrait, county: &str) -> AppResult<HashMap<String, String>> {
    Ok(store::townships(db, county)
        .await?
        .into_iter()
        .map(|r| (r.code, r.short_name))
        .collect())
}

/// The county's bans of a year, latest first.
pub async fn list(db: &impl ConnectionTrait, actor: &Actor, year: i32) -> AppResult<Vec<Ban>> {
    let county = require_reader(actor)?;
    let names = names(db, &county).await?;
    Ok(entity::Entity::find()
        .filter(entity::Column::RegionCode.eq(&county))
        .filter(entity::Column::Year.eq(year))
        .filter(entity::Column::VoidedAt.is_null())
        .order_by_desc(entity::Column::Seq)
        .all(db)
        .await?
        .into_iter()
        .map(|m| to_ban(m, &names))
        .collect())
}

async fn find(db: &impl ConnectionTrait, county: &str, id: Uuid) -> AppResult<entity::Model> {
    entity::Entity::find_by_id(id)
        .filter(entity::Column::RegionCode.eq(county))
        .filter(entity::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> AppResult<Ban> {
    let county = require_reader(actor)?;
    let m = find(db, &county, id).await?;
    Ok(to_ban(m, &names(db, &county).await?))
}

/// A ban as typed or sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct BanInput {
    /// The forecast day it answers (2026-03-15); its orange and red townships are the default.
    pub forecast_day: Option<String>,
    /// Township codes; empty: the day's orange and red townships.
    #[serde(default)]
    pub townships: Vec<String>,
    /// 全部乡镇: every township of the county.
    #[serde(default, deserialize_with = "platform::web::form::de_required_flag")]
    #[schema(value_type = bool)]
    pub all: bool,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    /// The text; blank: filled from the forecast.
    pub body: Option<String>,
    /// 特殊情况发布: issue although no township is orange or red.
    #[serde(default, deserialize_with = "platform::web::form::de_required_flag")]
    #[schema(value_type = bool)]
    pub r#override: bool,
    pub override_reason: Option<String>,
}

/// What the form shows first for a day: its orange/red townships, valid from the day for
/// three days, and the text from the forecast.
pub async fn blank_input(
    db: &impl ConnectionTrait,
    actor: &Actor,
    day: NaiveDate,
) -> AppResult<BanInput> {
    let county = require_reader(actor)?;
    let forecast = store::of_day(db, &county, day).await?;
    let townships = forecast.map(|f| f.ban_townships).unwrap_or_default();
    let names = names(db, &county).await?;
    let until = day + chrono::Days::new(2);
    let named: Vec<String> = townships
        .iter()
        .map(|c| names.get(c).cloned().unwrap_or_default())
        .collect();
    Ok(BanInput {
        forecast_day: Some(day.to_string()),
        body: (!named.is_empty()).then(|| model::ban_text(day, &named, until)),
        townships,
        valid_from: Some(day.to_string()),
        valid_to: Some(until.to_string()),
        ..BanInput::default()
    })
}

/// 发布禁火令.
pub async fn issue(state: &AppState, actor: &Actor, input: &BanInput) -> AppResult<Ban> {
    let county = require_writer(actor)?;
    let all_townships = store::townships(&state.db, &county).await?;
    let names: HashMap<String, String> = all_townships
        .iter()
        .map(|r| (r.code.clone(), r.short_name.clone()))
        .collect();
    let mut errors = FieldErrors::new();
    let forecast_day = date_field(&mut errors, "forecast_day", &input.forecast_day);
    let valid_from = date_field(&mut errors, "valid_from", &input.valid_from);
    let valid_to = date_field(&mut errors, "valid_to", &input.valid_to);
    if valid_from.is_none() && !errors.contains_key("valid_from") {
        errors.insert("valid_from".into(), "请填写生效日期".into());
    }
    if valid_to.is_none() && !errors.contains_key("valid_to") {
        errors.insert("valid_to".into(), "请填写截止日期".into());
    }
    if let (Some(a), Some(b)) = (valid_from, valid_to)
        && b < a
    {
        errors.insert("valid_to".into(), "截止日期不能早于生效日期".into());
    }
    let forecast = match forecast_day {
        Some(d) => store::of_day(&state.db, &county, d).await?,
        None => None,
    };
    let eligible = forecast
        .as_ref()
        .map(|f| f.ban_townships.clone())
        .unwrap_or_default();
    if let Some((field, message)) = model::ban_refusal(
        eligible.len(),
        input.r#override,
        input.override_reason.as_deref(),
    ) {
        errors.insert(field.into(), message.into());
    }
    let townships: Vec<String> = if input.all {
        all_townships.iter().map(|r| r.code.clone()).collect()
    } else if input.townships.iter().any(|t| !t.trim().is_empty()) {
        let mut chosen = Vec::new();
        for t in input.townships.iter().filter(|t| !t.trim().is_empty()) {
            match store::township_named(&all_townships, t) {
                Some(r) if !chosen.contains(&r.code) => chosen.push(r.code.clone()),
                Some(_) => {}
                None => {
                    errors.insert("townships".into(), format!("「{t}」不是本县的乡镇（街道）"));
                }
            }
        }
        chosen
    } else {
        eligible.clone()
    };
    if townships.is_empty() && !errors.contains_key("townships") {
        errors.insert("townships".into(), "请选择禁火令适用的乡镇".into());
    }
    let override_reason = match eligible.is_empty() {
        true => optional(&input.override_reason),
        false => None,
    };
    if override_reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > 200)
    {
        errors.insert("override_reason".into(), "理由不超过 200 个字".into());
    }
    let (Some(valid_from), Some(valid_to), true) = (valid_from, valid_to, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let township_names: Vec<String> = townships
        .iter()
        .map(|c| names.get(c).cloned().unwrap_or_default())
        .collect();
    let body = optional(&input.body).unwrap_or_else(|| {
        model::ban_text(
            forecast_day.unwrap_or(valid_from),
            &township_names,
            valid_to,
        )
    });
    if body.chars().count() > 4000 {
        return Err(AppError::field("body", "正文不超过 4000 个字"));
    }
    let now = state.now();
    let year = valid_from.year();
    let (county_name, stem) = platform::regions::store::county_names(&state.db, &county).await?;
    let txn = state.db.begin().await?;
    let seq = platform::db::sequence::next(&txn, &county, model::BAN_MARK, year).await?;
    let number =
        platform::web::letter::document_number(&format!("{stem}{}", model::BAN_MARK), year, seq);
    let id = Uuid::now_v7();
    entity::ActiveModel {
        year: Set(year),
        seq: Set(seq),
        number: Set(number.clone()),
        forecast_day: Set(forecast_day),
        townships: Set(serde_json::to_string(&townships).map_err(|e| AppError::Internal(e.into()))?),
        valid_from: Set(valid_from),
        valid_to: Set(valid_to),
        body: Set(body),
        override_reason: Set(override_reason),
        issued_at: Set(now),
        issued_by_name: Set(actor.display_name.clone()),
        lifted_at: Set(None),
        lift_reason: Set(None),
        ..platform::db::new_record(id, county.clone(), Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    let ban = to_ban(find(&txn, &county, id).await?, &names);
    let title = format!("【禁火令】{county_name}{number}");
    let text = format!(
        "{}（{} 至 {}，适用：{}）",
        ban.body,
        ban.valid_from,
        ban.valid_to,
        ban.places()
    );
    let sent = publish(state, &txn, actor, &ban, &title, &text).await?;
    let entry = Entry::new("fire.ban.issue", KIND_BAN, id, &county)
        .summary(format!(
            "发布{number}（{}，{} 至 {}），通知 {sent} 条",
            ban.places(),
            ban.valid_from,
            ban.valid_to
        ))
        .after(&ban);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(ban)
}

/// The messages of a ban to its townships' responsible persons: the inbox for those with an
/// account, SMS when the gateway is configured and a mobile is known. Returns how many.
async fn publish(
    state: &AppState,
    txn: &impl ConnectionTrait,
    actor: &Actor,
    ban: &Ban,
    title: &str,
    body: &str,
) -> AppResult<usize> {
    let people =
        platform::contacts::store::in_regions(txn, &ban.townships, RECIPIENT_ROLES).await?;
    let sms = state.channels.is_configured(ChannelKind::Sms);
    let link = format!("/fire/bans/{}", ban.id);
    let mut messages = Vec::new();
    for p in &people {
        if let Some(user) = p.user_id {
            messages.push(
                Message::inbox(user, &p.name, title, body, &p.region_code)
                    .link(link.clone())
                    .source(KIND_BAN, ban.id),
            );
        }
        if let Some(mobile) = p.mobile.as_ref().filter(|_| sms) {
            let mut m = Message::inbox(Uuid::nil(), &p.name, title, body, &p.region_code)
                .link(link.clone())
                .source(KIND_BAN, ban.id);
            m.channel = ChannelKind::Sms;
            m.address = mobile.clone();
            m.recipient_user_id = p.user_id;
            messages.push(m);
        }
    }
    let n = messages.len();
    enqueue(txn, Some(actor.user_id), state.now(), messages).await?;
    Ok(n)
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct LiftInput {
    #[serde(default)]
    pub reason: String,
}

/// 解除 a ban with a reason; the townships' responsible persons are told.
pub async fn lift(state: &AppState, actor: &Actor, id: Uuid, input: &LiftInput) -> AppResult<Ban> {
    let county = require_writer(actor)?;
    let reason = input.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(AppError::field(
            "reason",
            "请填写解除原因（不超过 200 个字）",
        ));
    }
    let names = names(&state.db, &county).await?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let m = find(&txn, &county, id).await?;
    if m.lifted_at.is_some() {
        return Err(AppError::conflict("already_lifted", "该禁火令已解除"));
    }
    if m.valid_to < platform::clock::local_day(now) {
        return Err(AppError::conflict(
            "expired",
            format!("该禁火令已于 {} 到期，无需解除", m.valid_to),
        ));
    }
    let before = to_ban(m.clone(), &names);
    use entity::Column;
    let done = entity::Entity::update_many()
        .col_expr(Column::LiftedAt, Expr::value(Some(now)))
        .col_expr(Column::LiftReason, Expr::value(Some(reason.clone())))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .col_expr(Column::UpdatedBy, Expr::value(Some(actor.user_id)))
        .filter(Column::Id.eq(id))
        .filter(Column::LiftedAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(AppError::conflict("already_lifted", "该禁火令已解除"));
    }
    let after = to_ban(find(&txn, &county, id).await?, &names);
    let (county_name, _) = platform::regions::store::county_names(&txn, &county).await?;
    let title = format!("【解除禁火令】{county_name}{}", after.number);
    let text = format!(
        "{}（适用：{}）自即日起解除。原因：{reason}",
        after.number,
        after.places()
    );
    let sent = publish(state, &txn, actor, &after, &title, &text).await?;
    let entry = Entry::new("fire.ban.lift", KIND_BAN, id, &county)
        .summary(format!("解除{}：{reason}，通知 {sent} 条", after.number))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// Home page item for the county's fire editors: today's orange or red townships that no ban in
/// force covers (the domain rule: orange or red brings a 禁火令).
pub async fn work_items(
    state: &AppState,
    actor: &Actor,
) -> AppResult<Vec<platform::home::WorkItem>> {
    if !crate::access::is_writer(actor) {
        return Ok(Vec::new());
    }
    let county = crate::access::county_of(&actor.region_code);
    let today = store::today(state);
    let Some(forecast) = store::of_day(&state.db, &county, today).await? else {
        return Ok(Vec::new());
    };
    let bans = list(&state.db, actor, today.year()).await?;
    let covered: std::collections::HashSet<&str> = bans
        .iter()
        .filter(|b| b.lifted_at.is_none() && b.valid_from <= today && today <= b.valid_to)
        .flat_map(|b| b.townships.iter().map(String::as_str))
        .collect();
    let uncovered: Vec<&str> = forecast
        .levels
        .iter()
        .filter(|l| forecast.ban_townships.contains(&l.township))
        .filter(|l| !covered.contains(l.township.as_str()))
        .map(|l| l.township_name.as_str())
        .collect();
    if uncovered.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![platform::home::WorkItem {
        title: format!(
            "今日 {} 个乡镇火险橙色以上，尚未发布禁火令",
            uncovered.len()
        ),
        detail: uncovered.join("、"),
        href: format!("/fire/bans/new?day={today}"),
        urgent: true,
    }])
}
