//! Campaigns (专项行动): their own queries and changes, and their progress over the units and
//! inspections in the actor's scope. Re-exported by [`super::store`].

use std::collections::HashSet;

use chrono::NaiveDate;
use platform::access::{Actor, perm};
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::regions::Level;
use platform::web::AppState;
use platform::web::form::{label_of, optional, parse_date, text_field};
use platform::web::paging::{PageOf, Paging, fetch_page};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{campaign, inspection};
use super::model::{self, CAMPAIGN_KINDS, CampaignState, is_tour};
use super::store::{CAMPAIGN_KIND, Names, join, split, today};
use crate::hazards::entity::hazard;
use crate::units::entity::unit;
use crate::units::store::{INDUSTRY_DICT, county_of};

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Campaign {
    pub id: Uuid,
    pub region_code: String,
    pub name: String,
    /// rectification | enforcement | holiday | supervision | publicity
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// From the dates, as of today in UTC+8.
    pub state: CampaignState,
    /// `unit_industry` codes; empty = every sector.
    pub sectors: Vec<String>,
    pub sector_labels: Vec<String>,
    /// Township codes; empty = the whole county.
    pub townships: Vec<String>,
    pub township_names: Vec<String>,
    pub department_id: Option<Uuid>,
    pub department_name: String,
    pub description: Option<String>,
    pub version: i32,
}

impl Campaign {
    pub fn kind_label(&self) -> &'static str {
        label_of(CAMPAIGN_KINDS, &self.kind)
    }

    pub fn state_label(&self) -> &'static str {
        self.state.label()
    }

    pub fn state_code(&self) -> &'static str {
        match self.state {
            CampaignState::Upcoming => "upcoming",
            CampaignState::Active => "active",
            CampaignState::Ended => "ended",
        }
    }

    pub fn state_class(&self) -> &'static str {
        self.state.class()
    }

    pub fn sectors_text(&self) -> String {
        if self.sector_labels.is_empty() {
            "全部行业".to_string()
        } else {
            self.sector_labels.join("、")
        }
    }

    pub fn townships_text(&self) -> String {
        if self.township_names.is_empty() {
            "全县".to_string()
        } else {
            self.township_names.join("、")
        }
    }

    pub fn period(&self) -> String {
        format!("{} 至 {}", self.starts_on, self.ends_on)
    }
}

async fn decorate_campaigns(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    models: Vec<campaign::Model>,
) -> AppResult<Vec<Campaign>> {
    let mut names = Names::default();
    let mut out = Vec::with_capacity(models.len());
    for m in models {
        let sectors = split(&m.sectors);
        let townships = split(&m.townships);
        let mut sector_labels = Vec::new();
        for s in &sectors {
            sector_labels.push(names.industry(db, s).await?);
        }
        let mut township_names = Vec::new();
        for t in &townships {
            township_names.push(names.region(db, t).await?);
        }
        let department_name = match m.department_id {
            Some(id) => names.department(db, id).await?,
            None => String::new(),
        };
        out.push(Campaign {
            state: CampaignState::of(m.starts_on, m.ends_on, today),
            id: m.id,
            region_code: m.region_code,
            name: m.name,
            kind: m.kind,
            starts_on: m.starts_on,
            ends_on: m.ends_on,
            sectors,
            sector_labels,
            townships,
            township_names,
            department_id: m.department_id,
            department_name,
            description: m.description,
            version: m.version,
        });
    }
    Ok(out)
}

/// Campaigns an actor sees: those in scope, and those of the levels above that cover the
/// actor's region (a county campaign is worked on by its townships).
fn visible(actor: &Actor) -> Condition {
    let code = &actor.region_code;
    let covering: Vec<String> = [2usize, 4, 6, 9]
        .iter()
        .filter_map(|n| code.get(..*n))
        .map(|p| format!("{p:0<12}"))
        .collect();
    Condition::any()
        .add(actor.scope().condition(campaign::Column::RegionCode))
        .add(campaign::Column::RegionCode.is_in(covering))
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct CampaignFilter {
    /// Name contains.
    pub q: Option<String>,
    pub kind: Option<String>,
    /// upcoming | active | ended
    pub state: Option<String>,
    /// Campaigns running at some time in this year.
    pub year: Option<i32>,
}

fn select_campaigns(
    actor: &Actor,
    filter: &CampaignFilter,
    today: NaiveDate,
) -> sea_orm::Select<campaign::Entity> {
    use campaign::Column;
    let mut q = campaign::Entity::find()
        .filter(visible(actor))
        .filter(Column::VoidedAt.is_null());
    if let Some(text) = optional(&filter.q) {
        q = q.filter(Column::Name.contains(text));
    }
    if let Some(kind) = optional(&filter.kind) {
        q = q.filter(Column::Kind.eq(kind));
    }
    match optional(&filter.state).as_deref() {
        Some("upcoming") => q = q.filter(Column::StartsOn.gt(today)),
        Some("ended") => q = q.filter(Column::EndsOn.lt(today)),
        Some("active") => {
            q = q
                .filter(Column::StartsOn.lte(today))
                .filter(Column::EndsOn.gte(today))
        }
        _ => {}
    }
    if let Some(year) = filter.year
        && let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        )
    {
        q = q
            .filter(Column::StartsOn.lte(last))
            .filter(Column::EndsOn.gte(first));
    }
    q.order_by_desc(Column::StartsOn).order_by_asc(Column::Name)
}

pub async fn list_campaigns(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &CampaignFilter,
    paging: Paging,
    today: NaiveDate,
) -> AppResult<PageOf<Campaign>> {
    let page = fetch_page(db, select_campaigns(actor, filter, today), paging).await?;
    Ok(PageOf {
        items: decorate_campaigns(db, today, page.items).await?,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    })
}

pub async fn all_campaigns(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &CampaignFilter,
    today: NaiveDate,
    limit: u64,
) -> AppResult<Vec<Campaign>> {
    let models = select_campaigns(actor, filter, today)
        .limit(limit)
        .all(db)
        .await?;
    decorate_campaigns(db, today, models).await
}

pub(super) async fn find_campaign(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> AppResult<campaign::Model> {
    campaign::Entity::find_by_id(id)
        .filter(visible(actor))
        .filter(campaign::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn get_campaign(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
    today: NaiveDate,
) -> AppResult<Campaign> {
    let m = find_campaign(db, actor, id).await?;
    Ok(decorate_campaigns(db, today, vec![m]).await?.remove(0))
}

/// Whether the actor may change this campaign (it lies in their own scope).
pub fn may_change_campaign(actor: &Actor, c: &Campaign) -> bool {
    actor.can(perm::SAFETY_EDIT) && actor.scope().contains(&c.region_code)
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CampaignInput {
    #[serde(default)]
    pub name: String,
    /// rectification | enforcement | holiday | supervision | publicity
    #[serde(default)]
    pub kind: String,
    /// YYYY-MM-DD
    #[serde(default)]
    pub starts_on: String,
    /// YYYY-MM-DD, not before the start.
    #[serde(default)]
    pub ends_on: String,
    /// `unit_industry` codes (a parent code takes its children); empty = every sector.
    #[serde(default)]
    pub sectors: Vec<String>,
    /// Township codes in scope; empty = the whole county.
    #[serde(default)]
    pub townships: Vec<String>,
    /// 牵头部门: a department of the county.
    pub department_id: Option<String>,
    pub description: Option<String>,
    /// On edit: the version the form was loaded at.
    pub version: Option<i32>,
}

impl CampaignInput {
    pub fn from_campaign(c: &Campaign) -> Self {
        Self {
            name: c.name.clone(),
            kind: c.kind.clone(),
            starts_on: c.starts_on.to_string(),
            ends_on: c.ends_on.to_string(),
            sectors: c.sectors.clone(),
            townships: c.townships.clone(),
            department_id: c.department_id.map(|d| d.to_string()),
            description: c.description.clone(),
            version: Some(c.version),
        }
    }
}

struct ValidCampaign {
    name: String,
    kind: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    sectors: Vec<String>,
    townships: Vec<String>,
    department_id: Option<Uuid>,
    description: Option<String>,
}

async fn validate_campaign(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: &CampaignInput,
) -> AppResult<ValidCampaign> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        errors.insert("name".into(), "名称为 1–100 个字".into());
    }
    if label_of(CAMPAIGN_KINDS, input.kind.trim()).is_empty() {
        errors.insert("kind".into(), "请选择专项行动类型".into());
    }
    let starts_on = parse_date(&input.starts_on);
    let ends_on = parse_date(&input.ends_on);
    if starts_on.is_none() {
        errors.insert(
            "starts_on".into(),
            "请填写开始日期，格式如 2026-06-01".into(),
        );
    }
    if ends_on.is_none() {
        errors.insert("ends_on".into(), "请填写结束日期，格式如 2026-06-30".into());
    }
    if let (Some(from), Some(to)) = (starts_on, ends_on)
        && let Err(m) = model::check_period(from, to)
    {
        errors.insert("ends_on".into(), m.into());
    }
    let mut sectors = Vec::new();
    for code in input
        .sectors
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        match platform::dicts::store::find_current(db, INDUSTRY_DICT, code).await? {
            Some(_) if !sectors.iter().any(|s| s == code) => sectors.push(code.to_string()),
            Some(_) => {}
            None => {
                errors.insert("sectors".into(), format!("行业类别 {code} 不存在或已停用"));
            }
        }
    }
    let mut townships = Vec::new();
    for code in input
        .townships
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        let region = platform::regions::store::get(db, &actor.scope(), code).await;
        match region {
            Ok(r) if r.level == Level::Township => {
                if !townships.iter().any(|t| t == code) {
                    townships.push(code.to_string());
                }
            }
            _ => {
                errors.insert("townships".into(), "请选择您管辖范围内的乡镇".into());
            }
        }
    }
    let department_id = department_field(
        db,
        actor,
        &mut errors,
        "department_id",
        &input.department_id,
    )
    .await?;
    let description = text_field(
        &mut errors,
        "description",
        &input.description,
        2000,
        "工作内容",
    );
    let (Some(starts_on), Some(ends_on)) = (starts_on, ends_on) else {
        return Err(AppError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(ValidCampaign {
        name,
        kind: input.kind.trim().to_string(),
        starts_on,
        ends_on,
        sectors,
        townships,
        department_id,
        description,
    })
}

/// A department of the actor's county, named by id in a form field.
pub(super) async fn department_field(
    db: &impl ConnectionTrait,
    actor: &Actor,
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<String>,
) -> AppResult<Option<Uuid>> {
    let Some(text) = optional(value) else {
        return Ok(None);
    };
    let id = Uuid::parse_str(&text).ok();
    match id {
        Some(id)
            if platform::org::store::exists_in_scope(db, &county_of(&actor.region_code), id)
                .await? =>
        {
            Ok(Some(id))
        }
        _ => {
            errors.insert(field.into(), "请选择本县的部门（安委会成员单位）".into());
            Ok(None)
        }
    }
}

pub async fn create_campaign(
    state: &AppState,
    actor: &Actor,
    input: &CampaignInput,
) -> AppResult<Campaign> {
    actor.require(perm::SAFETY_EDIT)?;
    let v = validate_campaign(&state.db, actor, input).await?;
    let now = state.now();
    let id = Uuid::now_v7();
    let txn = state.db.begin().await?;
    campaign::ActiveModel {
        name: Set(v.name),
        kind: Set(v.kind),
        starts_on: Set(v.starts_on),
        ends_on: Set(v.ends_on),
        sectors: Set(join(&v.sectors)),
        townships: Set(join(&v.townships)),
        department_id: Set(v.department_id),
        description: Set(v.description),
        ..platform::db::new_record(id, actor.region_code.clone(), Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    let created = get_campaign(&txn, actor, id, today(state)).await?;
    let entry = Entry::new("create", CAMPAIGN_KIND, id, &created.region_code)
        .summary(format!(
            "新增专项行动 {}（{}）",
            created.name,
            created.period()
        ))
        .after(&created);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(created)
}

/// Edit a campaign in the actor's scope; its period must still hold its inspections.
pub async fn update_campaign(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &CampaignInput,
) -> AppResult<Campaign> {
    use campaign::Column;
    actor.require(perm::SAFETY_EDIT)?;
    let day = today(state);
    let before = get_campaign(&state.db, actor, id, day).await?;
    if !actor.scope().contains(&before.region_code) {
        return Err(AppError::conflict(
            "not_in_scope",
            "上级部署的专项行动只能由上级修改",
        ));
    }
    let v = validate_campaign(&state.db, actor, input).await?;
    let outside = inspection::Entity::find()
        .filter(inspection::Column::CampaignId.eq(id))
        .filter(inspection::Column::VoidedAt.is_null())
        .filter(
            Condition::any()
                .add(inspection::Column::InspectedOn.lt(v.starts_on))
                .add(inspection::Column::InspectedOn.gt(v.ends_on)),
        )
        .count(&state.db)
        .await?;
    if outside > 0 {
        return Err(AppError::field(
            "starts_on",
            format!("已有 {outside} 次检查不在新的期限内，请先调整这些检查"),
        ));
    }
    let version = input
        .version
        .ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重试"))?;
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::versioned_update(
        &txn,
        campaign::Entity::update_many()
            .col_expr(Column::Name, Expr::value(v.name))
            .col_expr(Column::Kind, Expr::value(v.kind))
            .col_expr(Column::StartsOn, Expr::value(v.starts_on))
            .col_expr(Column::EndsOn, Expr::value(v.ends_on))
            .col_expr(Column::Sectors, Expr::value(join(&v.sectors)))
            .col_expr(Column::Townships, Expr::value(join(&v.townships)))
            .col_expr(Column::DepartmentId, Expr::value(v.department_id))
            .col_expr(Column::Description, Expr::value(v.description)),
        id,
        version,
        actor.user_id,
        now,
    )
    .await?;
    let after = get_campaign(&txn, actor, id, day).await?;
    let entry = Entry::new("update", CAMPAIGN_KIND, id, &after.region_code)
        .summary(format!("修改专项行动 {}", after.name))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// How a campaign is going, inside the actor's scope.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignProgress {
    /// Units in its sectors and townships.
    pub units: u64,
    /// Of those, inspected at least once in the period (by any inspection).
    pub units_inspected: u64,
    /// Inspections recorded under the campaign.
    pub inspections: u64,
    /// Supervision tours recorded under the campaign.
    pub tours: u64,
    /// Hazards registered from its inspections.
    pub hazards_found: u64,
    /// Of those, reviewed as fixed or closed.
    pub hazards_fixed: u64,
    /// Units of its sectors and townships not yet inspected in the period (first 50 by name).
    pub uninspected: Vec<UnitRef>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct UnitRef {
    pub id: Uuid,
    pub name: String,
}

impl CampaignProgress {
    pub fn percent(&self) -> u64 {
        (self.units_inspected * 100)
            .checked_div(self.units)
            .unwrap_or(0)
    }
}

/// The sector codes with their children, so a campaign on 危险化学品 covers 加油站.
async fn expand_sectors(db: &impl ConnectionTrait, sectors: &[String]) -> AppResult<Vec<String>> {
    let items = platform::dicts::store::options(db, INDUSTRY_DICT).await?;
    let mut out: Vec<String> = sectors.to_vec();
    for i in items {
        if i.parent_code.as_ref().is_some_and(|p| sectors.contains(p)) {
            out.push(i.code);
        }
    }
    Ok(out)
}

pub async fn progress(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &Campaign,
) -> AppResult<CampaignProgress> {
    let scope = actor.scope();
    let mut units_q = unit::Entity::find()
        .filter(scope.condition(unit::Column::RegionCode))
        .filter(unit::Column::VoidedAt.is_null());
    if !c.sectors.is_empty() {
        units_q =
            units_q.filter(unit::Column::IndustryCode.is_in(expand_sectors(db, &c.sectors).await?));
    }
    if !c.townships.is_empty() {
        let mut any = Condition::any();
        for t in &c.townships {
            any = any.add(unit::Column::RegionCode.starts_with(t.get(..9).unwrap_or(t)));
        }
        units_q = units_q.filter(any);
    }
    let units = units_q.order_by_asc(unit::Column::Name).all(db).await?;
    let inspected: HashSet<Uuid> = inspection::Entity::find()
        .filter(scope.condition(inspection::Column::RegionCode))
        .filter(inspection::Column::VoidedAt.is_null())
        .filter(inspection::Column::InspectedOn.gte(c.starts_on))
        .filter(inspection::Column::InspectedOn.lte(c.ends_on))
        .filter(inspection::Column::UnitId.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|i| i.unit_id)
        .collect();
    let of_campaign = inspection::Entity::find()
        .filter(scope.condition(inspection::Column::RegionCode))
        .filter(inspection::Column::VoidedAt.is_null())
        .filter(inspection::Column::CampaignId.eq(c.id))
        .all(db)
        .await?;
    let ids: Vec<Uuid> = of_campaign.iter().map(|i| i.id).collect();
    let (hazards_found, hazards_fixed) = if ids.is_empty() {
        (0, 0)
    } else {
        let found = hazard::Entity::find()
            .filter(scope.condition(hazard::Column::RegionCode))
            .filter(hazard::Column::VoidedAt.is_null())
            .filter(hazard::Column::InspectionId.is_in(ids.clone()));
        let fixed = found
            .clone()
            .filter(hazard::Column::State.is_in(["review_passed", "closed"]));
        (found.count(db).await?, fixed.count(db).await?)
    };
    let uninspected: Vec<UnitRef> = units
        .iter()
        .filter(|u| !inspected.contains(&u.id))
        .take(50)
        .map(|u| UnitRef {
            id: u.id,
            name: u.name.clone(),
        })
        .collect();
    Ok(CampaignProgress {
        units: units.len() as u64,
        units_inspected: units.iter().filter(|u| inspected.contains(&u.id)).count() as u64,
        inspections: of_campaign.len() as u64,
        tours: of_campaign.iter().filter(|i| is_tour(&i.kind)).count() as u64,
        hazards_found,
        hazards_fixed,
        uninspected,
    })
}
