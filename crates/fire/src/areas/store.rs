//! Areas' queries and changes, scoped and audited.
//! - Readers: FIRE_VIEW holders read the live areas inside their scope.
//! - Writers: FIRE_EDIT holders at the county (or above) import; every feature of a file must
//!   name a county or township inside their scope. A file goes in whole or not at all, in one
//!   transaction: the region's live area, if any, is voided and the new one inserted, with an
//!   audit row per area.
//! - Locating: [`index_for`] gives the county's [`AreaIndex`], cached in memory per county and
//!   rebuilt when the set of live rows changes (checked by their ids on every call, so an
//!   import by another server is seen too).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, RwLock};

use geo::MultiPolygon;
use platform::access::{Actor, Scope, perm};
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::regions::model::{Level, county_of};
use platform::regions::store::Region;
use platform::web::AppState;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity;
use super::index::{AreaIndex, Located};
use super::model::{self, AreaLevel, RegionRef};

pub const KIND: &str = "fire_area";

/// Names of this ledger's audit actions, registered with the platform at start-up.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("fire.area.import", "导入乡镇范围"),
    ("fire.area.demo", "生成近似乡镇范围（演示）"),
];

/// A live area, without its geometry.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Area {
    pub id: Uuid,
    pub region_code: String,
    pub region_name: String,
    pub level: AreaLevel,
    /// 近似范围: to be labelled so wherever shown.
    pub approximate: bool,
    pub source: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

impl Area {
    pub fn level_label(&self) -> &'static str {
        self.level.label()
    }

    pub fn updated(&self) -> String {
        platform::clock::format_local(self.updated_at)
    }
}

fn area_of(m: &entity::Model, names: &HashMap<String, String>) -> Area {
    Area {
        id: m.id,
        region_name: names.get(&m.region_code).cloned().unwrap_or_default(),
        region_code: m.region_code.clone(),
        level: AreaLevel::parse(&m.level).unwrap_or(AreaLevel::Township),
        approximate: m.approximate,
        source: m.source.clone(),
        updated_at: m.updated_at,
        version: m.version,
    }
}

async fn live_rows(db: &impl ConnectionTrait, scope: &Scope) -> AppResult<Vec<entity::Model>> {
    Ok(entity::Entity::find()
        .filter(scope.condition(entity::Column::RegionCode))
        .filter(entity::Column::VoidedAt.is_null())
        .order_by_asc(entity::Column::RegionCode)
        .order_by_asc(entity::Column::Id)
        .all(db)
        .await?)
}

async fn names_of(
    db: &impl ConnectionTrait,
    rows: &[entity::Model],
) -> AppResult<HashMap<String, String>> {
    let codes: Vec<String> = rows.iter().map(|r| r.region_code.clone()).collect();
    let mut out = HashMap::new();
    for chunk in codes.chunks(500) {
        let found = platform::regions::entity::Entity::find()
            .filter(platform::regions::entity::Column::Code.is_in(chunk.iter().cloned()))
            .all(db)
            .await?;
        out.extend(found.into_iter().map(|r| (r.code, r.name)));
    }
    Ok(out)
}

/// Whether any live area in the actor's scope is approximate (近似范围), without loading the
/// geometries: the hotspot pages ask on every load.
pub async fn any_approximate(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<bool> {
    actor.require(perm::FIRE_VIEW)?;
    let found = entity::Entity::find()
        .select_only()
        .column(entity::Column::Id)
        .filter(actor.scope().condition(entity::Column::RegionCode))
        .filter(entity::Column::VoidedAt.is_null())
        .filter(entity::Column::Approximate.eq(true))
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    Ok(found.is_some())
}

/// The live areas in the actor's scope, by region code (county outline first).
pub async fn list(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<Area>> {
    actor.require(perm::FIRE_VIEW)?;
    let rows = live_rows(db, &actor.scope()).await?;
    let names = names_of(db, &rows).await?;
    Ok(rows.iter().map(|m| area_of(m, &names)).collect())
}

/// The live areas in scope with their shapes, for drawing.
pub async fn shapes(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> AppResult<Vec<(Area, MultiPolygon<f64>)>> {
    actor.require(perm::FIRE_VIEW)?;
    let rows = live_rows(db, &actor.scope()).await?;
    let names = names_of(db, &rows).await?;
    Ok(rows
        .iter()
        .filter_map(|m| Some((area_of(m, &names), model::from_geojson(&m.geometry)?)))
        .collect())
}

/// The county's townships that have no live area, in code order (code, name).
pub async fn without_area(
    db: &impl ConnectionTrait,
    county: &str,
) -> AppResult<Vec<(String, String)>> {
    let scope = Scope::of(county);
    let have: std::collections::HashSet<String> = live_rows(db, &scope)
        .await?
        .into_iter()
        .map(|r| r.region_code)
        .collect();
    Ok(
        platform::regions::store::list_level(db, &scope, Level::Township)
            .await?
            .into_iter()
            .filter(|r| !have.contains(&r.code))
            .map(|r| (r.code, r.name))
            .collect(),
    )
}

/// An area about to be written.
#[derive(Clone, Debug)]
pub struct NewArea {
    pub region_code: String,
    pub level: AreaLevel,
    pub shape: MultiPolygon<f64>,
    pub approximate: bool,
    pub source: String,
}

/// What an import did.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ImportOutcome {
    /// Areas written.
    pub imported: usize,
    /// Earlier live areas of the same regions, voided.
    pub replaced: usize,
    pub areas: Vec<Area>,
}

/// Options of an import.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema, utoipa::IntoParams)]
pub struct ImportOptions {
    /// Where the boundaries come from (e.g. 县自然资源局 2025 年乡镇界线).
    pub source: Option<String>,
    /// Mark the areas as approximate (近似范围).
    #[serde(default, deserialize_with = "de_flag")]
    pub approximate: Option<bool>,
}

/// A checkbox ("on"), "true"/"false", or a JSON bool.
fn de_flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    Ok(match Option::<Flag>::deserialize(d)? {
        None => None,
        Some(Flag::Bool(b)) => Some(b),
        Some(Flag::Text(t)) => Some(matches!(t.trim(), "on" | "true" | "1" | "yes")),
    })
}

fn require_writer(actor: &Actor) -> AppResult<()> {
    actor.require(perm::FIRE_EDIT)?;
    // Areas are the county's: a township's staff do not redraw them.
    if actor.scope().prefix().len() > 6 {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Whether the actor may import areas (for showing the form).
pub fn is_writer(actor: &Actor) -> bool {
    require_writer(actor).is_ok()
}

fn feature_key(number: usize) -> String {
    format!("feature_{number:04}")
}

/// The region a feature names, resolved against the regions table and the actor's scope.
fn resolve(
    reference: &RegionRef,
    scope: &Scope,
    by_code: &HashMap<String, Region>,
    in_scope: &[Region],
) -> Result<(String, AreaLevel), String> {
    let level_of = |r: &Region| match r.level {
        Level::County => Ok(AreaLevel::County),
        Level::Township => Ok(AreaLevel::Township),
        other => Err(format!(
            "区划“{}”是{}，只能导入县界或乡镇范围",
            r.name,
            other.label()
        )),
    };
    match reference {
        RegionRef::Code(code) => {
            let Some(region) = by_code.get(code) else {
                return Err(format!("未知区划：{code}"));
            };
            if !scope.contains(code) {
                return Err(format!("区划“{}”（{code}）不在您的管辖范围内", region.name));
            }
            Ok((code.clone(), level_of(region)?))
        }
        RegionRef::Name(name) => {
            let matches: Vec<&Region> = in_scope
                .iter()
                .filter(|r| matches!(r.level, Level::County | Level::Township))
                .filter(|r| r.name == *name || r.short_name == *name)
                .collect();
            match matches.as_slice() {
                [one] => Ok((one.code.clone(), level_of(one)?)),
                [] => Err(format!("未知区划：您的管辖范围内没有名为“{name}”的乡镇")),
                _ => Err(format!("名称“{name}”对应多个区划，请改用区划代码（code）")),
            }
        }
    }
}

/// Check a FeatureCollection: every feature's problems, keyed `feature_0001`…, or the areas.
pub async fn check_collection(
    db: &impl ConnectionTrait,
    actor: &Actor,
    text: &str,
    options: &ImportOptions,
) -> AppResult<Vec<NewArea>> {
    let features =
        model::parse_collection(text).map_err(|e| AppError::field("file", e.to_string()))?;
    let scope = actor.scope();
    let in_scope = platform::regions::store::in_scope(db, &scope).await?;
    let mut by_code: HashMap<String, Region> = in_scope
        .iter()
        .map(|r| (r.code.clone(), r.clone()))
        .collect();
    // Codes outside scope must still be told apart from unknown ones.
    for f in &features {
        if let Ok(RegionRef::Code(code)) = &f.region
            && !by_code.contains_key(code)
            && let Some(r) = platform::regions::store::find(db, code).await?
        {
            by_code.insert(code.clone(), r);
        }
    }
    let source = options
        .source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("GeoJSON 导入")
        .chars()
        .take(200)
        .collect::<String>();
    let approximate = options.approximate.unwrap_or(false);
    let mut errors = FieldErrors::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for f in features {
        let region = f
            .region
            .and_then(|r| resolve(&r, &scope, &by_code, &in_scope));
        let mut problems = Vec::new();
        if let Err(e) = &f.geometry {
            problems.push(e.clone());
        }
        match &region {
            Err(e) => problems.push(e.clone()),
            Ok((code, _)) => {
                if let Some(first) = seen.insert(code.clone(), f.number) {
                    problems.push(format!("与第 {first} 个要素是同一区划"));
                }
            }
        }
        if !problems.is_empty() {
            errors.insert(
                feature_key(f.number),
                format!("第 {} 个要素：{}", f.number, problems.join("；")),
            );
            continue;
        }
        if let (Ok((code, level)), Ok(shape)) = (region, f.geometry) {
            out.push(NewArea {
                region_code: code,
                level,
                shape,
                approximate,
                source: source.clone(),
            });
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(out)
}

/// Import a GeoJSON FeatureCollection: all features or none.
pub async fn import(
    state: &AppState,
    actor: &Actor,
    text: &str,
    options: &ImportOptions,
) -> AppResult<ImportOutcome> {
    require_writer(actor)?;
    let areas = check_collection(&state.db, actor, text, options).await?;
    save(state, actor, areas, "fire.area.import").await
}

/// Write areas in one transaction, replacing each region's live area; audited per area.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    areas: Vec<NewArea>,
    action: &str,
) -> AppResult<ImportOutcome> {
    require_writer(actor)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let mut replaced = 0;
    let mut written = Vec::with_capacity(areas.len());
    let mut befores = Vec::with_capacity(areas.len());
    for a in areas {
        let old = entity::Entity::find()
            .filter(entity::Column::RegionCode.eq(&a.region_code))
            .filter(entity::Column::VoidedAt.is_null())
            .all(&txn)
            .await?;
        let mut before = None;
        for o in old {
            replaced += 1;
            before = Some(area_of(&o, &HashMap::new()));
            let mut m: entity::ActiveModel = o.clone().into();
            m.voided_at = Set(Some(now));
            m.void_reason = Set(Some("重新导入，已被替换".into()));
            m.version = Set(o.version + 1);
            m.updated_at = Set(now);
            m.updated_by = Set(Some(actor.user_id));
            m.update(&txn).await?;
        }
        let m = entity::ActiveModel {
            level: Set(a.level.code().into()),
            geometry: Set(model::to_geojson(&a.shape)),
            approximate: Set(a.approximate),
            source: Set(a.source.clone()),
            ..platform::db::new_record(
                Uuid::now_v7(),
                a.region_code.clone(),
                Some(actor.user_id),
                now,
            )
        }
        .insert(&txn)
        .await?;
        written.push(m);
        befores.push(before);
    }
    let names = names_of(&txn, &written).await?;
    let mut out = Vec::with_capacity(written.len());
    for (m, before) in written.iter().zip(befores) {
        let area = area_of(m, &names);
        let tag = if area.approximate {
            "（近似范围）"
        } else {
            ""
        };
        let replaced = if before.is_some() {
            "，替换原有范围"
        } else {
            ""
        };
        let mut entry = Entry::new(action, KIND, area.id, &area.region_code)
            .summary(format!(
                "{}{}{tag}{replaced}，来源：{}",
                area.region_name,
                area.level.label(),
                area.source
            ))
            .after(&area);
        if let Some(b) = &before {
            entry = entry.before(b);
        }
        audit::record(&txn, actor, now, entry).await?;
        out.push(area);
    }
    txn.commit().await?;
    forget(written.iter().map(|m| county_of(&m.region_code)));
    Ok(ImportOutcome {
        imported: out.len(),
        replaced,
        areas: out,
    })
}

type Cached = (Vec<Uuid>, Arc<AreaIndex>);

/// Per county (12 digits): the ids of the live rows the index was built from, and the index.
static CACHE: LazyLock<RwLock<HashMap<String, Cached>>> = LazyLock::new(Default::default);

fn forget(counties: impl Iterator<Item = String>) {
    let mut cache = CACHE.write().unwrap_or_else(|e| e.into_inner());
    for c in counties {
        cache.remove(&c);
    }
}

/// The locating index of a county's live areas (`county`: any code in the county; its first
/// 6 digits count). Cached; rebuilt when the county's live rows changed since it was built.
/// No scope check: callers have already decided the actor may see the county's records.
pub async fn index_for(db: &impl ConnectionTrait, county: &str) -> AppResult<Arc<AreaIndex>> {
    let county = county_of(county);
    let scope = Scope::of(&county);
    let ids: Vec<Uuid> = entity::Entity::find()
        .select_only()
        .column(entity::Column::Id)
        .filter(scope.condition(entity::Column::RegionCode))
        .filter(entity::Column::VoidedAt.is_null())
        .order_by_asc(entity::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    if let Some((built_from, index)) = CACHE.read().unwrap_or_else(|e| e.into_inner()).get(&county)
        && *built_from == ids
    {
        return Ok(index.clone());
    }
    let rows = live_rows(db, &scope).await?;
    let ids: Vec<Uuid> = {
        let mut ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        ids.sort();
        ids
    };
    let mut outline = None;
    let mut townships = Vec::new();
    for r in &rows {
        let Some(shape) = model::from_geojson(&r.geometry) else {
            tracing::warn!(id = %r.id, "fire area with unreadable geometry left out of the index");
            continue;
        };
        if r.region_code == county {
            outline = Some(shape);
        } else {
            townships.push((r.region_code.clone(), shape));
        }
    }
    let index = Arc::new(AreaIndex::new(outline, townships));
    CACHE
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(county, (ids, index.clone()));
    Ok(index)
}

/// Where a point lies, for the API and pages.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Location {
    /// township | county_only | outside
    pub result: String,
    /// The township (12 digits), when in one.
    pub region_code: Option<String>,
    pub region_name: Option<String>,
    /// Whether the township's area is approximate (近似范围).
    pub approximate: bool,
}

/// Locate a point in the actor's county.
pub async fn locate(
    db: &impl ConnectionTrait,
    actor: &Actor,
    lon: f64,
    lat: f64,
) -> AppResult<Location> {
    actor.require(perm::FIRE_VIEW)?;
    let county = county_of(&actor.region_code);
    let index = index_for(db, &county).await?;
    Ok(match index.locate(lon, lat) {
        Located::Township(code) => {
            let row = entity::Entity::find()
                .filter(entity::Column::RegionCode.eq(&code))
                .filter(entity::Column::VoidedAt.is_null())
                .one(db)
                .await?;
            let name = platform::regions::store::find(db, &code)
                .await?
                .map(|r| r.name);
            Location {
                result: "township".into(),
                region_code: Some(code),
                region_name: name,
                approximate: row.is_some_and(|r| r.approximate),
            }
        }
        Located::CountyOnly => Location {
            result: "county_only".into(),
            region_code: None,
            region_name: None,
            approximate: false,
        },
        Located::Outside => Location {
            result: "outside".into(),
            region_code: None,
            region_name: None,
            approximate: false,
        },
    })
}
