//! Consultation reports' queries and changes, scoped, versioned and audited.
//! - Writers: WARNING_EDIT at county level (or wider) draft, edit, issue and void their county's
//!   reports.
//! - Readers: the bureau's WARNING_VIEW holders at county level (or wider) see every report in
//!   scope, drafts too; township and village users and departments' liaisons read their county's
//!   issued (and voided) reports, since a report is a county document sent to all of them.
//!
//! Anything else answers 404 (or 403 for a missing permission). The rules live in
//! [`super::model`].

use crate::bureau::is_writer;
use platform::regions::model::county_of;
use platform::regions::store::county_names;
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use platform::access::{Actor, Role, Scope, perm};
use platform::audit::{self, Entry};
use platform::clock::{china, format_local};
use platform::db::sequence;
use platform::error::{AppError, AppResult, FieldErrors};
use platform::regions::{self, Level};
use platform::web::AppState;
use platform::web::form::{date_field, optional, parse_date, text_field};
use platform::web::letter::{Letter, document_number};
use platform::web::paging::{PageOf, Paging, fetch_page};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::document;
use super::entity::{area, consultation, department, judgment};
use super::model::{self, ConsultationError, ConsultationState, RiskLevel};

/// The audit kind of reports.
pub const KIND: &str = "warning_consultation";
/// The code table of hazard types.
pub const HAZARD_DICT: &str = "disaster_type";
/// How a judgment covering the whole county names its area.
pub const WHOLE_COUNTY: &str = "全县";
/// Judgments per report: a meeting judges a handful of hazards, never hundreds.
const MAX_JUDGMENTS: usize = 50;

/// Today in UTC+8: the day numbers and letters carry.
pub fn today(state: &AppState) -> NaiveDate {
    state.now().with_timezone(&china()).date_naive()
}

pub fn states() -> Vec<(&'static str, &'static str)> {
    ConsultationState::ALL
        .into_iter()
        .map(|s| (s.code(), s.label()))
        .collect()
}

pub fn levels() -> Vec<(&'static str, &'static str)> {
    RiskLevel::ALL
        .into_iter()
        .map(|l| (l.code(), l.label()))
        .collect()
}

/// A township a judgment concerns, or the county itself (全县).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Area {
    pub region_code: String,
    pub name: String,
}

/// A department at the meeting.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Participant {
    pub department_id: Uuid,
    pub name: String,
}

/// 风险研判.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Judgment {
    /// A `disaster_type` code, e.g. `flood`.
    pub hazard_type: String,
    pub hazard_label: String,
    pub hazard_edition: String,
    pub level: RiskLevel,
    pub areas: Vec<Area>,
    pub text: String,
}

impl Judgment {
    pub fn level_label(&self) -> &'static str {
        self.level.label()
    }

    pub fn level_class(&self) -> &'static str {
        self.level.colour()
    }

    /// 潼川镇、塔山镇, or 全县.
    pub fn area_names(&self) -> String {
        self.areas
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// 风险会商报告.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Consultation {
    pub id: Uuid,
    /// The county that convened the meeting.
    pub region_code: String,
    pub number: Option<String>,
    pub title: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub meeting_on: NaiveDate,
    /// 召集单位.
    pub convener: String,
    pub departments: Vec<Participant>,
    /// 受邀专家.
    pub experts: Option<String>,
    pub judgments: Vec<Judgment>,
    /// 防范措施建议.
    pub measures: String,
    /// 签发人.
    pub issuer: Option<String>,
    pub state: ConsultationState,
    pub issued_at: Option<DateTime<Utc>>,
    pub issued_on: Option<NaiveDate>,
    pub issued_by_name: Option<String>,
    pub voided_at: Option<DateTime<Utc>>,
    pub void_reason: Option<String>,
    pub version: i32,
    /// The letter as issued.
    #[serde(skip)]
    #[schema(ignore)]
    pub letter: Option<Letter>,
}

impl Consultation {
    pub fn state_label(&self) -> &'static str {
        self.state.label()
    }

    pub fn state_class(&self) -> &'static str {
        match self.state {
            ConsultationState::Draft => "gray",
            ConsultationState::Issued => "green",
            ConsultationState::Voided => "red",
        }
    }

    pub fn number_text(&self) -> &str {
        self.number.as_deref().unwrap_or("（印发时编号）")
    }

    pub fn period_text(&self) -> String {
        format!("{} 至 {}", self.period_from, self.period_to)
    }

    pub fn department_names(&self) -> String {
        self.departments
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    }

    /// The hazard types judged, once each: 洪涝、滑坡.
    pub fn hazard_names(&self) -> String {
        let mut names: Vec<&str> = Vec::new();
        for j in &self.judgments {
            if !names.contains(&j.hazard_label.as_str()) {
                names.push(&j.hazard_label);
            }
        }
        names.join("、")
    }

    pub fn issued_local(&self) -> String {
        self.issued_at.map(format_local).unwrap_or_default()
    }

    pub fn voided_local(&self) -> String {
        self.voided_at.map(format_local).unwrap_or_default()
    }

    pub fn is_draft(&self) -> bool {
        self.state == ConsultationState::Draft
    }

    pub fn is_voided(&self) -> bool {
        self.state == ConsultationState::Voided
    }
}

/// The bureau's own county-level readers see drafts (and the reports' history) too; townships,
/// villages and member departments' liaisons read what was issued.
pub fn reads_drafts(actor: &Actor) -> bool {
    actor.scope().prefix().len() <= 6
        && actor
            .roles
            .iter()
            .any(|r| *r != Role::DepartmentLiaison && r.permissions().contains(&perm::WARNING_VIEW))
}

/// The scope a reader reads reports in: their own, or their county's when they sit below it.
fn reading_scope(actor: &Actor) -> AppResult<Scope> {
    actor.require(perm::WARNING_VIEW)?;
    if reads_drafts(actor) {
        return Ok(actor.scope());
    }
    Ok(Scope::of(&county_of(&actor.region_code)))
}

fn require_writer(actor: &Actor) -> AppResult<Scope> {
    actor.require(perm::WARNING_EDIT)?;
    if !is_writer(actor) {
        return Err(AppError::Forbidden);
    }
    Ok(actor.scope())
}

/// Children of many reports, grouped by report.
struct Children {
    departments: HashMap<Uuid, Vec<Participant>>,
    judgments: HashMap<Uuid, Vec<Judgment>>,
}

async fn children(db: &impl ConnectionTrait, ids: &[Uuid]) -> AppResult<Children> {
    let mut out = Children {
        departments: HashMap::new(),
        judgments: HashMap::new(),
    };
    if ids.is_empty() {
        return Ok(out);
    }
    for d in department::Entity::find()
        .filter(department::Column::ConsultationId.is_in(ids.to_vec()))
        .order_by_asc(department::Column::Sort)
        .all(db)
        .await?
    {
        out.departments
            .entry(d.consultation_id)
            .or_default()
            .push(Participant {
                department_id: d.department_id,
                name: d.name,
            });
    }
    let mut areas: HashMap<Uuid, Vec<Area>> = HashMap::new();
    for a in area::Entity::find()
        .filter(area::Column::ConsultationId.is_in(ids.to_vec()))
        .order_by_asc(area::Column::Sort)
        .all(db)
        .await?
    {
        areas.entry(a.judgment_id).or_default().push(Area {
            region_code: a.region_code,
            name: a.name,
        });
    }
    for j in judgment::Entity::find()
        .filter(judgment::Column::ConsultationId.is_in(ids.to_vec()))
        .order_by_asc(judgment::Column::Sort)
        .all(db)
        .await?
    {
        out.judgments
            .entry(j.consultation_id)
            .or_default()
            .push(Judgment {
                areas: areas.remove(&j.id).unwrap_or_default(),
                level: RiskLevel::parse(&j.level).unwrap_or(RiskLevel::Moderate),
                hazard_type: j.hazard_type,
                hazard_label: j.hazard_label,
                hazard_edition: j.hazard_edition,
                text: j.text,
            });
    }
    Ok(out)
}

fn parse_letter(m: &consultation::Model) -> AppResult<Option<Letter>> {
    m.letter
        .as_deref()
        .map(|text| {
            serde_json::from_str(text)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("letter of {}: {e}", m.id)))
        })
        .transpose()
}

/// Reports with their departments, judgments and names.
async fn decorate(
    db: &impl ConnectionTrait,
    models: Vec<consultation::Model>,
) -> AppResult<Vec<Consultation>> {
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    let mut kids = children(db, &ids).await?;
    let names = platform::users::store::display_names(
        db,
        models.iter().filter_map(|m| m.issued_by).collect(),
    )
    .await?;
    let mut out = Vec::with_capacity(models.len());
    for m in models {
        out.push(Consultation {
            letter: parse_letter(&m)?,
            state: ConsultationState::parse(&m.state).unwrap_or(ConsultationState::Draft),
            departments: kids.departments.remove(&m.id).unwrap_or_default(),
            judgments: kids.judgments.remove(&m.id).unwrap_or_default(),
            issued_by_name: m.issued_by.and_then(|id| names.get(&id).cloned()),
            id: m.id,
            region_code: m.region_code,
            number: m.number,
            title: m.title,
            period_from: m.period_from,
            period_to: m.period_to,
            meeting_on: m.meeting_on,
            convener: m.convener,
            experts: m.experts,
            measures: m.measures,
            issuer: m.issuer,
            issued_at: m.issued_at,
            issued_on: m.issued_on,
            voided_at: m.voided_at,
            void_reason: m.void_reason,
            version: m.version,
        });
    }
    Ok(out)
}

/// The list's filter.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct ConsultationFilter {
    /// Words in the title, number, judgments or measures.
    pub q: Option<String>,
    /// The number's year (the meeting's year for drafts).
    pub year: Option<String>,
    /// Reports whose period ends on or after this day (YYYY-MM-DD).
    pub from: Option<String>,
    /// Reports whose period starts on or before this day (YYYY-MM-DD).
    pub to: Option<String>,
    /// A `disaster_type` code; a category (e.g. `geological`) includes its kinds.
    pub hazard: Option<String>,
    /// A township's code: judgments about it or about the whole county.
    pub township: Option<String>,
    /// draft | issued | voided
    pub state: Option<String>,
    /// Issued (印发) on or after this day (YYYY-MM-DD, UTC+8).
    pub issued_from: Option<String>,
    /// Issued on or before this day.
    pub issued_to: Option<String>,
}

impl ConsultationFilter {
    pub fn year(&self) -> Option<i32> {
        optional(&self.year).and_then(|y| y.parse().ok())
    }
}

/// The codes a hazard filter matches: the code and, for a category, its kinds.
async fn hazard_codes(db: &impl ConnectionTrait, code: &str) -> AppResult<Vec<String>> {
    let items = platform::dicts::store::items(db, HAZARD_DICT, None).await?;
    let mut codes = vec![code.to_string()];
    codes.extend(
        items
            .into_iter()
            .filter(|i| i.parent_code.as_deref() == Some(code))
            .map(|i| i.code),
    );
    Ok(codes)
}

fn year_condition(year: i32) -> Condition {
    use consultation::Column;
    let (first, last) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    );
    let unnumbered = match (first, last) {
        (Some(f), Some(l)) => Condition::all()
            .add(Column::NumberYear.is_null())
            .add(Column::MeetingOn.gte(f))
            .add(Column::MeetingOn.lte(l)),
        _ => Condition::all().add(Expr::val(false)),
    };
    Condition::any()
        .add(Column::NumberYear.eq(year))
        .add(unnumbered)
}

fn keyword_condition(text: &str) -> Condition {
    use consultation::Column;
    let in_judgments = judgment::Entity::find()
        .select_only()
        .column(judgment::Column::ConsultationId)
        .filter(
            Condition::any()
                .add(judgment::Column::Text.contains(text))
                .add(judgment::Column::HazardLabel.contains(text)),
        )
        .into_query();
    Condition::any()
        .add(Column::Title.contains(text))
        .add(Column::Number.contains(text))
        .add(Column::Measures.contains(text))
        .add(Column::Id.in_subquery(in_judgments))
}

/// Reports with a judgment about `township`, or about its whole county.
fn township_condition(township: &str) -> Condition {
    let codes = vec![township.to_string(), county_of(township)];
    let ids = area::Entity::find()
        .select_only()
        .column(area::Column::ConsultationId)
        .filter(area::Column::RegionCode.is_in(codes))
        .into_query();
    Condition::all().add(consultation::Column::Id.in_subquery(ids))
}

fn hazard_condition(codes: Vec<String>) -> Condition {
    let ids = judgment::Entity::find()
        .select_only()
        .column(judgment::Column::ConsultationId)
        .filter(judgment::Column::HazardType.is_in(codes))
        .into_query();
    Condition::all().add(consultation::Column::Id.in_subquery(ids))
}

fn select(
    scope: &Scope,
    drafts: bool,
    filter: &ConsultationFilter,
    hazards: Option<Vec<String>>,
) -> sea_orm::Select<consultation::Entity> {
    use consultation::Column;
    let mut q = consultation::Entity::find().filter(scope.condition(Column::RegionCode));
    if !drafts {
        // Below the county: what was issued (a voided draft was never sent out).
        q = q.filter(Column::Number.is_not_null());
    }
    if let Some(text) = optional(&filter.q) {
        q = q.filter(keyword_condition(&text));
    }
    if let Some(year) = filter.year() {
        q = q.filter(year_condition(year));
    }
    // Overlap: the period ends on or after `from` and starts on or before `to`.
    if let Some(d) = optional(&filter.from).as_deref().and_then(parse_date) {
        q = q.filter(Column::PeriodTo.gte(d));
    }
    if let Some(d) = optional(&filter.to).as_deref().and_then(parse_date) {
        q = q.filter(Column::PeriodFrom.lte(d));
    }
    if let Some(d) = optional(&filter.issued_from)
        .as_deref()
        .and_then(parse_date)
    {
        q = q.filter(Column::IssuedOn.gte(d));
    }
    if let Some(d) = optional(&filter.issued_to).as_deref().and_then(parse_date) {
        q = q.filter(Column::IssuedOn.lte(d));
    }
    if let Some(codes) = hazards {
        q = q.filter(hazard_condition(codes));
    }
    if let Some(code) = optional(&filter.township) {
        q = q.filter(township_condition(&code));
    }
    if let Some(code) = optional(&filter.state) {
        q = q.filter(Column::State.eq(code));
    }
    q.order_by_desc(Column::MeetingOn)
        .order_by_desc(Column::NumberSeq)
        .order_by_desc(Column::CreatedAt)
}

async fn filtered(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &ConsultationFilter,
) -> AppResult<sea_orm::Select<consultation::Entity>> {
    let scope = reading_scope(actor)?;
    let hazards = match optional(&filter.hazard) {
        Some(code) => Some(hazard_codes(db, &code).await?),
        None => None,
    };
    Ok(select(&scope, reads_drafts(actor), filter, hazards))
}

/// Reports the actor may read, a page at a time, latest meeting first.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &ConsultationFilter,
    paging: Paging,
) -> AppResult<PageOf<Consultation>> {
    let page = fetch_page(db, filtered(db, actor, filter).await?, paging).await?;
    Ok(PageOf {
        items: decorate(db, page.items).await?,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// Every matching report up to `limit`, for export.
pub async fn all(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &ConsultationFilter,
    limit: u64,
) -> AppResult<Vec<Consultation>> {
    let models = filtered(db, actor, filter)
        .await?
        .limit(limit)
        .all(db)
        .await?;
    decorate(db, models).await
}

pub(super) async fn load(
    db: &impl ConnectionTrait,
    scope: &Scope,
    drafts: bool,
    id: Uuid,
) -> AppResult<Consultation> {
    let m = consultation::Entity::find_by_id(id)
        .filter(scope.condition(consultation::Column::RegionCode))
        .one(db)
        .await?
        .filter(|m| drafts || m.number.is_some())
        .ok_or(AppError::NotFound)?;
    Ok(decorate(db, vec![m]).await?.remove(0))
}

/// One report, if the actor may read it.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> AppResult<Consultation> {
    let scope = reading_scope(actor)?;
    load(db, &scope, reads_drafts(actor), id).await
}

/// A judgment as typed or sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct JudgmentInput {
    /// A `disaster_type` code, e.g. `flood`, `landslide`, `forest_fire`.
    #[serde(default)]
    pub hazard_type: String,
    /// high | elevated | moderate | low
    #[serde(default)]
    pub level: String,
    /// Townships' 12-digit codes; the county's own code means the whole county (全县).
    #[serde(default)]
    pub townships: Vec<String>,
    #[serde(default)]
    pub text: String,
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ConsultationInput {
    #[serde(default)]
    pub title: String,
    /// YYYY-MM-DD
    pub period_from: Option<String>,
    /// YYYY-MM-DD, not before `period_from`.
    pub period_to: Option<String>,
    /// 会商日期, YYYY-MM-DD.
    pub meeting_on: Option<String>,
    /// 召集单位, e.g. 县应急管理局.
    #[serde(default)]
    pub convener: String,
    /// Participating departments' ids.
    #[serde(default)]
    pub departments: Vec<String>,
    /// 受邀专家, free text.
    pub experts: Option<String>,
    #[serde(default)]
    pub judgments: Vec<JudgmentInput>,
    /// 防范措施建议 (required to issue).
    #[serde(default)]
    pub measures: String,
    /// 签发人 (required to issue).
    pub issuer: Option<String>,
    /// The county, for writers above county level; a county's writer writes for their own.
    pub region_code: Option<String>,
    /// On edit: the version the form was loaded at.
    pub version: Option<i32>,
}

impl ConsultationInput {
    pub fn from_consultation(c: &Consultation) -> Self {
        Self {
            title: c.title.clone(),
            period_from: Some(c.period_from.to_string()),
            period_to: Some(c.period_to.to_string()),
            meeting_on: Some(c.meeting_on.to_string()),
            convener: c.convener.clone(),
            departments: c
                .departments
                .iter()
                .map(|d| d.department_id.to_string())
                .collect(),
            experts: c.experts.clone(),
            judgments: c
                .judgments
                .iter()
                .map(|j| JudgmentInput {
                    hazard_type: j.hazard_type.clone(),
                    level: j.level.code().to_string(),
                    townships: j.areas.iter().map(|a| a.region_code.clone()).collect(),
                    text: j.text.clone(),
                })
                .collect(),
            measures: c.measures.clone(),
            issuer: c.issuer.clone(),
            region_code: Some(c.region_code.clone()),
            version: Some(c.version),
        }
    }
}

/// What a report needs to choose from: its county's townships and departments.
pub struct Choices {
    pub county: regions::store::Region,
    pub townships: Vec<regions::store::Region>,
    pub departments: Vec<platform::org::store::Department>,
}

/// The townships and departments a writer may pick for a county's report.
pub async fn choices(db: &impl ConnectionTrait, county: &str) -> AppResult<Choices> {
    let scope = Scope::of(county);
    let county = regions::store::find(db, county)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Choices {
        townships: regions::store::list_level(db, &scope, Level::Township).await?,
        departments: platform::org::store::all(db, &scope).await?,
        county,
    })
}

/// The county a new report belongs to: the one asked for, or the writer's own.
async fn county_for(
    db: &impl ConnectionTrait,
    actor: &Actor,
    requested: &Option<String>,
) -> AppResult<String> {
    let code = match optional(requested) {
        Some(code) => code,
        None if actor.scope().prefix().len() == 6 => county_of(&actor.region_code),
        None => {
            return Err(AppError::field(
                "region_code",
                "请选择会商报告所属的县（市、区）",
            ));
        }
    };
    match regions::store::get(db, &actor.scope(), &code).await {
        Ok(r) if r.level == Level::County => Ok(r.code),
        _ => Err(AppError::field(
            "region_code",
            "所属县（市、区）不存在或不在管辖范围内",
        )),
    }
}

/// A judgment checked against the code table and the county's townships.
struct ValidJudgment {
    hazard_type: String,
    hazard_edition: String,
    hazard_label: String,
    level: RiskLevel,
    areas: Vec<Area>,
    text: String,
}

struct Valid {
    title: String,
    period_from: NaiveDate,
    period_to: NaiveDate,
    meeting_on: NaiveDate,
    convener: String,
    departments: Vec<Participant>,
    experts: Option<String>,
    judgments: Vec<ValidJudgment>,
    measures: String,
    issuer: Option<String>,
}

/// `judgments[2].text`: where a judgment's error goes (the form shows it beside that row).
pub fn judgment_field(index: usize, field: &str) -> String {
    format!("judgments[{index}].{field}")
}

fn required_text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    max: usize,
    label: &str,
) -> String {
    let text = value.trim().to_string();
    if text.is_empty() {
        errors.insert(field.into(), format!("请填写{label}"));
    } else if text.chars().count() > max {
        errors.insert(field.into(), format!("{label}不超过 {max} 个字"));
    }
    text
}

fn required_date(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<String>,
    label: &str,
) -> Option<NaiveDate> {
    let d = date_field(errors, field, value);
    if d.is_none() && !errors.contains_key(field) {
        errors.insert(field.into(), format!("请填写{label}"));
    }
    d
}

fn chosen_departments(
    choices: &Choices,
    ids: &[String],
    errors: &mut FieldErrors,
) -> Vec<Participant> {
    let mut out: Vec<Participant> = Vec::new();
    for id in ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let found = Uuid::parse_str(id)
            .ok()
            .and_then(|id| choices.departments.iter().find(|d| d.id == id));
        match found {
            Some(d) if !out.iter().any(|p| p.department_id == d.id) => out.push(Participant {
                department_id: d.id,
                name: d.name.clone(),
            }),
            Some(_) => {}
            None => {
                errors.insert(
                    "departments".into(),
                    "所选部门不存在或不在本县范围内".into(),
                );
            }
        }
    }
    out
}

/// The areas of one judgment: townships of the county, or the county itself for 全县.
fn chosen_areas(
    choices: &Choices,
    codes: &[String],
    index: usize,
    errors: &mut FieldErrors,
) -> Vec<Area> {
    let field = judgment_field(index, "townships");
    let codes: Vec<&str> = codes
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() {
        errors.insert(field, "请选择涉及的乡镇，或选“全县”".into());
        return Vec::new();
    }
    if codes.contains(&choices.county.code.as_str()) {
        return vec![Area {
            region_code: choices.county.code.clone(),
            name: WHOLE_COUNTY.into(),
        }];
    }
    let mut out: Vec<Area> = Vec::new();
    for code in codes {
        match choices.townships.iter().find(|t| t.code == code) {
            Some(t) if !out.iter().any(|a| a.region_code == t.code) => out.push(Area {
                region_code: t.code.clone(),
                name: t.short_name.clone(),
            }),
            Some(_) => {}
            None => {
                errors.insert(field.clone(), format!("乡镇 {code} 不在本县范围内"));
            }
        }
    }
    out
}

async fn valid_judgment(
    db: &impl ConnectionTrait,
    choices: &Choices,
    index: usize,
    input: &JudgmentInput,
    errors: &mut FieldErrors,
) -> AppResult<Option<ValidJudgment>> {
    let before = errors.len();
    let code = input.hazard_type.trim();
    let hazard = match code {
        "" => None,
        code => platform::dicts::store::find_current(db, HAZARD_DICT, code).await?,
    };
    if hazard.is_none() {
        let message = if code.is_empty() {
            "请选择灾害种类"
        } else {
            "灾害种类不在“灾害种类”字典中"
        };
        errors.insert(judgment_field(index, "hazard_type"), message.into());
    }
    let level = RiskLevel::parse(input.level.trim());
    if level.is_none() {
        errors.insert(judgment_field(index, "level"), "请选择风险等级".into());
    }
    let areas = chosen_areas(choices, &input.townships, index, errors);
    let field = judgment_field(index, "text");
    let text = required_text(errors, &field, &input.text, 5000, "研判意见");
    Ok(match (hazard, level) {
        (Some(h), Some(level)) if errors.len() == before => Some(ValidJudgment {
            hazard_type: h.code,
            hazard_edition: h.edition,
            hazard_label: h.label,
            level,
            areas,
            text,
        }),
        _ => None,
    })
}

async fn validate(
    db: &impl ConnectionTrait,
    county: &str,
    input: &ConsultationInput,
) -> AppResult<Valid> {
    let choices = choices(db, county).await?;
    let mut errors = FieldErrors::new();
    let title = required_text(&mut errors, "title", &input.title, 200, "标题");
    let from = required_date(
        &mut errors,
        "period_from",
        &input.period_from,
        "会商时段的开始日期",
    );
    let to = required_date(
        &mut errors,
        "period_to",
        &input.period_to,
        "会商时段的结束日期",
    );
    if let (Some(f), Some(t)) = (from, to)
        && let Err(e) = model::check_period(f, t)
    {
        errors.insert("period_to".into(), e.to_string());
    }
    let meeting = required_date(&mut errors, "meeting_on", &input.meeting_on, "会商日期");
    let convener = required_text(&mut errors, "convener", &input.convener, 100, "召集单位");
    let departments = chosen_departments(&choices, &input.departments, &mut errors);
    let experts = text_field(&mut errors, "experts", &input.experts, 1000, "受邀专家");
    if input.judgments.len() > MAX_JUDGMENTS {
        errors.insert(
            "judgments".into(),
            format!("风险研判不超过 {MAX_JUDGMENTS} 条"),
        );
    }
    let mut judgments = Vec::new();
    for (i, j) in input.judgments.iter().take(MAX_JUDGMENTS).enumerate() {
        judgments.extend(valid_judgment(db, &choices, i, j, &mut errors).await?);
    }
    let measures = input.measures.trim().to_string();
    if measures.chars().count() > 20_000 {
        errors.insert("measures".into(), "防范措施建议不超过 20000 个字".into());
    }
    let issuer = text_field(&mut errors, "issuer", &input.issuer, 50, "签发人");
    match (from, to, meeting) {
        (Some(period_from), Some(period_to), Some(meeting_on)) if errors.is_empty() => Ok(Valid {
            title,
            period_from,
            period_to,
            meeting_on,
            convener,
            departments,
            experts,
            judgments,
            measures,
            issuer,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Replace a draft's departments and judgments (inside the draft's transaction).
async fn write_children(txn: &impl ConnectionTrait, id: Uuid, v: &Valid) -> AppResult<()> {
    area::Entity::delete_many()
        .filter(area::Column::ConsultationId.eq(id))
        .exec(txn)
        .await?;
    judgment::Entity::delete_many()
        .filter(judgment::Column::ConsultationId.eq(id))
        .exec(txn)
        .await?;
    department::Entity::delete_many()
        .filter(department::Column::ConsultationId.eq(id))
        .exec(txn)
        .await?;
    for (i, d) in v.departments.iter().enumerate() {
        department::ActiveModel {
            id: Set(Uuid::now_v7()),
            consultation_id: Set(id),
            department_id: Set(d.department_id),
            name: Set(d.name.clone()),
            sort: Set(i as i32),
        }
        .insert(txn)
        .await?;
    }
    for (i, j) in v.judgments.iter().enumerate() {
        write_judgment(txn, id, i, j).await?;
    }
    Ok(())
}

async fn write_judgment(
    txn: &impl ConnectionTrait,
    consultation_id: Uuid,
    sort: usize,
    j: &ValidJudgment,
) -> AppResult<()> {
    let judgment_id = Uuid::now_v7();
    judgment::ActiveModel {
        id: Set(judgment_id),
        consultation_id: Set(consultation_id),
        sort: Set(sort as i32),
        hazard_type: Set(j.hazard_type.clone()),
        hazard_edition: Set(j.hazard_edition.clone()),
        hazard_label: Set(j.hazard_label.clone()),
        level: Set(j.level.code().to_string()),
        text: Set(j.text.clone()),
    }
    .insert(txn)
    .await?;
    for (k, a) in j.areas.iter().enumerate() {
        area::ActiveModel {
            id: Set(Uuid::now_v7()),
            judgment_id: Set(judgment_id),
            consultation_id: Set(consultation_id),
            region_code: Set(a.region_code.clone()),
            name: Set(a.name.clone()),
            sort: Set(k as i32),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// Save a new draft (numbered only when issued).
pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &ConsultationInput,
) -> AppResult<Consultation> {
    let scope = require_writer(actor)?;
    let county = county_for(&state.db, actor, &input.region_code).await?;
    let v = validate(&state.db, &county, input).await?;
    let now = state.now();
    let id = Uuid::now_v7();
    let txn = state.db.begin().await?;
    consultation::ActiveModel {
        number: Set(None),
        number_year: Set(None),
        number_seq: Set(None),
        title: Set(v.title.clone()),
        period_from: Set(v.period_from),
        period_to: Set(v.period_to),
        meeting_on: Set(v.meeting_on),
        convener: Set(v.convener.clone()),
        experts: Set(v.experts.clone()),
        measures: Set(v.measures.clone()),
        issuer: Set(v.issuer.clone()),
        state: Set(ConsultationState::Draft.code().to_string()),
        issued_at: Set(None),
        issued_by: Set(None),
        issued_on: Set(None),
        letter: Set(None),
        ..platform::db::new_record(id, county.clone(), Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    write_children(&txn, id, &v).await?;
    let created = load(&txn, &scope, true, id).await?;
    let entry = Entry::new("create", KIND, id, &county)
        .summary(format!("拟稿风险会商报告《{}》", created.title))
        .after(&created);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(created)
}

fn refused(err: ConsultationError) -> AppError {
    match err.field() {
        Some(f) => AppError::field(f, err.to_string()),
        None => AppError::conflict("transition_refused", err.to_string()),
    }
}

fn version_of(version: Option<i32>) -> AppResult<i32> {
    version.ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重试"))
}

/// Edit a draft; `version` must be the one read. An issued or voided report is frozen.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &ConsultationInput,
) -> AppResult<Consultation> {
    use consultation::Column;
    let scope = require_writer(actor)?;
    let before = load(&state.db, &scope, true, id).await?;
    model::check_edit(before.state).map_err(refused)?;
    let version = version_of(input.version)?;
    let v = validate(&state.db, &before.region_code, input).await?;
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::versioned_update(
        &txn,
        consultation::Entity::update_many()
            .col_expr(Column::Title, Expr::value(v.title.clone()))
            .col_expr(Column::PeriodFrom, Expr::value(v.period_from))
            .col_expr(Column::PeriodTo, Expr::value(v.period_to))
            .col_expr(Column::MeetingOn, Expr::value(v.meeting_on))
            .col_expr(Column::Convener, Expr::value(v.convener.clone()))
            .col_expr(Column::Experts, Expr::value(v.experts.clone()))
            .col_expr(Column::Measures, Expr::value(v.measures.clone()))
            .col_expr(Column::Issuer, Expr::value(v.issuer.clone()))
            // Only while still a draft: a report issued meanwhile is not rewritten.
            .filter(Column::State.eq(ConsultationState::Draft.code())),
        id,
        version,
        actor.user_id,
        now,
    )
    .await?;
    write_children(&txn, id, &v).await?;
    let after = load(&txn, &scope, true, id).await?;
    let entry = Entry::new("update", KIND, id, &after.region_code)
        .summary(format!("修改风险会商报告草稿《{}》", after.title))
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
pub struct VoidInput {
    /// 作废原因.
    #[serde(default)]
    pub reason: String,
    pub version: i32,
}

fn issue_refused(errors: Vec<ConsultationError>) -> AppError {
    let mut fields = FieldErrors::new();
    for e in errors {
        match e.field() {
            Some(f) => {
                fields.insert(f.into(), e.to_string());
            }
            None => return refused(e),
        }
    }
    AppError::Validation(fields)
}

/// 印发: check the draft, give it the county's next number for the year, freeze the letter.
pub async fn issue(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    version: i32,
) -> AppResult<Consultation> {
    use consultation::Column;
    let scope = require_writer(actor)?;
    let before = load(&state.db, &scope, true, id).await?;
    let draft = model::Draft {
        state: before.state,
        judgments: before.judgments.len(),
        departments: before.departments.len(),
        measures: &before.measures,
        issuer: before.issuer.as_deref().unwrap_or(""),
    };
    model::issue(&draft).map_err(issue_refused)?;
    let day = today(state);
    let year = chrono::Datelike::year(&day);
    let now = state.now();
    let txn = state.db.begin().await?;
    let (county_name, stem) = county_names(&txn, &before.region_code).await?;
    let seq = sequence::next(&txn, &before.region_code, model::SERIES, year).await?;
    let number = document_number(&model::number_prefix(&stem), year, seq);
    let letter = document::letter(&before, &county_name, &number, day);
    let letter_json = serde_json::to_string(&letter)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("letter: {e}")))?;
    platform::db::versioned_update(
        &txn,
        consultation::Entity::update_many()
            .col_expr(Column::State, Expr::value(ConsultationState::Issued.code()))
            .col_expr(Column::Number, Expr::value(Some(number.clone())))
            .col_expr(Column::NumberYear, Expr::value(Some(year)))
            .col_expr(Column::NumberSeq, Expr::value(Some(seq as i32)))
            .col_expr(Column::IssuedAt, Expr::value(Some(now)))
            .col_expr(Column::IssuedBy, Expr::value(Some(actor.user_id)))
            .col_expr(Column::IssuedOn, Expr::value(Some(day)))
            .col_expr(Column::Letter, Expr::value(Some(letter_json)))
            .filter(Column::State.eq(ConsultationState::Draft.code())),
        id,
        version,
        actor.user_id,
        now,
    )
    .await?;
    let after = load(&txn, &scope, true, id).await?;
    let entry = Entry::new("consultation.issue", KIND, id, &after.region_code)
        .summary(format!("印发风险会商报告 {number}《{}》", after.title))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// 作废: a draft or an issued report, with a reason. An issued report keeps its number, which
/// is never given again.
pub async fn void(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &VoidInput,
) -> AppResult<Consultation> {
    use consultation::Column;
    let scope = require_writer(actor)?;
    let before = load(&state.db, &scope, true, id).await?;
    let reason = input.reason.trim();
    if reason.chars().count() > 500 {
        return Err(AppError::field("reason", "作废原因不超过 500 个字"));
    }
    model::void(before.state, reason).map_err(refused)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::versioned_update(
        &txn,
        consultation::Entity::update_many()
            .col_expr(Column::State, Expr::value(ConsultationState::Voided.code()))
            .col_expr(Column::VoidedAt, Expr::value(Some(now)))
            .col_expr(Column::VoidReason, Expr::value(Some(reason.to_string())))
            .filter(Column::State.ne(ConsultationState::Voided.code())),
        id,
        input.version,
        actor.user_id,
        now,
    )
    .await?;
    let after = load(&txn, &scope, true, id).await?;
    let entry = Entry::new("consultation.void", KIND, id, &after.region_code)
        .summary(format!(
            "作废风险会商报告 {}《{}》：{reason}",
            before.number.as_deref().unwrap_or("（未编号草稿）"),
            after.title
        ))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// The report as a letter: as issued once issued (marked when voided), a preview for a draft.
pub async fn letter_of(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<Letter> {
    let c = get(&state.db, actor, id).await?;
    if let Some(mut letter) = c.letter.clone() {
        if c.is_voided() {
            letter.title = format!("{}（已作废）", letter.title);
        }
        return Ok(letter);
    }
    let (county_name, _) = county_names(&state.db, &c.region_code).await?;
    Ok(document::letter(
        &c,
        &county_name,
        "（草稿，印发时编号）",
        today(state),
    ))
}
