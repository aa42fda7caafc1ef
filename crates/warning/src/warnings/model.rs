//! 预警: levels and colours, the warning's life (草稿 → 已审核 → 已发布 → 已解除, updates while
//! in force), each recipient's 叫应 (待确认 → 已确认 / 未叫应 → escalated to the next wave), and
//! the rules for each step. Pure: no database, no clock.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// 预警级别: 一级 (red, highest) to 四级 (blue).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
pub struct Level(pub u8);

impl Level {
    pub const ALL: [Level; 4] = [Level(1), Level(2), Level(3), Level(4)];

    pub fn parse(n: i32) -> Option<Self> {
        (1..=4).contains(&n).then_some(Level(n as u8))
    }

    /// 一级 … 四级.
    pub fn label(self) -> &'static str {
        ["一级", "二级", "三级", "四级"][usize::from(self.0 - 1)]
    }

    /// 红色 … 蓝色.
    pub fn colour(self) -> &'static str {
        ["红色", "橙色", "黄色", "蓝色"][usize::from(self.0 - 1)]
    }

    /// CSS tag colour.
    pub fn tone(self) -> &'static str {
        ["red", "orange", "yellow", "blue"][usize::from(self.0 - 1)]
    }
}

/// 预警种类.
pub const KINDS: &[(&str, &str)] = &[
    ("rainstorm", "暴雨"),
    ("flood", "洪水"),
    ("geological", "地质灾害"),
    ("forest_fire", "森林火险"),
    ("heat", "高温"),
    ("gale", "大风"),
    ("hail", "冰雹"),
    ("thunder", "雷电"),
    ("cold_wave", "寒潮"),
    ("road_ice", "道路结冰"),
    ("fog", "大雾"),
    ("drought", "干旱"),
    ("other", "其他"),
];

pub fn kind_label(code: &str) -> &'static str {
    platform::web::form::label_of(KINDS, code)
}

/// Where a warning stands.
pub mod state {
    pub const DRAFT: &str = "draft";
    pub const APPROVED: &str = "approved";
    pub const ISSUED: &str = "issued";
    pub const LIFTED: &str = "lifted";
    /// Received from a higher-level system (CAP import); staff may relay it.
    pub const RECEIVED: &str = "received";

    pub fn label(code: &str) -> &'static str {
        match code {
            DRAFT => "草稿",
            APPROVED => "已审核待发布",
            ISSUED => "已发布",
            LIFTED => "已解除",
            RECEIVED => "上级来文",
            _ => "未知",
        }
    }

    pub fn tone(code: &str) -> &'static str {
        match code {
            ISSUED => "red",
            APPROVED => "orange",
            LIFTED => "gray",
            RECEIVED => "blue",
            _ => "gray",
        }
    }
}

pub use platform::calls::model::{call_state, escalation_wave, wave};

/// How hard a level chases: minutes to confirm after each delivery, and how many deliveries
/// before the silent are escalated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Policy {
    pub level: u8,
    pub ack_minutes: i32,
    pub cycles: i32,
}

impl Policy {
    /// Local practice: a red warning wakes the person within 5 minutes and redials 3 times.
    pub fn default_for(level: Level) -> Self {
        let (ack_minutes, cycles) = match level.0 {
            1 => (5, 3),
            2 => (10, 3),
            3 => (30, 2),
            _ => (60, 1),
        };
        Self {
            level: level.0,
            ack_minutes,
            cycles,
        }
    }

    /// How the 叫应 machinery chases a warning of this level.
    pub fn chase(&self) -> platform::calls::model::Chase {
        platform::calls::model::Chase {
            ack_minutes: self.ack_minutes,
            cycles: self.cycles,
        }
    }

    /// The field at fault and what to tell the user.
    pub fn validate(&self) -> Result<(), (&'static str, &'static str)> {
        if !(1..=1440).contains(&self.ack_minutes) {
            return Err(("ack_minutes", "确认时限应为 1–1440 分钟"));
        }
        if !(1..=10).contains(&self.cycles) {
            return Err(("cycles", "重复发送次数应为 1–10 次"));
        }
        Ok(())
    }
}

/// Why a step is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused(pub &'static str);

/// 审核: only a draft, and never by the one who drafted it.
pub fn may_approve(
    current: &str,
    drafter: uuid::Uuid,
    approver: uuid::Uuid,
) -> Result<(), Refused> {
    if current != state::DRAFT {
        return Err(Refused("只有草稿状态的预警可以审核"));
    }
    if drafter == approver {
        return Err(Refused("审核人不能是起草人本人，请由其他领导审核"));
    }
    Ok(())
}

/// 发布: only approved, and only while still valid.
pub fn may_issue(
    current: &str,
    valid_until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), Refused> {
    if current != state::APPROVED {
        return Err(Refused("预警须经领导审核后才能发布"));
    }
    if valid_until <= now {
        return Err(Refused("预警有效期已过，请修改有效期后重新审核"));
    }
    Ok(())
}

/// Editing a draft is free; an issued warning may be updated (更新) while in force; an
/// approved one goes back to draft when edited (the approval was for other words).
pub fn may_edit(current: &str) -> Result<(), Refused> {
    match current {
        state::DRAFT | state::APPROVED | state::ISSUED => Ok(()),
        state::LIFTED => Err(Refused("预警已解除，不能修改")),
        _ => Err(Refused("上级来文不能修改，请转发为本级预警后编辑")),
    }
}

/// 解除: only an issued warning.
pub fn may_lift(current: &str) -> Result<(), Refused> {
    if current == state::ISSUED {
        Ok(())
    } else {
        Err(Refused("只有已发布的预警可以解除"))
    }
}

/// Roles that receive a warning in its townships.
pub const RECIPIENT_ROLES: &[&str] = &[
    platform::contacts::role::TOWNSHIP_HEAD,
    platform::contacts::role::TOWNSHIP_DEPUTY,
    platform::contacts::role::TOWNSHIP_DUTY,
    platform::contacts::role::VILLAGE_HEAD,
    platform::contacts::role::VILLAGE_FLOOD,
    platform::contacts::role::MONITOR,
];

pub use platform::regions::model::township_of;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use platform::calls::model::Step;
    use uuid::Uuid;

    #[test]
    fn the_drafter_cannot_approve() {
        let me = Uuid::now_v7();
        assert!(may_approve(state::DRAFT, me, me).is_err());
        assert!(may_approve(state::DRAFT, me, Uuid::now_v7()).is_ok());
        assert!(may_approve(state::ISSUED, me, Uuid::now_v7()).is_err());
    }

    #[test]
    fn an_expired_warning_is_not_issued() {
        let now = Utc::now();
        assert!(may_issue(state::APPROVED, now + Duration::hours(1), now).is_ok());
        assert!(may_issue(state::APPROVED, now, now).is_err());
        assert!(may_issue(state::DRAFT, now + Duration::hours(1), now).is_err());
    }

    #[test]
    fn a_red_warning_redelivers_three_times_then_escalates() {
        let red = Policy::default_for(Level(1));
        assert_eq!(red.ack_minutes, 5);
        assert_eq!(red.chase().next_step(2), Step::Redeliver);
        assert_eq!(red.chase().next_step(3), Step::Escalate);
    }

    #[test]
    fn levels_have_colours() {
        assert_eq!(Level::parse(1).map(Level::colour), Some("红色"));
        assert_eq!(Level::parse(4).map(Level::label), Some("四级"));
        assert_eq!(Level::parse(5), None);
    }

    #[test]
    fn villages_lie_in_their_township() {
        assert_eq!(township_of("510722100201"), "510722100000");
        assert_eq!(township_of("510722100000"), "510722100000");
    }
}
