//! The outbox: messages are rows written inside the causing change's transaction; the worker
//! ([`deliver_due`]) claims due rows, sends them and records the outcome, retrying with
//! backoff. A row is claimed by a conditional update, so two workers (or a worker and a
//! restarted one) never both send it; a claim left behind by a crash goes stale after
//! [`CLAIM_TIMEOUT`] and is taken again.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::entity::{message, robot};
use super::{ChannelKind, Channels, DeliveryError, Outgoing};
use crate::error::AppResult;
use crate::web::AppState;

/// After this many failed attempts a message is given up (`failed`) and shown to staff.
pub const MAX_ATTEMPTS: i32 = 6;
/// A `sending` claim older than this was left by a worker that died mid-send.
pub const CLAIM_TIMEOUT: Duration = Duration::minutes(5);
/// Messages one worker pass takes.
const BATCH: u64 = 100;

/// Delivery states, as stored.
pub mod state {
    pub const PENDING: &str = "pending";
    pub const SENDING: &str = "sending";
    pub const RETRY: &str = "retry";
    pub const SENT: &str = "sent";
    pub const FAILED: &str = "failed";

    pub fn label(code: &str) -> &'static str {
        match code {
            PENDING => "待发送",
            SENDING => "发送中",
            RETRY => "等待重试",
            SENT => "已送达",
            FAILED => "发送失败",
            _ => "未知",
        }
    }
}

/// What an area asks to send. `address` is the user id for the inbox, the robot id for group
/// robots, the phone for SMS and the address for e-mail.
#[derive(Clone, Debug)]
pub struct Message {
    pub channel: ChannelKind,
    pub address: String,
    pub recipient_user_id: Option<Uuid>,
    pub recipient_name: String,
    pub mention: Option<String>,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub region_code: String,
    pub source_kind: &'static str,
    pub source_id: Option<Uuid>,
}

impl Message {
    /// An in-app message to a user.
    pub fn inbox(user_id: Uuid, name: &str, title: &str, body: &str, region_code: &str) -> Self {
        Self {
            channel: ChannelKind::Inbox,
            address: user_id.to_string(),
            recipient_user_id: Some(user_id),
            recipient_name: name.to_string(),
            mention: None,
            title: title.to_string(),
            body: body.to_string(),
            link: None,
            region_code: region_code.to_string(),
            source_kind: "",
            source_id: None,
        }
    }

    pub fn link(mut self, link: impl Into<String>) -> Self {
        self.link = Some(link.into());
        self
    }

    pub fn source(mut self, kind: &'static str, id: Uuid) -> Self {
        self.source_kind = kind;
        self.source_id = Some(id);
        self
    }
}

/// Write messages in the caller's transaction. Inbox messages are delivered by being written;
/// the rest wait for the worker. Returns the new ids in order.
pub async fn enqueue<C: ConnectionTrait>(
    txn: &C,
    created_by: Option<Uuid>,
    now: DateTime<Utc>,
    messages: Vec<Message>,
) -> AppResult<Vec<Uuid>> {
    let mut ids = Vec::with_capacity(messages.len());
    let rows: Vec<message::ActiveModel> = messages
        .into_iter()
        .map(|m| {
            let id = Uuid::now_v7();
            ids.push(id);
            let inbox = m.channel == ChannelKind::Inbox;
            message::ActiveModel {
                id: Set(id),
                region_code: Set(m.region_code),
                channel: Set(m.channel.code().to_string()),
                address: Set(m.address),
                recipient_user_id: Set(m.recipient_user_id),
                recipient_name: Set(m.recipient_name),
                mention: Set(m.mention),
                title: Set(m.title),
                body: Set(m.body),
                link: Set(m.link),
                source_kind: Set(m.source_kind.to_string()),
                source_id: Set(m.source_id),
                state: Set(if inbox { state::SENT } else { state::PENDING }.to_string()),
                attempts: Set(0),
                next_attempt_at: Set(now),
                claimed_at: Set(None),
                last_error: Set(None),
                sent_at: Set(inbox.then_some(now)),
                read_at: Set(None),
                created_at: Set(now),
                created_by: Set(created_by),
            }
        })
        .collect();
    // 17 columns: 500 rows stay well under SQLite's bound-variable limit.
    for chunk in rows.chunks(500) {
        message::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(ids)
}

/// How long to wait before attempt `attempts + 1`: 30 s, 1, 2, 4, 8 minutes… at most an hour.
pub fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 8) - 1;
    (Duration::seconds(30) * 2_i32.pow(exp as u32)).min(Duration::hours(1))
}

/// What one worker pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Send every due message once. Runs in the server every few seconds; tests call it directly.
/// Several addresses are served at once (`[notify] concurrency`); each address's messages go
/// one after another in the order written, so an update never overtakes what it updates.
pub async fn deliver_due(state: &AppState) -> AppResult<Delivered> {
    use futures_util::stream::{self, StreamExt, TryStreamExt};
    let now = state.now();
    let due = message::Entity::find()
        .filter(is_due(now))
        .order_by_asc(message::Column::NextAttemptAt)
        // UUIDv7 ids follow the order messages were written, within a transaction too.
        .order_by_asc(message::Column::Id)
        .limit(BATCH)
        .all(&state.db)
        .await?;
    stream::iter(queues_by_address(due))
        .map(|queue| deliver_queue(state, queue))
        .buffer_unordered(state.settings.notify.concurrency())
        .try_fold(Delivered::default(), |total, part| async move {
            Ok(Delivered {
                sent: total.sent + part.sent,
                retrying: total.retrying + part.retrying,
                failed: total.failed + part.failed,
            })
        })
        .await
}

/// The pass's messages grouped per (channel, address), each group in its original order.
fn queues_by_address(due: Vec<message::Model>) -> Vec<Vec<message::Model>> {
    let mut queues: Vec<Vec<message::Model>> = Vec::new();
    let mut index: std::collections::HashMap<(String, String), usize> =
        std::collections::HashMap::new();
    for row in due {
        let key = (row.channel.clone(), row.address.clone());
        match index.get(&key) {
            Some(&i) => queues[i].push(row),
            None => {
                index.insert(key, queues.len());
                queues.push(vec![row]);
            }
        }
    }
    queues
}

async fn deliver_queue(state: &AppState, queue: Vec<message::Model>) -> AppResult<Delivered> {
    let mut done = Delivered::default();
    for row in queue {
        // The claim carries the time it is taken, not the pass's start: a pass held up by slow
        // channels must not hand out claims that another server already finds stale.
        if !claim(&state.db, &row, state.now()).await? {
            continue;
        }
        let outcome = send(state, &state.channels, &row).await;
        let attempts = row.attempts + 1;
        let finished = state.now();
        let update = match outcome {
            Ok(()) => {
                done.sent += 1;
                message::ActiveModel {
                    state: Set(state::SENT.to_string()),
                    sent_at: Set(Some(finished)),
                    last_error: Set(None),
                    ..Default::default()
                }
            }
            Err(e) if e.retryable && attempts < MAX_ATTEMPTS => {
                done.retrying += 1;
                tracing::warn!(id = %row.id, channel = %row.channel, error = %e.message, "delivery failed, will retry");
                message::ActiveModel {
                    state: Set(state::RETRY.to_string()),
                    next_attempt_at: Set(finished + backoff(attempts)),
                    last_error: Set(Some(e.message)),
                    ..Default::default()
                }
            }
            Err(e) => {
                done.failed += 1;
                tracing::warn!(id = %row.id, channel = %row.channel, error = %e.message, "delivery given up");
                message::ActiveModel {
                    state: Set(state::FAILED.to_string()),
                    last_error: Set(Some(e.message)),
                    ..Default::default()
                }
            }
        };
        message::Entity::update_many()
            .set(update)
            .col_expr(
                message::Column::ClaimedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(message::Column::Id.eq(row.id))
            .exec(&state.db)
            .await?;
    }
    Ok(done)
}

/// Pending, due for a retry, or claimed by a worker that never finished.
fn is_due(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(message::Column::State.is_in([state::PENDING, state::RETRY]))
                .add(message::Column::NextAttemptAt.lte(now)),
        )
        .add(
            Condition::all()
                .add(message::Column::State.eq(state::SENDING))
                .add(message::Column::ClaimedAt.lt(now - CLAIM_TIMEOUT)),
        )
}

/// Take the row for this worker: succeeds only if nobody else changed it since it was read.
async fn claim<C: ConnectionTrait>(
    db: &C,
    row: &message::Model,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let mut q = message::Entity::update_many()
        .col_expr(message::Column::State, Expr::value(state::SENDING))
        .col_expr(message::Column::ClaimedAt, Expr::value(Some(now)))
        .col_expr(message::Column::Attempts, Expr::value(row.attempts + 1))
        .filter(message::Column::Id.eq(row.id))
        .filter(message::Column::State.eq(row.state.as_str()))
        .filter(message::Column::Attempts.eq(row.attempts));
    q = match row.claimed_at {
        Some(at) => q.filter(message::Column::ClaimedAt.eq(at)),
        None => q.filter(message::Column::ClaimedAt.is_null()),
    };
    Ok(q.exec(db).await?.rows_affected == 1)
}

/// Resolve the row into what its channel sends, and send it.
async fn send(
    state: &AppState,
    channels: &Channels,
    row: &message::Model,
) -> Result<(), DeliveryError> {
    let kind = ChannelKind::parse(&row.channel)
        .ok_or_else(|| DeliveryError::permanent(format!("未知的发送渠道 {}", row.channel)))?;
    let channel = channels
        .get(kind)
        .ok_or_else(|| DeliveryError::permanent(format!("{}渠道未配置", kind.label())))?;
    let mut outgoing = Outgoing {
        id: row.id,
        address: row.address.clone(),
        secret: None,
        mention: row.mention.clone(),
        title: row.title.clone(),
        body: row.body.clone(),
        link: row.link.as_ref().map(|path| {
            format!(
                "{}{}",
                state.settings.public_url.trim_end_matches('/'),
                path
            )
        }),
    };
    if matches!(kind, ChannelKind::Wecom | ChannelKind::Dingtalk) {
        let robot = robot_of(state, &row.address).await?;
        outgoing.address = robot.webhook_url;
        outgoing.secret = robot.secret;
    }
    channel.deliver(&outgoing).await
}

async fn robot_of(state: &AppState, id: &str) -> Result<robot::Model, DeliveryError> {
    let id: Uuid = id
        .parse()
        .map_err(|_| DeliveryError::permanent("群机器人编号无效"))?;
    robot::Entity::find_by_id(id)
        .filter(robot::Column::VoidedAt.is_null())
        .one(&state.db)
        .await
        .map_err(|e| DeliveryError::retry(format!("数据库错误：{e}")))?
        .ok_or_else(|| DeliveryError::permanent("群机器人已作废或不存在"))
}

/// Send a failed or retrying message again now (staff, from the delivery list).
pub async fn resend<C: ConnectionTrait>(db: &C, id: Uuid, now: DateTime<Utc>) -> AppResult<bool> {
    let result = message::Entity::update_many()
        .col_expr(message::Column::State, Expr::value(state::PENDING))
        .col_expr(message::Column::NextAttemptAt, Expr::value(now))
        .col_expr(message::Column::Attempts, Expr::value(0))
        .filter(message::Column::Id.eq(id))
        .filter(message::Column::State.is_in([state::FAILED, state::RETRY]))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(3), Duration::seconds(120));
        assert_eq!(backoff(8), Duration::hours(1));
        assert_eq!(backoff(100), Duration::hours(1));
    }
}
