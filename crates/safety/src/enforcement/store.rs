//! Enforcement case queries and changes, scoped, versioned and audited. The rules live in
//! [`super::model`]: each transition loads the case, asks the model, then writes with optimistic
//! locking and an audit row in one transaction. Payments and hazard links bump the case's
//! version too, so two people cannot record the same payment from stale pages.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use platform::access::{Actor, Scope, perm};
use platform::audit::{self, Entry};
use platform::db::sequence;
use platform::error::{AppError, AppResult, FieldErrors};
use platform::web::AppState;
use platform::web::form::{
    date_field, de_flag, de_number, de_required_flag, fen_as_yuan, label_of, optional, parse_date,
    text_field, yuan_field,
};
use platform::web::paging::{Dir, PageOf, Paging, Sort, SortColumn, Sorts, fetch_page};
use sea_orm::sea_query::{Expr, ExprTrait, Query as SqlQuery};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{case, case_hazard, payment};
use super::model::{self, CaseState, Decision, Measure, TransitionError};
use crate::hazards::entity::hazard;
use crate::units::entity::unit;

pub use crate::units::store::today;

/// The audit trail's entity name for a case.
pub const AUDIT_ENTITY: &str = "safety_enforcement_case";

/// 案件来源.
pub const SOURCES: &[(&str, &str)] = &[
    ("routine", "日常检查"),
    ("campaign", "专项检查"),
    ("report", "举报"),
    ("other", "其他"),
];

/// The state codes and labels, for filters.
pub fn states() -> Vec<(&'static str, &'static str)> {
    CaseState::ALL
        .into_iter()
        .map(|s| (s.code(), s.label()))
        .collect()
}

/// The measure codes and labels, for forms.
pub fn measures() -> Vec<(&'static str, &'static str)> {
    Measure::ALL
        .into_iter()
        .map(|m| (m.code(), m.label()))
        .collect()
}

/// Fen as 万元 with two decimals, as statistics tables write money.
pub fn fen_as_wan(fen: i64) -> String {
    format!("{:.2}", fen as f64 / 1_000_000.0)
}

/// One payment towards the fine.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Payment {
    pub id: Uuid,
    pub amount_fen: i64,
    pub paid_on: NaiveDate,
    pub note: Option<String>,
}

impl Payment {
    pub fn amount_yuan(&self) -> String {
        fen_as_yuan(self.amount_fen)
    }
}

/// A hazard the case concerns.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct LinkedHazard {
    pub id: Uuid,
    pub number: String,
    pub description: String,
    pub grade_label: String,
    pub state_label: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct EnforcementCase {
    pub id: Uuid,
    /// AJ<year>-<n>, per county.
    pub number: String,
    pub unit_id: Uuid,
    pub unit_name: String,
    pub region_code: String,
    pub region_name: String,
    /// 案由
    pub cause: String,
    pub legal_basis: Option<String>,
    /// routine | campaign | report | other
    pub source: String,
    pub inspection_id: Option<Uuid>,
    pub filed_on: NaiveDate,
    pub officers: Vec<String>,
    pub state: CaseState,
    pub notified_on: Option<NaiveDate>,
    pub hearing_requested: bool,
    pub hearing_on: Option<NaiveDate>,
    /// The party waived its defence and hearing in writing.
    pub waived: bool,
    /// 陈述申辩 as recorded.
    pub statement: Option<String>,
    pub decided_on: Option<NaiveDate>,
    /// e.g. 三台应急罚〔2026〕7号
    pub decision_number: Option<String>,
    pub fine_fen: i64,
    pub measures: Vec<Measure>,
    /// Set for 不予处罚.
    pub no_penalty_reason: Option<String>,
    pub paid_fen: i64,
    pub outstanding_fen: i64,
    pub closed_on: Option<NaiveDate>,
    pub close_reason: Option<String>,
    pub dismissed_on: Option<NaiveDate>,
    pub dismiss_reason: Option<String>,
    /// 典型案例, reported upward on `typical_reported_on`.
    pub typical: bool,
    pub typical_reported_on: Option<NaiveDate>,
    pub typical_note: Option<String>,
    /// Only on a single case: its payments, oldest first.
    pub payments: Vec<Payment>,
    /// Only on a single case: the linked hazards.
    pub hazards: Vec<LinkedHazard>,
    pub version: i32,
}

impl EnforcementCase {
    fn bare(m: case::Model) -> Self {
        let measures = m
            .measures
            .split(',')
            .filter_map(Measure::parse)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        Self {
            id: m.id,
            number: m.number,
            unit_id: m.unit_id,
            unit_name: String::new(),
            region_name: m.region_code.clone(),
            region_code: m.region_code,
            cause: m.cause,
            legal_basis: m.legal_basis,
            source: m.source,
            inspection_id: m.inspection_id,
            filed_on: m.filed_on,
            officers: m.officers.split('、').map(str::to_string).collect(),
            state: CaseState::parse(&m.state).unwrap_or(CaseState::Filed),
            notified_on: m.notified_on,
            hearing_requested: m.hearing_requested,
            hearing_on: m.hearing_on,
            waived: m.waived,
            statement: m.statement,
            decided_on: m.decided_on,
            decision_number: m.decision_number,
            outstanding_fen: Ord::max(m.fine_fen - m.paid_fen, 0),
            fine_fen: m.fine_fen,
            measures,
            no_penalty_reason: m.no_penalty_reason,
            paid_fen: m.paid_fen,
            closed_on: m.closed_on,
            close_reason: m.close_reason,
            dismissed_on: m.dismissed_on,
            dismiss_reason: m.dismiss_reason,
            typical: m.typical,
            typical_reported_on: m.typical_reported_on,
            typical_note: m.typical_note,
            payments: Vec::new(),
            hazards: Vec::new(),
            version: m.version,
        }
    }

    fn rules(&self) -> model::Case {
        model::Case {
            state: self.state,
            filed_on: self.filed_on,
            notified_on: self.notified_on,
            hearing_requested: self.hearing_requested,
            hearing_on: self.hearing_on,
            waived: self.waived,
            decided_on: self.decided_on,
            fine_fen: self.fine_fen,
            paid_fen: self.paid_fen,
        }
    }

    pub fn state_label(&self) -> &'static str {
        self.state.label()
    }

    /// The state code, for templates choosing which action forms to show.
    pub fn state_code(&self) -> &'static str {
        self.state.code()
    }

    pub fn state_class(&self) -> &'static str {
        match self.state {
            CaseState::Closed => "green",
            CaseState::Dismissed => "gray",
            CaseState::Decided | CaseState::Executing => "blue",
            _ => "orange",
        }
    }

    pub fn source_label(&self) -> &'static str {
        label_of(SOURCES, &self.source)
    }

    pub fn officers_text(&self) -> String {
        self.officers.join("、")
    }

    pub fn fine_yuan(&self) -> String {
        fen_as_yuan(self.fine_fen)
    }

    pub fn paid_yuan(&self) -> String {
        fen_as_yuan(self.paid_fen)
    }

    pub fn outstanding_yuan(&self) -> String {
        fen_as_yuan(self.outstanding_fen)
    }

    pub fn measures_text(&self) -> String {
        self.measures
            .iter()
            .map(|m| m.label())
            .collect::<Vec<_>>()
            .join("、")
    }

    /// What was decided, in a few words: 罚款 + measures, or 不予处罚.
    pub fn penalty_text(&self) -> String {
        if self.decided_on.is_none() {
            return String::new();
        }
        if self.no_penalty_reason.is_some() {
            return "不予处罚".to_string();
        }
        let mut parts = Vec::new();
        if self.fine_fen > 0 {
            parts.push(format!("罚款 {} 元", self.fine_yuan()));
        }
        parts.extend(self.measures.iter().map(|m| m.label().to_string()));
        parts.join("，")
    }

    /// The first day a decision may be made with the fine and measures given.
    pub fn earliest_decision(
        &self,
        fine_fen: i64,
        measures: &BTreeSet<Measure>,
    ) -> Option<NaiveDate> {
        self.notified_on
            .map(|n| model::earliest_decision(n, fine_fen, measures))
    }

    pub fn is_final(&self) -> bool {
        self.state.is_final()
    }
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct CaseFilter {
    /// Unit name or case number contains.
    pub q: Option<String>,
    /// A township's 12-digit code.
    pub township: Option<String>,
    pub unit: Option<Uuid>,
    /// A state code, e.g. executing.
    pub state: Option<String>,
    /// Period start (YYYY-MM-DD), inclusive.
    pub from: Option<String>,
    /// Period end (YYYY-MM-DD), inclusive.
    pub to: Option<String>,
    /// What the period applies to: filed (default) | decided | paid (a payment in the period) |
    /// reported (typical cases reported upward in the period).
    pub basis: Option<String>,
    /// Only typical cases (典型案例).
    pub typical: Option<bool>,
}

impl CaseFilter {
    pub fn typical_only(&self) -> bool {
        self.typical.unwrap_or(false)
    }
}

fn select(scope: &Scope, filter: &CaseFilter) -> sea_orm::Select<case::Entity> {
    use case::Column;
    let mut q = case::Entity::find()
        .filter(scope.condition(Column::RegionCode))
        .filter(Column::VoidedAt.is_null());
    if let Some(text) = optional(&filter.q) {
        let units = SqlQuery::select()
            .column(unit::Column::Id)
            .from(unit::Entity)
            .and_where(unit::Column::Name.contains(&text))
            .to_owned();
        q = q.filter(
            Column::UnitId
                .in_subquery(units)
                .or(Column::Number.contains(text.to_ascii_uppercase())),
        );
    }
    if let Some(code) = optional(&filter.township) {
        q = q.filter(Scope::of(&code).condition(Column::RegionCode));
    }
    if let Some(unit) = filter.unit {
        q = q.filter(Column::UnitId.eq(unit));
    }
    if let Some(code) = optional(&filter.state) {
        q = q.filter(Column::State.eq(code));
    }
    if filter.typical_only() {
        q = q.filter(Column::Typical.eq(true));
    }
    let from = optional(&filter.from).as_deref().and_then(parse_date);
    let to = optional(&filter.to).as_deref().and_then(parse_date);
    if from.is_some() || to.is_some() {
        q = match optional(&filter.basis).as_deref() {
            Some("decided") => within(q, Column::DecidedOn, from, to),
            Some("reported") => within(q, Column::TypicalReportedOn, from, to),
            Some("paid") => {
                let mut paid = SqlQuery::select()
                    .column(payment::Column::CaseId)
                    .from(payment::Entity)
                    .to_owned();
                if let Some(d) = from {
                    paid.and_where(payment::Column::PaidOn.gte(d));
                }
                if let Some(d) = to {
                    paid.and_where(payment::Column::PaidOn.lte(d));
                }
                q.filter(Column::Id.in_subquery(paid))
            }
            _ => within(q, Column::FiledOn, from, to),
        };
    }
    q
}

/// The columns the case list can be sorted by (`?sort=`); the first is its usual order.
pub static SORTS: Sorts<case::Column> = Sorts {
    columns: &[
        SortColumn {
            key: "filed_on",
            column: case::Column::FiledOn,
            first: Dir::Desc,
        },
        SortColumn {
            key: "number",
            column: case::Column::Number,
            first: Dir::Asc,
        },
        SortColumn {
            key: "region",
            column: case::Column::RegionCode,
            first: Dir::Asc,
        },
        SortColumn {
            key: "decided_on",
            column: case::Column::DecidedOn,
            first: Dir::Desc,
        },
        SortColumn {
            key: "fine",
            column: case::Column::FineFen,
            first: Dir::Desc,
        },
        SortColumn {
            key: "paid",
            column: case::Column::PaidFen,
            first: Dir::Desc,
        },
    ],
    then: &[
        (case::Column::FiledOn, Dir::Desc),
        (case::Column::Number, Dir::Desc),
        (case::Column::Id, Dir::Desc),
    ],
};

fn within(
    q: sea_orm::Select<case::Entity>,
    column: case::Column,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> sea_orm::Select<case::Entity> {
    let q = match from {
        Some(d) => q.filter(column.gte(d)),
        None => q,
    };
    match to {
        Some(d) => q.filter(column.lte(d)),
        None => q,
    }
}

async fn decorate(
    db: &impl ConnectionTrait,
    models: Vec<case::Model>,
) -> AppResult<Vec<EnforcementCase>> {
    let unit_ids: Vec<Uuid> = models.iter().map(|m| m.unit_id).collect();
    let units = crate::units::store::names(db, unit_ids).await?;
    let regions =
        platform::regions::store::short_names(db, models.iter().map(|m| m.region_code.clone()))
            .await?;
    let mut out = Vec::with_capacity(models.len());
    for m in models {
        let mut c = EnforcementCase::bare(m);
        c.unit_name = units.get(&c.unit_id).cloned().unwrap_or_default();
        c.region_name = platform::regions::store::region_name(&regions, &c.region_code);
        out.push(c);
    }
    Ok(out)
}

pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &CaseFilter,
    sort: &Sort<case::Column>,
    paging: Paging,
) -> AppResult<PageOf<EnforcementCase>> {
    let page = fetch_page(db, sort.apply(select(scope, filter)), paging).await?;
    let items = decorate(db, page.items).await?;
    Ok(PageOf {
        items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// Every matching case up to `limit` in the list's order, for export.
pub async fn all(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &CaseFilter,
    sort: &Sort<case::Column>,
    limit: u64,
) -> AppResult<Vec<EnforcementCase>> {
    let models = sort
        .apply(select(scope, filter))
        .limit(limit)
        .all(db)
        .await?;
    decorate(db, models).await
}

/// The totals line of a filtered list.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct ListTotals {
    pub cases: u64,
    pub fines_decided_fen: i64,
    pub fines_collected_fen: i64,
}

impl ListTotals {
    pub fn decided_wan(&self) -> String {
        fen_as_wan(self.fines_decided_fen)
    }

    pub fn collected_wan(&self) -> String {
        fen_as_wan(self.fines_collected_fen)
    }
}

/// Count and money of every filtered row (not just one page). Summed here rather than in SQL:
/// PostgreSQL's SUM of a bigint is a numeric, and a county's cases are a few hundred a year.
pub async fn list_totals(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &CaseFilter,
) -> AppResult<ListTotals> {
    let rows: Vec<(i64, i64)> = select(scope, filter)
        .select_only()
        .column(case::Column::FineFen)
        .column(case::Column::PaidFen)
        .into_tuple()
        .all(db)
        .await?;
    Ok(ListTotals {
        cases: rows.len() as u64,
        fines_decided_fen: rows.iter().map(|r| r.0).sum(),
        fines_collected_fen: rows.iter().map(|r| r.1).sum(),
    })
}

/// Enforcement figures of a period, for the statistics page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EnforcementTotals {
    /// 立案: cases filed in the period (dismissed ones included).
    pub filed: u64,
    /// 作出处罚决定: cases decided in the period.
    pub decided: u64,
    /// 罚款决定: fines of the cases decided in the period.
    pub fines_decided_fen: i64,
    /// 罚款收缴: payments received in the period, whenever the case was decided.
    pub fines_collected_fen: i64,
    /// 典型案例: typical cases reported upward in the period.
    pub typical: u64,
}

/// The figures of `from..=to` inside `scope`.
pub async fn totals(
    db: &impl ConnectionTrait,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<EnforcementTotals> {
    use case::Column;
    let cases = || {
        case::Entity::find()
            .filter(scope.condition(Column::RegionCode))
            .filter(Column::VoidedAt.is_null())
    };
    let filed = within(cases(), Column::FiledOn, Some(from), Some(to))
        .count(db)
        .await?;
    let decided_fines: Vec<i64> = within(cases(), Column::DecidedOn, Some(from), Some(to))
        .select_only()
        .column(Column::FineFen)
        .into_tuple()
        .all(db)
        .await?;
    let typical = within(cases(), Column::TypicalReportedOn, Some(from), Some(to))
        .filter(Column::Typical.eq(true))
        .count(db)
        .await?;
    let collected: Vec<i64> = payment::Entity::find()
        .filter(scope.condition(payment::Column::RegionCode))
        .filter(payment::Column::PaidOn.gte(from))
        .filter(payment::Column::PaidOn.lte(to))
        .select_only()
        .column(payment::Column::AmountFen)
        .into_tuple()
        .all(db)
        .await?;
    Ok(EnforcementTotals {
        filed,
        decided: decided_fines.len() as u64,
        fines_decided_fen: decided_fines.iter().sum(),
        fines_collected_fen: collected.iter().sum(),
        typical,
    })
}

/// Which figure of [`EnforcementTotals`] a list link should show the rows of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TotalsFigure {
    Filed,
    Decided,
    /// Cases with a payment in the period.
    Collected,
    Typical,
}

/// The list page showing the rows behind one figure of [`totals`] (optionally one township).
pub fn list_href(
    figure: TotalsFigure,
    township: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> String {
    let mut href = format!("/safety/enforcement?from={from}&to={to}");
    href.push_str(match figure {
        TotalsFigure::Filed => "",
        TotalsFigure::Decided => "&basis=decided",
        TotalsFigure::Collected => "&basis=paid",
        TotalsFigure::Typical => "&basis=reported&typical=true",
    });
    if let Some(code) = township.filter(|c| !c.is_empty()) {
        href.push_str("&township=");
        href.push_str(code);
    }
    href
}

async fn find_model(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> AppResult<case::Model> {
    case::Entity::find_by_id(id)
        .filter(scope.condition(case::Column::RegionCode))
        .filter(case::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// One case with its payments and linked hazards.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> AppResult<EnforcementCase> {
    let m = find_model(db, scope, id).await?;
    let mut c = decorate(db, vec![m]).await?.remove(0);
    c.payments = payment::Entity::find()
        .filter(payment::Column::CaseId.eq(id))
        .order_by_asc(payment::Column::PaidOn)
        .order_by_asc(payment::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|p| Payment {
            id: p.id,
            amount_fen: p.amount_fen,
            paid_on: p.paid_on,
            note: p.note,
        })
        .collect();
    let linked: Vec<Uuid> = case_hazard::Entity::find()
        .filter(case_hazard::Column::CaseId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.hazard_id)
        .collect();
    if !linked.is_empty() {
        c.hazards = hazard::Entity::find()
            .filter(hazard::Column::Id.is_in(linked))
            .order_by_asc(hazard::Column::Number)
            .all(db)
            .await?
            .into_iter()
            .map(linked_hazard)
            .collect();
    }
    Ok(c)
}

fn linked_hazard(h: hazard::Model) -> LinkedHazard {
    use crate::hazards::model::HazardState;
    LinkedHazard {
        id: h.id,
        number: h.number,
        description: h.description,
        grade_label: crate::hazards::store::parse_grade(&h.grade)
            .map(|g| g.label())
            .unwrap_or_default()
            .to_string(),
        state_label: HazardState::parse(&h.state)
            .map(|s| s.label())
            .unwrap_or_default()
            .to_string(),
    }
}

/// Hazards of the case's unit that are not linked yet, for the link form.
pub async fn linkable_hazards(
    db: &impl ConnectionTrait,
    scope: &Scope,
    c: &EnforcementCase,
) -> AppResult<Vec<LinkedHazard>> {
    let linked: BTreeSet<Uuid> = c.hazards.iter().map(|h| h.id).collect();
    Ok(hazard::Entity::find()
        .filter(scope.condition(hazard::Column::RegionCode))
        .filter(hazard::Column::VoidedAt.is_null())
        .filter(hazard::Column::UnitId.eq(c.unit_id))
        .order_by_desc(hazard::Column::DiscoveredOn)
        .limit(200)
        .all(db)
        .await?
        .into_iter()
        .filter(|h| !linked.contains(&h.id))
        .map(linked_hazard)
        .collect())
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CaseInput {
    /// The unit (only on create).
    pub unit_id: Option<String>,
    /// 案由
    pub cause: String,
    /// 违法依据 / 处罚依据
    pub legal_basis: Option<String>,
    /// routine | campaign | report | other
    pub source: String,
    /// The inspection that found it (a UUID), optional.
    pub inspection_id: Option<String>,
    /// YYYY-MM-DD, not in the future.
    pub filed_on: String,
    /// At least two different enforcement officers.
    #[serde(default)]
    pub officers: Vec<String>,
    /// On edit: the version the form was loaded at.
    pub version: Option<i32>,
}

impl CaseInput {
    pub fn from_case(c: &EnforcementCase) -> Self {
        Self {
            unit_id: Some(c.unit_id.to_string()),
            cause: c.cause.clone(),
            legal_basis: c.legal_basis.clone(),
            source: c.source.clone(),
            inspection_id: c.inspection_id.map(|i| i.to_string()),
            filed_on: c.filed_on.to_string(),
            officers: c.officers.clone(),
            version: Some(c.version),
        }
    }

    /// The officer typed in the `i`th box of a form.
    pub fn officer(&self, i: usize) -> &str {
        self.officers.get(i).map(String::as_str).unwrap_or("")
    }
}

struct Valid {
    cause: String,
    legal_basis: Option<String>,
    source: String,
    inspection_id: Option<Uuid>,
    filed_on: NaiveDate,
    officers: String,
}

fn validate(input: &CaseInput, today: NaiveDate) -> Result<Valid, FieldErrors> {
    let mut errors = FieldErrors::new();
    let cause = input.cause.trim().to_string();
    if cause.is_empty() || cause.chars().count() > 500 {
        errors.insert("cause".into(), "案由为 1–500 个字".into());
    }
    let legal_basis = text_field(
        &mut errors,
        "legal_basis",
        &input.legal_basis,
        1000,
        "法律依据",
    );
    let source = input.source.trim().to_string();
    if label_of(SOURCES, &source).is_empty() {
        errors.insert("source".into(), "请选择案件来源".into());
    }
    let inspection_id = match optional(&input.inspection_id) {
        None => None,
        Some(text) => match Uuid::parse_str(&text) {
            Ok(id) => Some(id),
            Err(_) => {
                errors.insert("inspection_id".into(), "检查记录编号格式不正确".into());
                None
            }
        },
    };
    let filed_on = parse_date(&input.filed_on);
    match filed_on {
        None => {
            errors.insert(
                "filed_on".into(),
                "请填写立案日期，格式如 2026-06-01".into(),
            );
        }
        Some(d) if d > today => {
            errors.insert("filed_on".into(), "立案日期不能晚于今天".into());
        }
        _ => {}
    }
    let names: Vec<String> = input
        .officers
        .iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    if !model::officers_ok(&names) {
        errors.insert(
            "officers".into(),
            "执法人员不得少于两人，请填写两名不同的执法人员".into(),
        );
    } else if names
        .iter()
        .any(|n| n.chars().count() > 20 || n.contains('、'))
    {
        errors.insert("officers".into(), "每位执法人员姓名不超过 20 个字".into());
    }
    match filed_on {
        Some(filed_on) if errors.is_empty() => Ok(Valid {
            cause,
            legal_basis,
            source,
            inspection_id,
            filed_on,
            officers: names.join("、"),
        }),
        _ => Err(errors),
    }
}

/// The counter series of case numbers (`AJ2026-0001`) in `platform::db::sequence`.
pub const CASE_SERIES: &str = "AJ";
/// The counter series of penalty decision numbers (`三台应急罚〔2026〕7号`).
pub const DECISION_SERIES: &str = "罚";

/// The next case number of a county's year, from the county's counter; call inside the
/// creating transaction.
async fn next_number(db: &impl ConnectionTrait, county: &str, year: i32) -> AppResult<String> {
    let n = sequence::next(db, &format!("{county}000000"), CASE_SERIES, year).await?;
    Ok(model::case_number(year, n as u32))
}

/// The next decision number of a county's year, from the county's counter; call inside the
/// deciding transaction.
async fn next_decision(
    db: &impl ConnectionTrait,
    county: &str,
    year: i32,
) -> AppResult<(i32, String)> {
    let county_code = format!("{county}000000");
    let seq = sequence::next(db, &county_code, DECISION_SERIES, year).await? as i32;
    let county_name = platform::regions::store::find(db, &county_code)
        .await?
        .map(|r| r.name)
        .unwrap_or_else(|| county.to_string());
    Ok((seq, model::decision_number(&county_name, year, seq)))
}

/// A supervised unit in the actor's scope.
async fn unit_in_scope(
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

/// 立案: file a case against a unit in scope; numbered AJ<year>-<n> per county.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &CaseInput,
) -> AppResult<EnforcementCase> {
    actor.require(perm::SAFETY_EDIT)?;
    let owner = unit_in_scope(&state.db, &actor.scope(), &input.unit_id).await?;
    let valid = validate(input, today(state));
    let (Some(owner), Ok(v)) = (owner.clone(), valid.as_ref()) else {
        let mut errors = valid.err().unwrap_or_default();
        if owner.is_none() {
            errors.insert("unit_id".into(), "请选择您管辖范围内的监管对象".into());
        }
        return Err(AppError::Validation(errors));
    };
    let now = state.now();
    let county: String = owner.region_code.chars().take(6).collect();
    let txn = state.db.begin().await?;
    let number = next_number(&txn, &county, v.filed_on.year()).await?;
    let id = Uuid::now_v7();
    case::ActiveModel {
        unit_id: Set(owner.id),
        county_code: Set(county),
        number: Set(number),
        cause: Set(v.cause.clone()),
        legal_basis: Set(v.legal_basis.clone()),
        source: Set(v.source.clone()),
        inspection_id: Set(v.inspection_id),
        filed_on: Set(v.filed_on),
        officers: Set(v.officers.clone()),
        state: Set(CaseState::Filed.code().to_string()),
        notified_on: Set(None),
        hearing_requested: Set(false),
        hearing_on: Set(None),
        waived: Set(false),
        statement: Set(None),
        decided_on: Set(None),
        decision_year: Set(None),
        decision_seq: Set(None),
        decision_number: Set(None),
        fine_fen: Set(0),
        measures: Set(String::new()),
        no_penalty_reason: Set(None),
        paid_fen: Set(0),
        closed_on: Set(None),
        close_reason: Set(None),
        dismissed_on: Set(None),
        dismiss_reason: Set(None),
        typical: Set(false),
        typical_reported_on: Set(None),
        typical_note: Set(None),
        ..platform::db::new_record(id, owner.region_code.clone(), Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    let created = get(&txn, &actor.scope(), id).await?;
    let entry = Entry::new("create", AUDIT_ENTITY, id, &created.region_code)
        .summary(format!(
            "立案 {}（{}）：{}",
            created.number, created.unit_name, created.cause
        ))
        .after(&created);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(created)
}

/// Edit the filing fields; `version` must be the one read.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &CaseInput,
) -> AppResult<EnforcementCase> {
    use case::Column;
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    if before.is_final() {
        return Err(AppError::conflict(
            "transition_refused",
            format!("案件已{}，不能修改", before.state_label()),
        ));
    }
    let v = validate(input, today(state)).map_err(AppError::Validation)?;
    if before.notified_on.is_some_and(|n| n < v.filed_on) {
        return Err(AppError::field("filed_on", "立案日期不能晚于告知日期"));
    }
    let version = input
        .version
        .ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重试"))?;
    let q = case::Entity::update_many()
        .col_expr(Column::Cause, Expr::value(v.cause))
        .col_expr(Column::LegalBasis, Expr::value(v.legal_basis))
        .col_expr(Column::Source, Expr::value(v.source))
        .col_expr(Column::InspectionId, Expr::value(v.inspection_id))
        .col_expr(Column::FiledOn, Expr::value(v.filed_on))
        .col_expr(Column::Officers, Expr::value(v.officers));
    let summary = format!("修改案件 {}", before.number);
    apply(
        state,
        actor,
        &before,
        version,
        q,
        Extra::None,
        "update",
        summary,
    )
    .await
}

/// Something written beside the case row in the same transaction.
enum Extra {
    None,
    /// Give the decision its number (county, year).
    DecisionNumber(String, i32),
    Payment(payment::ActiveModel),
    Link(case_hazard::ActiveModel),
    Unlink(Uuid),
}

/// Write a change: optimistic lock on `version`, the extra rows, an audit row; one transaction.
#[allow(clippy::too_many_arguments)]
async fn apply(
    state: &AppState,
    actor: &Actor,
    before: &EnforcementCase,
    version: i32,
    mut q: sea_orm::UpdateMany<case::Entity>,
    extra: Extra,
    action: &str,
    summary: String,
) -> AppResult<EnforcementCase> {
    use case::Column;
    let now = state.now();
    let txn = state.db.begin().await?;
    match extra {
        Extra::None => {}
        Extra::DecisionNumber(county, year) => {
            let (seq, number) = next_decision(&txn, &county, year).await?;
            q = q
                .col_expr(Column::DecisionYear, Expr::value(Some(year)))
                .col_expr(Column::DecisionSeq, Expr::value(Some(seq)))
                .col_expr(Column::DecisionNumber, Expr::value(Some(number)));
        }
        Extra::Payment(p) => {
            p.insert(&txn).await?;
        }
        Extra::Link(l) => {
            l.insert(&txn).await?;
        }
        Extra::Unlink(hazard_id) => {
            case_hazard::Entity::delete_many()
                .filter(case_hazard::Column::CaseId.eq(before.id))
                .filter(case_hazard::Column::HazardId.eq(hazard_id))
                .exec(&txn)
                .await?;
        }
    }
    platform::db::versioned_update(&txn, q, before.id, version, actor.user_id, now).await?;
    let after = get(&txn, &actor.scope(), before.id).await?;
    let entry = Entry::new(action, AUDIT_ENTITY, before.id, &after.region_code)
        .summary(summary)
        .before(before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

fn state_to(to: CaseState) -> sea_orm::UpdateMany<case::Entity> {
    case::Entity::update_many().col_expr(case::Column::State, Expr::value(to.code()))
}

/// A refusal from the rules, as the client should see it: beside a field when one is to blame.
fn refused(err: TransitionError) -> AppError {
    let field = match err {
        TransitionError::NoticeBeforeFiling => Some("notified_on"),
        TransitionError::HearingBeforeNotice | TransitionError::HearingDateMissing => {
            Some("hearing_on")
        }
        TransitionError::WaivedAndHearing => Some("waived"),
        TransitionError::ResponsePeriodRunning { .. }
        | TransitionError::DecisionNotAfterHearing { .. } => Some("decided_on"),
        TransitionError::FineNotPositive | TransitionError::PenaltyMissing => Some("fine_yuan"),
        TransitionError::NoPenaltyReasonMissing | TransitionError::NoPenaltyWithPenalty => {
            Some("no_penalty_reason")
        }
        TransitionError::PaymentNotPositive | TransitionError::Overpaid { .. } => {
            Some("amount_yuan")
        }
        TransitionError::PaymentBeforeDecision => Some("paid_on"),
        TransitionError::UnpaidWithoutReason { .. } => Some("reason"),
        TransitionError::CloseBeforeDecision => Some("closed_on"),
        TransitionError::DismissReasonMissing => Some("reason"),
        TransitionError::NotAllowed { .. } | TransitionError::NothingToPay => None,
    };
    match field {
        Some(f) => AppError::field(f, err.to_string()),
        None => AppError::conflict("transition_refused", err.to_string()),
    }
}

/// A required date, not after today.
fn day_field(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<String>,
    label: &str,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let d = date_field(errors, field, value);
    match d {
        None if !errors.contains_key(field) => {
            errors.insert(field.into(), format!("请填写{label}，格式如 2026-06-01"));
            None
        }
        Some(d) if d > today => {
            errors.insert(field.into(), format!("{label}不能晚于今天"));
            None
        }
        other => other,
    }
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct VersionInput {
    pub version: i32,
}

/// 开始调查.
pub async fn investigate(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    version: i32,
) -> AppResult<EnforcementCase> {
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    let to = model::investigate(&before.rules()).map_err(refused)?;
    let summary = format!("案件 {} 开始调查取证", before.number);
    apply(
        state,
        actor,
        &before,
        version,
        state_to(to),
        Extra::None,
        "enforcement.investigate",
        summary,
    )
    .await
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct NotifyInput {
    /// The day the 行政处罚告知书 was served (YYYY-MM-DD).
    pub notified_on: Option<String>,
    pub version: i32,
}

/// 送达行政处罚告知书.
pub async fn notify(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &NotifyInput,
) -> AppResult<EnforcementCase> {
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    let mut errors = FieldErrors::new();
    let on = day_field(
        &mut errors,
        "notified_on",
        &input.notified_on,
        "告知日期",
        today(state),
    );
    let Some(on) = on else {
        return Err(AppError::Validation(errors));
    };
    let to = model::notify(&before.rules(), on).map_err(refused)?;
    let q = state_to(to).col_expr(case::Column::NotifiedOn, Expr::value(Some(on)));
    let summary = format!("案件 {} 于 {on} 送达行政处罚告知书", before.number);
    apply(
        state,
        actor,
        &before,
        input.version,
        q,
        Extra::None,
        "enforcement.notify",
        summary,
    )
    .await
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ResponseInput {
    /// The party asked for a hearing.
    #[serde(default, deserialize_with = "de_required_flag")]
    #[schema(value_type = bool)]
    pub hearing_requested: bool,
    /// The hearing day (YYYY-MM-DD), once set.
    pub hearing_on: Option<String>,
    /// The party waived defence and hearing in writing.
    #[serde(default, deserialize_with = "de_required_flag")]
    #[schema(value_type = bool)]
    pub waived: bool,
    /// 陈述申辩 as stated.
    pub statement: Option<String>,
    pub version: i32,
}

/// 陈述申辩 / 听证 / 书面放弃: what the party answered to the notice.
pub async fn record_response(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &ResponseInput,
) -> AppResult<EnforcementCase> {
    use case::Column;
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    let mut errors = FieldErrors::new();
    let hearing_on = date_field(&mut errors, "hearing_on", &input.hearing_on);
    let statement = text_field(&mut errors, "statement", &input.statement, 1000, "陈述申辩");
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let hearing_on = hearing_on.filter(|_| input.hearing_requested);
    let to = model::record_response(
        &before.rules(),
        input.hearing_requested,
        hearing_on,
        input.waived,
    )
    .map_err(refused)?;
    let q = state_to(to)
        .col_expr(
            Column::HearingRequested,
            Expr::value(input.hearing_requested),
        )
        .col_expr(Column::HearingOn, Expr::value(hearing_on))
        .col_expr(Column::Waived, Expr::value(input.waived))
        .col_expr(Column::Statement, Expr::value(statement));
    let what = if input.waived {
        "当事人书面放弃陈述申辩和听证".to_string()
    } else if input.hearing_requested {
        match hearing_on {
            Some(d) => format!("当事人申请听证，听证日期 {d}"),
            None => "当事人申请听证".to_string(),
        }
    } else {
        "登记当事人陈述申辩".to_string()
    };
    let summary = format!("案件 {}：{what}", before.number);
    apply(
        state,
        actor,
        &before,
        input.version,
        q,
        Extra::None,
        "enforcement.response",
        summary,
    )
    .await
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct DecideInput {
    /// YYYY-MM-DD, not before the response period ends (unless waived), after a hearing.
    pub decided_on: Option<String>,
    /// The fine in yuan (blank or 0 with other measures only).
    #[serde(default, deserialize_with = "de_number")]
    #[schema(value_type = Option<f64>)]
    pub fine_yuan: Option<String>,
    /// warning | suspension | confiscation | licence_suspended | licence_revoked
    #[serde(default)]
    pub measures: Vec<String>,
    /// 不予处罚 (then a reason, no fine, no measures).
    #[serde(default, deserialize_with = "de_required_flag")]
    #[schema(value_type = bool)]
    pub no_penalty: bool,
    pub no_penalty_reason: Option<String>,
    pub version: i32,
}

/// 作出决定: the penalty decision (numbered per county and year) or 不予处罚.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &DecideInput,
) -> AppResult<EnforcementCase> {
    use case::Column;
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    let mut errors = FieldErrors::new();
    let decided_on = day_field(
        &mut errors,
        "decided_on",
        &input.decided_on,
        "决定日期",
        today(state),
    );
    let fine_text = input.fine_yuan.clone().map(|t| t.trim().to_string());
    if fine_text.as_deref().is_some_and(|t| t.starts_with('-')) {
        errors.insert("fine_yuan".into(), "罚款金额须大于 0".into());
    }
    let fine = if errors.contains_key("fine_yuan") {
        None
    } else {
        yuan_field(&mut errors, "fine_yuan", &fine_text)
    };
    let mut measures = BTreeSet::new();
    for code in input.measures.iter().filter(|c| !c.trim().is_empty()) {
        match Measure::parse(code) {
            Some(m) => {
                measures.insert(m);
            }
            None => {
                errors.insert("measures".into(), format!("未知的处罚种类：{code}"));
            }
        }
    }
    let reason = text_field(
        &mut errors,
        "no_penalty_reason",
        &input.no_penalty_reason,
        1000,
        "不予处罚理由",
    );
    let Some(decided_on) = decided_on.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let decision = Decision {
        decided_on,
        fine_fen: fine.unwrap_or(0),
        measures,
        no_penalty_reason: input.no_penalty.then(|| reason.unwrap_or_default()),
    };
    let to = model::decide(&before.rules(), &decision).map_err(refused)?;
    let codes: Vec<&str> = decision.measures.iter().map(|m| m.code()).collect();
    let q = state_to(to)
        .col_expr(Column::DecidedOn, Expr::value(Some(decided_on)))
        .col_expr(Column::FineFen, Expr::value(decision.fine_fen))
        .col_expr(Column::Measures, Expr::value(codes.join(",")))
        .col_expr(
            Column::NoPenaltyReason,
            Expr::value(decision.no_penalty_reason.clone()),
        );
    let county: String = before.region_code.chars().take(6).collect();
    let what = if decision.no_penalty_reason.is_some() {
        "不予处罚".to_string()
    } else {
        let mut parts = Vec::new();
        if decision.fine_fen > 0 {
            parts.push(format!("罚款 {} 元", fen_as_yuan(decision.fine_fen)));
        }
        parts.extend(decision.measures.iter().map(|m| m.label().to_string()));
        parts.join("，")
    };
    let summary = format!("案件 {} 于 {decided_on} 作出决定：{what}", before.number);
    let extra = Extra::DecisionNumber(county, model::decision_year(decided_on));
    apply(
        state,
        actor,
        &before,
        input.version,
        q,
        extra,
        "enforcement.decide",
        summary,
    )
    .await
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct PaymentInput {
    /// The amount in yuan.
    #[serde(default, deserialize_with = "de_number")]
    #[schema(value_type = Option<f64>)]
    pub amount_yuan: Option<String>,
    /// YYYY-MM-DD, not before the decision, not in the future.
    pub paid_on: Option<String>,
    /// e.g. 缴款书号.
    pub note: Option<String>,
    pub version: i32,
}

/// 登记缴款; the first payment starts execution.
pub async fn add_payment(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &PaymentInput,
) -> AppResult<EnforcementCase> {
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    let mut errors = FieldErrors::new();
    let amount_text = input.amount_yuan.clone().map(|t| t.trim().to_string());
    let amount = if amount_text.as_deref().is_some_and(|t| t.starts_with('-')) {
        errors.insert("amount_yuan".into(), "缴款金额须大于 0".into());
        None
    } else {
        yuan_field(&mut errors, "amount_yuan", &amount_text)
    };
    if amount.is_none() && !errors.contains_key("amount_yuan") {
        errors.insert("amount_yuan".into(), "请填写缴款金额（元）".into());
    }
    let paid_on = day_field(
        &mut errors,
        "paid_on",
        &input.paid_on,
        "缴款日期",
        today(state),
    );
    let note = text_field(&mut errors, "note", &input.note, 200, "备注");
    let (Some(amount), Some(paid_on)) = (amount, paid_on) else {
        return Err(AppError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let to = model::pay(&before.rules(), amount, paid_on).map_err(refused)?;
    let q = state_to(to).col_expr(case::Column::PaidFen, Expr::value(before.paid_fen + amount));
    let row = payment::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(before.id),
        region_code: Set(before.region_code.clone()),
        amount_fen: Set(amount),
        paid_on: Set(paid_on),
        note: Set(note),
        created_at: Set(state.now()),
        created_by: Set(Some(actor.user_id)),
    };
    let summary = format!(
        "案件 {} 登记缴款 {} 元（{paid_on}），累计 {} 元",
        before.number,
        fen_as_yuan(amount),
        fen_as_yuan(before.paid_fen + amount)
    );
    apply(
        state,
        actor,
        &before,
        input.version,
        q,
        Extra::Payment(row),
        "enforcement.payment",
        summary,
    )
    .await
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CloseInput {
    /// YYYY-MM-DD; today when blank.
    pub closed_on: Option<String>,
    /// Required while the fine is not fully paid, e.g. 申请法院强制执行.
    pub reason: Option<String>,
    pub version: i32,
}

/// 结案.
pub async fn close(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &CloseInput,
) -> AppResult<EnforcementCase> {
    use case::Column;
    actor.require(perm::SAFETY_EDIT)?;
    let day = today(state);
    let before = get(&state.db, &actor.scope(), id).await?;
    let mut errors = FieldErrors::new();
    let closed_on = if optional(&input.closed_on).is_some() {
        day_field(&mut errors, "closed_on", &input.closed_on, "结案日期", day)
    } else {
        Some(day)
    };
    let reason = text_field(&mut errors, "reason", &input.reason, 500, "结案说明");
    let Some(closed_on) = closed_on.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let to = model::close(&before.rules(), closed_on, reason.as_deref()).map_err(refused)?;
    let q = state_to(to)
        .col_expr(Column::ClosedOn, Expr::value(Some(closed_on)))
        .col_expr(Column::CloseReason, Expr::value(reason.clone()));
    let summary = match &reason {
        Some(r) => format!("案件 {} 结案：{r}", before.number),
        None => format!("案件 {} 结案", before.number),
    };
    apply(
        state,
        actor,
        &before,
        input.version,
        q,
        Extra::None,
        "enforcement.close",
        summary,
    )
    .await
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct DismissInput {
    #[serde(default)]
    pub reason: String,
    pub version: i32,
}

/// 撤销立案.
pub async fn dismiss(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &DismissInput,
) -> AppResult<EnforcementCase> {
    use case::Column;
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    let reason = input.reason.trim();
    if reason.chars().count() > 500 {
        return Err(AppError::field("reason", "撤销理由不超过 500 个字"));
    }
    let to = model::dismiss(&before.rules(), reason).map_err(refused)?;
    let q = state_to(to)
        .col_expr(Column::DismissedOn, Expr::value(Some(today(state))))
        .col_expr(Column::DismissReason, Expr::value(Some(reason.to_string())));
    let summary = format!("案件 {} 撤销立案：{reason}", before.number);
    apply(
        state,
        actor,
        &before,
        input.version,
        q,
        Extra::None,
        "enforcement.dismiss",
        summary,
    )
    .await
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct TypicalInput {
    /// Mark (true) or unmark (false) as 典型案例.
    #[serde(default, deserialize_with = "de_flag")]
    #[schema(value_type = Option<bool>)]
    pub typical: Option<bool>,
    /// 上报日期 (YYYY-MM-DD), required when marking.
    pub reported_on: Option<String>,
    pub note: Option<String>,
    pub version: i32,
}

/// 典型案例: mark a case reported upward as typical, or take the mark off.
pub async fn set_typical(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &TypicalInput,
) -> AppResult<EnforcementCase> {
    use case::Column;
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    if before.state == CaseState::Dismissed {
        return Err(AppError::conflict(
            "transition_refused",
            "已撤销立案的案件不能作为典型案例",
        ));
    }
    let typical = input.typical.unwrap_or(true);
    let mut errors = FieldErrors::new();
    let reported_on = if typical {
        day_field(
            &mut errors,
            "reported_on",
            &input.reported_on,
            "上报日期",
            today(state),
        )
    } else {
        None
    };
    let note = text_field(&mut errors, "note", &input.note, 500, "说明");
    if reported_on.is_some_and(|d| d < before.filed_on) {
        errors.insert("reported_on".into(), "上报日期不能早于立案日期".into());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let q = case::Entity::update_many()
        .col_expr(Column::Typical, Expr::value(typical))
        .col_expr(Column::TypicalReportedOn, Expr::value(reported_on))
        .col_expr(
            Column::TypicalNote,
            Expr::value(if typical { note } else { None }),
        );
    let summary = if typical {
        format!("案件 {} 作为典型案例上报", before.number)
    } else {
        format!("案件 {} 取消典型案例", before.number)
    };
    apply(
        state,
        actor,
        &before,
        input.version,
        q,
        Extra::None,
        "enforcement.typical",
        summary,
    )
    .await
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct LinkInput {
    /// A hazard of the same unit.
    #[serde(default)]
    pub hazard_id: String,
    pub version: i32,
}

fn refuse_when_final(c: &EnforcementCase, what: &str) -> AppResult<()> {
    if c.is_final() {
        return Err(AppError::conflict(
            "transition_refused",
            format!("案件已{}，不能{what}", c.state_label()),
        ));
    }
    Ok(())
}

/// Link a hazard of the case's unit.
pub async fn link_hazard(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &LinkInput,
) -> AppResult<EnforcementCase> {
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    refuse_when_final(&before, "关联隐患")?;
    let found = match Uuid::parse_str(input.hazard_id.trim()) {
        Ok(hid) => {
            hazard::Entity::find_by_id(hid)
                .filter(actor.scope().condition(hazard::Column::RegionCode))
                .filter(hazard::Column::VoidedAt.is_null())
                .one(&state.db)
                .await?
        }
        Err(_) => None,
    };
    let Some(h) = found.filter(|h| h.unit_id == before.unit_id) else {
        return Err(AppError::field("hazard_id", "请选择本案监管对象的隐患"));
    };
    if before.hazards.iter().any(|l| l.id == h.id) {
        return Err(AppError::field("hazard_id", "该隐患已关联本案"));
    }
    let row = case_hazard::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(before.id),
        hazard_id: Set(h.id),
        region_code: Set(before.region_code.clone()),
        created_at: Set(state.now()),
        created_by: Set(Some(actor.user_id)),
    };
    let summary = format!("案件 {} 关联隐患 {}", before.number, h.number);
    apply(
        state,
        actor,
        &before,
        input.version,
        case::Entity::update_many(),
        Extra::Link(row),
        "enforcement.link",
        summary,
    )
    .await
}

/// Take a linked hazard off the case.
pub async fn unlink_hazard(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    hazard_id: Uuid,
    version: i32,
) -> AppResult<EnforcementCase> {
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    refuse_when_final(&before, "取消关联隐患")?;
    let Some(h) = before.hazards.iter().find(|l| l.id == hazard_id) else {
        return Err(AppError::NotFound);
    };
    let summary = format!("案件 {} 取消关联隐患 {}", before.number, h.number);
    apply(
        state,
        actor,
        &before,
        version,
        case::Entity::update_many(),
        Extra::Unlink(hazard_id),
        "enforcement.unlink",
        summary,
    )
    .await
}
