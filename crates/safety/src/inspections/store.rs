//! Campaign and inspection queries and changes, scoped, versioned and audited. The rules live
//! in [`super::model`]; here they meet the database (units in scope, campaigns visible to the
//! actor, departments of the county) and every change writes its audit row in its transaction.

use std::collections::HashMap;

use chrono::NaiveDate;
use platform::access::{Actor, Scope, perm};
use platform::attachments::{self, Attachment, Owner, Upload};
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::regions::Level;
use platform::web::AppState;
use platform::web::form::{label_of, optional, parse_date, text_field};
use platform::web::paging::{Dir, PageOf, Paging, Sort, SortColumn, Sorts, fetch_page};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::campaigns::{department_field, find_campaign};
use super::entity::{campaign, inspection};
use super::model::{self, ANSWERS, Answer, INSPECTION_KINDS, RESULTS, is_tour};
use super::rollup;
use crate::hazards::store::{Hazard, HazardFilter, HazardInput, NoticeInput};
use crate::units::entity::unit;
use crate::units::store::INDUSTRY_DICT;

pub use super::campaigns::*;
pub use crate::units::store::today;

/// The audit and attachment kind of inspections.
pub const KIND: &str = "safety_inspection";
/// The audit kind of campaigns.
pub const CAMPAIGN_KIND: &str = "safety_campaign";

pub(super) fn join(codes: &[String]) -> String {
    codes.join(",")
}

pub(super) fn split(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn json_list<T: serde::de::DeserializeOwned>(text: &str) -> Vec<T> {
    serde_json::from_str(text).unwrap_or_default()
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_string())
}

/// Names of the things records point at, loaded once per page.
#[derive(Default)]
pub(super) struct Names {
    regions: HashMap<String, String>,
    departments: HashMap<Uuid, String>,
    industries: Option<HashMap<String, String>>,
}

impl Names {
    pub(super) async fn region(
        &mut self,
        db: &impl ConnectionTrait,
        code: &str,
    ) -> AppResult<String> {
        if !self.regions.contains_key(code) {
            let name = platform::regions::store::find(db, code)
                .await?
                .map(|r| r.short_name)
                .unwrap_or_else(|| code.to_string());
            self.regions.insert(code.to_string(), name);
        }
        Ok(self.regions[code].clone())
    }

    pub(super) async fn department(
        &mut self,
        db: &impl ConnectionTrait,
        id: Uuid,
    ) -> AppResult<String> {
        if let Some(name) = self.departments.get(&id) {
            return Ok(name.clone());
        }
        let name = platform::org::store::get(db, &Scope::of(Scope::ALL_CODE), id)
            .await
            .map(|d| d.name)
            .unwrap_or_default();
        self.departments.insert(id, name.clone());
        Ok(name)
    }

    pub(super) async fn industry(
        &mut self,
        db: &impl ConnectionTrait,
        code: &str,
    ) -> AppResult<String> {
        if self.industries.is_none() {
            self.industries = Some(platform::dicts::store::labels(db, INDUSTRY_DICT, None).await?);
        }
        Ok(self
            .industries
            .as_ref()
            .and_then(|m| m.get(code).cloned())
            .unwrap_or_else(|| code.to_string()))
    }
}

// ---------------------------------------------------------------------------------------------
// Inspections

/// One answered checklist item, with its label.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AnswerRow {
    pub item: String,
    pub label: String,
    /// conform | nonconform | na
    pub answer: String,
    pub note: String,
}

impl AnswerRow {
    pub fn answer_label(&self) -> &'static str {
        label_of(ANSWERS, &self.answer)
    }

    pub fn answer_class(&self) -> &'static str {
        match self.answer.as_str() {
            "conform" => "green",
            "nonconform" => "red",
            _ => "",
        }
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Inspection {
    pub id: Uuid,
    /// enforcement | routine | expert | supervision | covert
    pub kind: String,
    pub unit_id: Option<Uuid>,
    /// The unit's name, or the toured township or department.
    pub target_name: String,
    /// A supervision tour of a township.
    pub target_region_code: Option<String>,
    /// A supervision tour of a department.
    pub target_department_id: Option<Uuid>,
    pub region_code: String,
    pub region_name: String,
    pub inspected_on: NaiveDate,
    pub campaign_id: Option<Uuid>,
    pub campaign_name: String,
    pub inspectors: Vec<String>,
    pub experts: Vec<String>,
    /// hazchem | mining | fireworks | industry_trade | crowded | general
    pub checklist_group: Option<String>,
    pub checklist: Vec<AnswerRow>,
    /// Problems found on a supervision tour.
    pub problems: Vec<String>,
    /// none | hazards_found | suspended | transferred
    pub result: String,
    pub summary: Option<String>,
    pub version: i32,
}

impl Inspection {
    pub fn kind_label(&self) -> &'static str {
        label_of(INSPECTION_KINDS, &self.kind)
    }

    pub fn result_label(&self) -> &'static str {
        label_of(RESULTS, &self.result)
    }

    pub fn result_class(&self) -> &'static str {
        match self.result.as_str() {
            "none" => "green",
            "hazards_found" => "orange",
            _ => "red",
        }
    }

    pub fn is_tour(&self) -> bool {
        is_tour(&self.kind)
    }

    pub fn checklist_label(&self) -> &'static str {
        self.checklist_group
            .as_deref()
            .and_then(model::checklist)
            .map(|c| c.label)
            .unwrap_or("")
    }

    pub fn nonconforming(&self) -> usize {
        self.checklist
            .iter()
            .filter(|a| a.answer == "nonconform")
            .count()
    }

    pub fn inspectors_text(&self) -> String {
        self.inspectors.join("、")
    }

    pub fn experts_text(&self) -> String {
        self.experts.join("、")
    }

    pub fn problems_text(&self) -> String {
        self.problems.join("\n")
    }

    pub fn target_href(&self) -> String {
        match self.unit_id {
            Some(id) => format!("/safety/units/{id}"),
            None => String::new(),
        }
    }
}

async fn decorate(
    db: &impl ConnectionTrait,
    models: Vec<inspection::Model>,
) -> AppResult<Vec<Inspection>> {
    let unit_ids: Vec<Uuid> = models.iter().filter_map(|m| m.unit_id).collect();
    let units = crate::units::store::names(db, unit_ids).await?;
    let campaign_ids: Vec<Uuid> = models.iter().filter_map(|m| m.campaign_id).collect();
    let campaigns: HashMap<Uuid, String> = if campaign_ids.is_empty() {
        HashMap::new()
    } else {
        campaign::Entity::find()
            .filter(campaign::Column::Id.is_in(campaign_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect()
    };
    let mut names = Names::default();
    let mut out = Vec::with_capacity(models.len());
    for m in models {
        let target_name = match (m.unit_id, &m.target_region_code, m.target_department_id) {
            (Some(id), _, _) => units.get(&id).cloned().unwrap_or_default(),
            (None, Some(code), _) => names.region(db, code).await?,
            (None, None, Some(id)) => names.department(db, id).await?,
            _ => String::new(),
        };
        let answers: Vec<Answer> = json_list(&m.checklist);
        out.push(Inspection {
            region_name: names.region(db, &m.region_code).await?,
            campaign_name: m
                .campaign_id
                .and_then(|id| campaigns.get(&id).cloned())
                .unwrap_or_default(),
            checklist: answers
                .into_iter()
                .map(|a| AnswerRow {
                    label: model::item_label(&a.item).to_string(),
                    item: a.item,
                    answer: a.answer,
                    note: a.note,
                })
                .collect(),
            inspectors: json_list(&m.inspectors),
            experts: json_list(&m.experts),
            problems: json_list(&m.problems),
            target_name,
            id: m.id,
            kind: m.kind,
            unit_id: m.unit_id,
            target_region_code: m.target_region_code,
            target_department_id: m.target_department_id,
            region_code: m.region_code,
            inspected_on: m.inspected_on,
            campaign_id: m.campaign_id,
            checklist_group: m.checklist_group,
            result: m.result,
            summary: m.summary,
            version: m.version,
        });
    }
    Ok(out)
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct InspectionFilter {
    /// A township's 12-digit code.
    pub township: Option<String>,
    pub campaign: Option<Uuid>,
    pub unit: Option<Uuid>,
    /// enforcement | routine | expert | supervision | covert, or `tour` for both tours.
    pub kind: Option<String>,
    /// none | hazards_found | suspended | transferred
    pub result: Option<String>,
    /// Inspected on or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// Inspected on or before (YYYY-MM-DD).
    pub to: Option<String>,
}

/// The inspections list filtered like this, for links from other pages (statistics, campaigns).
pub fn list_href(filter: &InspectionFilter) -> String {
    // Every value is a code, a UUID or a date: nothing to escape.
    let pairs = [
        ("township", filter.township.clone()),
        ("campaign", filter.campaign.map(|c| c.to_string())),
        ("unit", filter.unit.map(|u| u.to_string())),
        ("kind", filter.kind.clone()),
        ("result", filter.result.clone()),
        ("from", filter.from.clone()),
        ("to", filter.to.clone()),
    ];
    let query: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| optional(v).map(|v| format!("{k}={v}")))
        .collect();
    if query.is_empty() {
        "/safety/inspections".to_string()
    } else {
        format!("/safety/inspections?{}", query.join("&"))
    }
}

fn select(scope: &Scope, filter: &InspectionFilter) -> sea_orm::Select<inspection::Entity> {
    use inspection::Column;
    let mut q = inspection::Entity::find()
        .filter(scope.condition(Column::RegionCode))
        .filter(Column::VoidedAt.is_null());
    if let Some(code) = optional(&filter.township) {
        let prefix: String = code.chars().take(9).collect();
        q = q.filter(Column::RegionCode.starts_with(prefix));
    }
    if let Some(id) = filter.campaign {
        q = q.filter(Column::CampaignId.eq(id));
    }
    if let Some(id) = filter.unit {
        q = q.filter(Column::UnitId.eq(id));
    }
    match optional(&filter.kind).as_deref() {
        Some("tour") => q = q.filter(Column::Kind.is_in(model::TOUR_KINDS.iter().copied())),
        Some(kind) => q = q.filter(Column::Kind.eq(kind)),
        None => {}
    }
    if let Some(code) = optional(&filter.result) {
        q = q.filter(Column::Result.eq(code));
    }
    if let Some(d) = optional(&filter.from).as_deref().and_then(parse_date) {
        q = q.filter(Column::InspectedOn.gte(d));
    }
    if let Some(d) = optional(&filter.to).as_deref().and_then(parse_date) {
        q = q.filter(Column::InspectedOn.lte(d));
    }
    q
}

/// The columns the inspection list can be sorted by (`?sort=`); the first is its usual order.
pub static SORTS: Sorts<inspection::Column> = Sorts {
    columns: &[
        SortColumn {
            key: "inspected_on",
            column: inspection::Column::InspectedOn,
            first: Dir::Desc,
        },
        SortColumn {
            key: "region",
            column: inspection::Column::RegionCode,
            first: Dir::Asc,
        },
    ],
    then: &[
        (inspection::Column::InspectedOn, Dir::Desc),
        (inspection::Column::CreatedAt, Dir::Desc),
        (inspection::Column::Id, Dir::Desc),
    ],
};

pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &InspectionFilter,
    sort: &Sort<inspection::Column>,
    paging: Paging,
) -> AppResult<PageOf<Inspection>> {
    let page = fetch_page(db, sort.apply(select(scope, filter)), paging).await?;
    Ok(PageOf {
        items: decorate(db, page.items).await?,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    })
}

pub async fn all(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &InspectionFilter,
    sort: &Sort<inspection::Column>,
    limit: u64,
) -> AppResult<Vec<Inspection>> {
    let models = sort
        .apply(select(scope, filter))
        .limit(limit)
        .all(db)
        .await?;
    decorate(db, models).await
}

async fn find(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> AppResult<inspection::Model> {
    inspection::Entity::find_by_id(id)
        .filter(scope.condition(inspection::Column::RegionCode))
        .filter(inspection::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> AppResult<Inspection> {
    let m = find(db, scope, id).await?;
    Ok(decorate(db, vec![m]).await?.remove(0))
}

/// The inspection a new hazard names as its finder: in scope, of the same unit.
pub async fn finding_inspection(
    db: &impl ConnectionTrait,
    scope: &Scope,
    text: &str,
    unit_id: Uuid,
) -> AppResult<Uuid> {
    let refused = || {
        AppError::field(
            "inspection_id",
            "所选检查记录不存在或不是对该监管对象的检查",
        )
    };
    let id = Uuid::parse_str(text.trim()).map_err(|_| refused())?;
    match find(db, scope, id).await {
        Ok(m) if m.unit_id == Some(unit_id) => Ok(id),
        Ok(_) | Err(AppError::NotFound) => Err(refused()),
        Err(other) => Err(other),
    }
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct InspectionInput {
    /// enforcement | routine | expert | supervision | covert
    #[serde(default)]
    pub kind: String,
    /// The unit inspected (not for tours; only on create).
    pub unit_id: Option<String>,
    /// A tour of a township: its 12-digit code.
    pub target_region_code: Option<String>,
    /// A tour of a department: its id.
    pub target_department_id: Option<String>,
    /// YYYY-MM-DD, not in the future; inside the campaign's period when there is one.
    #[serde(default)]
    pub inspected_on: String,
    pub campaign_id: Option<String>,
    /// Names separated by 、 or commas; enforcement needs two.
    #[serde(default)]
    pub inspectors: String,
    /// Invited experts, separated by 、 or commas; an expert check needs one.
    pub experts: Option<String>,
    /// The checklist used (defaults to the one of the unit's industry).
    pub checklist_group: Option<String>,
    /// Every item of the checklist answered (not for tours).
    #[serde(default)]
    pub checklist: Vec<Answer>,
    /// Problems found on a tour, one per line.
    pub problems: Option<String>,
    /// none | hazards_found | suspended | transferred
    #[serde(default)]
    pub result: String,
    pub summary: Option<String>,
    /// On edit: the version the form was loaded at.
    pub version: Option<i32>,
}

impl InspectionInput {
    pub fn from_inspection(i: &Inspection) -> Self {
        Self {
            kind: i.kind.clone(),
            unit_id: i.unit_id.map(|u| u.to_string()),
            target_region_code: i.target_region_code.clone(),
            target_department_id: i.target_department_id.map(|d| d.to_string()),
            inspected_on: i.inspected_on.to_string(),
            campaign_id: i.campaign_id.map(|c| c.to_string()),
            inspectors: i.inspectors_text(),
            experts: Some(i.experts_text()),
            checklist_group: i.checklist_group.clone(),
            checklist: i
                .checklist
                .iter()
                .map(|a| Answer {
                    item: a.item.clone(),
                    answer: a.answer.clone(),
                    note: a.note.clone(),
                })
                .collect(),
            problems: Some(i.problems_text()),
            result: i.result.clone(),
            summary: i.summary.clone(),
            version: Some(i.version),
        }
    }

    /// The answer given to an item, for forms.
    pub fn answer_of(&self, item: &str) -> Option<&Answer> {
        self.checklist.iter().find(|a| a.item == item)
    }
}

struct Valid {
    kind: String,
    unit_id: Option<Uuid>,
    target_region_code: Option<String>,
    target_department_id: Option<Uuid>,
    region_code: String,
    inspected_on: NaiveDate,
    campaign_id: Option<Uuid>,
    inspectors: Vec<String>,
    experts: Vec<String>,
    checklist_group: Option<String>,
    checklist: Vec<Answer>,
    problems: Vec<String>,
    result: String,
    summary: Option<String>,
}

/// The checklist group for a unit, from its industry.
pub async fn group_of_unit(db: &impl ConnectionTrait, u: &unit::Model) -> AppResult<&'static str> {
    let parent = platform::dicts::store::find_current(db, INDUSTRY_DICT, &u.industry_code)
        .await?
        .and_then(|i| i.parent_code);
    Ok(model::group_for_industry(
        &u.industry_code,
        parent.as_deref(),
    ))
}

/// A unit in scope by id text.
pub async fn unit_in_scope(
    db: &impl ConnectionTrait,
    scope: &Scope,
    text: &Option<String>,
) -> AppResult<Option<unit::Model>> {
    let Some(id) = optional(text).and_then(|t| Uuid::parse_str(&t).ok()) else {
        return Ok(None);
    };
    Ok(unit::Entity::find_by_id(id)
        .filter(scope.condition(unit::Column::RegionCode))
        .filter(unit::Column::VoidedAt.is_null())
        .one(db)
        .await?)
}

/// Where a tour went: the region it counts under, or an error on the target field.
async fn tour_target(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: &InspectionInput,
    errors: &mut FieldErrors,
) -> AppResult<(Option<String>, Option<Uuid>, Option<String>)> {
    let region = optional(&input.target_region_code);
    let department = optional(&input.target_department_id);
    match (region, department) {
        (Some(code), None) => {
            match platform::regions::store::get(db, &actor.scope(), &code).await {
                Ok(r) if r.level == Level::Township => Ok((Some(code.clone()), None, Some(code))),
                _ => {
                    errors.insert(
                        "target_region_code".into(),
                        "请选择您管辖范围内的乡镇".into(),
                    );
                    Ok((None, None, None))
                }
            }
        }
        (None, Some(_)) => {
            let field = "target_department_id";
            let id =
                department_field(db, actor, errors, field, &input.target_department_id).await?;
            let county = format!("{}000000", actor.region_code.get(..6).unwrap_or_default());
            if id.is_some() && !actor.scope().contains(&county) {
                errors.insert(
                    "target_department_id".into(),
                    "督查部门须由县级人员记录".into(),
                );
            }
            Ok((None, id, Some(county)))
        }
        (Some(_), Some(_)) => {
            errors.insert(
                "target_region_code".into(),
                "督查对象为乡镇或部门，二者选其一".into(),
            );
            Ok((None, None, None))
        }
        (None, None) => {
            errors.insert("target_region_code".into(), "请选择督查的乡镇或部门".into());
            Ok((None, None, None))
        }
    }
}

async fn validate(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: &InspectionInput,
    today: NaiveDate,
    unit_id: Option<String>,
) -> AppResult<Valid> {
    let mut errors = FieldErrors::new();
    let kind = input.kind.trim().to_string();
    if !model::is_inspection_kind(&kind) {
        errors.insert("kind".into(), "请选择检查类型".into());
    }
    let tour = is_tour(&kind);
    let mut unit_id_ok = None;
    let mut target_region_code = None;
    let mut target_department_id = None;
    let mut region_code = None;
    let mut checklist_group = None;
    let mut checklist = Vec::new();
    let mut problems = Vec::new();
    if tour {
        let (r, d, code) = tour_target(db, actor, input, &mut errors).await?;
        (target_region_code, target_department_id, region_code) = (r, d, code);
        problems = input
            .problems
            .as_deref()
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        if problems.len() > 100 || problems.iter().any(|p| p.chars().count() > 300) {
            errors.insert(
                "problems".into(),
                "问题清单最多 100 条，每条不超过 300 个字".into(),
            );
        }
    } else if !kind.is_empty() {
        match unit_in_scope(db, &actor.scope(), &unit_id).await? {
            None => {
                errors.insert("unit_id".into(), "请选择您管辖范围内的监管对象".into());
            }
            Some(u) => {
                let group = match optional(&input.checklist_group) {
                    Some(g) => g,
                    None => group_of_unit(db, &u).await?.to_string(),
                };
                match model::check_answers(&group, &input.checklist) {
                    Ok(answers) => checklist = answers,
                    Err(m) => {
                        errors.insert("checklist".into(), m);
                    }
                }
                checklist_group = Some(group);
                unit_id_ok = Some(u.id);
                region_code = Some(u.region_code);
            }
        }
    }
    let campaign = match optional(&input.campaign_id) {
        None => None,
        Some(text) => match Uuid::parse_str(&text) {
            Ok(id) => match find_campaign(db, actor, id).await {
                Ok(c) => Some(c),
                Err(AppError::NotFound) => {
                    errors.insert("campaign_id".into(), "所选专项行动不存在".into());
                    None
                }
                Err(other) => return Err(other),
            },
            Err(_) => {
                errors.insert("campaign_id".into(), "所选专项行动不存在".into());
                None
            }
        },
    };
    let inspected_on = parse_date(&input.inspected_on);
    match inspected_on {
        None => {
            errors.insert(
                "inspected_on".into(),
                "请填写检查日期，格式如 2026-06-01".into(),
            );
        }
        Some(d) => {
            let period = campaign.as_ref().map(|c| (c.starts_on, c.ends_on));
            if let Err(m) = model::check_inspection_date(d, today, period) {
                errors.insert("inspected_on".into(), m);
            }
        }
    }
    let inspectors = model::split_names(&input.inspectors);
    let experts = model::split_names(input.experts.as_deref().unwrap_or_default());
    for (field, message) in model::check_people(&kind, &inspectors, &experts) {
        errors.entry(field.to_string()).or_insert(message);
    }
    let nonconforming = checklist
        .iter()
        .filter(|a| a.answer == "nonconform")
        .count();
    if let Err(m) = model::check_result(input.result.trim(), nonconforming, problems.len()) {
        errors.insert("result".into(), m.into());
    }
    let summary = text_field(&mut errors, "summary", &input.summary, 2000, "检查情况");
    let (Some(inspected_on), Some(region_code)) = (inspected_on, region_code) else {
        return Err(AppError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Valid {
        kind,
        unit_id: unit_id_ok,
        target_region_code,
        target_department_id,
        region_code,
        inspected_on,
        campaign_id: campaign.map(|c| c.id),
        inspectors,
        experts,
        checklist_group,
        checklist,
        problems,
        result: input.result.trim().to_string(),
        summary,
    })
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &InspectionInput,
) -> AppResult<Inspection> {
    actor.require(perm::SAFETY_EDIT)?;
    let v = validate(&state.db, actor, input, today(state), input.unit_id.clone()).await?;
    let now = state.now();
    let id = Uuid::now_v7();
    let txn = state.db.begin().await?;
    let counting = rollup::prepare(&txn, None, &v.region_code, v.unit_id, v.inspected_on).await?;
    let written = inspection::ActiveModel {
        kind: Set(v.kind),
        unit_id: Set(v.unit_id),
        target_region_code: Set(v.target_region_code),
        target_department_id: Set(v.target_department_id),
        inspected_on: Set(v.inspected_on),
        campaign_id: Set(v.campaign_id),
        inspectors: Set(to_json(&v.inspectors)),
        experts: Set(to_json(&v.experts)),
        checklist_group: Set(v.checklist_group),
        checklist: Set(to_json(&v.checklist)),
        problems: Set(to_json(&v.problems)),
        result: Set(v.result),
        summary: Set(v.summary),
        ..platform::db::new_record(id, v.region_code, Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    rollup::apply(&txn, counting, Some(&written)).await?;
    let created = decorate(&txn, vec![written]).await?.remove(0);
    let entry = Entry::new("create", KIND, id, &created.region_code)
        .summary(format!(
            "{} {}（{}，{}）",
            created.kind_label(),
            created.target_name,
            created.inspected_on,
            created.result_label()
        ))
        .after(&created);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(created)
}

/// Edit an inspection; the unit stays, and a unit inspection cannot become a tour.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &InspectionInput,
) -> AppResult<Inspection> {
    use inspection::Column;
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    if is_tour(input.kind.trim()) != before.is_tour() {
        return Err(AppError::field(
            "kind",
            "单位检查和督查暗访不能互相转换，请另行登记",
        ));
    }
    let unit_id = before.unit_id.map(|u| u.to_string());
    let v = validate(&state.db, actor, input, today(state), unit_id).await?;
    let version = input
        .version
        .ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重试"))?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let counting = rollup::prepare(
        &txn,
        Some(id),
        &v.region_code,
        before.unit_id,
        v.inspected_on,
    )
    .await?;
    platform::db::versioned_update(
        &txn,
        inspection::Entity::update_many()
            .col_expr(Column::RegionCode, Expr::value(v.region_code))
            .col_expr(Column::Kind, Expr::value(v.kind))
            .col_expr(Column::TargetRegionCode, Expr::value(v.target_region_code))
            .col_expr(
                Column::TargetDepartmentId,
                Expr::value(v.target_department_id),
            )
            .col_expr(Column::InspectedOn, Expr::value(v.inspected_on))
            .col_expr(Column::CampaignId, Expr::value(v.campaign_id))
            .col_expr(Column::Inspectors, Expr::value(to_json(&v.inspectors)))
            .col_expr(Column::Experts, Expr::value(to_json(&v.experts)))
            .col_expr(Column::ChecklistGroup, Expr::value(v.checklist_group))
            .col_expr(Column::Checklist, Expr::value(to_json(&v.checklist)))
            .col_expr(Column::Problems, Expr::value(to_json(&v.problems)))
            .col_expr(Column::Result, Expr::value(v.result))
            .col_expr(Column::Summary, Expr::value(v.summary)),
        id,
        version,
        actor.user_id,
        now,
    )
    .await?;
    let written = find(&txn, &actor.scope(), id).await?;
    rollup::apply(&txn, counting, Some(&written)).await?;
    let after = decorate(&txn, vec![written]).await?.remove(0);
    let entry = Entry::new("update", KIND, id, &after.region_code)
        .summary(format!(
            "修改检查记录 {}（{}）",
            after.target_name, after.inspected_on
        ))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// Photos and documents of an inspection, oldest first.
pub async fn files(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
) -> AppResult<Vec<Attachment>> {
    attachments::list_for(db, scope, KIND, id).await
}

/// Attach photos to an inspection; all or none are kept.
pub async fn attach(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    uploads: &[&Upload],
    location: Option<(f64, f64)>,
) -> AppResult<Vec<Attachment>> {
    actor.require(perm::SAFETY_EDIT)?;
    let found = get(&state.db, &actor.scope(), id).await?;
    let owner = Owner {
        kind: KIND,
        id,
        region_code: &found.region_code,
    };
    attachments::attach(state, actor, owner, uploads, location).await
}

/// The hazards an inspection found, latest first.
pub async fn hazards_of(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
    today: NaiveDate,
) -> AppResult<Vec<Hazard>> {
    let filter = HazardFilter {
        inspection: Some(id),
        ..Default::default()
    };
    let sort = crate::hazards::store::SORTS.usual();
    crate::hazards::store::all(db, scope, &filter, &sort, today, 500).await
}

/// A hazard found on an inspection, as typed on the phone.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct FindingInput {
    #[serde(default)]
    pub description: String,
    /// A code of `hazard_category`.
    #[serde(default)]
    pub category_code: String,
    /// general | major
    #[serde(default)]
    pub grade: String,
    pub location: Option<String>,
    /// 整改期限 (YYYY-MM-DD), general hazards only: the order to rectify is issued at once.
    pub deadline: Option<String>,
}

/// Register a hazard found on an inspection of a unit, with its photos, in one transaction;
/// the inspection's result becomes 发现隐患 if it said 无问题. With a deadline, the order to
/// rectify follows in its own transaction (the hazards ledger's rules apply to it).
pub async fn register_hazard(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &FindingInput,
    uploads: &[&Upload],
    location: Option<(f64, f64)>,
) -> AppResult<Hazard> {
    actor.require(perm::SAFETY_EDIT)?;
    let scope = actor.scope();
    let found = get(&state.db, &scope, id).await?;
    let Some(unit_id) = found.unit_id else {
        return Err(AppError::conflict(
            "not_a_unit_inspection",
            "督查暗访没有监管对象，发现的问题请记入问题清单",
        ));
    };
    let deadline = match optional(&input.deadline) {
        None => None,
        Some(text) => match parse_date(&text) {
            None => return Err(AppError::field("deadline", "日期格式应为 2026-06-01")),
            Some(_) if input.grade.trim() == "major" => {
                return Err(AppError::field(
                    "deadline",
                    "重大隐患须在隐患页面按“五落实”下达整改，此处不填期限",
                ));
            }
            Some(d) if d < found.inspected_on => {
                return Err(AppError::field("deadline", "整改期限不能早于检查日期"));
            }
            Some(d) => Some(d),
        },
    };
    let hazard_input = HazardInput {
        unit_id: Some(unit_id.to_string()),
        description: input.description.clone(),
        category_code: input.category_code.clone(),
        grade: input.grade.clone(),
        discovered_on: found.inspected_on.to_string(),
        source: if found.kind == "expert" {
            "expert"
        } else {
            "enforcement"
        }
        .to_string(),
        location: input.location.clone(),
        supervision: Some("none".to_string()),
        inspection_id: Some(id.to_string()),
        ..Default::default()
    };
    let now = state.now();
    let txn = state.db.begin().await?;
    let created = crate::hazards::store::create_in(&txn, state, actor, &hazard_input).await?;
    let owner = Owner {
        kind: crate::hazards::store::KIND,
        id: created.id,
        region_code: &created.region_code,
    };
    attachments::save(
        &txn,
        &state.settings.files_dir,
        actor,
        now,
        owner,
        uploads,
        location,
    )
    .await?;
    if found.result == "none" {
        platform::db::versioned_update(
            &txn,
            inspection::Entity::update_many()
                .col_expr(inspection::Column::Result, Expr::value("hazards_found")),
            id,
            found.version,
            actor.user_id,
            now,
        )
        .await?;
    }
    // Recorded as a change of the inspection (the platform labels only common actions).
    let entry = Entry::new("update", KIND, id, &found.region_code).summary(format!(
        "发现{} {}：{}",
        created.grade_label(),
        created.number,
        created.description
    ));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    match deadline {
        None => Ok(created),
        Some(d) => {
            let notice = NoticeInput {
                deadline: d.to_string(),
                version: created.version,
                ..Default::default()
            };
            crate::hazards::store::issue_notice(state, actor, created.id, &notice).await
        }
    }
}

/// Inspection figures for a period, for the statistics page (which counts the hazards these
/// inspections found from the hazards' own figures).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InspectionTotals {
    /// Inspections of units and tours dated in the period.
    pub inspections: u64,
    /// Distinct units inspected in the period.
    pub units_inspected: u64,
    /// Supervision tours (督查/暗访) in the period.
    pub tours: u64,
}

/// The [`InspectionTotals`] of `from..=to` inside `scope`: from the daily counters for whole
/// counties (the units too when the period runs from 1 January within one year), else counted
/// from the inspections.
pub async fn totals(
    db: &impl ConnectionTrait,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<InspectionTotals> {
    if !crate::hazards::rollup::covers(scope) {
        return counted_totals(db, scope, from, to).await;
    }
    let sums = rollup::totals(db, scope, from, to).await?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    let units_inspected = if rollup::counts_units(from, to) {
        count(sums.units_first)
    } else {
        counted_totals(db, scope, from, to).await?.units_inspected
    };
    Ok(InspectionTotals {
        inspections: count(sums.inspections),
        units_inspected,
        tours: count(sums.tours),
    })
}

/// The [`InspectionTotals`] counted from the inspections, in one aggregate query.
pub async fn counted_totals(
    db: &impl ConnectionTrait,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<InspectionTotals> {
    use inspection::Column;
    use platform::db::as_i64;
    use sea_orm::sea_query::{CaseStatement, Func};
    let tour: Expr = CaseStatement::new()
        .case(Column::Kind.is_in(model::TOUR_KINDS.iter().copied()), 1i64)
        .finally(0i64)
        .into();
    let (inspections, units, tours): (i64, i64, i64) = inspection::Entity::find()
        .filter(scope.condition(Column::RegionCode))
        .filter(Column::VoidedAt.is_null())
        .filter(Column::InspectedOn.gte(from))
        .filter(Column::InspectedOn.lte(to))
        .select_only()
        .column_as(as_i64(Func::count(Expr::col(Column::Id))), "inspections")
        .column_as(
            as_i64(Func::count_distinct(Expr::col(Column::UnitId))),
            "units",
        )
        .column_as(as_i64(Func::sum(tour)), "tours")
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or_default();
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(InspectionTotals {
        inspections: count(inspections),
        units_inspected: count(units),
        tours: count(tours),
    })
}
