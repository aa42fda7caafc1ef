//! Hazard queries and changes, scoped, versioned and audited. The rules live in [`super::model`]:
//! each transition loads the hazard, asks the model, then writes with optimistic locking and an
//! audit row in one transaction.

use chrono::NaiveDate;
use platform::access::{Actor, Scope, perm};
use platform::attachments::{self, Attachment, Owner, Upload};
use platform::audit::{self, Entry};
use platform::db::sequence;
use platform::error::{AppError, AppResult, FieldErrors};
use platform::web::AppState;
use platform::web::form::{
    date_field, de_flag, de_number, de_required_flag, fen_as_yuan, label_of, optional, parse_date,
    text_field, yuan_field,
};
use platform::web::paging::{Dir, PageOf, Paging, Sort, SortColumn, Sorts, fetch_page};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::documents::{self, DocumentKind};
use super::entity::hazard;
use super::model::{self, FiveInPlace, HazardGrade, HazardState, TransitionError};
use super::rollup;
use crate::units::entity::unit;

pub use crate::units::store::today;

/// The code table of hazard categories.
pub const CATEGORY_DICT: &str = "hazard_category";

/// 隐患来源.
pub const SOURCES: &[(&str, &str)] = &[
    ("self_check", "自查"),
    ("enforcement", "执法检查"),
    ("expert", "专家检查"),
    ("public_report", "群众举报"),
];

/// 挂牌督办 / 管控, only for major hazards.
pub const SUPERVISIONS: &[(&str, &str)] = &[
    ("none", "无"),
    ("listed", "挂牌督办"),
    ("under_control", "管控"),
];

pub const GRADES: &[(&str, &str)] = &[("general", "一般隐患"), ("major", "重大隐患")];

pub const STATES: &[(&str, &str)] = &[
    ("registered", "登记"),
    ("notice_issued", "已下达整改"),
    ("rectifying", "整改中"),
    ("awaiting_review", "待复查"),
    ("review_passed", "复查通过"),
    ("closed", "已销号"),
];

pub fn grade_code(g: HazardGrade) -> &'static str {
    match g {
        HazardGrade::General => "general",
        HazardGrade::Major => "major",
    }
}

pub fn parse_grade(code: &str) -> Option<HazardGrade> {
    match code {
        "general" => Some(HazardGrade::General),
        "major" => Some(HazardGrade::Major),
        _ => None,
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Hazard {
    pub id: Uuid,
    pub number: String,
    pub unit_id: Uuid,
    pub unit_name: String,
    pub region_code: String,
    pub region_name: String,
    pub description: String,
    pub category_code: String,
    pub category_edition: String,
    pub category_label: String,
    pub grade: HazardGrade,
    pub criterion_standard: Option<String>,
    pub criterion_item: Option<String>,
    pub discovered_on: NaiveDate,
    /// self_check | enforcement | expert | public_report
    pub source: String,
    pub location: Option<String>,
    pub state: HazardState,
    /// The rectification deadline (also the five-in-place time limit).
    pub deadline: Option<NaiveDate>,
    pub responsible: Option<String>,
    pub measures: Option<String>,
    pub funds_fen: Option<i64>,
    pub contingency: Option<String>,
    pub evidence: Option<String>,
    pub review_reasons: Option<String>,
    pub closed_on: Option<NaiveDate>,
    /// none | listed | under_control
    pub supervision: String,
    pub exposed: bool,
    pub exposed_on: Option<NaiveDate>,
    pub exposure_channel: Option<String>,
    /// The inspection that found it, if any.
    pub inspection_id: Option<Uuid>,
    /// As of today in UTC+8.
    pub overdue: bool,
    pub version: i32,
}

impl Hazard {
    fn bare(m: hazard::Model, today: NaiveDate) -> Self {
        let state = HazardState::parse(&m.state).unwrap_or(HazardState::Registered);
        Self {
            overdue: model::is_overdue(state, m.deadline, today),
            id: m.id,
            number: m.number,
            unit_id: m.unit_id,
            unit_name: String::new(),
            region_name: m.region_code.clone(),
            region_code: m.region_code,
            description: m.description,
            category_label: m.category_code.clone(),
            category_code: m.category_code,
            category_edition: m.category_edition,
            grade: parse_grade(&m.grade).unwrap_or(HazardGrade::General),
            criterion_standard: m.criterion_standard,
            criterion_item: m.criterion_item,
            discovered_on: m.discovered_on,
            source: m.source,
            location: m.location,
            state,
            deadline: m.deadline,
            responsible: m.responsible,
            measures: m.measures,
            funds_fen: m.funds_fen,
            contingency: m.contingency,
            evidence: m.evidence,
            review_reasons: m.review_reasons,
            closed_on: m.closed_on,
            supervision: m.supervision,
            exposed: m.exposed,
            exposed_on: m.exposed_on,
            exposure_channel: m.exposure_channel,
            inspection_id: m.inspection_id,
            version: m.version,
        }
    }

    pub fn grade_label(&self) -> &'static str {
        self.grade.label()
    }

    pub fn grade_class(&self) -> &'static str {
        match self.grade {
            HazardGrade::Major => "red",
            HazardGrade::General => "orange",
        }
    }

    pub fn state_label(&self) -> &'static str {
        self.state.label()
    }

    pub fn state_class(&self) -> &'static str {
        match self.state {
            HazardState::Closed | HazardState::ReviewPassed => "green",
            HazardState::AwaitingReview => "blue",
            _ => "orange",
        }
    }

    pub fn source_label(&self) -> &'static str {
        label_of(SOURCES, &self.source)
    }

    pub fn supervision_label(&self) -> &'static str {
        label_of(SUPERVISIONS, &self.supervision)
    }

    pub fn is_major(&self) -> bool {
        self.grade == HazardGrade::Major
    }

    pub fn criterion(&self) -> String {
        [&self.criterion_standard, &self.criterion_item]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn funds_yuan(&self) -> String {
        self.funds_fen.map(fen_as_yuan).unwrap_or_default()
    }

    /// The state code, for templates choosing which action forms to show.
    pub fn state_code(&self) -> &'static str {
        self.state.code()
    }

    fn five_in_place(&self) -> FiveInPlace {
        FiveInPlace {
            responsible: self.responsible.clone(),
            measures: self.measures.clone(),
            funds_fen: self.funds_fen,
            deadline: self.deadline,
            contingency: self.contingency.clone(),
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct HazardFilter {
    /// Number, description or location contains.
    pub q: Option<String>,
    /// A township's 12-digit code.
    pub township: Option<String>,
    pub unit: Option<Uuid>,
    /// general | major
    pub grade: Option<String>,
    /// A state code, e.g. rectifying.
    pub state: Option<String>,
    /// Only hazards past their deadline and not yet reported fixed.
    pub overdue: Option<bool>,
    /// Discovered on or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// Discovered on or before (YYYY-MM-DD).
    pub to: Option<String>,
    /// Closed (销号) on or after.
    pub closed_from: Option<String>,
    /// Closed on or before.
    pub closed_to: Option<String>,
    /// Only hazards not yet closed.
    pub open: Option<bool>,
    /// Only hazards under 挂牌督办 or 管控.
    pub supervised: Option<bool>,
    /// Only exposed (曝光) hazards.
    pub exposed: Option<bool>,
    /// Found on this inspection.
    pub inspection: Option<Uuid>,
    /// Only hazards found on inspections.
    pub inspected: Option<bool>,
    /// Only hazards of units this department supervises (监管部门).
    pub department: Option<Uuid>,
}

impl HazardFilter {
    pub fn overdue_only(&self) -> bool {
        self.overdue.unwrap_or(false)
    }
}

fn select(
    scope: &Scope,
    filter: &HazardFilter,
    today: NaiveDate,
) -> sea_orm::Select<hazard::Entity> {
    use hazard::Column;
    let mut q = hazard::Entity::find()
        .filter(scope.condition(Column::RegionCode))
        .filter(Column::VoidedAt.is_null());
    if let Some(text) = optional(&filter.q) {
        q = q.filter(
            Column::Number
                .contains(text.to_ascii_uppercase())
                .or(Column::Description.contains(&text))
                .or(Column::Location.contains(&text)),
        );
    }
    if let Some(code) = optional(&filter.township) {
        q = q.filter(Scope::of(&code).condition(Column::RegionCode));
    }
    if let Some(unit) = filter.unit {
        q = q.filter(Column::UnitId.eq(unit));
    }
    if let Some(inspection) = filter.inspection {
        q = q.filter(Column::InspectionId.eq(inspection));
    }
    if let Some(code) = optional(&filter.grade) {
        q = q.filter(Column::Grade.eq(code));
    }
    if let Some(code) = optional(&filter.state) {
        q = q.filter(Column::State.eq(code));
    }
    if filter.overdue_only() {
        q = q
            .filter(Column::State.is_in([
                HazardState::NoticeIssued.code(),
                HazardState::Rectifying.code(),
            ]))
            .filter(Column::Deadline.lt(today));
    }
    if let Some(d) = optional(&filter.from).as_deref().and_then(parse_date) {
        q = q.filter(Column::DiscoveredOn.gte(d));
    }
    if let Some(d) = optional(&filter.to).as_deref().and_then(parse_date) {
        q = q.filter(Column::DiscoveredOn.lte(d));
    }
    if let Some(d) = optional(&filter.closed_from)
        .as_deref()
        .and_then(parse_date)
    {
        q = q.filter(Column::ClosedOn.gte(d));
    }
    if let Some(d) = optional(&filter.closed_to).as_deref().and_then(parse_date) {
        q = q.filter(Column::ClosedOn.lte(d));
    }
    if filter.open == Some(true) {
        q = q.filter(Column::State.ne(HazardState::Closed.code()));
    }
    if filter.supervised == Some(true) {
        q = q.filter(Column::Supervision.ne("none"));
    }
    if let Some(department) = filter.department {
        let supervised = sea_orm::sea_query::Query::select()
            .column(unit::Column::Id)
            .from(unit::Entity)
            .and_where(unit::Column::DepartmentId.eq(department))
            .to_owned();
        q = q.filter(Column::UnitId.in_subquery(supervised));
    }
    if filter.inspected == Some(true) {
        q = q.filter(Column::InspectionId.is_not_null());
    }
    if filter.exposed == Some(true) {
        q = q.filter(Column::Exposed.eq(true));
    }
    q
}

/// The columns the hazard list can be sorted by (`?sort=`); the first is its usual order.
pub static SORTS: Sorts<hazard::Column> = Sorts {
    columns: &[
        SortColumn {
            key: "discovered_on",
            column: hazard::Column::DiscoveredOn,
            first: Dir::Desc,
        },
        SortColumn {
            key: "number",
            column: hazard::Column::Number,
            first: Dir::Asc,
        },
        SortColumn {
            key: "region",
            column: hazard::Column::RegionCode,
            first: Dir::Asc,
        },
        // major before general
        SortColumn {
            key: "grade",
            column: hazard::Column::Grade,
            first: Dir::Desc,
        },
        SortColumn {
            key: "deadline",
            column: hazard::Column::Deadline,
            first: Dir::Asc,
        },
    ],
    then: &[
        (hazard::Column::DiscoveredOn, Dir::Desc),
        (hazard::Column::Number, Dir::Desc),
        (hazard::Column::Id, Dir::Desc),
    ],
};

async fn decorate(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    models: Vec<hazard::Model>,
) -> AppResult<Vec<Hazard>> {
    use std::collections::HashMap;
    let unit_ids: Vec<Uuid> = models.iter().map(|m| m.unit_id).collect();
    let units = crate::units::store::names(db, unit_ids).await?;
    let mut categories: HashMap<String, HashMap<String, String>> = HashMap::new();
    let regions =
        platform::regions::store::short_names(db, models.iter().map(|m| m.region_code.clone()))
            .await?;
    let mut out = Vec::with_capacity(models.len());
    for m in models {
        let mut h = Hazard::bare(m, today);
        h.unit_name = units.get(&h.unit_id).cloned().unwrap_or_default();
        if !categories.contains_key(&h.category_edition) {
            let labels =
                platform::dicts::store::labels(db, CATEGORY_DICT, Some(&h.category_edition))
                    .await?;
            categories.insert(h.category_edition.clone(), labels);
        }
        if let Some(label) = categories[&h.category_edition].get(&h.category_code) {
            h.category_label = label.clone();
        }
        h.region_name = platform::regions::store::region_name(&regions, &h.region_code);
        out.push(h);
    }
    Ok(out)
}

pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &HazardFilter,
    sort: &Sort<hazard::Column>,
    paging: Paging,
    today: NaiveDate,
) -> AppResult<PageOf<Hazard>> {
    let page = fetch_page(db, sort.apply(select(scope, filter, today)), paging).await?;
    let items = decorate(db, today, page.items).await?;
    Ok(PageOf {
        items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// Every matching hazard up to `limit` in the list's order, for export.
pub async fn all(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &HazardFilter,
    sort: &Sort<hazard::Column>,
    today: NaiveDate,
    limit: u64,
) -> AppResult<Vec<Hazard>> {
    let models = sort
        .apply(select(scope, filter, today))
        .limit(limit)
        .all(db)
        .await?;
    decorate(db, today, models).await
}

pub async fn get(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
    today: NaiveDate,
) -> AppResult<Hazard> {
    let m = hazard::Entity::find_by_id(id)
        .filter(scope.condition(hazard::Column::RegionCode))
        .filter(hazard::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(decorate(db, today, vec![m]).await?.remove(0))
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct HazardInput {
    /// The unit (only on create).
    pub unit_id: Option<String>,
    pub description: String,
    pub category_code: String,
    /// general | major
    pub grade: String,
    pub criterion_standard: Option<String>,
    pub criterion_item: Option<String>,
    /// YYYY-MM-DD, not in the future.
    pub discovered_on: String,
    /// self_check | enforcement | expert | public_report
    pub source: String,
    pub location: Option<String>,
    /// none | listed | under_control (major only)
    pub supervision: Option<String>,
    #[serde(default, deserialize_with = "de_flag")]
    #[schema(value_type = Option<bool>)]
    pub exposed: Option<bool>,
    pub exposed_on: Option<String>,
    pub exposure_channel: Option<String>,
    /// The inspection that found it (only on create; same unit, in scope).
    pub inspection_id: Option<String>,
    /// On edit: the version the form was loaded at.
    pub version: Option<i32>,
}

impl HazardInput {
    pub fn from_hazard(h: &Hazard) -> Self {
        Self {
            unit_id: Some(h.unit_id.to_string()),
            description: h.description.clone(),
            category_code: h.category_code.clone(),
            grade: grade_code(h.grade).to_string(),
            criterion_standard: h.criterion_standard.clone(),
            criterion_item: h.criterion_item.clone(),
            discovered_on: h.discovered_on.to_string(),
            source: h.source.clone(),
            location: h.location.clone(),
            supervision: Some(h.supervision.clone()),
            exposed: Some(h.exposed),
            exposed_on: h.exposed_on.map(|d| d.to_string()),
            exposure_channel: h.exposure_channel.clone(),
            inspection_id: h.inspection_id.map(|i| i.to_string()),
            version: Some(h.version),
        }
    }
}

pub struct Valid {
    description: String,
    category_code: String,
    category_edition: String,
    /// The category's label in its edition (a new hazard is named without reading it again).
    category_label: String,
    grade: HazardGrade,
    criterion_standard: Option<String>,
    criterion_item: Option<String>,
    discovered_on: NaiveDate,
    source: String,
    location: Option<String>,
    supervision: String,
    exposed: bool,
    exposed_on: Option<NaiveDate>,
    exposure_channel: Option<String>,
    /// The inspection that found it, checked against the unit by [`checked`].
    inspection_id: Option<Uuid>,
}

async fn validate(
    db: &impl ConnectionTrait,
    input: &HazardInput,
    today: NaiveDate,
) -> AppResult<Valid> {
    let mut errors = FieldErrors::new();
    let description = input.description.trim().to_string();
    if description.is_empty() || description.chars().count() > 1000 {
        errors.insert("description".into(), "隐患描述为 1–1000 个字".into());
    }
    let (mut category_edition, mut category_label) = (String::new(), String::new());
    match platform::dicts::store::find_current(db, CATEGORY_DICT, input.category_code.trim())
        .await?
    {
        Some(item) => (category_edition, category_label) = (item.edition, item.label),
        None => {
            errors.insert("category_code".into(), "请选择隐患类别".into());
        }
    }
    let grade = parse_grade(input.grade.trim());
    if grade.is_none() {
        errors.insert("grade".into(), "请选择隐患等级".into());
    }
    let criterion_standard = text_field(
        &mut errors,
        "criterion_standard",
        &input.criterion_standard,
        100,
        "判定标准",
    );
    let criterion_item = text_field(
        &mut errors,
        "criterion_item",
        &input.criterion_item,
        100,
        "判定条款",
    );
    let discovered_on = parse_date(&input.discovered_on);
    match discovered_on {
        None => {
            errors.insert(
                "discovered_on".into(),
                "请填写发现日期，格式如 2026-06-01".into(),
            );
        }
        Some(d) if d > today => {
            errors.insert("discovered_on".into(), "发现日期不能晚于今天".into());
        }
        _ => {}
    }
    let source = input.source.trim().to_string();
    if label_of(SOURCES, &source).is_empty() {
        errors.insert("source".into(), "请选择隐患来源".into());
    }
    let location = text_field(&mut errors, "location", &input.location, 200, "隐患部位");
    let supervision = optional(&input.supervision).unwrap_or_else(|| "none".to_string());
    if label_of(SUPERVISIONS, &supervision).is_empty() {
        errors.insert(
            "supervision".into(),
            "督办状态应为无、挂牌督办、管控之一".into(),
        );
    } else if supervision != "none" && grade != Some(HazardGrade::Major) {
        errors.insert("supervision".into(), "只有重大隐患可挂牌督办或管控".into());
    }
    let exposed = input.exposed.unwrap_or(false);
    let exposed_on = date_field(&mut errors, "exposed_on", &input.exposed_on);
    let exposure_channel = text_field(
        &mut errors,
        "exposure_channel",
        &input.exposure_channel,
        100,
        "曝光渠道",
    );
    if exposed && exposed_on.is_none() && !errors.contains_key("exposed_on") {
        errors.insert("exposed_on".into(), "已曝光的隐患请填写曝光日期".into());
    }
    let (Some(grade), Some(discovered_on)) = (grade, discovered_on) else {
        return Err(AppError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Valid {
        description,
        category_code: input.category_code.trim().to_string(),
        category_edition,
        category_label,
        grade,
        criterion_standard,
        criterion_item,
        discovered_on,
        source,
        location,
        supervision,
        exposed,
        exposed_on: exposed.then_some(exposed_on).flatten(),
        exposure_channel: if exposed { exposure_channel } else { None },
        inspection_id: None,
    })
}

/// The counter series of hazard numbers (`YH2026-0001`) in `platform::db::sequence`.
pub const NUMBER_SERIES: &str = "YH";

/// The next number of a county's year, e.g. `YH2026-0001`, from the county's counter; call
/// inside the creating transaction (a rolled-back registration gives its number back).
async fn next_number(db: &impl ConnectionTrait, county: &str, year: i32) -> AppResult<String> {
    let n = sequence::next(db, &format!("{county}000000"), NUMBER_SERIES, year).await?;
    Ok(format!("{NUMBER_SERIES}{year}-{n:04}"))
}

pub async fn create(state: &AppState, actor: &Actor, input: &HazardInput) -> AppResult<Hazard> {
    create_in(&state.db, state, actor, input).await
}

/// Create inside `db`: a transaction of the caller's (the inspections ledger registers a hazard
/// and its photos in one) or the pool; the hazard's own transaction nests as a savepoint.
pub async fn create_in<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    state: &AppState,
    actor: &Actor,
    input: &HazardInput,
) -> AppResult<Hazard> {
    actor.require(perm::SAFETY_EDIT)?;
    let day = today(state);
    let (owner, v) = checked(db, actor, input, day).await?;
    let regions = region_names(db, &[&owner]).await?;
    let txn = db.begin().await?;
    let created = insert(&txn, actor, state.now(), day, (&owner, &regions), v, "登记").await?;
    txn.commit().await?;
    Ok(created)
}

/// Register many hazards in one transaction: all or none (the XLSX import). Returns how many.
pub async fn create_all(
    state: &AppState,
    actor: &Actor,
    inputs: &[HazardInput],
) -> AppResult<usize> {
    actor.require(perm::SAFETY_EDIT)?;
    let day = today(state);
    let mut valid = Vec::with_capacity(inputs.len());
    for input in inputs {
        valid.push(checked(&state.db, actor, input, day).await?);
    }
    let now = state.now();
    let owners: Vec<&unit::Model> = valid.iter().map(|(owner, _)| owner).collect();
    let regions = region_names(&state.db, &owners).await?;
    let txn = state.db.begin().await?;
    for (owner, v) in valid {
        insert(&txn, actor, now, day, (&owner, &regions), v, "导入").await?;
    }
    txn.commit().await?;
    Ok(inputs.len())
}

/// The input's unit (in scope, not voided) and its validated fields, or every field error.
pub async fn checked(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: &HazardInput,
    day: NaiveDate,
) -> AppResult<(unit::Model, Valid)> {
    let unit_id = optional(&input.unit_id).and_then(|t| Uuid::parse_str(&t).ok());
    let owner = match unit_id {
        Some(id) => {
            unit::Entity::find_by_id(id)
                .filter(actor.scope().condition(unit::Column::RegionCode))
                .filter(unit::Column::VoidedAt.is_null())
                .one(db)
                .await?
        }
        None => None,
    };
    let valid = validate(db, input, day).await;
    let Some(owner) = owner else {
        let mut errors = match valid {
            Err(AppError::Validation(f)) => f,
            Err(other) => return Err(other),
            Ok(_) => FieldErrors::new(),
        };
        errors.insert("unit_id".into(), "请选择您管辖范围内的监管对象".into());
        return Err(AppError::Validation(errors));
    };
    let mut v = valid?;
    v.inspection_id = match optional(&input.inspection_id) {
        None => None,
        Some(text) => Some(
            crate::inspections::store::finding_inspection(db, &actor.scope(), &text, owner.id)
                .await?,
        ),
    };
    Ok((owner, v))
}

/// The short names of the units' regions, read before a transaction that registers hazards.
async fn region_names(
    db: &impl ConnectionTrait,
    owners: &[&unit::Model],
) -> AppResult<std::collections::HashMap<String, String>> {
    let codes: Vec<String> = owners.iter().map(|u| u.region_code.clone()).collect();
    platform::regions::store::short_names(db, codes).await
}

/// Number and insert one checked hazard with its audit row, inside the caller's transaction.
/// The row is named from what was read before (its unit, its regions' names, its category's
/// label): the transaction holds the write lock for its writes only.
async fn insert(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    day: NaiveDate,
    (owner, regions): (&unit::Model, &std::collections::HashMap<String, String>),
    v: Valid,
    verb: &str,
) -> AppResult<Hazard> {
    let county: String = owner.region_code.chars().take(6).collect();
    let number = next_number(txn, &county, chrono::Datelike::year(&day)).await?;
    let id = Uuid::now_v7();
    let category_label = v.category_label;
    let row = hazard::ActiveModel {
        unit_id: Set(owner.id),
        county_code: Set(county),
        number: Set(number),
        description: Set(v.description),
        category_code: Set(v.category_code),
        category_edition: Set(v.category_edition),
        grade: Set(grade_code(v.grade).to_string()),
        criterion_standard: Set(v.criterion_standard),
        criterion_item: Set(v.criterion_item),
        discovered_on: Set(v.discovered_on),
        source: Set(v.source),
        location: Set(v.location),
        state: Set(HazardState::Registered.code().to_string()),
        deadline: Set(None),
        responsible: Set(None),
        measures: Set(None),
        funds_fen: Set(None),
        contingency: Set(None),
        evidence: Set(None),
        review_reasons: Set(None),
        closed_on: Set(None),
        supervision: Set(v.supervision),
        exposed: Set(v.exposed),
        exposed_on: Set(v.exposed_on),
        exposure_channel: Set(v.exposure_channel),
        inspection_id: Set(v.inspection_id),
        escalated_deadline: Set(None),
        escalated_at: Set(None),
        ..platform::db::new_record(id, owner.region_code.clone(), Some(actor.user_id), now)
    }
    .insert(txn)
    .await?;
    rollup::apply(txn, None, Some(&row)).await?;
    let mut created = Hazard::bare(row, day);
    created.unit_name = owner.name.clone();
    created.category_label = category_label;
    created.region_name = platform::regions::store::region_name(regions, &created.region_code);
    let entry = Entry::new("create", KIND, id, &created.region_code)
        .summary(format!(
            "{verb}{} {}（{}）",
            created.grade_label(),
            created.number,
            created.unit_name
        ))
        .after(&created);
    audit::record(txn, actor, now, entry).await?;
    Ok(created)
}

/// Edit the basic fields; `version` must be the one read.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &HazardInput,
) -> AppResult<Hazard> {
    use hazard::Column;
    actor.require(perm::SAFETY_EDIT)?;
    let day = today(state);
    let before = get(&state.db, &actor.scope(), id, day).await?;
    if before.state == HazardState::Closed {
        return Err(AppError::conflict(
            "transition_refused",
            "隐患已销号，不能修改",
        ));
    }
    let v = validate(&state.db, input, day).await?;
    if before.deadline.is_some_and(|d| d < v.discovered_on) {
        return Err(AppError::field("discovered_on", "发现日期不能晚于整改期限"));
    }
    let version = input
        .version
        .ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重试"))?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let old = rollup::locked(&txn, id).await?;
    platform::db::versioned_update(
        &txn,
        hazard::Entity::update_many()
            .col_expr(Column::Description, Expr::value(v.description))
            .col_expr(Column::CategoryCode, Expr::value(v.category_code))
            .col_expr(Column::CategoryEdition, Expr::value(v.category_edition))
            .col_expr(Column::Grade, Expr::value(grade_code(v.grade)))
            .col_expr(Column::CriterionStandard, Expr::value(v.criterion_standard))
            .col_expr(Column::CriterionItem, Expr::value(v.criterion_item))
            .col_expr(Column::DiscoveredOn, Expr::value(v.discovered_on))
            .col_expr(Column::Source, Expr::value(v.source))
            .col_expr(Column::Location, Expr::value(v.location))
            .col_expr(Column::Supervision, Expr::value(v.supervision))
            .col_expr(Column::Exposed, Expr::value(v.exposed))
            .col_expr(Column::ExposedOn, Expr::value(v.exposed_on))
            .col_expr(Column::ExposureChannel, Expr::value(v.exposure_channel)),
        id,
        version,
        actor.user_id,
        now,
    )
    .await?;
    let new = rollup::current(&txn, id).await?;
    rollup::apply(&txn, old.as_ref(), new.as_ref()).await?;
    let after = get(&txn, &actor.scope(), id, day).await?;
    let entry = Entry::new("update", KIND, id, &after.region_code)
        .summary(format!("修改隐患 {}", after.number))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// Fields of 下达整改: the deadline, and for a major hazard its criterion and five-in-place.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct NoticeInput {
    /// YYYY-MM-DD, not before discovery; also the five-in-place time limit.
    pub deadline: String,
    pub responsible: Option<String>,
    pub measures: Option<String>,
    /// Funds in yuan.
    #[serde(default, deserialize_with = "de_number")]
    #[schema(value_type = Option<f64>)]
    pub funds_yuan: Option<String>,
    pub contingency: Option<String>,
    /// Given here for a major hazard judged at notice time; kept if blank.
    pub criterion_standard: Option<String>,
    pub criterion_item: Option<String>,
    pub version: i32,
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct VersionInput {
    pub version: i32,
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ReviewRequestInput {
    /// 整改情况说明 (or photo references).
    #[serde(default)]
    pub evidence: String,
    pub version: i32,
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ReviewInput {
    #[serde(deserialize_with = "de_required_flag")]
    #[schema(value_type = bool)]
    pub passed: bool,
    /// Required when not passed.
    #[serde(default)]
    pub reasons: String,
    pub version: i32,
}

/// A refusal from the rules, as the client should see it.
fn refused(err: TransitionError) -> AppError {
    let field = match err {
        TransitionError::DeadlineBeforeDiscovery => Some("deadline"),
        TransitionError::CriterionMissing => Some("criterion_standard"),
        TransitionError::ReasonRequired => Some("reasons"),
        TransitionError::EvidenceRequired => Some("evidence"),
        TransitionError::NotAllowed { .. } | TransitionError::FiveInPlaceMissing(_) => None,
    };
    match field {
        Some(f) => AppError::field(f, err.to_string()),
        None => AppError::conflict("transition_refused", err.to_string()),
    }
}

/// What a transition writes besides the state.
#[derive(Default)]
struct Changes {
    deadline: Option<NaiveDate>,
    five: Option<FiveInPlace>,
    criterion: Option<(Option<String>, Option<String>)>,
    evidence: Option<String>,
    review_reasons: Option<Option<String>>,
    closed_on: Option<NaiveDate>,
    /// A document served with this transition, and for a review whether it passed.
    document: Option<(DocumentKind, bool)>,
}

/// Write a transition: optimistic lock on `version`, audit row in the same transaction.
#[allow(clippy::too_many_arguments)]
async fn apply(
    state: &AppState,
    actor: &Actor,
    before: &Hazard,
    version: i32,
    to: HazardState,
    changes: Changes,
    action: &str,
    summary: String,
) -> AppResult<Hazard> {
    use hazard::Column;
    let now = state.now();
    let day = today(state);
    let txn = state.db.begin().await?;
    let old = rollup::locked(&txn, before.id).await?;
    let mut q = hazard::Entity::update_many().col_expr(Column::State, Expr::value(to.code()));
    if let Some(d) = changes.deadline {
        q = q.col_expr(Column::Deadline, Expr::value(Some(d)));
    }
    if let Some(f) = changes.five {
        q = q
            .col_expr(Column::Responsible, Expr::value(f.responsible))
            .col_expr(Column::Measures, Expr::value(f.measures))
            .col_expr(Column::FundsFen, Expr::value(f.funds_fen))
            .col_expr(Column::Contingency, Expr::value(f.contingency));
    }
    if let Some((standard, item)) = changes.criterion {
        q = q
            .col_expr(Column::CriterionStandard, Expr::value(standard))
            .col_expr(Column::CriterionItem, Expr::value(item));
    }
    if let Some(e) = changes.evidence {
        q = q.col_expr(Column::Evidence, Expr::value(Some(e)));
    }
    if let Some(r) = changes.review_reasons {
        q = q.col_expr(Column::ReviewReasons, Expr::value(r));
    }
    if let Some(d) = changes.closed_on {
        q = q.col_expr(Column::ClosedOn, Expr::value(Some(d)));
    }
    platform::db::versioned_update(&txn, q, before.id, version, actor.user_id, now).await?;
    let new = rollup::current(&txn, before.id).await?;
    rollup::apply(&txn, old.as_ref(), new.as_ref()).await?;
    let after = get(&txn, &actor.scope(), before.id, day).await?;
    if let Some((kind, passed)) = changes.document {
        documents::issue(&txn, actor, now, day, kind, &after, passed).await?;
    }
    let entry = Entry::new(action, KIND, before.id, &after.region_code)
        .summary(summary)
        .before(before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

fn rules<'a>(
    h: &'a Hazard,
    criterion: Option<&'a str>,
    five: &'a FiveInPlace,
) -> model::Hazard<'a> {
    model::Hazard {
        state: h.state,
        grade: h.grade,
        discovered_on: h.discovered_on,
        criterion,
        five_in_place: five,
    }
}

fn fill(given: &Option<String>, kept: &Option<String>) -> Option<String> {
    optional(given).or_else(|| kept.clone())
}

/// 下达整改.
pub async fn issue_notice(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &NoticeInput,
) -> AppResult<Hazard> {
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id, today(state)).await?;
    let mut errors = FieldErrors::new();
    let deadline = parse_date(&input.deadline);
    if deadline.is_none() {
        errors.insert(
            "deadline".into(),
            "请填写整改期限，格式如 2026-06-30".into(),
        );
    }
    let funds = yuan_field(&mut errors, "funds_yuan", &input.funds_yuan);
    let responsible = text_field(
        &mut errors,
        "responsible",
        &input.responsible,
        100,
        "责任人",
    );
    let measures = text_field(&mut errors, "measures", &input.measures, 1000, "整改措施");
    let contingency = text_field(
        &mut errors,
        "contingency",
        &input.contingency,
        1000,
        "应急预案",
    );
    let standard = text_field(
        &mut errors,
        "criterion_standard",
        &input.criterion_standard,
        100,
        "判定标准",
    );
    let item = text_field(
        &mut errors,
        "criterion_item",
        &input.criterion_item,
        100,
        "判定条款",
    );
    let Some(deadline) = deadline.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let five = FiveInPlace {
        responsible: responsible.or_else(|| before.responsible.clone()),
        measures: measures.or_else(|| before.measures.clone()),
        funds_fen: funds.or(before.funds_fen),
        deadline: Some(deadline),
        contingency: contingency.or_else(|| before.contingency.clone()),
    };
    let standard = fill(&standard, &before.criterion_standard);
    let item = fill(&item, &before.criterion_item);
    // Both the standard and its item make a criterion.
    let criterion = match (&standard, &item) {
        (Some(s), Some(i)) => Some(format!("{s} {i}")),
        _ => None,
    };
    let to = model::issue_notice(&rules(&before, criterion.as_deref(), &five), deadline)
        .map_err(refused)?;
    let summary = format!("隐患 {} 下达整改，期限 {deadline}", before.number);
    let changes = Changes {
        deadline: Some(deadline),
        five: Some(five),
        criterion: Some((standard, item)),
        document: Some((DocumentKind::RectificationOrder, true)),
        ..Default::default()
    };
    apply(
        state,
        actor,
        &before,
        input.version,
        to,
        changes,
        "hazard.notice",
        summary,
    )
    .await
}

/// 开始整改.
pub async fn start(state: &AppState, actor: &Actor, id: Uuid, version: i32) -> AppResult<Hazard> {
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id, today(state)).await?;
    let five = before.five_in_place();
    let to = model::start_rectification(&rules(&before, None, &five)).map_err(refused)?;
    let summary = format!("隐患 {} 开始整改", before.number);
    apply(
        state,
        actor,
        &before,
        version,
        to,
        Changes::default(),
        "hazard.start",
        summary,
    )
    .await
}

/// 申请复查.
pub async fn request_review(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &ReviewRequestInput,
) -> AppResult<Hazard> {
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id, today(state)).await?;
    let evidence = input.evidence.trim();
    if evidence.chars().count() > 1000 {
        return Err(AppError::field("evidence", "整改情况说明不超过 1000 个字"));
    }
    let five = before.five_in_place();
    let to = model::request_review(&rules(&before, None, &five), evidence).map_err(refused)?;
    let summary = format!("隐患 {} 申请复查：{evidence}", before.number);
    let changes = Changes {
        evidence: Some(evidence.to_string()),
        ..Default::default()
    };
    apply(
        state,
        actor,
        &before,
        input.version,
        to,
        changes,
        "hazard.review_request",
        summary,
    )
    .await
}

/// 复查: pass, or fail with reasons (back to rectification).
pub async fn review(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &ReviewInput,
) -> AppResult<Hazard> {
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id, today(state)).await?;
    let reasons = input.reasons.trim();
    if reasons.chars().count() > 1000 {
        return Err(AppError::field("reasons", "复查意见不超过 1000 个字"));
    }
    let five = before.five_in_place();
    let to = model::review(&rules(&before, None, &five), input.passed, reasons).map_err(refused)?;
    let (action, summary) = if input.passed {
        (
            "hazard.review_pass",
            format!("隐患 {} 复查通过", before.number),
        )
    } else {
        (
            "hazard.review_fail",
            format!("隐患 {} 复查不通过：{reasons}", before.number),
        )
    };
    let changes = Changes {
        review_reasons: Some(Some(reasons.to_string()).filter(|r| !r.is_empty())),
        document: Some((DocumentKind::ReviewOpinion, input.passed)),
        ..Default::default()
    };
    apply(
        state,
        actor,
        &before,
        input.version,
        to,
        changes,
        action,
        summary,
    )
    .await
}

/// 销号.
pub async fn close(state: &AppState, actor: &Actor, id: Uuid, version: i32) -> AppResult<Hazard> {
    actor.require(perm::SAFETY_EDIT)?;
    let day = today(state);
    let before = get(&state.db, &actor.scope(), id, day).await?;
    let five = before.five_in_place();
    let to = model::close(&rules(&before, None, &five)).map_err(refused)?;
    let summary = format!("隐患 {} 销号", before.number);
    let changes = Changes {
        closed_on: Some(day),
        ..Default::default()
    };
    apply(
        state,
        actor,
        &before,
        version,
        to,
        changes,
        "hazard.close",
        summary,
    )
    .await
}

/// The audit and attachment kind of hazards.
pub const KIND: &str = "safety_hazard";

/// Photos and documents of a hazard (site photos, rectification evidence), oldest first.
pub async fn files(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
) -> AppResult<Vec<Attachment>> {
    attachments::list_for(db, scope, KIND, id).await
}

/// Attach files to a hazard still open; all or none are kept.
pub async fn attach(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    uploads: &[&Upload],
    location: Option<(f64, f64)>,
) -> AppResult<Vec<Attachment>> {
    actor.require(perm::SAFETY_EDIT)?;
    let hazard = get(&state.db, &actor.scope(), id, today(state)).await?;
    if hazard.state == HazardState::Closed {
        return Err(AppError::conflict(
            "transition_refused",
            "隐患已销号，不能再上传附件",
        ));
    }
    let owner = Owner {
        kind: KIND,
        id,
        region_code: &hazard.region_code,
    };
    attachments::attach(state, actor, owner, uploads, location).await
}

/// Names of this ledger's audit actions, registered with the platform at start-up.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("hazard.notice", "下达整改"),
    ("hazard.start", "开始整改"),
    ("hazard.review_request", "申请复查"),
    ("hazard.review_pass", "复查通过"),
    ("hazard.review_fail", "复查不通过"),
    ("hazard.close", "销号"),
    ("hazard.escalate", "逾期升级提醒"),
];

/// How many hazards a filter's list shows: the statistics count exactly what the list lists.
pub async fn count(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &HazardFilter,
    today: NaiveDate,
) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(select(scope, filter, today).count(db).await?)
}
