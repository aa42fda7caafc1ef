//! Letters' queries and changes, scoped, versioned and audited. Two ways in:
//! - the sender: SAFETY_EDIT with a county (or wider) scope sees the county's letters whole;
//! - a recipient: a township officer through the rows of their township, a department's user
//!   through the rows of their department, and only once the letter is sent.
//!
//! Anything else answers 404. The rules live in [`super::model`].

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use platform::access::{Actor, Scope, perm};
use platform::attachments::{self, Attachment, Owner, Upload};
use platform::audit::{self, Entry};
use platform::clock::{china, format_local};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::web::AppState;
use platform::web::form::{de_flag, optional, parse_date};
use platform::web::paging::{Dir, PageOf, Paging, Sort, SortColumn, Sorts, fetch_page};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{notice, recipient};
use super::model::{self, NoticeError, NoticeKind, NoticeState, RecipientState};

pub use crate::units::store::today;

/// The audit and attachment kind of letters.
pub const KIND: &str = "safety_notice";
/// The attachment kind of a recipient's reply (owner: the recipient row).
pub const REPLY_KIND: &str = "safety_notice_reply";

pub const TOWNSHIP: &str = "township";
pub const DEPARTMENT: &str = "department";

/// Kinds as `(code, label)` for select boxes.
pub fn kinds() -> Vec<(&'static str, &'static str)> {
    NoticeKind::ALL
        .into_iter()
        .map(|k| (k.code(), k.label()))
        .collect()
}

pub fn states() -> Vec<(&'static str, &'static str)> {
    NoticeState::ALL
        .into_iter()
        .map(|s| (s.code(), s.label()))
        .collect()
}

/// One recipient of a letter and what it did.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Recipient {
    pub id: Uuid,
    /// township | department
    pub recipient_kind: String,
    pub region_code: String,
    pub department_id: Option<Uuid>,
    pub name: String,
    pub state: RecipientState,
    pub read_at: Option<DateTime<Utc>>,
    pub read_by_name: Option<String>,
    pub replied_at: Option<DateTime<Utc>>,
    pub replied_by_name: Option<String>,
    pub reply: Option<String>,
    /// Why the sender returned the last reply (cleared by the next reply).
    pub returned_reason: Option<String>,
    pub returned_at: Option<DateTime<Utc>>,
    /// The reply came after its date.
    pub replied_late: bool,
    /// The reply is missing and its date has passed.
    pub overdue: bool,
    pub files: Vec<Attachment>,
    pub version: i32,
}

impl Recipient {
    pub fn state_label(&self) -> &'static str {
        self.state.label()
    }

    pub fn state_class(&self) -> &'static str {
        match self.state {
            RecipientState::Unread => "orange",
            RecipientState::Read => "blue",
            RecipientState::Replied => "green",
        }
    }

    pub fn read_local(&self) -> String {
        self.read_at.map(format_local).unwrap_or_default()
    }

    pub fn replied_local(&self) -> String {
        self.replied_at.map(format_local).unwrap_or_default()
    }

    pub fn is_replied(&self) -> bool {
        self.state == RecipientState::Replied
    }
}

/// How a letter's recipients stand.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Counts {
    pub recipients: usize,
    pub read: usize,
    pub replied: usize,
    /// Late replies and replies missing past their date (逾期).
    pub late: usize,
    /// Replies missing past their date.
    pub overdue: usize,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Notice {
    pub id: Uuid,
    /// The sender's county.
    pub region_code: String,
    pub kind: NoticeKind,
    pub number: Option<String>,
    pub title: String,
    pub content: String,
    pub reply_required: bool,
    pub reply_due_on: Option<NaiveDate>,
    pub state: NoticeState,
    pub sent_at: Option<DateTime<Utc>>,
    pub sent_on: Option<NaiveDate>,
    pub sent_by_name: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
    pub unit_id: Option<String>,
    pub hazard_id: Option<String>,
    /// All recipients for the sender; a recipient sees only its own row.
    pub recipients: Vec<Recipient>,
    pub counts: Counts,
    pub version: i32,
}

impl Notice {
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }

    pub fn kind_code(&self) -> &'static str {
        self.kind.code()
    }

    pub fn state_label(&self) -> &'static str {
        self.state.label()
    }

    pub fn state_code(&self) -> &'static str {
        self.state.code()
    }

    pub fn state_class(&self) -> &'static str {
        match self.state {
            NoticeState::Draft => "gray",
            NoticeState::Sent => "blue",
            NoticeState::Closed => "green",
        }
    }

    pub fn number_text(&self) -> &str {
        self.number.as_deref().unwrap_or("（发出时编号）")
    }

    pub fn sent_local(&self) -> String {
        self.sent_at.map(format_local).unwrap_or_default()
    }

    pub fn closed_local(&self) -> String {
        self.closed_at.map(format_local).unwrap_or_default()
    }

    /// 二〇二六年六月一日 style is for ink; the printed letter uses 2026年6月1日.
    pub fn sent_date_cn(&self) -> String {
        use chrono::Datelike;
        self.sent_on
            .map(|d| format!("{}年{}月{}日", d.year(), d.month(), d.day()))
            .unwrap_or_default()
    }

    pub fn due_text(&self) -> String {
        self.reply_due_on.map(|d| d.to_string()).unwrap_or_default()
    }

    pub fn recipient_names(&self) -> String {
        self.recipients
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    }

    pub fn is_draft(&self) -> bool {
        self.state == NoticeState::Draft
    }

    pub fn is_sent(&self) -> bool {
        self.state == NoticeState::Sent
    }

    /// This viewer's own row (the inbox shows one).
    pub fn mine(&self) -> Option<&Recipient> {
        self.recipients.first()
    }
}

/// Who the actor is as a recipient: their township (by scope) and their department.
#[derive(Clone, Debug, Default)]
pub struct Reach {
    township: Option<Scope>,
    department: Option<Uuid>,
}

impl Reach {
    fn condition(&self) -> Option<Condition> {
        use recipient::Column;
        let mut any = Condition::any();
        let mut some = false;
        if let Some(scope) = &self.township {
            any = any.add(
                Condition::all()
                    .add(Column::RecipientKind.eq(TOWNSHIP))
                    .add(scope.condition(Column::RegionCode)),
            );
            some = true;
        }
        if let Some(dept) = self.department {
            any = any.add(
                Condition::all()
                    .add(Column::RecipientKind.eq(DEPARTMENT))
                    .add(Column::DepartmentId.eq(dept)),
            );
            some = true;
        }
        some.then_some(any)
    }

    fn covers(&self, r: &recipient::Model) -> bool {
        match r.recipient_kind.as_str() {
            TOWNSHIP => self
                .township
                .as_ref()
                .is_some_and(|s| s.contains(&r.region_code)),
            DEPARTMENT => self.department.is_some() && self.department == r.department_id,
            _ => false,
        }
    }
}

/// Senders work county-wide: a township officer edits safety records but does not send letters.
pub fn is_sender(actor: &Actor) -> bool {
    actor.can(perm::SAFETY_EDIT) && actor.scope().prefix().len() <= 6
}

/// County-level readers (leaders, the bureau's staff) see the county's letters whole, read-only
/// unless they are senders.
pub fn may_read_all(actor: &Actor) -> bool {
    actor.can(perm::SAFETY_VIEW) && actor.scope().prefix().len() <= 6
}

fn require_reader(actor: &Actor) -> AppResult<Scope> {
    actor.require(perm::SAFETY_VIEW)?;
    if !may_read_all(actor) {
        return Err(AppError::Forbidden);
    }
    Ok(actor.scope())
}

fn require_sender(actor: &Actor) -> AppResult<Scope> {
    actor.require(perm::SAFETY_EDIT)?;
    if !is_sender(actor) {
        return Err(AppError::Forbidden);
    }
    Ok(actor.scope())
}

/// The actor as a recipient: a township-level officer by scope, a department's user by their
/// account's department.
pub fn reach(actor: &Actor) -> Reach {
    if !actor.can(perm::SAFETY_VIEW) {
        return Reach::default();
    }
    let scope = actor.scope();
    Reach {
        township: (scope.prefix().len() >= 9).then_some(scope),
        department: actor.department_id,
    }
}

fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&china()).date_naive()
}

/// A letter's state and the date its replies are due by (none when no reply is asked for):
/// what judging a recipient's reply late needs.
fn reply_terms(n: &notice::Model) -> (NoticeState, Option<NaiveDate>) {
    (
        NoticeState::parse(&n.state).unwrap_or(NoticeState::Draft),
        n.reply_due_on.filter(|_| n.reply_required),
    )
}

fn bare_recipient(r: recipient::Model, n: &notice::Model, today: NaiveDate) -> Recipient {
    let (state, due) = reply_terms(n);
    let replied_on = r.replied_at.map(local_day);
    Recipient {
        state: RecipientState::of(r.read_at.is_some(), r.replied_at.is_some()),
        replied_late: model::replied_late(due, replied_on),
        overdue: model::is_overdue(state, due, replied_on.is_some(), today),
        id: r.id,
        recipient_kind: r.recipient_kind,
        region_code: r.region_code,
        department_id: r.department_id,
        name: r.name,
        read_at: r.read_at,
        read_by_name: r.read_by.map(|u| u.to_string()),
        replied_at: r.replied_at,
        replied_by_name: r.replied_by.map(|u| u.to_string()),
        reply: r.reply,
        returned_reason: r.returned_reason,
        returned_at: r.returned_at,
        files: Vec::new(),
        version: r.version,
    }
}

fn counts_of(recipients: &[Recipient]) -> Counts {
    Counts {
        recipients: recipients.len(),
        read: recipients
            .iter()
            .filter(|r| r.state != RecipientState::Unread)
            .count(),
        replied: recipients.iter().filter(|r| r.is_replied()).count(),
        late: recipients
            .iter()
            .filter(|r| r.replied_late || r.overdue)
            .count(),
        overdue: recipients.iter().filter(|r| r.overdue).count(),
    }
}

/// Letters with their recipients (all of them, or only those `keep` lets through).
async fn decorate(
    db: &impl ConnectionTrait,
    models: Vec<notice::Model>,
    keep: impl Fn(&recipient::Model) -> bool,
    today: NaiveDate,
) -> AppResult<Vec<Notice>> {
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    let mut rows: HashMap<Uuid, Vec<recipient::Model>> = HashMap::new();
    if !ids.is_empty() {
        for r in recipient::Entity::find()
            .filter(recipient::Column::NoticeId.is_in(ids))
            .order_by_asc(recipient::Column::Sort)
            .all(db)
            .await?
        {
            if keep(&r) {
                rows.entry(r.notice_id).or_default().push(r);
            }
        }
    }
    let mut people: Vec<Uuid> = models.iter().filter_map(|m| m.sent_by).collect();
    for r in rows.values().flatten() {
        people.extend(r.read_by);
        people.extend(r.replied_by);
    }
    people.sort_unstable();
    people.dedup();
    let names = platform::users::store::display_names(db, people).await?;
    let name = |id: Option<Uuid>| id.and_then(|i| names.get(&i).cloned());
    let mut out = Vec::with_capacity(models.len());
    for m in models {
        let recipients: Vec<Recipient> = rows
            .remove(&m.id)
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                let (read_by, replied_by) = (r.read_by, r.replied_by);
                let mut v = bare_recipient(r, &m, today);
                v.read_by_name = name(read_by);
                v.replied_by_name = name(replied_by);
                v
            })
            .collect();
        out.push(Notice {
            kind: NoticeKind::parse(&m.kind).unwrap_or(NoticeKind::Reminder),
            state: NoticeState::parse(&m.state).unwrap_or(NoticeState::Draft),
            counts: counts_of(&recipients),
            recipients,
            sent_by_name: name(m.sent_by),
            id: m.id,
            region_code: m.region_code,
            number: m.number,
            title: m.title,
            content: m.content,
            reply_required: m.reply_required,
            reply_due_on: m.reply_due_on,
            sent_at: m.sent_at,
            sent_on: m.sent_on,
            closed_at: m.closed_at,
            note: m.note,
            unit_id: m.unit_id,
            hazard_id: m.hazard_id,
            version: m.version,
        });
    }
    Ok(out)
}

/// The sender's list filter.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct NoticeFilter {
    /// Title or number contains.
    pub q: Option<String>,
    /// reminder | urging | supervision | rectification
    pub kind: Option<String>,
    /// draft | sent | closed
    pub state: Option<String>,
    /// Sent on or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// Sent on or before (YYYY-MM-DD).
    pub to: Option<String>,
    /// Only letters with replies missing past their date.
    pub overdue: Option<bool>,
}

impl NoticeFilter {
    pub fn overdue_only(&self) -> bool {
        self.overdue.unwrap_or(false)
    }
}

/// Letters of `scope` with replies missing past their date, as a condition on `safety_notices`.
fn overdue_condition(today: NaiveDate) -> Condition {
    use notice::Column;
    let missing = recipient::Entity::find()
        .select_only()
        .column(recipient::Column::NoticeId)
        .filter(recipient::Column::RepliedAt.is_null())
        .into_query();
    Condition::all()
        .add(Column::State.eq(NoticeState::Sent.code()))
        .add(Column::ReplyRequired.eq(true))
        .add(Column::ReplyDueOn.lt(today))
        .add(Column::Id.in_subquery(missing))
}

fn select(
    scope: &Scope,
    filter: &NoticeFilter,
    today: NaiveDate,
) -> sea_orm::Select<notice::Entity> {
    use notice::Column;
    let mut q = notice::Entity::find()
        .filter(scope.condition(Column::RegionCode))
        .filter(Column::VoidedAt.is_null());
    if let Some(text) = optional(&filter.q) {
        q = q.filter(
            Column::Title
                .contains(&text)
                .or(Column::Number.contains(&text)),
        );
    }
    if let Some(code) = optional(&filter.kind) {
        q = q.filter(Column::Kind.eq(code));
    }
    if let Some(code) = optional(&filter.state) {
        q = q.filter(Column::State.eq(code));
    }
    if let Some(d) = optional(&filter.from).as_deref().and_then(parse_date) {
        q = q.filter(Column::SentOn.gte(d));
    }
    if let Some(d) = optional(&filter.to).as_deref().and_then(parse_date) {
        q = q.filter(Column::SentOn.lte(d));
    }
    if filter.overdue_only() {
        q = q.filter(overdue_condition(today));
    }
    // Drafts first (no date yet) whatever the sort; then the sort (the latest sent first).
    q.order_by_desc(Expr::col(Column::SentOn).is_null())
}

/// The columns the letter list can be sorted by (`?sort=`); the first is its usual order.
pub static SORTS: Sorts<notice::Column> = Sorts {
    columns: &[
        SortColumn {
            key: "sent_on",
            column: notice::Column::SentOn,
            first: Dir::Desc,
        },
        SortColumn {
            key: "reply_due_on",
            column: notice::Column::ReplyDueOn,
            first: Dir::Asc,
        },
    ],
    then: &[
        (notice::Column::SentOn, Dir::Desc),
        (notice::Column::NumberSeq, Dir::Desc),
        (notice::Column::CreatedAt, Dir::Desc),
        (notice::Column::Id, Dir::Desc),
    ],
};

/// The sender's letters, a page at a time.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &NoticeFilter,
    sort: &Sort<notice::Column>,
    paging: Paging,
    today: NaiveDate,
) -> AppResult<PageOf<Notice>> {
    let scope = require_reader(actor)?;
    let page = fetch_page(db, sort.apply(select(&scope, filter, today)), paging).await?;
    let items = decorate(db, page.items, |_| true, today).await?;
    Ok(PageOf {
        items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// Every matching letter up to `limit` in the list's order, for export.
pub async fn all(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &NoticeFilter,
    sort: &Sort<notice::Column>,
    today: NaiveDate,
    limit: u64,
) -> AppResult<Vec<Notice>> {
    let scope = require_reader(actor)?;
    let models = sort
        .apply(select(&scope, filter, today))
        .limit(limit)
        .all(db)
        .await?;
    decorate(db, models, |_| true, today).await
}

async fn load(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<notice::Model>> {
    Ok(notice::Entity::find_by_id(id)
        .filter(notice::Column::VoidedAt.is_null())
        .one(db)
        .await?)
}

/// A letter as its sender sees it (all recipients, their files).
async fn get_sent_side(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
    today: NaiveDate,
) -> AppResult<Notice> {
    let m = load(db, id)
        .await?
        .filter(|m| scope.contains(&m.region_code))
        .ok_or(AppError::NotFound)?;
    let mut n = decorate(db, vec![m], |_| true, today).await?.remove(0);
    attach_reply_files(db, &mut n).await?;
    Ok(n)
}

async fn attach_reply_files(db: &impl ConnectionTrait, n: &mut Notice) -> AppResult<()> {
    for r in &mut n.recipients {
        // The reply's files carry the row's region: read them with that region's scope, the
        // caller having been let through to the row already.
        r.files = attachments::list_for(db, &Scope::of(&r.region_code), REPLY_KIND, r.id).await?;
    }
    Ok(())
}

/// A letter as the actor may see it: whole for its sender, the own row for a recipient.
pub async fn get(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
    today: NaiveDate,
) -> AppResult<Notice> {
    if may_read_all(actor)
        && let Ok(n) = get_sent_side(db, &actor.scope(), id, today).await
    {
        return Ok(n);
    }
    get_as_recipient(db, actor, id, today).await
}

/// A sent letter through the actor's own recipient row.
pub async fn get_as_recipient(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
    today: NaiveDate,
) -> AppResult<Notice> {
    let reach = reach(actor);
    let m = load(db, id)
        .await?
        .filter(|m| m.state != NoticeState::Draft.code())
        .ok_or(AppError::NotFound)?;
    let mut n = decorate(db, vec![m], |r| reach.covers(r), today)
        .await?
        .remove(0);
    if n.recipients.is_empty() {
        return Err(AppError::NotFound);
    }
    n.recipients.truncate(1);
    attach_reply_files(db, &mut n).await?;
    Ok(n)
}

/// The letter's own files (sender's attachments), for whoever may see the letter.
pub async fn files(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
    today: NaiveDate,
) -> AppResult<Vec<Attachment>> {
    let n = get(db, actor, id, today).await?;
    let mut list = attachments::list_for(db, &Scope::of(&n.region_code), KIND, id).await?;
    // Recipients' scopes do not cover the county's files: serve them through the letter.
    for f in &mut list {
        f.href = format!("/safety/notices/{id}/files/{}", f.id);
    }
    Ok(list)
}

/// One of the letter's own files, for whoever may see the letter.
pub async fn file(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
    file_id: Uuid,
    today: NaiveDate,
) -> AppResult<Attachment> {
    files(db, actor, id, today)
        .await?
        .into_iter()
        .find(|f| f.id == file_id)
        .ok_or(AppError::NotFound)
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct NoticeInput {
    /// reminder | urging | supervision | rectification
    pub kind: String,
    pub title: String,
    pub content: String,
    #[serde(default, deserialize_with = "de_flag")]
    #[schema(value_type = Option<bool>)]
    pub reply_required: Option<bool>,
    /// YYYY-MM-DD; required when a reply is required.
    pub reply_due_on: Option<String>,
    /// Townships' 12-digit codes.
    #[serde(default)]
    pub townships: Vec<String>,
    /// Departments' ids.
    #[serde(default)]
    pub departments: Vec<String>,
    /// A supervised unit the letter is about.
    pub unit_id: Option<String>,
    /// A hazard the letter is about.
    pub hazard_id: Option<String>,
    /// On edit: the version the form was loaded at.
    pub version: Option<i32>,
}

impl NoticeInput {
    pub fn from_notice(n: &Notice) -> Self {
        Self {
            kind: n.kind.code().to_string(),
            title: n.title.clone(),
            content: n.content.clone(),
            reply_required: Some(n.reply_required),
            reply_due_on: n.reply_due_on.map(|d| d.to_string()),
            townships: n
                .recipients
                .iter()
                .filter(|r| r.recipient_kind == TOWNSHIP)
                .map(|r| r.region_code.clone())
                .collect(),
            departments: n
                .recipients
                .iter()
                .filter_map(|r| r.department_id.map(|d| d.to_string()))
                .collect(),
            unit_id: n.unit_id.clone(),
            hazard_id: n.hazard_id.clone(),
            version: Some(n.version),
        }
    }
}

/// A recipient chosen on the form, checked to exist in the sender's scope.
struct Chosen {
    kind: &'static str,
    region_code: String,
    department_id: Option<Uuid>,
    name: String,
}

struct Valid {
    kind: NoticeKind,
    title: String,
    content: String,
    reply_required: bool,
    reply_due_on: Option<NaiveDate>,
    recipients: Vec<Chosen>,
    unit_id: Option<String>,
    hazard_id: Option<String>,
}

async fn chosen_recipients(
    db: &impl ConnectionTrait,
    scope: &Scope,
    input: &NoticeInput,
    errors: &mut FieldErrors,
) -> AppResult<Vec<Chosen>> {
    use platform::regions::Level;
    let mut out = Vec::new();
    let townships = platform::regions::store::list_level(db, scope, Level::Township).await?;
    let mut codes: Vec<&str> = input.townships.iter().map(|s| s.trim()).collect();
    codes.sort_unstable();
    codes.dedup();
    for code in codes.into_iter().filter(|c| !c.is_empty()) {
        match townships.iter().find(|t| t.code == code) {
            Some(t) => out.push(Chosen {
                kind: TOWNSHIP,
                region_code: t.code.clone(),
                department_id: None,
                name: t.short_name.clone(),
            }),
            None => {
                errors.insert("townships".into(), format!("乡镇 {code} 不在管辖范围内"));
            }
        }
    }
    let departments = platform::org::store::all(db, scope).await?;
    let mut ids: Vec<&str> = input.departments.iter().map(|s| s.trim()).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids.into_iter().filter(|c| !c.is_empty()) {
        let found = Uuid::parse_str(id)
            .ok()
            .and_then(|id| departments.iter().find(|d| d.id == id));
        match found {
            Some(d) => out.push(Chosen {
                kind: DEPARTMENT,
                region_code: d.region_code.clone(),
                department_id: Some(d.id),
                name: d.name.clone(),
            }),
            None => {
                errors.insert(
                    "departments".into(),
                    "所选部门不存在或不在管辖范围内".into(),
                );
            }
        }
    }
    Ok(out)
}

/// A link to a unit or hazard in scope, kept as its id text.
async fn linked(
    db: &impl ConnectionTrait,
    scope: &Scope,
    field: &str,
    value: &Option<String>,
    errors: &mut FieldErrors,
) -> AppResult<Option<String>> {
    let Some(text) = optional(value) else {
        return Ok(None);
    };
    let Ok(id) = Uuid::parse_str(&text) else {
        errors.insert(field.into(), "关联记录编号不正确".into());
        return Ok(None);
    };
    let exists = if field == "unit_id" {
        use crate::units::entity::unit;
        unit::Entity::find_by_id(id)
            .filter(scope.condition(unit::Column::RegionCode))
            .count(db)
            .await?
            > 0
    } else {
        use crate::hazards::entity::hazard;
        hazard::Entity::find_by_id(id)
            .filter(scope.condition(hazard::Column::RegionCode))
            .count(db)
            .await?
            > 0
    };
    if !exists {
        errors.insert(field.into(), "关联的记录不存在或不在管辖范围内".into());
    }
    Ok(Some(id.to_string()))
}

async fn validate(
    db: &impl ConnectionTrait,
    scope: &Scope,
    input: &NoticeInput,
    today: NaiveDate,
) -> AppResult<Valid> {
    let mut errors = FieldErrors::new();
    let kind = NoticeKind::parse(input.kind.trim());
    if kind.is_none() {
        errors.insert("kind".into(), "请选择函件种类".into());
    }
    let title = input.title.trim().to_string();
    if title.chars().count() > 200 {
        errors.insert("title".into(), "标题不超过 200 个字".into());
    }
    let content = input.content.trim().to_string();
    if content.chars().count() > 20_000 {
        errors.insert("content".into(), "正文不超过 20000 个字".into());
    }
    let reply_required = input.reply_required.unwrap_or(false);
    let due = platform::web::form::date_field(&mut errors, "reply_due_on", &input.reply_due_on);
    if reply_required && due.is_none() && !errors.contains_key("reply_due_on") {
        errors.insert(
            "reply_due_on".into(),
            model::NoticeError::DueMissing.to_string(),
        );
    }
    if let Err(e) = model::check_due(due, today) {
        errors.insert("reply_due_on".into(), e.to_string());
    }
    let recipients = chosen_recipients(db, scope, input, &mut errors).await?;
    let unit_id = linked(db, scope, "unit_id", &input.unit_id, &mut errors).await?;
    let hazard_id = linked(db, scope, "hazard_id", &input.hazard_id, &mut errors).await?;
    match kind {
        Some(kind) if errors.is_empty() => Ok(Valid {
            kind,
            title,
            content,
            reply_required,
            reply_due_on: due.filter(|_| reply_required),
            recipients,
            unit_id,
            hazard_id,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Replace a draft's recipients (inside the draft's transaction).
async fn write_recipients(
    txn: &impl ConnectionTrait,
    notice_id: Uuid,
    chosen: Vec<Chosen>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    recipient::Entity::delete_many()
        .filter(recipient::Column::NoticeId.eq(notice_id))
        .exec(txn)
        .await?;
    for (i, c) in chosen.into_iter().enumerate() {
        recipient::ActiveModel {
            id: Set(Uuid::now_v7()),
            notice_id: Set(notice_id),
            recipient_kind: Set(c.kind.to_string()),
            region_code: Set(c.region_code),
            department_id: Set(c.department_id),
            name: Set(c.name),
            sort: Set(i as i32),
            sent_at: Set(None),
            read_at: Set(None),
            read_by: Set(None),
            replied_at: Set(None),
            replied_by: Set(None),
            reply: Set(None),
            returned_at: Set(None),
            returned_reason: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            updated_by: Set(None),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// The county a sender writes for: their own region's county.
fn county_of(actor: &Actor) -> String {
    platform::regions::model::county_of(&actor.region_code)
}

/// Save a new draft.
pub async fn create(state: &AppState, actor: &Actor, input: &NoticeInput) -> AppResult<Notice> {
    let scope = require_sender(actor)?;
    let day = today(state);
    let v = validate(&state.db, &scope, input, day).await?;
    let now = state.now();
    let id = Uuid::now_v7();
    let region = county_of(actor);
    let txn = state.db.begin().await?;
    notice::ActiveModel {
        kind: Set(v.kind.code().to_string()),
        number: Set(None),
        number_year: Set(None),
        number_seq: Set(None),
        title: Set(v.title),
        content: Set(v.content),
        reply_required: Set(v.reply_required),
        reply_due_on: Set(v.reply_due_on),
        state: Set(NoticeState::Draft.code().to_string()),
        sent_at: Set(None),
        sent_by: Set(None),
        sent_on: Set(None),
        closed_at: Set(None),
        closed_by: Set(None),
        note: Set(None),
        unit_id: Set(v.unit_id),
        hazard_id: Set(v.hazard_id),
        ..platform::db::new_record(id, region.clone(), Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    write_recipients(&txn, id, v.recipients, now).await?;
    let created = get_sent_side(&txn, &scope, id, day).await?;
    let entry = Entry::new("create", KIND, id, &region)
        .summary(format!("拟稿{}《{}》", created.kind_label(), created.title))
        .after(&created);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(created)
}

fn refused(err: NoticeError) -> AppError {
    let field = match err {
        NoticeError::TitleMissing => Some("title"),
        NoticeError::ContentMissing => Some("content"),
        NoticeError::NoRecipients => Some("townships"),
        NoticeError::DueMissing | NoticeError::DueBeforeSending => Some("reply_due_on"),
        NoticeError::ReplyMissing => Some("reply"),
        NoticeError::ReasonMissing => Some("reason"),
        NoticeError::RepliesPending(_) => Some("note"),
        NoticeError::NotAllowed { .. }
        | NoticeError::NotSent
        | NoticeError::AlreadyReplied
        | NoticeError::NothingToReturn => None,
    };
    match field {
        Some(f) => AppError::field(f, err.to_string()),
        None => AppError::conflict("transition_refused", err.to_string()),
    }
}

/// Edit a draft; `version` must be the one read. A sent letter is frozen.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &NoticeInput,
) -> AppResult<Notice> {
    use notice::Column;
    let scope = require_sender(actor)?;
    let day = today(state);
    let before = get_sent_side(&state.db, &scope, id, day).await?;
    model::check_edit(before.state).map_err(refused)?;
    let v = validate(&state.db, &scope, input, day).await?;
    let version = input
        .version
        .ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重试"))?;
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::versioned_update(
        &txn,
        notice::Entity::update_many()
            .col_expr(Column::Kind, Expr::value(v.kind.code()))
            .col_expr(Column::Title, Expr::value(v.title))
            .col_expr(Column::Content, Expr::value(v.content))
            .col_expr(Column::ReplyRequired, Expr::value(v.reply_required))
            .col_expr(Column::ReplyDueOn, Expr::value(v.reply_due_on))
            .col_expr(Column::UnitId, Expr::value(v.unit_id))
            .col_expr(Column::HazardId, Expr::value(v.hazard_id))
            // Only while still a draft: a letter sent meanwhile is not rewritten.
            .filter(Column::State.eq(NoticeState::Draft.code())),
        id,
        version,
        actor.user_id,
        now,
    )
    .await?;
    write_recipients(&txn, id, v.recipients, now).await?;
    let after = get_sent_side(&txn, &scope, id, day).await?;
    let entry = Entry::new("update", KIND, id, &after.region_code)
        .summary(format!("修改函件草稿《{}》", after.title))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct VersionInput {
    pub version: i32,
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CloseInput {
    /// 办结说明: required while replies are missing.
    #[serde(default)]
    pub note: String,
    pub version: i32,
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ReturnInput {
    /// 退回原因.
    #[serde(default)]
    pub reason: String,
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ReplyInput {
    /// 回复内容.
    #[serde(default)]
    pub reply: String,
}

/// The next number of a county's kind and year from the county's counter (one series per
/// kind, named by its mark: 提, 促, 督, 改); call inside the sending transaction.
pub async fn next_seq(
    db: &impl ConnectionTrait,
    county: &str,
    kind: NoticeKind,
    year: i32,
) -> AppResult<i32> {
    Ok(platform::db::sequence::next(db, county, kind.number_mark(), year).await? as i32)
}

async fn county_name(db: &impl ConnectionTrait, county: &str) -> AppResult<String> {
    Ok(platform::regions::store::find(db, county)
        .await?
        .map(|r| r.name)
        .unwrap_or_default())
}

/// 发出: check the draft, give it its number, freeze it, let the recipients see it.
pub async fn send(state: &AppState, actor: &Actor, id: Uuid, version: i32) -> AppResult<Notice> {
    use notice::Column;
    let scope = require_sender(actor)?;
    let day = today(state);
    let before = get_sent_side(&state.db, &scope, id, day).await?;
    let draft = model::Draft {
        state: before.state,
        title: &before.title,
        content: &before.content,
        recipients: before.recipients.len(),
        reply_required: before.reply_required,
        reply_due_on: before.reply_due_on,
    };
    model::send(&draft, day).map_err(refused)?;
    let now = state.now();
    let year = chrono::Datelike::year(&day);
    let txn = state.db.begin().await?;
    let seq = next_seq(&txn, &before.region_code, before.kind, year).await?;
    let county = county_name(&txn, &before.region_code).await?;
    let number = model::number(&county, before.kind, year, seq);
    platform::db::versioned_update(
        &txn,
        notice::Entity::update_many()
            .col_expr(Column::State, Expr::value(NoticeState::Sent.code()))
            .col_expr(Column::Number, Expr::value(Some(number.clone())))
            .col_expr(Column::NumberYear, Expr::value(Some(year)))
            .col_expr(Column::NumberSeq, Expr::value(Some(seq)))
            .col_expr(Column::SentAt, Expr::value(Some(now)))
            .col_expr(Column::SentBy, Expr::value(Some(actor.user_id)))
            .col_expr(Column::SentOn, Expr::value(Some(day)))
            .filter(Column::State.eq(NoticeState::Draft.code())),
        id,
        version,
        actor.user_id,
        now,
    )
    .await?;
    recipient::Entity::update_many()
        .col_expr(recipient::Column::SentAt, Expr::value(Some(now)))
        .filter(recipient::Column::NoticeId.eq(id))
        .exec(&txn)
        .await?;
    let after = get_sent_side(&txn, &scope, id, day).await?;
    let entry = Entry::new("notice.send", KIND, id, &after.region_code)
        .summary(format!(
            "发出{} {}《{}》至 {}",
            after.kind_label(),
            number,
            after.title,
            after.recipient_names()
        ))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// 办结: every needed reply in, or a note saying why the letter is closed without them.
pub async fn close(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &CloseInput,
) -> AppResult<Notice> {
    use notice::Column;
    let scope = require_sender(actor)?;
    let day = today(state);
    let before = get_sent_side(&state.db, &scope, id, day).await?;
    let note = input.note.trim();
    if note.chars().count() > 1000 {
        return Err(AppError::field("note", "办结说明不超过 1000 个字"));
    }
    let pending = before.counts.recipients - before.counts.replied;
    model::close(before.state, before.reply_required, pending, note).map_err(refused)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::versioned_update(
        &txn,
        notice::Entity::update_many()
            .col_expr(Column::State, Expr::value(NoticeState::Closed.code()))
            .col_expr(Column::ClosedAt, Expr::value(Some(now)))
            .col_expr(Column::ClosedBy, Expr::value(Some(actor.user_id)))
            .col_expr(
                Column::Note,
                Expr::value(Some(note.to_string()).filter(|n| !n.is_empty())),
            ),
        id,
        input.version,
        actor.user_id,
        now,
    )
    .await?;
    let after = get_sent_side(&txn, &scope, id, day).await?;
    let summary = match note {
        "" => format!("函件 {} 办结", before.number_text()),
        n => format!("函件 {} 办结：{n}", before.number_text()),
    };
    let entry = Entry::new("notice.close", KIND, id, &after.region_code)
        .summary(summary)
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// One recipient row, with an optimistic lock on its version.
async fn update_recipient(
    txn: &impl ConnectionTrait,
    row: &Recipient,
    changes: sea_orm::UpdateMany<recipient::Entity>,
    who: Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    platform::db::versioned_update(txn, changes, row.id, row.version, who, now).await
}

/// 退回: the sender sends one recipient's reply back with a reason; it may reply again.
pub async fn return_reply(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    recipient_id: Uuid,
    input: &ReturnInput,
) -> AppResult<Notice> {
    use recipient::Column;
    let scope = require_sender(actor)?;
    let day = today(state);
    let before = get_sent_side(&state.db, &scope, id, day).await?;
    let row = before
        .recipients
        .iter()
        .find(|r| r.id == recipient_id)
        .ok_or(AppError::NotFound)?;
    let reason = input.reason.trim();
    if reason.chars().count() > 1000 {
        return Err(AppError::field("reason", "退回原因不超过 1000 个字"));
    }
    model::return_reply(before.state, row.is_replied(), reason).map_err(refused)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let none: Option<DateTime<Utc>> = None;
    update_recipient(
        &txn,
        row,
        recipient::Entity::update_many()
            .col_expr(Column::RepliedAt, Expr::value(none))
            .col_expr(Column::RepliedBy, Expr::value(Option::<Uuid>::None))
            .col_expr(Column::Reply, Expr::value(Option::<String>::None))
            .col_expr(Column::ReturnedAt, Expr::value(Some(now)))
            .col_expr(
                Column::ReturnedReason,
                Expr::value(Some(reason.to_string())),
            ),
        actor.user_id,
        now,
    )
    .await?;
    let after = get_sent_side(&txn, &scope, id, day).await?;
    let entry = Entry::new("notice.return", KIND, id, &after.region_code)
        .summary(format!(
            "退回{}对函件 {} 的回复：{reason}",
            row.name,
            before.number_text()
        ))
        .before(row)
        .after(&after.recipients.iter().find(|r| r.id == recipient_id));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// Attach files to a letter not yet closed (the sender's).
pub async fn attach(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    uploads: &[&Upload],
) -> AppResult<Vec<Attachment>> {
    let scope = require_sender(actor)?;
    let n = get_sent_side(&state.db, &scope, id, today(state)).await?;
    if n.state == NoticeState::Closed {
        return Err(AppError::conflict(
            "transition_refused",
            "函件已办结，不能再上传附件",
        ));
    }
    if uploads.is_empty() {
        return Err(AppError::field("files", "请选择要上传的文件"));
    }
    let owner = Owner {
        kind: KIND,
        id,
        region_code: &n.region_code,
    };
    attachments::attach(state, actor, owner, uploads, None).await
}

/// The recipient opens a letter: the first opening by any of its users is recorded, once.
pub async fn open(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<Notice> {
    use recipient::Column;
    let day = today(state);
    let n = get_as_recipient(&state.db, actor, id, day).await?;
    let Some(row) = n.mine().filter(|r| r.read_at.is_none()).cloned() else {
        return Ok(n);
    };
    let now = state.now();
    let txn = state.db.begin().await?;
    // Two users of a township opening at once: whoever is first keeps the record.
    let done = recipient::Entity::update_many()
        .col_expr(Column::ReadAt, Expr::value(Some(now)))
        .col_expr(Column::ReadBy, Expr::value(Some(actor.user_id)))
        .col_expr(Column::Version, Expr::value(row.version + 1))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .col_expr(Column::UpdatedBy, Expr::value(Some(actor.user_id)))
        .filter(Column::Id.eq(row.id))
        .filter(Column::ReadAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected > 0 {
        let entry = Entry::new("notice.read", KIND, id, &row.region_code).summary(format!(
            "{}签收函件 {}",
            row.name,
            n.number_text()
        ));
        audit::record(&txn, actor, now, entry).await?;
    }
    txn.commit().await?;
    get_as_recipient(&state.db, actor, id, day).await
}

/// 回复: the recipient's one reply (text and files), late or not; reading is implied.
pub async fn reply(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &ReplyInput,
    uploads: &[&Upload],
) -> AppResult<Notice> {
    use recipient::Column;
    let day = today(state);
    let n = get_as_recipient(&state.db, actor, id, day).await?;
    let row = n.mine().cloned().ok_or(AppError::NotFound)?;
    let text = input.reply.trim();
    if text.chars().count() > 5000 {
        return Err(AppError::field("reply", "回复内容不超过 5000 个字"));
    }
    model::reply(&model::Reply {
        notice: n.state,
        already_replied: row.is_replied(),
        text,
    })
    .map_err(refused)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let mut changes = recipient::Entity::update_many()
        .col_expr(Column::RepliedAt, Expr::value(Some(now)))
        .col_expr(Column::RepliedBy, Expr::value(Some(actor.user_id)))
        .col_expr(Column::Reply, Expr::value(Some(text.to_string())));
    if row.read_at.is_none() {
        changes = changes
            .col_expr(Column::ReadAt, Expr::value(Some(now)))
            .col_expr(Column::ReadBy, Expr::value(Some(actor.user_id)));
    }
    update_recipient(&txn, &row, changes, actor.user_id, now).await?;
    let owner = Owner {
        kind: REPLY_KIND,
        id: row.id,
        region_code: &row.region_code,
    };
    attachments::save(
        &txn,
        &state.settings.files_dir,
        actor,
        now,
        owner,
        uploads,
        None,
    )
    .await?;
    let late = model::replied_late(n.reply_due_on, Some(day));
    let entry = Entry::new("notice.reply", KIND, id, &row.region_code)
        .summary(format!(
            "{}回复函件 {}{}：{text}",
            row.name,
            n.number_text(),
            if late { "（逾期回复）" } else { "" }
        ))
        .before(&row);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    get_as_recipient(&state.db, actor, id, day).await
}

/// One line of a recipient's inbox.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct InboxItem {
    pub notice: Notice,
    /// This recipient's row.
    pub mine: Recipient,
}

impl InboxItem {
    pub fn unread(&self) -> bool {
        self.mine.state == RecipientState::Unread
    }

    /// A reply is still wanted from this recipient.
    pub fn awaiting_reply(&self) -> bool {
        self.notice.reply_required && self.notice.is_sent() && !self.mine.is_replied()
    }
}

/// The inbox page with how many are unread.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Inbox {
    #[serde(flatten)]
    pub page: PageOf<InboxItem>,
    pub unread: u64,
}

fn inbox_select(reach: &Reach) -> Option<sea_orm::Select<recipient::Entity>> {
    let condition = reach.condition()?;
    Some(
        recipient::Entity::find()
            .filter(condition)
            .filter(recipient::Column::SentAt.is_not_null()),
    )
}

/// The recipient's letters: unread first, then the latest.
pub async fn inbox(
    db: &impl ConnectionTrait,
    actor: &Actor,
    paging: Paging,
    today: NaiveDate,
) -> AppResult<Inbox> {
    use recipient::Column;
    let reach = reach(actor);
    let Some(select) = inbox_select(&reach) else {
        return Ok(Inbox {
            page: PageOf {
                items: Vec::new(),
                total: 0,
                page: paging.page(),
                per_page: paging.per_page(),
            },
            unread: 0,
        });
    };
    let unread = select
        .clone()
        .filter(Column::ReadAt.is_null())
        .count(db)
        .await?;
    let ordered = select
        .order_by_desc(Expr::col(Column::ReadAt).is_null())
        .order_by_desc(Column::SentAt)
        .order_by_asc(Column::Id);
    let page = fetch_page(db, ordered, paging).await?;
    let ids: Vec<Uuid> = page.items.iter().map(|r| r.notice_id).collect();
    let models = notice::Entity::find()
        .filter(notice::Column::Id.is_in(ids))
        .filter(notice::Column::VoidedAt.is_null())
        .all(db)
        .await?;
    let row_ids: Vec<Uuid> = page.items.iter().map(|r| r.id).collect();
    let notices = decorate(db, models, |r| row_ids.contains(&r.id), today).await?;
    let mut by_id: HashMap<Uuid, Notice> = notices.into_iter().map(|n| (n.id, n)).collect();
    let items = page
        .items
        .iter()
        .filter_map(|r| {
            let n = by_id.remove(&r.notice_id)?;
            let mine = n.recipients.iter().find(|x| x.id == r.id)?.clone();
            Some(InboxItem { notice: n, mine })
        })
        .collect();
    Ok(Inbox {
        page: PageOf {
            items,
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        },
        unread,
    })
}

/// Letters still waiting for this recipient's reply: (all, urgent — due within 2 days or past).
pub async fn awaiting_my_reply(
    db: &impl ConnectionTrait,
    actor: &Actor,
    today: NaiveDate,
) -> AppResult<(usize, usize)> {
    let reach = reach(actor);
    let Some(select) = inbox_select(&reach) else {
        return Ok((0, 0));
    };
    let rows = select
        .filter(recipient::Column::RepliedAt.is_null())
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok((0, 0));
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.notice_id).collect();
    let waiting: Vec<notice::Model> = notice::Entity::find()
        .filter(notice::Column::Id.is_in(ids))
        .filter(notice::Column::VoidedAt.is_null())
        .filter(notice::Column::State.eq(NoticeState::Sent.code()))
        .filter(notice::Column::ReplyRequired.eq(true))
        .all(db)
        .await?;
    let urgent = waiting
        .iter()
        .filter(|n| model::due_within(n.reply_due_on, today, 2))
        .count();
    Ok((waiting.len(), urgent))
}

/// How many of the sender's letters have replies missing past their date.
pub async fn count_with_overdue(
    db: &impl ConnectionTrait,
    scope: &Scope,
    today: NaiveDate,
) -> AppResult<u64> {
    Ok(notice::Entity::find()
        .filter(scope.condition(notice::Column::RegionCode))
        .filter(notice::Column::VoidedAt.is_null())
        .filter(overdue_condition(today))
        .count(db)
        .await?)
}

/// Letters sent in a period, for the statistics page.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct NoticeTotals {
    /// (kind code, label, letters sent) for every kind, zeros included.
    pub by_kind: Vec<(String, String, u64)>,
    pub sent: u64,
    /// Recipients of those letters.
    pub recipients: u64,
    pub replied: u64,
    /// Replies that came late or are missing past their date.
    pub overdue: u64,
}

/// Totals of letters sent between `from` and `to` (inclusive) in `scope`. Missing replies count
/// as overdue once their date is before `to` or `today` (the app's clock), whichever is earlier.
pub async fn totals(
    db: &impl ConnectionTrait,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> AppResult<NoticeTotals> {
    let models = notice::Entity::find()
        .filter(scope.condition(notice::Column::RegionCode))
        .filter(notice::Column::VoidedAt.is_null())
        .filter(notice::Column::State.ne(NoticeState::Draft.code()))
        .filter(notice::Column::SentOn.gte(from))
        .filter(notice::Column::SentOn.lte(to))
        .all(db)
        .await?;
    let mut out = NoticeTotals {
        by_kind: NoticeKind::ALL
            .into_iter()
            .map(|k| (k.code().to_string(), k.label().to_string(), 0))
            .collect(),
        sent: models.len() as u64,
        ..Default::default()
    };
    for m in &models {
        if let Some(slot) = out.by_kind.iter_mut().find(|(code, _, _)| *code == m.kind) {
            slot.2 += 1;
        }
    }
    // "Overdue" is judged as of the period's end, or today if that is earlier.
    let as_of = Ord::min(to, today);
    let letters: HashMap<Uuid, &notice::Model> = models.iter().map(|m| (m.id, m)).collect();
    // Only each recipient's letter and reply time: a county's half-year is ~1,000 recipients,
    // and whole rows with names were most of the 统计 page's time.
    for (notice_id, replied_at) in replies(db, letters.keys().copied().collect()).await? {
        let Some(n) = letters.get(&notice_id) else {
            continue;
        };
        let (state, due) = reply_terms(n);
        let replied_on = replied_at.map(local_day);
        out.recipients += 1;
        out.replied += u64::from(replied_on.is_some());
        out.overdue += u64::from(model::counts_as_late(state, due, replied_on, as_of));
    }
    Ok(out)
}

/// Each recipient of these letters: its letter and when it replied.
async fn replies(
    db: &impl ConnectionTrait,
    notice_ids: Vec<Uuid>,
) -> AppResult<Vec<(Uuid, Option<DateTime<Utc>>)>> {
    if notice_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(recipient::Entity::find()
        .select_only()
        .column(recipient::Column::NoticeId)
        .column(recipient::Column::RepliedAt)
        .filter(recipient::Column::NoticeId.is_in(notice_ids))
        .into_tuple()
        .all(db)
        .await?)
}

/// The sender's list filtered to a kind and period (and overdue replies), for statistics links.
pub fn list_href(kind: Option<&str>, from: NaiveDate, to: NaiveDate, overdue: bool) -> String {
    let mut href = format!("/safety/notices?from={from}&to={to}");
    if let Some(k) = kind {
        href.push_str(&format!("&kind={k}"));
    }
    if overdue {
        href.push_str("&overdue=true");
    }
    href
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_links_carry_the_filter() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            list_href(Some("supervision"), d("2026-01-01"), d("2026-06-30"), true),
            "/safety/notices?from=2026-01-01&to=2026-06-30&kind=supervision&overdue=true"
        );
        assert_eq!(
            list_href(None, d("2026-01-01"), d("2026-01-31"), false),
            "/safety/notices?from=2026-01-01&to=2026-01-31"
        );
    }
}
