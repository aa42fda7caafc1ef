//! Contact groups: scoped, versioned, voided with a reason, every change audited.

use std::collections::{BTreeSet, HashMap};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{group, member};
use crate::access::{Actor, Scope};
use crate::audit::{self, Entry};
use crate::contacts::entity as contact;
use crate::contacts::store::Contact;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::AppState;
use crate::web::form::text_field;

const KIND: &str = "contact_group";

/// A group as lists show it: its live members counted.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Group {
    pub id: Uuid,
    pub region_code: String,
    pub name: String,
    pub note: Option<String>,
    pub members: usize,
    pub voided: bool,
    pub version: i32,
}

/// A group with its live members, in the order the address book lists them.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct GroupDetail {
    #[serde(flatten)]
    pub group: Group,
    pub contacts: Vec<Contact>,
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct GroupInput {
    pub name: Option<String>,
    pub note: Option<String>,
    /// Contact ids; a page sends one `members` field per ticked box.
    #[serde(default)]
    pub members: Vec<String>,
    /// On edit: the version the form was loaded at.
    pub version: Option<i32>,
}

impl GroupInput {
    pub fn of(d: &GroupDetail) -> Self {
        Self {
            name: Some(d.group.name.clone()),
            note: d.group.note.clone(),
            members: d.contacts.iter().map(|c| c.id.to_string()).collect(),
            version: Some(d.group.version),
        }
    }
}

/// Groups in scope (live ones unless `voided`), by name.
pub async fn list(db: &impl ConnectionTrait, scope: &Scope, voided: bool) -> AppResult<Vec<Group>> {
    let mut q = group::Entity::find().filter(scope.condition(group::Column::RegionCode));
    if !voided {
        q = q.filter(group::Column::VoidedAt.is_null());
    }
    let groups = q.order_by_asc(group::Column::Name).all(db).await?;
    let ids: Vec<Uuid> = groups.iter().map(|g| g.id).collect();
    let counts = live_member_counts(db, ids).await?;
    Ok(groups
        .into_iter()
        .map(|g| {
            let members = counts.get(&g.id).copied().unwrap_or(0);
            summary(g, members)
        })
        .collect())
}

fn summary(g: group::Model, members: usize) -> Group {
    Group {
        voided: g.voided_at.is_some(),
        id: g.id,
        region_code: g.region_code,
        name: g.name,
        note: g.note,
        members,
        version: g.version,
    }
}

async fn live_member_counts(
    db: &impl ConnectionTrait,
    groups: Vec<Uuid>,
) -> AppResult<HashMap<Uuid, usize>> {
    let mut counts = HashMap::new();
    if groups.is_empty() {
        return Ok(counts);
    }
    let rows = member::Entity::find()
        .filter(member::Column::GroupId.is_in(groups))
        .all(db)
        .await?;
    let live = live_contacts(db, rows.iter().map(|r| r.contact_id).collect()).await?;
    for r in rows {
        if live.contains_key(&r.contact_id) {
            *counts.entry(r.group_id).or_insert(0) += 1;
        }
    }
    Ok(counts)
}

async fn live_contacts(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> AppResult<HashMap<Uuid, contact::Model>> {
    let mut out = HashMap::new();
    // Bounded IN lists: SQLite allows 32 766 variables, groups are far smaller, but be safe.
    for chunk in ids.chunks(500) {
        let found = contact::Entity::find()
            .filter(contact::Column::Id.is_in(chunk.iter().copied()))
            .filter(contact::Column::VoidedAt.is_null())
            .all(db)
            .await?;
        out.extend(found.into_iter().map(|c| (c.id, c)));
    }
    Ok(out)
}

pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> AppResult<GroupDetail> {
    let g = group::Entity::find_by_id(id)
        .filter(scope.condition(group::Column::RegionCode))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let contacts = members(db, &[id]).await?;
    Ok(GroupDetail {
        group: summary(g, contacts.len()),
        contacts: contacts.into_iter().map(Contact::from).collect(),
    })
}

/// The live contacts of these groups, each once, in address-book order — what a warning or a
/// dispatch sends to.
pub async fn members(db: &impl ConnectionTrait, groups: &[Uuid]) -> AppResult<Vec<contact::Model>> {
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    let rows = member::Entity::find()
        .filter(member::Column::GroupId.is_in(groups.iter().copied()))
        .all(db)
        .await?;
    let ids: BTreeSet<Uuid> = rows.iter().map(|r| r.contact_id).collect();
    let mut people: Vec<contact::Model> = live_contacts(db, ids.into_iter().collect())
        .await?
        .into_values()
        .collect();
    people
        .sort_by(|a, b| (&a.region_code, a.sort, &a.name).cmp(&(&b.region_code, b.sort, &b.name)));
    Ok(people)
}

/// The names of these groups (voided ones too: a record shows whom it reached), by name.
pub async fn names(db: &impl ConnectionTrait, ids: &[Uuid]) -> AppResult<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(group::Entity::find()
        .filter(group::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(group::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.name)
        .collect())
}

/// Live groups in scope among `ids` (a warning's chosen groups), refusing any other.
pub async fn require_in_scope(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[Uuid],
) -> AppResult<Vec<Group>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found = group::Entity::find()
        .filter(group::Column::Id.is_in(ids.iter().copied()))
        .filter(scope.condition(group::Column::RegionCode))
        .filter(group::Column::VoidedAt.is_null())
        .all(db)
        .await?;
    if found.len() != ids.iter().collect::<BTreeSet<_>>().len() {
        return Err(AppError::field(
            "contact_groups",
            "通讯录分组不存在或已作废",
        ));
    }
    Ok(found.into_iter().map(|g| summary(g, 0)).collect())
}

struct Valid {
    name: String,
    note: Option<String>,
    members: Vec<Uuid>,
}

async fn validate(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: &GroupInput,
    editing: Option<Uuid>,
) -> AppResult<Valid> {
    let mut errors = FieldErrors::new();
    let name = text_field(&mut errors, "name", &input.name, 40, "分组名称");
    match &name {
        None if !errors.contains_key("name") => {
            errors.insert("name".into(), "请填写分组名称".into());
        }
        Some(name) if name_taken(db, actor, name, editing).await? => {
            errors.insert("name".into(), format!("已有名为「{name}」的分组"));
        }
        _ => {}
    }
    let note = text_field(&mut errors, "note", &input.note, 200, "说明");
    let mut ids = BTreeSet::new();
    for raw in &input.members {
        match Uuid::parse_str(raw.trim()) {
            Ok(id) => {
                ids.insert(id);
            }
            Err(_) => {
                errors.insert("members".into(), "成员选择有误，请刷新页面后重选".into());
            }
        }
    }
    let members: Vec<Uuid> = ids.into_iter().collect();
    let live = live_contacts(db, members.clone()).await?;
    let scope = actor.scope();
    if members
        .iter()
        .any(|id| live.get(id).is_none_or(|c| !scope.contains(&c.region_code)))
    {
        errors.insert(
            "members".into(),
            "所选成员中有不在您管辖范围内或已作废的责任人".into(),
        );
    }
    match name {
        Some(name) if errors.is_empty() => Ok(Valid {
            name,
            note,
            members,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

async fn name_taken(
    db: &impl ConnectionTrait,
    actor: &Actor,
    name: &str,
    editing: Option<Uuid>,
) -> AppResult<bool> {
    let mut q = group::Entity::find()
        .filter(group::Column::RegionCode.eq(&actor.region_code))
        .filter(group::Column::Name.eq(name))
        .filter(group::Column::VoidedAt.is_null());
    if let Some(id) = editing {
        q = q.filter(group::Column::Id.ne(id));
    }
    Ok(q.one(db).await?.is_some())
}

fn require_edit(actor: &Actor) -> AppResult<()> {
    if crate::contacts::may_edit(actor) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn replace_members(
    db: &impl ConnectionTrait,
    group_id: Uuid,
    members: &[Uuid],
) -> AppResult<()> {
    member::Entity::delete_many()
        .filter(member::Column::GroupId.eq(group_id))
        .exec(db)
        .await?;
    for chunk in members.chunks(400) {
        member::Entity::insert_many(chunk.iter().map(|&contact_id| member::ActiveModel {
            group_id: Set(group_id),
            contact_id: Set(contact_id),
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// A new group, owned by the actor's region.
pub async fn create(state: &AppState, actor: &Actor, input: &GroupInput) -> AppResult<GroupDetail> {
    require_edit(actor)?;
    let v = validate(&state.db, actor, input, None).await?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let created = group::ActiveModel {
        name: Set(v.name),
        note: Set(v.note),
        ..crate::db::new_record(
            Uuid::now_v7(),
            actor.region_code.clone(),
            Some(actor.user_id),
            now,
        )
    }
    .insert(&txn)
    .await?;
    replace_members(&txn, created.id, &v.members).await?;
    let after = get(&txn, &actor.scope(), created.id).await?;
    let entry = Entry::new("create", KIND, after.group.id, &after.group.region_code)
        .summary(format!(
            "新建通讯录分组「{}」（{} 人）",
            after.group.name, after.group.members
        ))
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// Rename, re-describe and set the members; `version` must be the one read.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &GroupInput,
) -> AppResult<GroupDetail> {
    require_edit(actor)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    if before.group.voided {
        return Err(AppError::conflict(
            "already_voided",
            "该分组已作废，不能修改",
        ));
    }
    let v = validate(&state.db, actor, input, Some(id)).await?;
    let version = input.version.unwrap_or(before.group.version);
    let now = state.now();
    let txn = state.db.begin().await?;
    crate::db::versioned_update(
        &txn,
        group::Entity::update_many()
            .col_expr(group::Column::Name, sea_orm::sea_query::Expr::value(v.name))
            .col_expr(group::Column::Note, sea_orm::sea_query::Expr::value(v.note)),
        id,
        version,
        actor.user_id,
        now,
    )
    .await?;
    replace_members(&txn, id, &v.members).await?;
    let after = get(&txn, &actor.scope(), id).await?;
    let entry = Entry::new("update", KIND, id, &after.group.region_code)
        .summary(format!(
            "修改通讯录分组「{}」（{} 人）",
            after.group.name, after.group.members
        ))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// 作废 with a reason; warnings already sent keep who they reached.
pub async fn void(state: &AppState, actor: &Actor, id: Uuid, reason: &str) -> AppResult<Group> {
    require_edit(actor)?;
    let reason = crate::db::void_reason(reason)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    let now = state.now();
    let txn = state.db.begin().await?;
    crate::db::mark_voided::<group::Entity>(&txn, id, &reason, actor.user_id, now).await?;
    let after = get(&txn, &actor.scope(), id).await?;
    let entry = Entry::new("void", KIND, id, &after.group.region_code)
        .summary(format!("作废通讯录分组「{}」：{reason}", after.group.name))
        .before(&before);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after.group)
}

/// Group ids as a form or a JSON body sends them (blank entries ignored).
pub fn parse_ids(raw: &[String]) -> AppResult<Vec<Uuid>> {
    raw.iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            Uuid::parse_str(s).map_err(|_| AppError::field("contact_groups", "通讯录分组选择有误"))
        })
        .collect()
}
