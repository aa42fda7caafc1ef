//! 逾期升级: once a day a job finds hazards that went past their rectification deadline without
//! being reported fixed, and escalates each by an in-app message to those who must act — the
//! township's safety staff and the supervising department's liaisons. A hazard is escalated
//! once per deadline: it remembers the deadline it was escalated for, so a new deadline (an
//! extension) re-arms it. Marker, messages and audit row are written in one transaction.
//!
//! Recipients are user accounts, not the contact book (`platform::contacts`): the message links
//! to the hazard page, which only an account in scope can open, and the account's department is
//! the same fact that shows the liaison the "overdue at units we supervise" work item and the
//! department's letters — so the message reaches exactly those who see the work item.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use platform::access::{Role, perm};
use platform::audit::{self, Entry, Who};
use platform::auth::entity::{user, user_role};
use platform::error::AppResult;
use platform::jobs::{Job, JobFuture};
use platform::notify::{self, Message};
use platform::web::AppState;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde::Serialize;
use uuid::Uuid;

use super::entity::hazard;
use super::model::HazardState;
use super::store::{self, KIND};
use crate::units::entity::unit;

/// The job's stable name (its row in `jobs`).
pub const JOB_NAME: &str = "safety.hazard_escalation";

/// The daily escalation job, for `safety::jobs()`.
pub fn job() -> Job {
    Job {
        name: JOB_NAME,
        label: "逾期隐患升级提醒",
        every: Duration::days(1),
        run: run_job,
    }
}

fn run_job(state: &AppState) -> JobFuture<'_> {
    Box::pin(run(state))
}

/// Who the audit trail names for the job's changes.
const WHO: Who<'static> = Who {
    id: None,
    name: "系统（逾期升级提醒）",
    ip: None,
};

/// Hazards still being rectified (not reported fixed).
fn open_states() -> [&'static str; 2] {
    [
        HazardState::NoticeIssued.code(),
        HazardState::Rectifying.code(),
    ]
}

/// Overdue today and not yet escalated for their current deadline.
fn due(today: NaiveDate) -> Condition {
    use hazard::Column;
    Condition::all()
        .add(Column::VoidedAt.is_null())
        .add(Column::State.is_in(open_states()))
        .add(Column::Deadline.lt(today))
        .add(
            Condition::any()
                .add(Column::EscalatedDeadline.is_null())
                .add(Expr::col(Column::EscalatedDeadline).ne(Expr::col(Column::Deadline))),
        )
}

/// One person a message goes to.
#[derive(Clone, Debug, Serialize)]
struct Recipient {
    user_id: Uuid,
    name: String,
}

/// Enabled accounts holding one of `roles`, narrowed by `condition`, in a stable order.
async fn accounts(
    db: &impl ConnectionTrait,
    roles: &[Role],
    condition: Condition,
) -> AppResult<Vec<Recipient>> {
    let holders = Query::select()
        .column(user_role::Column::UserId)
        .from(user_role::Entity)
        .and_where(user_role::Column::Role.is_in(roles.iter().map(|r| r.code())))
        .to_owned();
    Ok(user::Entity::find()
        .filter(user::Column::Enabled.eq(true))
        .filter(condition)
        .filter(user::Column::Id.in_subquery(holders))
        .order_by_asc(user::Column::Username)
        .all(db)
        .await?
        .into_iter()
        .map(|u| Recipient {
            user_id: u.id,
            name: u.display_name,
        })
        .collect())
}

/// The township's safety staff: township and county-bureau roles whose account sits in the
/// hazard's township (the 9-digit prefix). None for a unit registered at county level.
async fn township_staff(db: &impl ConnectionTrait, region_code: &str) -> AppResult<Vec<Recipient>> {
    let Some(township) = region_code.get(..9).filter(|t| !t.ends_with("000")) else {
        return Ok(Vec::new());
    };
    let here = Condition::all().add(user::Column::RegionCode.starts_with(township));
    accounts(db, &[Role::SafetyStaff, Role::TownshipStaff], here).await
}

/// The supervising department's accounts that may open the hazard (safety readers).
async fn department_staff(
    db: &impl ConnectionTrait,
    department: Uuid,
) -> AppResult<Vec<Recipient>> {
    let readers: Vec<Role> = Role::ALL
        .iter()
        .copied()
        .filter(|r| r.permissions().contains(&perm::SAFETY_VIEW))
        .collect();
    let theirs = Condition::all().add(user::Column::DepartmentId.eq(department));
    accounts(db, &readers, theirs).await
}

/// What a message says of the hazard's unit (empty for a unit gone missing).
#[derive(Clone, Default)]
struct Owner {
    name: String,
    department: Option<Uuid>,
}

/// Recipients looked up once per township and department in a run.
#[derive(Default)]
struct Directory {
    townships: HashMap<String, Vec<Recipient>>,
    departments: HashMap<Uuid, Vec<Recipient>>,
    units: HashMap<Uuid, Owner>,
    places: HashMap<String, String>,
}

impl Directory {
    async fn township(
        &mut self,
        db: &impl ConnectionTrait,
        region_code: &str,
    ) -> AppResult<Vec<Recipient>> {
        let key = region_code.get(..9).unwrap_or(region_code);
        if let Some(known) = self.townships.get(key) {
            return Ok(known.clone());
        }
        let found = township_staff(db, region_code).await?;
        self.townships.insert(key.to_string(), found.clone());
        Ok(found)
    }

    async fn department(
        &mut self,
        db: &impl ConnectionTrait,
        department: Option<Uuid>,
    ) -> AppResult<Vec<Recipient>> {
        let Some(id) = department else {
            return Ok(Vec::new());
        };
        if let Some(known) = self.departments.get(&id) {
            return Ok(known.clone());
        }
        let found = department_staff(db, id).await?;
        self.departments.insert(id, found.clone());
        Ok(found)
    }

    async fn unit(&mut self, db: &impl ConnectionTrait, id: Uuid) -> AppResult<Owner> {
        if let Some(known) = self.units.get(&id) {
            return Ok(known.clone());
        }
        let found = unit::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|u| Owner {
                name: u.name,
                department: u.department_id,
            })
            .unwrap_or_default();
        self.units.insert(id, found.clone());
        Ok(found)
    }

    async fn place(&mut self, db: &impl ConnectionTrait, region_code: &str) -> AppResult<String> {
        if let Some(known) = self.places.get(region_code) {
            return Ok(known.clone());
        }
        let name = platform::regions::store::find(db, region_code)
            .await?
            .map(|r| r.short_name)
            .unwrap_or_else(|| region_code.to_string());
        self.places.insert(region_code.to_string(), name.clone());
        Ok(name)
    }
}

/// The message's text: what, where, since when, and what to do.
fn body(h: &hazard::Model, unit_name: &str, place: &str, today: NaiveDate) -> (String, String) {
    let deadline = h.deadline.unwrap_or(today);
    let late = (today - deadline).num_days();
    let grade = store::parse_grade(&h.grade).map_or("隐患", |g| g.label());
    let mut description: String = h.description.chars().take(60).collect();
    if h.description.chars().count() > 60 {
        description.push('…');
    }
    (
        format!("隐患逾期未整改：{}", h.number),
        format!(
            "{unit_name}（{place}）的{grade}“{description}”整改期限为 {deadline}，\
             已逾期 {late} 天仍未整改完毕，请督促整改或依法处理。"
        ),
    )
}

/// Hazards read at a time: a first start may find a year of a city's overdue hazards, and
/// holding them all at once left the process ~120 MiB larger for good (docs/PERFORMANCE.md).
const PAGE: u64 = 500;

/// Escalate every hazard that is due; returns the run's one-line summary.
pub async fn run(state: &AppState) -> AppResult<String> {
    run_in_pages(state, PAGE).await
}

/// [`run`], reading `size` hazards at a time.
pub async fn run_in_pages(state: &AppState, size: u64) -> AppResult<String> {
    use hazard::Column;
    let today = store::today(state);
    let mut directory = Directory::default();
    let (mut escalated, mut messages) = (0, 0);
    // Pages in (deadline, number, id) order; the id breaks ties between counties' numbers.
    let mut after = None;
    loop {
        let mut page = hazard::Entity::find().filter(due(today)).cursor_by((
            Column::Deadline,
            Column::Number,
            Column::Id,
        ));
        if let Some(last) = after.take() {
            page.after(last);
        }
        let due = page.first(size).all(&state.db).await?;
        for h in &due {
            if let Some(n) = escalate(state, &mut directory, h, today).await? {
                escalated += 1;
                messages += n;
            }
        }
        match due.last() {
            Some(last) if due.len() as u64 == size => {
                after = Some((last.deadline, last.number.clone(), last.id));
            }
            _ => break,
        }
    }
    Ok(if escalated == 0 {
        "没有新的逾期隐患".to_string()
    } else {
        format!("{escalated} 条逾期隐患已升级提醒，发出站内消息 {messages} 条")
    })
}

/// Escalate one hazard: marker, messages and audit row in one transaction. `None` when the
/// hazard changed since it was read (reported fixed, new deadline, escalated by another run).
async fn escalate(
    state: &AppState,
    directory: &mut Directory,
    h: &hazard::Model,
    today: NaiveDate,
) -> AppResult<Option<usize>> {
    use hazard::Column;
    let Some(deadline) = h.deadline else {
        return Ok(None);
    };
    let owner = directory.unit(&state.db, h.unit_id).await?;
    let mut recipients = directory.township(&state.db, &h.region_code).await?;
    for r in directory.department(&state.db, owner.department).await? {
        if !recipients.iter().any(|known| known.user_id == r.user_id) {
            recipients.push(r);
        }
    }
    let place = directory.place(&state.db, &h.region_code).await?;
    let (title, text) = body(h, &owner.name, &place, today);
    let now = state.now();

    let txn = state.db.begin().await?;
    // The marker first, on the condition the hazard was read in: it takes the write lock and
    // makes a second run (or a changed hazard) a no-op.
    let marked = hazard::Entity::update_many()
        .col_expr(Column::EscalatedDeadline, Expr::value(Some(deadline)))
        .col_expr(Column::EscalatedAt, Expr::value(Some(now)))
        .filter(Column::Id.eq(h.id))
        .filter(Column::Deadline.eq(deadline))
        .filter(due(today))
        .exec(&txn)
        .await?;
    if marked.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(None);
    }
    let link = format!("/safety/hazards/{}", h.id);
    let outgoing: Vec<Message> = recipients
        .iter()
        .map(|r| {
            Message::inbox(r.user_id, &r.name, &title, &text, &h.region_code)
                .link(link.clone())
                .source(KIND, h.id)
        })
        .collect();
    notify::enqueue(&txn, None, now, outgoing).await?;
    let names: Vec<&str> = recipients.iter().map(|r| r.name.as_str()).collect();
    let summary = if names.is_empty() {
        format!(
            "隐患 {} 逾期未整改（期限 {deadline}），无可提醒的乡镇或监管部门账号",
            h.number
        )
    } else {
        format!(
            "隐患 {} 逾期未整改（期限 {deadline}），已提醒：{}",
            h.number,
            names.join("、")
        )
    };
    let entry = Entry::new("hazard.escalate", KIND, h.id, &h.region_code)
        .summary(summary)
        .after(&serde_json::json!({
            "deadline": deadline,
            "overdue_days": (today - deadline).num_days(),
            "recipients": recipients,
        }));
    audit::record(&txn, WHO, now, entry).await?;
    txn.commit().await?;
    Ok(Some(recipients.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_the_unit_the_deadline_and_the_days_late() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 6, d).unwrap();
        let h = hazard::Model {
            number: "YH2026-0007".into(),
            description: "仓".repeat(70),
            grade: "major".into(),
            discovered_on: day(1),
            state: "rectifying".into(),
            deadline: Some(day(5)),
            ..hazard::Model::sample()
        };
        let (title, text) = body(&h, "潼川镇燃气站", "潼川镇", day(11));
        assert_eq!(title, "隐患逾期未整改：YH2026-0007");
        assert!(
            text.starts_with("潼川镇燃气站（潼川镇）的重大隐患“仓"),
            "{text}"
        );
        assert!(text.contains("仓…”"), "long descriptions are cut: {text}");
        assert!(
            text.contains("整改期限为 2026-06-05，已逾期 6 天"),
            "{text}"
        );
    }
}
