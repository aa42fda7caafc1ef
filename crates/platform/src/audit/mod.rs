//! 审计: every change writes a row in the same transaction as the change (who, when, action,
//! record, before/after); login and logout too. The auditor searches and exports it.

pub mod entity;
pub mod pages;
pub mod store;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde::Serialize;
use uuid::Uuid;

use crate::access::Actor;
use crate::error::AppResult;

/// What happened, ready to be written.
pub struct Entry<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub record_id: String,
    pub region_code: &'a str,
    pub summary: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl<'a> Entry<'a> {
    pub fn new(
        action: &'a str,
        entity: &'a str,
        record_id: impl ToString,
        region_code: &'a str,
    ) -> Self {
        Self {
            action,
            entity,
            record_id: record_id.to_string(),
            region_code,
            summary: String::new(),
            before: None,
            after: None,
        }
    }

    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }

    pub fn before<T: Serialize>(mut self, value: &T) -> Self {
        self.before = serde_json::to_value(value).ok();
        self
    }

    pub fn after<T: Serialize>(mut self, value: &T) -> Self {
        self.after = serde_json::to_value(value).ok();
        self
    }
}

/// Who did it, when a logged-in actor may not exist yet (a failed login).
#[derive(Clone, Copy, Debug)]
pub struct Who<'a> {
    pub id: Option<Uuid>,
    pub name: &'a str,
    pub ip: Option<&'a str>,
}

impl<'a> From<&'a Actor> for Who<'a> {
    fn from(actor: &'a Actor) -> Self {
        Self {
            id: (!actor.user_id.is_nil()).then_some(actor.user_id),
            name: &actor.display_name,
            ip: actor.ip.as_deref(),
        }
    }
}

/// Write one audit row on `db` — pass the change's transaction so both commit or neither.
pub async fn record<'a>(
    db: &impl ConnectionTrait,
    who: impl Into<Who<'a>>,
    at: DateTime<Utc>,
    entry: Entry<'_>,
) -> AppResult<()> {
    let who = who.into();
    entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(at),
        actor_id: Set(who.id),
        actor_name: Set(who.name.to_string()),
        action: Set(entry.action.to_string()),
        entity: Set(entry.entity.to_string()),
        record_id: Set(entry.record_id),
        region_code: Set(entry.region_code.to_string()),
        summary: Set(entry.summary),
        before: Set(entry.before.map(|v| v.to_string())),
        after: Set(entry.after.map(|v| v.to_string())),
        ip: Set(who.ip.map(str::to_string)),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Chinese names of the actions areas record (e.g. `hazard.close` → 销号), registered once at
/// start-up by [`register_action_labels`].
static AREA_LABELS: std::sync::RwLock<Vec<(&str, &str)>> = std::sync::RwLock::new(Vec::new());

/// Name an area's audit actions for the trail and the timelines; later names win.
pub fn register_action_labels(labels: &[(&'static str, &'static str)]) {
    if let Ok(mut all) = AREA_LABELS.write() {
        for label in labels {
            if !all.contains(label) {
                all.push(*label);
            }
        }
    }
}

/// The Chinese name of an action: the platform's own, then the areas'; unknown codes as is.
pub fn action_label(action: &str) -> String {
    let platform = match action {
        "create" => "新增",
        "update" => "修改",
        "void" => "作废",
        "login.success" => "登录成功",
        "login.failure" => "登录失败",
        "login.blocked" => "锁定期间登录",
        "logout" => "退出登录",
        "lock" => "锁定账号",
        "unlock" => "解锁账号",
        "password.change" => "修改密码",
        "password.reset" => "重置密码",
        "roles.change" => "变更角色",
        "token.create" => "创建令牌",
        "token.revoke" => "吊销令牌",
        "import" => "导入",
        "attach" => "上传附件",
        _ => "",
    };
    if !platform.is_empty() {
        return platform.to_string();
    }
    AREA_LABELS
        .read()
        .ok()
        .and_then(|all| {
            all.iter()
                .rev()
                .find(|(code, _)| *code == action)
                .map(|(_, l)| l.to_string())
        })
        .unwrap_or_else(|| action.to_string())
}
