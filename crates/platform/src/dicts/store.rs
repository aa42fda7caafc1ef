//! Dictionary queries and changes. Reading is open to every logged-in user (forms need the
//! options); changing needs `admin.org`, is versioned and audited. Items are disabled, never
//! deleted, because business records keep the codes they were classified under.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, SqlErr, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{dict, item};
use super::model::{self, makes_cycle, parse_code, parse_edition, parse_label};
use crate::access::{Actor, perm};
use crate::audit::{self, Entry, Who};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::AppState;
use crate::web::form::optional;
use crate::web::paging::{PageOf, Paging, fetch_page};

/// 数据字典 with the editions it holds.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Dict {
    pub code: String,
    pub name: String,
    pub current_edition: String,
    pub description: String,
    /// Every edition that has items, oldest name first.
    pub editions: Vec<EditionInfo>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct EditionInfo {
    pub edition: String,
    /// All items, enabled or not.
    pub items: u64,
    pub enabled: u64,
}

impl Dict {
    /// Items of the current edition.
    pub fn current_items(&self) -> u64 {
        self.edition(&self.current_edition).map_or(0, |e| e.items)
    }

    pub fn edition(&self, edition: &str) -> Option<&EditionInfo> {
        self.editions.iter().find(|e| e.edition == edition)
    }

    pub fn has_edition(&self, edition: &str) -> bool {
        edition == self.current_edition || self.edition(edition).is_some()
    }
}

/// 字典项 — one code of one edition.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DictItem {
    pub id: Uuid,
    pub dict_code: String,
    pub edition: String,
    pub code: String,
    pub label: String,
    pub parent_code: Option<String>,
    pub sort: i32,
    pub enabled: bool,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

impl From<item::Model> for DictItem {
    fn from(m: item::Model) -> Self {
        Self {
            id: m.id,
            dict_code: m.dict_code,
            edition: m.edition,
            code: m.code,
            label: m.label,
            parent_code: m.parent_code,
            sort: m.sort,
            enabled: m.enabled,
            version: m.version,
            updated_at: m.updated_at,
        }
    }
}

impl DictItem {
    /// `2024-06-21 14:05` in UTC+8.
    pub fn updated_local(&self) -> String {
        crate::clock::format_local(self.updated_at)
    }
}

/// Write what is shipped in `seed/dicts/` and missing from the database: new dictionaries,
/// new editions, new codes. Never touches a row that exists, so an administrator's edits (labels,
/// disabled codes, the current edition) survive every start. One transaction; safe to run on
/// every start and from several servers at once.
pub async fn seed(db: &DatabaseConnection) -> AppResult<()> {
    let (dicts, editions) = model::shipped()
        .map_err(|e| anyhow::anyhow!("shipped dictionary seed files are broken: {e:?}"))?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let models: Vec<dict::ActiveModel> = dicts
        .iter()
        .map(|d| dict::ActiveModel {
            code: Set(d.code.clone()),
            name: Set(d.name.clone()),
            current_edition: Set(d.current_edition.clone()),
            description: Set(d.description.clone()),
        })
        .collect();
    let new_dicts = dict::Entity::insert_many(models)
        .on_conflict(
            OnConflict::column(dict::Column::Code)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    let existing: HashSet<(String, String, String)> = item::Entity::find()
        .select_only()
        .columns([
            item::Column::DictCode,
            item::Column::Edition,
            item::Column::Code,
        ])
        .into_tuple()
        .all(&txn)
        .await?
        .into_iter()
        .collect();
    let mut missing = Vec::new();
    for e in &editions {
        for (i, it) in e.items.iter().enumerate() {
            let key = (e.dict_code.clone(), e.edition.clone(), it.code.clone());
            if existing.contains(&key) {
                continue;
            }
            missing.push(item::ActiveModel {
                id: Set(Uuid::now_v7()),
                dict_code: Set(key.0),
                edition: Set(key.1),
                code: Set(key.2),
                label: Set(it.label.clone()),
                parent_code: Set(it.parent_code.clone()),
                sort: Set(i as i32 + 1),
                enabled: Set(true),
                version: Set(1),
                updated_at: Set(now),
                updated_by: Set(None),
            });
        }
    }
    let mut new_items = 0;
    for chunk in missing.chunks(200) {
        new_items += item::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([
                    item::Column::DictCode,
                    item::Column::Edition,
                    item::Column::Code,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    if new_dicts + new_items > 0 {
        let who = Who {
            id: None,
            name: "系统",
            ip: None,
        };
        let entry = Entry::new("import", "dict", "seed", "000000000000").summary(format!(
            "初始化数据字典：新增字典 {new_dicts} 个、字典项 {new_items} 项"
        ));
        audit::record(&txn, who, now, entry).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Item counts per dictionary and edition.
async fn edition_counts(
    db: &impl ConnectionTrait,
    dict_code: Option<&str>,
) -> AppResult<BTreeMap<String, Vec<EditionInfo>>> {
    let mut q = item::Entity::find()
        .select_only()
        .column(item::Column::DictCode)
        .column(item::Column::Edition)
        .column(item::Column::Enabled)
        .column_as(Expr::col(item::Column::Id).count(), "n")
        .group_by(item::Column::DictCode)
        .group_by(item::Column::Edition)
        .group_by(item::Column::Enabled);
    if let Some(code) = dict_code {
        q = q.filter(item::Column::DictCode.eq(code));
    }
    let rows: Vec<(String, String, bool, i64)> = q.into_tuple().all(db).await?;
    let mut out: BTreeMap<String, BTreeMap<String, EditionInfo>> = BTreeMap::new();
    for (dict, edition, enabled, n) in rows {
        let info = out
            .entry(dict)
            .or_default()
            .entry(edition.clone())
            .or_insert(EditionInfo {
                edition,
                items: 0,
                enabled: 0,
            });
        info.items += n as u64;
        if enabled {
            info.enabled += n as u64;
        }
    }
    Ok(out
        .into_iter()
        .map(|(dict, editions)| (dict, editions.into_values().collect()))
        .collect())
}

fn to_dict(m: dict::Model, counts: &mut BTreeMap<String, Vec<EditionInfo>>) -> Dict {
    Dict {
        editions: counts.remove(&m.code).unwrap_or_default(),
        code: m.code,
        name: m.name,
        current_edition: m.current_edition,
        description: m.description,
    }
}

/// Every dictionary with its editions and item counts.
pub async fn list_dicts(db: &impl ConnectionTrait) -> AppResult<Vec<Dict>> {
    let mut counts = edition_counts(db, None).await?;
    Ok(dict::Entity::find()
        .order_by_asc(dict::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|m| to_dict(m, &mut counts))
        .collect())
}

pub async fn get_dict(db: &impl ConnectionTrait, code: &str) -> AppResult<Dict> {
    let m = dict::Entity::find_by_id(code.to_string())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut counts = edition_counts(db, Some(code)).await?;
    Ok(to_dict(m, &mut counts))
}

/// The edition asked for, or the current one; an edition the dictionary doesn't have is 404.
async fn resolve_edition(
    db: &impl ConnectionTrait,
    dict_code: &str,
    edition: Option<&str>,
) -> AppResult<String> {
    let d = dict::Entity::find_by_id(dict_code.to_string())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    match edition.map(str::trim).filter(|e| !e.is_empty()) {
        None => Ok(d.current_edition),
        Some(e) if e == d.current_edition => Ok(d.current_edition),
        Some(e) => {
            let exists = item::Entity::find()
                .filter(item::Column::DictCode.eq(dict_code))
                .filter(item::Column::Edition.eq(e))
                .one(db)
                .await?
                .is_some();
            if exists {
                Ok(e.to_string())
            } else {
                Err(AppError::NotFound)
            }
        }
    }
}

fn select_items(dict_code: &str, edition: &str) -> sea_orm::Select<item::Entity> {
    item::Entity::find()
        .filter(item::Column::DictCode.eq(dict_code))
        .filter(item::Column::Edition.eq(edition))
        .order_by_asc(item::Column::Sort)
        .order_by_asc(item::Column::Code)
}

/// Every item (enabled or not) of an edition — the current one by default — in display order.
pub async fn items(
    db: &impl ConnectionTrait,
    dict_code: &str,
    edition: Option<&str>,
) -> AppResult<Vec<DictItem>> {
    // One statement when the edition has items (every page that shows labels asks); an empty
    // answer is checked (a dictionary or edition that does not exist is 404, not empty).
    let asked = edition.map(str::trim).filter(|e| !e.is_empty());
    let found = match asked {
        Some(e) => select_items(dict_code, e).all(db).await?,
        None => select_current_items(dict_code).all(db).await?,
    };
    let found = if found.is_empty() {
        let edition = resolve_edition(db, dict_code, asked).await?;
        select_items(dict_code, &edition).all(db).await?
    } else {
        found
    };
    Ok(found.into_iter().map(DictItem::from).collect())
}

/// The items of the dictionary's current edition, in display order.
fn select_current_items(dict_code: &str) -> sea_orm::Select<item::Entity> {
    item::Entity::find()
        .filter(item::Column::DictCode.eq(dict_code))
        .filter(item::Column::Edition.in_subquery(current_edition(dict_code)))
        .order_by_asc(item::Column::Sort)
        .order_by_asc(item::Column::Code)
}

/// `SELECT current_edition FROM dicts WHERE code = dict_code`.
fn current_edition(dict_code: &str) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::QueryTrait;
    dict::Entity::find()
        .select_only()
        .column(dict::Column::CurrentEdition)
        .filter(dict::Column::Code.eq(dict_code))
        .into_query()
}

/// The enabled items of the current edition: the choices a form offers.
pub async fn options(db: &impl ConnectionTrait, dict_code: &str) -> AppResult<Vec<DictItem>> {
    Ok(items(db, dict_code, None)
        .await?
        .into_iter()
        .filter(|i| i.enabled)
        .collect())
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ItemFilter {
    /// Edition; the current one when absent.
    pub edition: Option<String>,
    /// Part of the code or the label.
    pub q: Option<String>,
    /// Only enabled (`true`) or only disabled (`false`) items.
    pub enabled: Option<bool>,
}

/// One page of an edition's items, filtered.
pub async fn search_items(
    db: &impl ConnectionTrait,
    dict_code: &str,
    filter: &ItemFilter,
    paging: Paging,
) -> AppResult<PageOf<DictItem>> {
    let edition = resolve_edition(db, dict_code, filter.edition.as_deref()).await?;
    let mut q = select_items(dict_code, &edition);
    if let Some(text) = optional(&filter.q) {
        q = q.filter(
            sea_orm::Condition::any()
                .add(item::Column::Code.contains(&text))
                .add(item::Column::Label.contains(&text)),
        );
    }
    if let Some(enabled) = filter.enabled {
        q = q.filter(item::Column::Enabled.eq(enabled));
    }
    Ok(fetch_page(db, q, paging).await?.map(DictItem::from))
}

pub async fn get_item(db: &impl ConnectionTrait, id: Uuid) -> AppResult<DictItem> {
    item::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(DictItem::from)
        .ok_or(AppError::NotFound)
}

/// The label of a code in the dictionary's current edition (disabled codes included, so old
/// records still read well). For records that keep the edition they were classified under, use
/// [`label_in`]: the same code can mean different things in different editions.
pub async fn label_of(
    db: &impl ConnectionTrait,
    dict_code: &str,
    code: &str,
) -> AppResult<Option<String>> {
    let Some(d) = dict::Entity::find_by_id(dict_code.to_string())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    label_in(db, dict_code, &d.current_edition, code).await
}

/// The label of a code in a given edition.
pub async fn label_in(
    db: &impl ConnectionTrait,
    dict_code: &str,
    edition: &str,
    code: &str,
) -> AppResult<Option<String>> {
    Ok(item::Entity::find()
        .select_only()
        .column(item::Column::Label)
        .filter(item::Column::DictCode.eq(dict_code))
        .filter(item::Column::Edition.eq(edition))
        .filter(item::Column::Code.eq(code))
        .into_tuple::<String>()
        .one(db)
        .await?)
}

/// Code → label for a whole edition (the current one by default), for list pages and exports.
pub async fn labels(
    db: &impl ConnectionTrait,
    dict_code: &str,
    edition: Option<&str>,
) -> AppResult<HashMap<String, String>> {
    Ok(items(db, dict_code, edition)
        .await?
        .into_iter()
        .map(|i| (i.code, i.label))
        .collect())
}

/// The enabled item with this code in the current edition, if any: what a form may accept.
/// Store its `edition` beside the code.
pub async fn find_current(
    db: &impl ConnectionTrait,
    dict_code: &str,
    code: &str,
) -> AppResult<Option<DictItem>> {
    Ok(item::Entity::find()
        .filter(item::Column::DictCode.eq(dict_code))
        .filter(item::Column::Edition.in_subquery(current_edition(dict_code)))
        .filter(item::Column::Code.eq(code.trim()))
        .filter(item::Column::Enabled.eq(true))
        .one(db)
        .await?
        .map(DictItem::from))
}

/// A new item. The edition defaults to the dictionary's current one; naming a new edition
/// starts it (switch to it with [`set_current_edition`] once it is complete).
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct NewItem {
    pub code: String,
    pub label: String,
    pub edition: Option<String>,
    /// Code of the parent item in the same edition.
    pub parent_code: Option<String>,
    /// Display order; after the last item when absent.
    pub sort: Option<i32>,
}

/// A change to an item. Omitted fields keep their value; an empty `parent_code` removes the
/// parent. The code and edition of an item never change (records refer to them).
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ItemChange {
    pub label: Option<String>,
    pub parent_code: Option<String>,
    pub sort: Option<i32>,
    pub enabled: Option<bool>,
    /// The version the form was loaded at.
    pub version: Option<i32>,
}

/// Code → parent of every item of an edition.
async fn parents_of(
    db: &impl ConnectionTrait,
    dict_code: &str,
    edition: &str,
) -> AppResult<HashMap<String, Option<String>>> {
    Ok(item::Entity::find()
        .select_only()
        .column(item::Column::Code)
        .column(item::Column::ParentCode)
        .filter(item::Column::DictCode.eq(dict_code))
        .filter(item::Column::Edition.eq(edition))
        .into_tuple::<(String, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// The parent as typed: must be another item of the same edition and must not make a loop.
fn check_parent(
    parents: &HashMap<String, Option<String>>,
    code: &str,
    parent: Option<&str>,
    errors: &mut FieldErrors,
) -> Option<String> {
    let parent = parent.map(str::trim).filter(|p| !p.is_empty())?;
    if !parents.contains_key(parent) {
        errors.insert(
            "parent_code".into(),
            format!("上级编码 {parent} 不在本版本中"),
        );
    } else if makes_cycle(parents, code, parent) {
        errors.insert("parent_code".into(), "不能选择自身或其下级作为上级".into());
    }
    Some(parent.to_string())
}

fn duplicate_code(code: &str) -> String {
    format!("本版本中已有编码 {code}")
}

pub async fn create_item(
    state: &AppState,
    actor: &Actor,
    dict_code: &str,
    input: &NewItem,
) -> AppResult<DictItem> {
    actor.require(perm::ADMIN_ORG)?;
    let dict = dict::Entity::find_by_id(dict_code.to_string())
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let code = parse_code(&input.code)
        .map_err(|m| errors.insert("code".into(), m.into()))
        .ok();
    let label = parse_label(&input.label)
        .map_err(|m| errors.insert("label".into(), m.into()))
        .ok();
    let edition = match optional(&input.edition) {
        None => Some(dict.current_edition.clone()),
        Some(e) => parse_edition(&e)
            .map_err(|m| errors.insert("edition".into(), m.into()))
            .ok(),
    };
    let (Some(code), Some(label), Some(edition)) = (code, label, edition) else {
        return Err(AppError::Validation(errors));
    };
    let parents = parents_of(&state.db, dict_code, &edition).await?;
    if parents.contains_key(&code) {
        errors.insert("code".into(), duplicate_code(&code));
    }
    let parent_code = check_parent(&parents, &code, input.parent_code.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let sort = match input.sort {
        Some(s) => s,
        None => next_sort(&state.db, dict_code, &edition).await?,
    };
    let now = state.now();
    let txn = state.db.begin().await?;
    let inserted = item::ActiveModel {
        id: Set(Uuid::now_v7()),
        dict_code: Set(dict_code.to_string()),
        edition: Set(edition),
        code: Set(code.clone()),
        label: Set(label),
        parent_code: Set(parent_code),
        sort: Set(sort),
        enabled: Set(true),
        version: Set(1),
        updated_at: Set(now),
        updated_by: Set(Some(actor.user_id)),
    }
    .insert(&txn)
    .await;
    let model = match inserted {
        Ok(m) => m,
        // Someone added the same code a moment ago.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(AppError::field("code", duplicate_code(&code)));
        }
        Err(e) => return Err(e.into()),
    };
    let created = DictItem::from(model);
    let entry = Entry::new("create", "dict_item", created.id, &actor.region_code)
        .summary(format!(
            "新增字典项 {}（{}）{} {}",
            dict.name, created.edition, created.code, created.label
        ))
        .after(&created);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(created)
}

async fn next_sort(db: &impl ConnectionTrait, dict_code: &str, edition: &str) -> AppResult<i32> {
    let max: Option<Option<i32>> = item::Entity::find()
        .select_only()
        .column_as(Expr::col(item::Column::Sort).max(), "m")
        .filter(item::Column::DictCode.eq(dict_code))
        .filter(item::Column::Edition.eq(edition))
        .into_tuple()
        .one(db)
        .await?;
    Ok(max.flatten().unwrap_or(0).saturating_add(1))
}

pub async fn update_item(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &ItemChange,
) -> AppResult<DictItem> {
    actor.require(perm::ADMIN_ORG)?;
    let before = get_item(&state.db, id).await?;
    let mut errors = FieldErrors::new();
    let label = match &input.label {
        Some(text) => parse_label(text)
            .map_err(|m| errors.insert("label".into(), m.into()))
            .unwrap_or_default(),
        None => before.label.clone(),
    };
    let parent_code = match &input.parent_code {
        Some(text) => {
            let parents = parents_of(&state.db, &before.dict_code, &before.edition).await?;
            check_parent(&parents, &before.code, Some(text), &mut errors)
        }
        None => before.parent_code.clone(),
    };
    let version = input.version;
    if version.is_none() {
        errors.insert("version".into(), "缺少版本号，请刷新页面后重试".into());
    }
    let Some(version) = version.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let sort = input.sort.unwrap_or(before.sort);
    let enabled = input.enabled.unwrap_or(before.enabled);
    let now = state.now();
    let txn = state.db.begin().await?;
    crate::db::versioned_update(
        &txn,
        item::Entity::update_many()
            .col_expr(item::Column::Label, Expr::value(label))
            .col_expr(item::Column::ParentCode, Expr::value(parent_code))
            .col_expr(item::Column::Sort, Expr::value(sort))
            .col_expr(item::Column::Enabled, Expr::value(enabled)),
        id,
        version,
        actor.user_id,
        now,
    )
    .await?;
    let after = get_item(&txn, id).await?;
    let what = match (before.enabled, after.enabled) {
        (true, false) => "停用",
        (false, true) => "启用",
        _ => "修改",
    };
    let entry = Entry::new("update", "dict_item", id, &actor.region_code)
        .summary(format!(
            "{what}字典项 {}（{}）{} {}",
            after.dict_code, after.edition, after.code, after.label
        ))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// 启用 / 停用 one item, at the version the user saw.
pub async fn set_enabled(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    enabled: bool,
    version: Option<i32>,
) -> AppResult<DictItem> {
    let change = ItemChange {
        enabled: Some(enabled),
        version,
        ..ItemChange::default()
    };
    update_item(state, actor, id, &change).await
}

/// Switch the edition new records are classified under. The edition must have enabled items.
pub async fn set_current_edition(
    state: &AppState,
    actor: &Actor,
    dict_code: &str,
    edition: &str,
) -> AppResult<Dict> {
    actor.require(perm::ADMIN_ORG)?;
    let before = get_dict(&state.db, dict_code).await?;
    let edition = edition.trim();
    if before.current_edition == edition {
        return Ok(before);
    }
    if before.edition(edition).is_none_or(|e| e.enabled == 0) {
        return Err(AppError::field(
            "edition",
            format!("版本 {edition} 没有启用的字典项，不能设为当前版本"),
        ));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    dict::Entity::update_many()
        .col_expr(dict::Column::CurrentEdition, Expr::value(edition))
        .filter(dict::Column::Code.eq(dict_code))
        .exec(&txn)
        .await?;
    let after = get_dict(&txn, dict_code).await?;
    let entry = Entry::new("update", "dict", dict_code, &actor.region_code)
        .summary(format!(
            "字典 {} 的当前版本由 {} 改为 {}",
            after.name, before.current_edition, after.current_edition
        ))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

#[cfg(test)]
pub(in crate::dicts) mod tests {
    use std::sync::Arc;

    use sea_orm::{ConnectOptions, Database, PaginatorTrait};
    use sea_orm_migration::{MigrationTrait, MigratorTrait};

    use super::*;
    use crate::access::Role;
    use crate::clock::ManualClock;
    use crate::web::Settings;

    struct Migrator;

    impl MigratorTrait for Migrator {
        fn migrations() -> Vec<Box<dyn MigrationTrait>> {
            crate::db::platform_migrations()
        }
    }

    /// A fresh in-memory database (one connection, so every query sees it), migrated and seeded.
    pub(in crate::dicts) async fn state() -> AppState {
        let mut options = ConnectOptions::new("sqlite::memory:");
        options
            .max_connections(1)
            .min_connections(1)
            .sqlx_logging(false);
        let db = Database::connect(options).await.expect("in-memory SQLite");
        Migrator::up(&db, None).await.expect("migrations");
        seed(&db).await.expect("seed");
        let clock = Arc::new(ManualClock::new(Utc::now()));
        AppState::new(db, clock, Settings::default(), Vec::new(), Vec::new())
    }

    pub(in crate::dicts) fn actor(roles: Vec<Role>) -> Actor {
        Actor {
            user_id: Uuid::now_v7(),
            username: "admin".into(),
            display_name: "系统管理员".into(),
            region_code: "510722000000".into(),
            region_name: "三台县".into(),
            roles,
            department_id: None,
            must_change_password: false,
            ip: None,
            csrf_token: None,
        }
    }

    fn admin() -> Actor {
        actor(vec![Role::SystemAdmin])
    }

    fn field_error(result: AppResult<impl std::fmt::Debug>, field: &str) -> String {
        match result {
            Err(AppError::Validation(fields)) => fields
                .get(field)
                .cloned()
                .unwrap_or_else(|| panic!("no error on {field}: {fields:?}")),
            other => panic!("expected a field error on {field}, got {other:?}"),
        }
    }

    pub(in crate::dicts) async fn item_by_code(
        state: &AppState,
        dict: &str,
        edition: &str,
        code: &str,
    ) -> DictItem {
        items(&state.db, dict, Some(edition))
            .await
            .expect("items")
            .into_iter()
            .find(|i| i.code == code)
            .unwrap_or_else(|| panic!("{dict}@{edition} {code}"))
    }

    #[tokio::test]
    async fn seeding_again_adds_nothing_and_keeps_an_administrators_edits() {
        let state = state().await;
        let before = item::Entity::find().count(&state.db).await.expect("count");
        let shipped: usize = model::shipped()
            .expect("seed")
            .1
            .iter()
            .map(|e| e.items.len())
            .sum();
        assert_eq!(before as usize, shipped);

        let fire = item_by_code(&state, "accident_type", "GB6441-1986", "08").await;
        let change = ItemChange {
            label: Some("火灾（含爆燃）".into()),
            enabled: Some(false),
            version: Some(fire.version),
            ..ItemChange::default()
        };
        update_item(&state, &admin(), fire.id, &change)
            .await
            .expect("edit");
        set_current_edition(&state, &admin(), "accident_type", "GB6441-2025")
            .await
            .expect("switch");

        seed(&state.db).await.expect("seed again");
        assert_eq!(
            item::Entity::find().count(&state.db).await.expect("count"),
            before
        );
        let fire = get_item(&state.db, fire.id).await.expect("item");
        assert_eq!(fire.label, "火灾（含爆燃）");
        assert!(!fire.enabled);
        let dict = get_dict(&state.db, "accident_type").await.expect("dict");
        assert_eq!(dict.current_edition, "GB6441-2025");
    }

    #[tokio::test]
    async fn a_duplicate_code_is_refused_beside_the_code_field() {
        let state = state().await;
        let input = NewItem {
            code: "gas".into(),
            label: "燃气（重复）".into(),
            ..NewItem::default()
        };
        let message = field_error(
            create_item(&state, &admin(), "unit_industry", &input).await,
            "code",
        );
        assert!(message.contains("gas"), "{message}");

        // The same code may exist in another edition.
        let input = NewItem {
            edition: Some("2026".into()),
            ..input
        };
        let created = create_item(&state, &admin(), "unit_industry", &input)
            .await
            .expect("new edition");
        assert_eq!(
            (created.edition.as_str(), created.version, created.enabled),
            ("2026", 1, true)
        );
    }

    #[tokio::test]
    async fn bad_input_is_refused_field_by_field() {
        let state = state().await;
        let input = NewItem {
            code: "带 空格".into(),
            label: String::new(),
            edition: Some("GB 6441".into()),
            ..NewItem::default()
        };
        let Err(AppError::Validation(fields)) =
            create_item(&state, &admin(), "unit_industry", &input).await
        else {
            panic!("expected field errors");
        };
        assert_eq!(
            fields.get("code").map(String::as_str),
            Some(model::CODE_RULE)
        );
        assert_eq!(
            fields.get("label").map(String::as_str),
            Some(model::LABEL_RULE)
        );
        assert_eq!(
            fields.get("edition").map(String::as_str),
            Some(model::EDITION_RULE)
        );

        let input = NewItem {
            code: "kiln".into(),
            label: "砖窑".into(),
            parent_code: Some("nowhere".into()),
            ..NewItem::default()
        };
        field_error(
            create_item(&state, &admin(), "unit_industry", &input).await,
            "parent_code",
        );
    }

    #[tokio::test]
    async fn a_new_item_lands_last_under_its_parent_and_is_audited() {
        let state = state().await;
        let input = NewItem {
            code: "fireworks_storage".into(),
            label: "烟花爆竹仓储".into(),
            parent_code: Some("fireworks".into()),
            ..NewItem::default()
        };
        let created = create_item(&state, &admin(), "unit_industry", &input)
            .await
            .expect("create");
        let all = items(&state.db, "unit_industry", None)
            .await
            .expect("items");
        assert_eq!(all.last().map(|i| i.id), Some(created.id));
        assert_eq!(created.parent_code.as_deref(), Some("fireworks"));
        let trail = crate::audit::entity::Entity::find()
            .filter(crate::audit::entity::Column::RecordId.eq(created.id.to_string()))
            .count(&state.db)
            .await
            .expect("audit");
        assert_eq!(trail, 1);
    }

    #[tokio::test]
    async fn a_stale_edit_is_refused_with_a_conflict() {
        let state = state().await;
        let drought = item_by_code(&state, "disaster_type", "2024", "drought").await;
        let change = ItemChange {
            label: Some("干旱灾害".into()),
            version: Some(drought.version),
            ..ItemChange::default()
        };
        let saved = update_item(&state, &admin(), drought.id, &change)
            .await
            .expect("first edit");
        assert_eq!(saved.version, drought.version + 1);
        match update_item(&state, &admin(), drought.id, &change).await {
            Err(AppError::Conflict { code, message }) => {
                assert_eq!(code, "stale_edit");
                assert!(message.contains("刷新"), "{message}");
            }
            other => panic!("expected stale_edit, got {other:?}"),
        }
        field_error(
            update_item(&state, &admin(), drought.id, &ItemChange::default()).await,
            "version",
        );
    }

    #[tokio::test]
    async fn an_item_cannot_hang_under_itself_or_its_children() {
        let state = state().await;
        let hydro = item_by_code(&state, "disaster_type", "2024", "hydro").await;
        for parent in ["hydro", "flood"] {
            let change = ItemChange {
                parent_code: Some(parent.into()),
                version: Some(hydro.version),
                ..ItemChange::default()
            };
            field_error(
                update_item(&state, &admin(), hydro.id, &change).await,
                "parent_code",
            );
        }
        // An empty parent removes it.
        let flood = item_by_code(&state, "disaster_type", "2024", "flood").await;
        let change = ItemChange {
            parent_code: Some(String::new()),
            version: Some(flood.version),
            ..ItemChange::default()
        };
        let flood = update_item(&state, &admin(), flood.id, &change)
            .await
            .expect("detach");
        assert_eq!(flood.parent_code, None);
    }

    #[tokio::test]
    async fn labels_follow_the_edition_a_record_was_classified_under() {
        let state = state().await;
        assert_eq!(
            label_of(&state.db, "accident_type", "05")
                .await
                .expect("label")
                .as_deref(),
            Some("触电")
        );
        set_current_edition(&state, &admin(), "accident_type", "GB6441-2025")
            .await
            .expect("switch");
        assert_eq!(
            label_of(&state.db, "accident_type", "05")
                .await
                .expect("label")
                .as_deref(),
            Some("起重致害")
        );
        assert_eq!(
            label_in(&state.db, "accident_type", "GB6441-1986", "05")
                .await
                .expect("label")
                .as_deref(),
            Some("触电")
        );
        assert_eq!(
            label_of(&state.db, "no_such_dict", "05")
                .await
                .expect("label"),
            None
        );
        field_error(
            set_current_edition(&state, &admin(), "accident_type", "1999").await,
            "edition",
        );
    }

    #[tokio::test]
    async fn disabled_codes_leave_the_form_choices_but_keep_their_label() {
        let state = state().await;
        let retail = item_by_code(&state, "unit_industry", "2024", "fireworks_retail").await;
        set_enabled(&state, &admin(), retail.id, false, Some(retail.version))
            .await
            .expect("disable");
        let choices = options(&state.db, "unit_industry").await.expect("options");
        assert!(choices.iter().all(|i| i.code != "fireworks_retail"));
        assert!(
            find_current(&state.db, "unit_industry", "fireworks_retail")
                .await
                .expect("find")
                .is_none()
        );
        assert_eq!(
            label_of(&state.db, "unit_industry", "fireworks_retail")
                .await
                .expect("label")
                .as_deref(),
            Some("烟花爆竹零售")
        );
    }

    #[tokio::test]
    async fn only_the_system_administrator_changes_dictionaries() {
        let state = state().await;
        let staff = actor(vec![Role::SafetyStaff]);
        let input = NewItem {
            code: "x".into(),
            label: "某行业".into(),
            ..NewItem::default()
        };
        assert!(matches!(
            create_item(&state, &staff, "unit_industry", &input).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            set_current_edition(&state, &staff, "accident_type", "GB6441-2025").await,
            Err(AppError::Forbidden)
        ));
        // Reading needs no permission.
        assert_eq!(list_dicts(&state.db).await.expect("dicts").len(), 4);
        assert!(matches!(
            items(&state.db, "unit_industry", Some("1999")).await,
            Err(AppError::NotFound)
        ));
    }
}
