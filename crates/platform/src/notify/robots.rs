//! 群机器人: WeCom and DingTalk group robots registered per region. A contact whose region has
//! a robot is also reached through it (with an @ of their mobile).

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::Deserialize;
use uuid::Uuid;

use super::ChannelKind;
use super::entity::robot::{self, Column, Entity};
use crate::access::{Actor, Scope};
use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::AppState;
use crate::web::form::{optional, text_field};

pub struct Robot {
    pub id: Uuid,
    pub region_code: String,
    pub channel: ChannelKind,
    pub name: String,
    /// The webhook with its key hidden: the key is a credential.
    pub webhook_masked: String,
    pub signed: bool,
}

impl From<robot::Model> for Robot {
    fn from(m: robot::Model) -> Self {
        Self {
            id: m.id,
            channel: ChannelKind::parse(&m.channel).unwrap_or(ChannelKind::Wecom),
            webhook_masked: mask(&m.webhook_url),
            signed: m.secret.is_some(),
            region_code: m.region_code,
            name: m.name,
        }
    }
}

/// `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a…` → the key's first 4 characters.
/// A webhook without a query carries its key as the last path segment, which is cut instead.
fn mask(url: &str) -> String {
    let first4 = |key: &str| key.chars().take(4).collect::<String>();
    match url.split_once('=') {
        Some((base, key)) => format!("{base}={}…", first4(key)),
        None => match url.rsplit_once('/') {
            Some((base, key)) if !base.ends_with('/') => format!("{base}/{}…", first4(key)),
            _ => url.to_string(),
        },
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct RobotInput {
    pub channel: Option<String>,
    pub name: Option<String>,
    pub webhook_url: Option<String>,
    pub secret: Option<String>,
    /// Defaults to the user's own region.
    pub region_code: Option<String>,
}

pub async fn list<C: ConnectionTrait>(db: &C, scope: &Scope) -> AppResult<Vec<Robot>> {
    Ok(Entity::find()
        .filter(scope.condition(Column::RegionCode))
        .filter(Column::VoidedAt.is_null())
        .order_by_asc(Column::RegionCode)
        .order_by_asc(Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(Robot::from)
        .collect())
}

/// The live robots of exactly these regions (a township's work group), for fan-out.
pub async fn of_regions<C: ConnectionTrait>(
    db: &C,
    region_codes: &[String],
) -> AppResult<Vec<robot::Model>> {
    Ok(Entity::find()
        .filter(Column::RegionCode.is_in(region_codes.iter().cloned()))
        .filter(Column::VoidedAt.is_null())
        .all(db)
        .await?)
}

/// A robot as typed, checked.
struct Valid {
    channel: ChannelKind,
    name: String,
    webhook_url: String,
    secret: Option<String>,
    region_code: String,
}

async fn validate<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: &RobotInput,
) -> Result<Valid, AppError> {
    let mut errors = FieldErrors::new();
    let channel = optional(&input.channel)
        .and_then(|c| ChannelKind::parse(&c))
        .filter(|c| matches!(c, ChannelKind::Wecom | ChannelKind::Dingtalk));
    if channel.is_none() {
        errors.insert("channel".into(), "请选择企业微信或钉钉".into());
    }
    let name = text_field(&mut errors, "name", &input.name, 50, "群名称");
    if name.is_none() {
        errors.insert("name".into(), "请填写群名称".into());
    }
    let url = optional(&input.webhook_url)
        .filter(|u| (u.starts_with("https://") || u.starts_with("http://")) && u.len() < 500);
    if url.is_none() {
        errors.insert(
            "webhook_url".into(),
            "请粘贴机器人的 Webhook 地址（以 https:// 开头）".into(),
        );
    }
    let region_code = optional(&input.region_code).unwrap_or_else(|| actor.region_code.clone());
    if !actor.scope().contains(&region_code) {
        errors.insert("region_code".into(), "只能为本辖区登记群机器人".into());
    } else {
        match crate::regions::store::find(db, &region_code).await? {
            None => {
                errors.insert("region_code".into(), "没有这个区划代码".into());
            }
            // Messages reach a village's people through their township's work group: a
            // village's own robot would never be posted to.
            Some(r) if r.level == crate::regions::Level::Village => {
                errors.insert(
                    "region_code".into(),
                    "群机器人登记在县或乡镇（街道）一级，村（社区）联系人经所在乡镇的工作群接收"
                        .into(),
                );
            }
            Some(_) => {}
        }
    }
    match (channel, name, url) {
        (Some(channel), Some(name), Some(webhook_url)) if errors.is_empty() => Ok(Valid {
            channel,
            name,
            webhook_url,
            secret: optional(&input.secret),
            region_code,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

pub async fn create(state: &AppState, actor: &Actor, input: &RobotInput) -> AppResult<Uuid> {
    let valid = validate(&state.db, actor, input).await?;
    let now = state.now();
    let id = Uuid::now_v7();
    let entry = Entry::new("create", "notify_robot", id, &valid.region_code)
        .summary(format!("登记群机器人「{}」", valid.name));
    let txn = state.db.begin().await?;
    audit::record(&txn, actor, now, entry).await?;
    robot::ActiveModel {
        channel: Set(valid.channel.code().to_string()),
        name: Set(valid.name),
        webhook_url: Set(valid.webhook_url),
        secret: Set(valid.secret),
        ..crate::db::new_record(id, valid.region_code.clone(), Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(id)
}

pub async fn void(state: &AppState, actor: &Actor, id: Uuid, reason: &str) -> AppResult<()> {
    let reason = crate::db::void_reason(reason)?;
    let found = Entity::find_by_id(id)
        .filter(actor.scope().condition(Column::RegionCode))
        .filter(Column::VoidedAt.is_null())
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    crate::db::mark_voided::<Entity>(&txn, id, &reason, actor.user_id, now).await?;
    let entry = Entry::new("void", "notify_robot", id, &found.region_code)
        .summary(format!("作废群机器人「{}」：{reason}", found.name));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn the_key_is_cut_from_the_webhook() {
        assert_eq!(
            mask("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693axxxx-7aoc"),
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a…"
        );
        assert_eq!(
            mask("https://oapi.dingtalk.com/robot/send?access_token=abcdef123"),
            "https://oapi.dingtalk.com/robot/send?access_token=abcd…"
        );
        assert_eq!(
            mask("https://open.example.cn/hook/0123456789abcdef"),
            "https://open.example.cn/hook/0123…"
        );
        assert_eq!(mask("https://open.example.cn"), "https://open.example.cn");
    }
}
