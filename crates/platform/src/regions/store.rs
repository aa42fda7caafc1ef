//! Region queries. Regions are reference data, but a user still browses only inside scope.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::entity::{self, Column, Entity};
use super::model::{Level, short_name};
use crate::access::Scope;
use crate::error::{AppError, AppResult};

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub level: Level,
    pub kind: String,
    pub parent_code: Option<String>,
}

impl From<entity::Model> for Region {
    fn from(m: entity::Model) -> Self {
        Self {
            short_name: short_name(&m.name),
            level: Level::from_i16(m.level).unwrap_or(Level::Village),
            code: m.code,
            name: m.name,
            kind: m.kind,
            parent_code: m.parent_code,
        }
    }
}

/// One region, if it exists and lies inside `scope`.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, code: &str) -> AppResult<Region> {
    if !scope.contains(code) {
        return Err(AppError::NotFound);
    }
    Entity::find_by_id(code.to_string())
        .one(db)
        .await?
        .map(Region::from)
        .ok_or(AppError::NotFound)
}

/// A region by code without scope: for names of reference codes (e.g. a user's own region).
pub async fn find(db: &impl ConnectionTrait, code: &str) -> AppResult<Option<Region>> {
    Ok(Entity::find_by_id(code.to_string())
        .one(db)
        .await?
        .map(Region::from))
}

/// The short names (芦溪镇, 金河村) of these codes, for lists that show where records belong;
/// a code not found is missing from the map.
pub async fn short_names(
    db: &impl ConnectionTrait,
    codes: impl IntoIterator<Item = String>,
) -> AppResult<std::collections::HashMap<String, String>> {
    let codes: std::collections::BTreeSet<String> = codes.into_iter().collect();
    let mut out = std::collections::HashMap::new();
    let codes: Vec<String> = codes.into_iter().collect();
    for chunk in codes.chunks(500) {
        let found = Entity::find()
            .filter(Column::Code.is_in(chunk.iter().cloned()))
            .all(db)
            .await?;
        out.extend(found.into_iter().map(|r| (r.code, short_name(&r.name))));
    }
    Ok(out)
}

/// The short name of `code` from [`short_names`], or the code itself when it is unknown.
pub fn region_name(names: &std::collections::HashMap<String, String>, code: &str) -> String {
    names.get(code).cloned().unwrap_or_else(|| code.to_string())
}

/// A county's name and the stem its document numbers use (三台县 → 三台).
pub async fn county_names(db: &impl ConnectionTrait, county: &str) -> AppResult<(String, String)> {
    let name = find(db, county).await?.map(|r| r.name).unwrap_or_default();
    let stem = super::model::document_stem(&name);
    Ok((name, stem))
}

pub async fn children(
    db: &impl ConnectionTrait,
    scope: &Scope,
    parent: &str,
) -> AppResult<Vec<Region>> {
    get(db, scope, parent).await?;
    Ok(Entity::find()
        .filter(Column::ParentCode.eq(parent))
        .filter(Column::Retired.eq(false))
        .order_by_asc(Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(Region::from)
        .collect())
}

/// The chain from the top of the tree down to `code`, for breadcrumbs.
pub async fn ancestors(db: &impl ConnectionTrait, code: &str) -> AppResult<Vec<Region>> {
    // The codes a division code's ancestors have by the national scheme (2-2-2-3-3 digits), read
    // at once; the chain still follows `parent_code`, reading any link the scheme did not guess.
    let guessed: Vec<String> = [2, 4, 6, 9]
        .iter()
        .filter_map(|n| code.get(..*n))
        .map(|prefix| format!("{prefix:0<12}"))
        .chain(std::iter::once(code.to_string()))
        .collect();
    let mut known: std::collections::HashMap<String, Region> = Entity::find()
        .filter(Column::Code.is_in(guessed))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.code.clone(), Region::from(m)))
        .collect();
    let mut chain = Vec::new();
    let mut next = Some(code.to_string());
    while let Some(current) = next {
        let region = match known.remove(&current) {
            Some(region) => region,
            None => match find(db, &current).await? {
                Some(region) => region,
                None => break,
            },
        };
        next = region.parent_code.clone();
        chain.push(region);
    }
    chain.reverse();
    Ok(chain)
}

/// Every region of a level inside scope, e.g. the townships of a county for a select box.
pub async fn list_level(
    db: &impl ConnectionTrait,
    scope: &Scope,
    level: Level,
) -> AppResult<Vec<Region>> {
    Ok(Entity::find()
        .filter(scope.condition(Column::Code))
        .filter(Column::Level.eq(level as i16))
        .filter(Column::Retired.eq(false))
        .order_by_asc(Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(Region::from)
        .collect())
}

/// Every live region inside scope, in code order (a county with its townships and villages is
/// about 500 rows): one query for select boxes that list them all.
pub async fn in_scope(db: &impl ConnectionTrait, scope: &Scope) -> AppResult<Vec<Region>> {
    Ok(Entity::find()
        .filter(scope.condition(Column::Code))
        .filter(Column::Retired.eq(false))
        .order_by_asc(Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(Region::from)
        .collect())
}

/// Regions inside scope whose name contains `q`, for pickers.
pub async fn search(
    db: &impl ConnectionTrait,
    scope: &Scope,
    q: &str,
    limit: u64,
) -> AppResult<Vec<Region>> {
    use sea_orm::QuerySelect;
    Ok(Entity::find()
        .filter(scope.condition(Column::Code))
        .filter(Column::Name.contains(q))
        .order_by_asc(Column::Code)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(Region::from)
        .collect())
}

/// How many live regions of each level lie inside `scope` (the home page's 辖 N 个乡镇、N 个村),
/// in one query.
pub async fn count<const N: usize>(
    db: &impl ConnectionTrait,
    scope: &Scope,
    levels: [Level; N],
) -> AppResult<[u64; N]> {
    use sea_orm::QuerySelect;
    let codes: Vec<i16> = levels.iter().map(|l| *l as i16).collect();
    let found: Vec<(i16, i64)> = Entity::find()
        .select_only()
        .column(Column::Level)
        .column_as(crate::db::as_i64(Column::Code.count()), "n")
        .filter(scope.condition(Column::Code))
        .filter(Column::Level.is_in(codes))
        .filter(Column::Retired.eq(false))
        .group_by(Column::Level)
        .into_tuple()
        .all(db)
        .await?;
    Ok(levels.map(|level| {
        found
            .iter()
            .find(|(l, _)| *l == level as i16)
            .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0))
    }))
}
