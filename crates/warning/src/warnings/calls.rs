//! 叫应 of a warning: who is asked, and how a warning reads when it asks, chases and
//! escalates. The machinery (tokens, deliveries, robots, waves, the chasing job) is
//! `platform::calls`; this module is a warning's side of it.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use platform::access::Actor;
use platform::calls::model::{Chase, call_state};
use platform::calls::{self as machinery, Says, Subject, Via, entity::Model as Call};
use platform::contacts::{self, entity::Model as Contact, role};
use platform::error::{AppError, AppResult};
use platform::notify::{self, Message};
use platform::web::AppState;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::model::{self, Policy, state};
use super::policies;
use super::store::{self, KIND, Warning};

pub use platform::calls::{CallRow, Confirmation, Tally, tally};

/// A warning being asked about, with its level's chasing policy.
pub struct Asked {
    pub w: Warning,
    policy: Policy,
}

impl Asked {
    pub async fn new(db: &impl ConnectionTrait, w: Warning) -> AppResult<Self> {
        let policy = policies::get(db, w.level()).await?;
        Ok(Self { w, policy })
    }

    fn heading(&self) -> String {
        format!("{}{}预警", self.w.level().colour(), self.w.kind_label)
    }
}

impl Subject for Asked {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn id(&self) -> Uuid {
        self.w.id
    }

    fn region_code(&self) -> &str {
        &self.w.region_code
    }

    fn title(&self) -> &str {
        &self.w.title
    }

    fn page(&self) -> String {
        format!("/warning/warnings/{}", self.w.id)
    }

    fn link(&self, token: &str) -> String {
        link(token)
    }

    fn in_force(&self, now: DateTime<Utc>) -> bool {
        self.w.in_force(now)
    }

    fn ended_message(&self) -> &'static str {
        "该预警已解除或已过有效期，无需再确认"
    }

    fn chase(&self) -> Chase {
        self.policy.chase()
    }

    fn asking(&self, delivery: i32) -> Says {
        let again = if delivery > 1 {
            format!("（第 {delivery} 次提醒）")
        } else {
            String::new()
        };
        let w = &self.w;
        Says {
            title: format!("{}{again}：{}", self.heading(), w.title),
            body: format!(
                "{}\n防范要求：{}\n有效期：{}\n请立即点击链接确认收到并在岗。",
                w.content,
                w.actions,
                w.validity_text()
            ),
        }
    }

    fn escalating(&self, about: &str) -> Says {
        Says {
            title: format!("叫应升级：{about} 未确认{}", self.heading()),
            body: format!(
                "{about} 在规定时限内未确认预警「{}」。请立即电话联系或派人上门督促落实，并点击链接确认已知悉。\n预警内容：{}",
                self.w.title, self.w.content
            ),
        }
    }

    fn escalation_notice(&self) -> Says {
        Says {
            title: format!("叫应升级：{}", self.heading()),
            body: format!(
                "预警「{}」仍有人员未确认，已通知上一级责任人督促。",
                self.w.title
            ),
        }
    }

    fn actions(&self) -> (&'static str, &'static str) {
        ("warning.confirm", "warning.escalate")
    }
}

/// The warnings' loader for the chasing job.
pub fn load<'a>(state: &'a AppState, id: Uuid) -> machinery::LoadFuture<'a> {
    Box::pin(async move {
        let Some(w) = store::find(&state.db, id).await? else {
            return Ok(None);
        };
        let asked = Asked::new(&state.db, Warning::from(w)).await?;
        Ok(Some(Box::new(asked) as Box<dyn Subject>))
    })
}

/// Where a confirmation link points.
pub fn link(token: &str) -> String {
    format!("/ack/{token}")
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
    let people = recipients(txn, w).await?;
    let asked = Asked::new(txn, w.clone()).await?;
    machinery::fan_out(txn, state, Some(actor.user_id), &asked, &people, now).await
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
    machinery::close_pending(txn, w.id).await?;
    let says = Says {
        title: format!("预警解除：{}", w.title),
        body: format!(
            "{} 发布的{}{}预警已解除。{}",
            w.issued_local(),
            w.level().colour(),
            w.kind_label,
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
    let messages: Vec<Message> = machinery::first_wave(txn, w.id)
        .await?
        .into_iter()
        .filter_map(|c| {
            let user = c.user_id?;
            Some(
                Message::inbox(user, &c.name, &says.title, &says.body, &w.region_code)
                    .link(format!("/warning/warnings/{}", w.id))
                    .source(KIND, w.id),
            )
        })
        .collect();
    notify::enqueue(txn, Some(actor.user_id), now, messages).await?;
    Ok(())
}

/// The call behind a link, with its warning; an unknown token is a forged or mistyped link.
pub async fn by_token(db: &impl ConnectionTrait, token: &str) -> AppResult<(Call, Warning)> {
    let found = machinery::by_token(db, KIND, token).await?;
    let w = store::find(db, found.subject_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((found, Warning::from(w)))
}

/// Confirm through the link in a message (no login: the link is the credential).
pub async fn confirm_by_token(state: &AppState, token: &str) -> AppResult<Confirmation> {
    let (found, w) = by_token(&state.db, token).await?;
    let asked = Asked::new(&state.db, w).await?;
    machinery::confirm(state, &asked, found, Via::Link, None).await
}

/// Confirm in the app, logged in as the person asked.
pub async fn confirm_in_app(
    state: &AppState,
    actor: &Actor,
    call_id: Uuid,
) -> AppResult<Confirmation> {
    let found = machinery::own(&state.db, KIND, actor, call_id).await?;
    let w = store::find(&state.db, found.subject_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let asked = Asked::new(&state.db, Warning::from(w)).await?;
    machinery::confirm(state, &asked, found, Via::App(actor), None).await
}

/// Every call of a warning: by wave, then region and name.
pub async fn of_warning(db: &impl ConnectionTrait, warning_id: Uuid) -> AppResult<Vec<CallRow>> {
    machinery::of_subject(db, warning_id).await
}

/// The warning calls waiting for this user's own confirmation, newest first.
pub async fn waiting_for(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Vec<Call>> {
    machinery::waiting_for(db, KIND, user_id).await
}

/// Whether a call can no longer be confirmed.
pub fn ended(found: &Call, w: &Warning, now: DateTime<Utc>) -> bool {
    !w.in_force(now) || found.state == call_state::CLOSED
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
    machinery::unconfirmed_of(db, live).await
}
