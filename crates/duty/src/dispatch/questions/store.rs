//! Dispatch questions' queries and changes, scoped and audited.
//! - Readers: every DUTY_VIEW holder reads the questions of their own county (a township's
//!   staff answer them).
//! - Writers: the county's duty editors (`is_writer`); a township's staff do not change them.
//! - A county without questions for a kind is asked the built-in defaults; 采用默认问题 stores
//!   them (keeping their keys) so they can be edited.

use platform::access::{Actor, perm};
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::web::AppState;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity;
use super::model::{self, AlarmRule, AnswerKind, Question};
use crate::rosters::model::PeriodKind;
use crate::rosters::store::{county_of, is_writer};

pub const KIND_QUESTION: &str = "duty_dispatch_question";

/// Names of this ledger's audit actions, registered with the platform at start-up.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("duty.dispatch_questions.adopt", "采用默认调度问题"),
    ("duty.dispatch_question.move", "调整调度问题顺序"),
];

impl From<entity::Model> for Question {
    fn from(m: entity::Model) -> Self {
        Self {
            id: Some(m.id),
            key: m.key,
            kind: PeriodKind::parse(&m.period_kind).unwrap_or(PeriodKind::Flood),
            position: m.position,
            text: m.text,
            answer_kind: AnswerKind::parse(&m.answer_kind).unwrap_or(AnswerKind::Text),
            required: m.required,
            alarm: m.alarm.as_deref().and_then(AlarmRule::parse),
            version: m.version,
        }
    }
}

/// The questions of a county for a kind, as asked: stored ones in order.
async fn stored(
    db: &impl ConnectionTrait,
    county: &str,
    kind: PeriodKind,
) -> AppResult<Vec<entity::Model>> {
    Ok(entity::Entity::find()
        .filter(entity::Column::RegionCode.eq(county))
        .filter(entity::Column::PeriodKind.eq(kind.code()))
        .filter(entity::Column::VoidedAt.is_null())
        .order_by_asc(entity::Column::Position)
        .order_by_asc(entity::Column::Id)
        .all(db)
        .await?)
}

/// The questions a county asks in a season's daily dispatch, in order: its own, or the
/// built-in defaults while it has none. No permission check: the dispatch asks on behalf of
/// an actor it has already checked.
pub async fn current(
    db: &impl ConnectionTrait,
    county: &str,
    kind: PeriodKind,
) -> AppResult<Vec<Question>> {
    let own = stored(db, county, kind).await?;
    Ok(match own.is_empty() {
        true => model::defaults(kind),
        false => own.into_iter().map(Question::from).collect(),
    })
}

/// The list for one kind: the questions asked, and whether they are the county's own.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct QuestionList {
    pub county: String,
    pub kind: PeriodKind,
    /// False while the built-in defaults are asked.
    pub configured: bool,
    pub questions: Vec<Question>,
}

/// The kind asked for: `flood` when blank, a field error when unknown.
pub fn parse_kind(text: Option<&str>) -> AppResult<PeriodKind> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(PeriodKind::Flood),
        Some(code) => PeriodKind::parse(code).ok_or_else(|| {
            AppError::field(
                "kind",
                "值班类型应为 flood、forest_fire、major_event 或 holiday",
            )
        }),
    }
}

fn require_writer(actor: &Actor) -> AppResult<String> {
    actor.require(perm::DUTY_EDIT)?;
    if !is_writer(actor) {
        return Err(AppError::Forbidden);
    }
    Ok(county_of(&actor.region_code))
}

/// The actor's county's questions for a kind.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    kind: PeriodKind,
) -> AppResult<QuestionList> {
    actor.require(perm::DUTY_VIEW)?;
    let county = county_of(&actor.region_code);
    let own = stored(db, &county, kind).await?;
    Ok(QuestionList {
        configured: !own.is_empty(),
        questions: match own.is_empty() {
            true => model::defaults(kind),
            false => own.into_iter().map(Question::from).collect(),
        },
        county,
        kind,
    })
}

/// One stored question of the actor's county.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> AppResult<Question> {
    actor.require(perm::DUTY_VIEW)?;
    Ok(find(db, actor, id).await?.into())
}

async fn find(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> AppResult<entity::Model> {
    entity::Entity::find_by_id(id)
        .filter(entity::Column::RegionCode.eq(county_of(&actor.region_code)))
        .filter(entity::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    db: &impl ConnectionTrait,
    actor: &Actor,
    county: &str,
    kind: PeriodKind,
    key: Option<String>,
    position: i32,
    c: &model::Checked,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<Question> {
    let id = Uuid::now_v7();
    let m = entity::ActiveModel {
        period_kind: Set(kind.code().into()),
        key: Set(key.unwrap_or_else(|| id.simple().to_string())),
        position: Set(position),
        text: Set(c.text.clone()),
        answer_kind: Set(c.answer_kind.code().into()),
        required: Set(c.required),
        alarm: Set(c.alarm.map(|a| a.code().to_string())),
        ..platform::db::new_record(id, county.to_string(), Some(actor.user_id), now)
    }
    .insert(db)
    .await?;
    Ok(m.into())
}

/// 采用默认问题: store the built-in questions of a kind (keeping their keys) so the county can
/// edit them. Refused once the county has questions of its own for the kind.
pub async fn adopt_defaults(
    state: &AppState,
    actor: &Actor,
    kind: PeriodKind,
) -> AppResult<QuestionList> {
    let county = require_writer(actor)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    if !stored(&txn, &county, kind).await?.is_empty() {
        return Err(AppError::conflict(
            "questions_exist",
            format!("{}值班已有调度问题，不能再采用默认问题", kind.label()),
        ));
    }
    let mut questions = Vec::new();
    for d in model::defaults(kind) {
        let c = model::Checked {
            text: d.text.clone(),
            answer_kind: d.answer_kind,
            required: d.required,
            alarm: d.alarm,
        };
        let q = insert(&txn, actor, &county, kind, Some(d.key), d.position, &c, now).await?;
        questions.push(q);
    }
    let list = QuestionList {
        county: county.clone(),
        kind,
        configured: true,
        questions,
    };
    let entry = Entry::new(
        "duty.dispatch_questions.adopt",
        KIND_QUESTION,
        kind.code(),
        &county,
    )
    .summary(format!(
        "{}值班采用默认调度问题（{} 个）",
        kind.label(),
        list.questions.len()
    ))
    .after(&list.questions);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(list)
}

/// A question as typed or sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct QuestionInput {
    /// flood | forest_fire | major_event | holiday (only when adding; a question keeps its kind)
    #[serde(default)]
    pub kind: String,
    /// e.g. 值班人员是否在岗在位？
    #[serde(default)]
    pub text: String,
    /// yes_no | number | text
    #[serde(default)]
    pub answer_kind: String,
    /// 必答: a checkbox ("on") or a JSON bool.
    #[serde(default, deserialize_with = "platform::web::form::de_required_flag")]
    #[schema(value_type = bool)]
    pub required: bool,
    /// yes | no (for yes_no), gt_zero (for number); blank for none.
    pub alarm: Option<String>,
    /// The version read, when editing.
    pub version: Option<i32>,
}

fn check(input: &QuestionInput) -> AppResult<model::Checked> {
    model::check_question(
        &input.text,
        &input.answer_kind,
        input.required,
        input.alarm.as_deref(),
    )
    .map_err(AppError::Validation)
}

/// 添加 a question at the end of its kind's list.
pub async fn create(state: &AppState, actor: &Actor, input: &QuestionInput) -> AppResult<Question> {
    let county = require_writer(actor)?;
    let kind = PeriodKind::parse(input.kind.trim());
    let checked = check(input);
    let (kind, c) = match (kind, checked) {
        (Some(kind), Ok(c)) => (kind, c),
        (kind, checked) => {
            let mut errors = match checked {
                Err(AppError::Validation(e)) => e,
                Err(other) => return Err(other),
                Ok(_) => FieldErrors::new(),
            };
            if kind.is_none() {
                errors.insert("kind".into(), "请选择值班类型".into());
            }
            return Err(AppError::Validation(errors));
        }
    };
    let now = state.now();
    let txn = state.db.begin().await?;
    let last = stored(&txn, &county, kind)
        .await?
        .iter()
        .map(|q| q.position)
        .max()
        .unwrap_or(0);
    let created = insert(&txn, actor, &county, kind, None, last + 1, &c, now).await?;
    let id = created.id.unwrap_or_default();
    let entry = Entry::new("create", KIND_QUESTION, id, &county)
        .summary(format!(
            "{}值班调度问题：添加「{}」",
            kind.label(),
            created.text
        ))
        .after(&created);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(created)
}

/// 修改 a question against the version read; its kind and key stay.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &QuestionInput,
) -> AppResult<Question> {
    let county = require_writer(actor)?;
    let before: Question = find(&state.db, actor, id).await?.into();
    let c = check(input)?;
    let version = input
        .version
        .ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重试"))?;
    let now = state.now();
    let txn = state.db.begin().await?;
    use entity::Column;
    platform::db::versioned_update(
        &txn,
        entity::Entity::update_many()
            .col_expr(Column::Text, Expr::value(c.text))
            .col_expr(Column::AnswerKind, Expr::value(c.answer_kind.code()))
            .col_expr(Column::Required, Expr::value(c.required))
            .col_expr(Column::Alarm, Expr::value(c.alarm.map(|a| a.code())))
            .filter(Column::VoidedAt.is_null()),
        id,
        version,
        actor.user_id,
        now,
    )
    .await?;
    let after: Question = find(&txn, actor, id).await?.into();
    let entry = Entry::new("update", KIND_QUESTION, id, &county)
        .summary(format!(
            "{}值班调度问题：修改「{}」",
            after.kind.label(),
            after.text
        ))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct VoidInput {
    #[serde(default)]
    pub reason: String,
}

/// 删除 (作废) a question with a reason. The rest keep their order.
pub async fn void(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &VoidInput,
) -> AppResult<Question> {
    let county = require_writer(actor)?;
    let before: Question = find(&state.db, actor, id).await?.into();
    let reason = platform::db::void_reason(&input.reason)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::mark_voided::<entity::Entity>(&txn, id, &reason, actor.user_id, now).await?;
    let entry = Entry::new("void", KIND_QUESTION, id, &county)
        .summary(format!(
            "{}值班调度问题：删除「{}」：{reason}",
            before.kind.label(),
            before.text
        ))
        .before(&before);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(before)
}

/// Which way a question moves.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct MoveInput {
    /// up | down
    #[serde(default)]
    pub direction: String,
}

/// 上移 / 下移: swap a question with its neighbour; the kind's list is numbered 1, 2, 3… again.
/// Returns the kind's questions in their new order. At the top (or bottom) nothing changes.
pub async fn move_question(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &MoveInput,
) -> AppResult<QuestionList> {
    let county = require_writer(actor)?;
    let up = match input.direction.trim() {
        "up" => true,
        "down" => false,
        _ => return Err(AppError::field("direction", "方向应为 up 或 down")),
    };
    let q = find(&state.db, actor, id).await?;
    let kind = PeriodKind::parse(&q.period_kind).unwrap_or(PeriodKind::Flood);
    let now = state.now();
    let txn = state.db.begin().await?;
    let mut all = stored(&txn, &county, kind).await?;
    let at = all
        .iter()
        .position(|m| m.id == id)
        .ok_or(AppError::NotFound)?;
    let other = match up {
        true => at.checked_sub(1),
        false => Some(at + 1).filter(|i| *i < all.len()),
    };
    if let Some(other) = other {
        all.swap(at, other);
        let before: Vec<Question> = stored(&txn, &county, kind)
            .await?
            .into_iter()
            .map(Question::from)
            .collect();
        for (i, m) in all.iter().enumerate() {
            let position = i as i32 + 1;
            if m.position == position {
                continue;
            }
            use entity::Column;
            entity::Entity::update_many()
                .col_expr(Column::Position, Expr::value(position))
                .col_expr(Column::Version, Expr::col(Column::Version).add(1))
                .col_expr(Column::UpdatedAt, Expr::value(now))
                .col_expr(Column::UpdatedBy, Expr::value(Some(actor.user_id)))
                .filter(Column::Id.eq(m.id))
                .exec(&txn)
                .await?;
        }
        let after: Vec<Question> = stored(&txn, &county, kind)
            .await?
            .into_iter()
            .map(Question::from)
            .collect();
        let entry = Entry::new("duty.dispatch_question.move", KIND_QUESTION, id, &county)
            .summary(format!(
                "{}值班调度问题：「{}」{}",
                kind.label(),
                q.text,
                if up { "上移" } else { "下移" }
            ))
            .before(&before)
            .after(&after);
        audit::record(&txn, actor, now, entry).await?;
    }
    txn.commit().await?;
    list(&state.db, actor, kind).await
}
