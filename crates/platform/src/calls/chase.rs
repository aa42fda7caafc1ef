//! The chasing job: every call past its deadline is delivered again or, after its subject's
//! cycles, marked 未叫应 and escalated to the next wave. Calls of subjects that ended (a lifted
//! warning, a closed dispatch day) are closed.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use uuid::Uuid;

use super::entity::{Column, Entity, Model as Call};
use super::model::{Step, call_state, escalation_wave, wave};
use super::{Subject, insert_calls, messages_to, new_call, robot_messages};
use crate::audit::{self, Entry};
use crate::contacts::{self, entity::Model as Contact, role};
use crate::error::AppResult;
use crate::notify;
use crate::regions::model::{county_of, township_of};
use crate::web::AppState;

/// The job that chases and escalates calls, every minute.
pub fn job() -> crate::jobs::Job {
    crate::jobs::Job {
        name: "calls.chase",
        label: "叫应计时与升级（预警、每日调度、热点核查等）",
        every: chrono::Duration::minutes(1),
        run: |state| Box::pin(chase_due(state)),
    }
}

/// One pass of the job; says what it did.
pub async fn chase_due(state: &AppState) -> AppResult<String> {
    let now = state.now();
    let due = Entity::find()
        .filter(Column::State.eq(call_state::PENDING))
        .filter(Column::DueAt.lte(now))
        .order_by_asc(Column::DueAt)
        .all(&state.db)
        .await?;
    let mut by_subject: BTreeMap<(String, Uuid), Vec<Call>> = BTreeMap::new();
    for c in due {
        by_subject
            .entry((c.subject_kind.clone(), c.subject_id))
            .or_default()
            .push(c);
    }
    let (mut again, mut escalated, mut closed) = (0, 0, 0);
    for ((kind, id), calls) in by_subject {
        let Some(s) = super::load(state, &kind, id).await? else {
            continue;
        };
        let s = s.as_ref();
        let txn = state.db.begin().await?;
        if !s.in_force(now) {
            closed += close(&txn, &calls).await?;
        } else {
            let chase = s.chase();
            let (redeliver, silent): (Vec<_>, Vec<_>) = calls
                .into_iter()
                .partition(|c| chase.next_step(c.cycle) == Step::Redeliver);
            again += redeliver_all(&txn, state, s, &redeliver, now).await?;
            escalated += escalate_all(&txn, state, s, &silent, now).await?;
        }
        txn.commit().await?;
    }
    Ok(format!(
        "再次提醒 {again} 人，升级 {escalated} 人，关闭 {closed} 条"
    ))
}

async fn close(txn: &impl ConnectionTrait, calls: &[Call]) -> AppResult<usize> {
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
    c: &Call,
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

async fn emails_of(db: &impl ConnectionTrait, calls: &[&Call]) -> AppResult<HashMap<Uuid, String>> {
    use crate::contacts::entity::{Column as C, Entity as Contacts};
    let ids: Vec<Uuid> = calls.iter().map(|c| c.contact_id).collect();
    Ok(Contacts::find()
        .filter(C::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|c| Some((c.id, c.email?)))
        .collect())
}

/// The person-to-person messages of one step, each saying what `says` makes of its call.
async fn deliveries(
    txn: &impl ConnectionTrait,
    state: &AppState,
    s: &dyn Subject,
    calls: &[&Call],
    says: impl Fn(&Call) -> super::Says,
) -> AppResult<Vec<notify::Message>> {
    let emails = emails_of(txn, calls).await?;
    Ok(calls
        .iter()
        .flat_map(|c| {
            messages_to(
                &state.channels,
                s,
                c,
                emails.get(&c.contact_id).map(String::as_str),
                &says(c),
            )
        })
        .collect())
}

async fn redeliver_all(
    txn: &impl ConnectionTrait,
    state: &AppState,
    s: &dyn Subject,
    calls: &[Call],
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let mut sent = Vec::new();
    for c in calls {
        let changes = Entity::update_many()
            .col_expr(Column::Cycle, Expr::value(c.cycle + 1))
            .col_expr(Column::LastSentAt, Expr::value(now))
            .col_expr(Column::DueAt, Expr::value(s.chase().deadline(now)));
        if claim(txn, c, changes).await? {
            sent.push(c);
        }
    }
    let mut messages = deliveries(txn, state, s, &sent, |c| match &c.about {
        Some(about) => s.escalating(about),
        None => s.asking(c.cycle + 1),
    })
    .await?;
    // The groups hear a reminder for the people asked again, and the escalation notice for
    // the township heads and leaders being chased.
    let (chasing, asked): (Vec<&Call>, Vec<&Call>) =
        sent.iter().copied().partition(|c| c.about.is_some());
    if let Some(first) = asked.first() {
        messages.extend(robot_messages(txn, s, &asked, &s.asking(first.cycle + 1)).await?);
    }
    if !chasing.is_empty() {
        messages.extend(robot_messages(txn, s, &chasing, &s.escalation_notice()).await?);
    }
    notify::enqueue(txn, None, now, messages).await?;
    Ok(sent.len())
}

/// Who a silent call climbs to: the township's head, else (or after the head) the county
/// leader on duty — the county-leader contact whose account the duty roster names as 带班领导
/// now; every county leader when no roster names one with a contact.
async fn next_wave(
    db: &impl ConnectionTrait,
    s: &dyn Subject,
    silent: &Call,
    leader_on_duty: Option<Uuid>,
) -> AppResult<(i32, Vec<Contact>)> {
    let Some(mut next) = escalation_wave(silent.wave, &silent.role) else {
        return Ok((0, Vec::new()));
    };
    if next == wave::TOWNSHIP_HEAD {
        let township = township_of(&silent.region_code);
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
    let county = county_of(s.region_code());
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
    s: &dyn Subject,
    calls: &[Call],
    now: DateTime<Utc>,
) -> AppResult<usize> {
    if calls.is_empty() {
        return Ok(0);
    }
    let mut raised = Vec::new();
    let mut escalated = 0;
    let on_duty = crate::on_duty::at(state, &county_of(s.region_code()), now).await?;
    let leader_on_duty = on_duty.and_then(|d| d.leader);
    for c in calls {
        let changes = Entity::update_many()
            .col_expr(Column::State, Expr::value(call_state::UNREACHABLE))
            .col_expr(Column::EscalatedAt, Expr::value(Some(now)));
        if !claim(txn, c, changes).await? {
            continue;
        }
        escalated += 1;
        let (next, targets) = next_wave(txn, s, c, leader_on_duty).await?;
        let place = crate::regions::store::find(txn, &c.region_code)
            .await?
            .map(|r| r.short_name)
            .unwrap_or_default();
        let about = format!("{}（{}{}）", c.name, place, contacts::role_label(&c.role));
        for t in &targets {
            raised.push(new_call(s, t, next, now, Some((c.id, about.clone()))));
        }
        let entry = Entry::new(s.actions().1, s.kind(), s.id(), s.region_code()).summary(format!(
            "{about} 未叫应，升级至{}（{} 人）",
            wave::label(next),
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
    let refs: Vec<&Call> = raised.iter().collect();
    let mut messages = deliveries(txn, state, s, &refs, |c| {
        s.escalating(c.about.as_deref().unwrap_or_default())
    })
    .await?;
    if !raised.is_empty() {
        messages.extend(robot_messages(txn, s, &refs, &s.escalation_notice()).await?);
    }
    notify::enqueue(txn, None, now, messages).await?;
    Ok(escalated)
}
