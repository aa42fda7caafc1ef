//! Accident queries and changes, scoped, versioned and audited. The rules live in
//! [`super::model`]: grade and late flag are recomputed on every write; each transition loads the
//! accident, asks the model, then writes with optimistic locking and an audit row in one
//! transaction.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use platform::access::{Actor, Scope, perm};
use platform::audit::{self, Entry};
use platform::clock::{format_local, local_day, local_midnight};
use platform::db::sequence;
use platform::error::{AppError, AppResult, FieldErrors};
use platform::regions::Level;
use platform::web::AppState;
use platform::web::form::{de_number, fen_as_yuan, optional, parse_date, text_field, yuan_field};
use platform::web::paging::{Dir, PageOf, Paging, Sort, SortColumn, Sorts, fetch_page};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{accident, revision};
use super::model::{self, AccidentGrade, AccidentState, Casualties, TransitionError};
use crate::units::entity::unit;
use crate::units::store::INDUSTRY_DICT;

pub use crate::units::store::today;

/// The versioned code table of accident types (GB 6441-1986, GB 6441-2025).
pub const TYPE_DICT: &str = "accident_type";

/// The audit trail's name for accidents.
pub const ENTITY: &str = "safety_accident";

pub use platform::web::form::{local_input, parse_time};

/// Casualty counts as reported.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Counts {
    pub deaths: i32,
    pub missing: i32,
    pub serious_injuries: i32,
    pub minor_injuries: i32,
}

impl Counts {
    fn casualties(self, direct_loss_fen: i64) -> Casualties {
        Casualties {
            deaths: u32::try_from(self.deaths).unwrap_or(0),
            serious_injuries: u32::try_from(self.serious_injuries).unwrap_or(0),
            direct_loss_fen,
        }
    }

    /// `死亡 1 失踪 0 重伤 2 轻伤 0`.
    pub fn text(&self) -> String {
        format!(
            "死亡 {} 失踪 {} 重伤 {} 轻伤 {}",
            self.deaths, self.missing, self.serious_injuries, self.minor_injuries
        )
    }
}

/// One 续报: the counts before and after, and why.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Revision {
    pub revised_at: DateTime<Utc>,
    /// `2026-06-01 14:05` (UTC+8).
    pub revised_local: String,
    pub revised_by_name: String,
    pub before: Counts,
    pub after: Counts,
    pub reason: String,
}

impl From<revision::Model> for Revision {
    fn from(m: revision::Model) -> Self {
        Self {
            revised_local: format_local(m.revised_at),
            revised_at: m.revised_at,
            revised_by_name: m.revised_by_name,
            before: Counts {
                deaths: m.deaths_before,
                missing: m.missing_before,
                serious_injuries: m.serious_before,
                minor_injuries: m.minor_before,
            },
            after: Counts {
                deaths: m.deaths_after,
                missing: m.missing_after,
                serious_injuries: m.serious_after,
                minor_injuries: m.minor_after,
            },
            reason: m.reason,
        }
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Accident {
    pub id: Uuid,
    /// `SG2026-0001`: per county and year of occurrence.
    pub number: String,
    pub region_code: String,
    pub region_name: String,
    pub occurred_at: DateTime<Utc>,
    pub reported_at: DateTime<Utc>,
    /// `2026-06-01 14:05` (UTC+8).
    pub occurred_local: String,
    pub reported_local: String,
    pub place: String,
    pub unit_id: Option<Uuid>,
    pub unit_name: Option<String>,
    pub party_name: Option<String>,
    pub industry_code: Option<String>,
    pub industry_edition: Option<String>,
    pub industry_label: Option<String>,
    pub type_code: String,
    /// The edition of `accident_type` the accident was classified under.
    pub type_edition: String,
    pub type_label: String,
    pub deaths: i32,
    pub missing: i32,
    pub serious_injuries: i32,
    pub minor_injuries: i32,
    pub direct_loss_fen: i64,
    pub summary: String,
    pub cause: Option<String>,
    pub grade: AccidentGrade,
    /// Reported more than an hour after it happened (迟报).
    pub late: bool,
    /// How much later than the hour, e.g. `1小时25分`.
    pub late_by: Option<String>,
    pub state: AccidentState,
    pub investigation_lead: Option<String>,
    pub investigation_started_on: Option<NaiveDate>,
    pub approved_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub publication_channel: Option<String>,
    pub version: i32,
    /// Casualty revisions, oldest first (filled on single reads).
    pub revisions: Vec<Revision>,
}

impl Accident {
    fn bare(m: accident::Model) -> Self {
        Self {
            late_by: model::lateness(m.occurred_at, m.reported_at),
            occurred_local: format_local(m.occurred_at),
            reported_local: format_local(m.reported_at),
            grade: AccidentGrade::parse(&m.grade).unwrap_or(AccidentGrade::Ordinary),
            state: AccidentState::parse(&m.state).unwrap_or(AccidentState::Reported),
            id: m.id,
            number: m.number,
            region_name: m.region_code.clone(),
            region_code: m.region_code,
            occurred_at: m.occurred_at,
            reported_at: m.reported_at,
            place: m.place,
            unit_id: m.unit_id,
            unit_name: None,
            party_name: m.party_name,
            industry_label: m.industry_code.clone(),
            industry_code: m.industry_code,
            industry_edition: m.industry_edition,
            type_label: m.type_code.clone(),
            type_code: m.type_code,
            type_edition: m.type_edition,
            deaths: m.deaths,
            missing: m.missing,
            serious_injuries: m.serious_injuries,
            minor_injuries: m.minor_injuries,
            direct_loss_fen: m.direct_loss_fen,
            summary: m.summary,
            cause: m.cause,
            late: m.late,
            investigation_lead: m.investigation_lead,
            investigation_started_on: m.investigation_started_on,
            approved_on: m.approved_on,
            published_on: m.published_on,
            publication_channel: m.publication_channel,
            version: m.version,
            revisions: Vec::new(),
        }
    }

    pub fn counts(&self) -> Counts {
        Counts {
            deaths: self.deaths,
            missing: self.missing,
            serious_injuries: self.serious_injuries,
            minor_injuries: self.minor_injuries,
        }
    }

    pub fn grade_label(&self) -> &'static str {
        self.grade.label()
    }

    pub fn grade_class(&self) -> &'static str {
        self.grade.class()
    }

    pub fn state_label(&self) -> &'static str {
        self.state.label()
    }

    pub fn state_code(&self) -> &'static str {
        self.state.code()
    }

    pub fn state_class(&self) -> &'static str {
        match self.state {
            AccidentState::Published => "green",
            AccidentState::Approved => "blue",
            AccidentState::Investigating => "orange",
            AccidentState::Reported => "gray",
        }
    }

    /// The unit's name, else the party named in free text.
    pub fn party(&self) -> String {
        self.unit_name
            .clone()
            .or_else(|| self.party_name.clone())
            .unwrap_or_default()
    }

    pub fn loss_yuan(&self) -> String {
        fen_as_yuan(self.direct_loss_fen)
    }

    /// Edits stop once the results are public.
    pub fn is_editable(&self) -> bool {
        self.state != AccidentState::Published
    }
}

/// 直接经济损失 in 万元 with two decimals, rounded.
pub fn fen_as_wan(fen: i64) -> String {
    let hundredths = (fen + 5_000).div_euclid(10_000);
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct AccidentFilter {
    /// Number, place, party or summary contains.
    pub q: Option<String>,
    /// A township's 12-digit code (a village code stands for its township).
    pub township: Option<String>,
    /// ordinary | larger | major | extraordinary_major
    pub grade: Option<String>,
    /// A type as `edition/code` (e.g. `GB6441-1986/02`); a bare code matches it in any edition.
    #[serde(rename = "type")]
    pub accident_type: Option<String>,
    /// reported | investigating | approved | published
    pub state: Option<String>,
    /// Occurred on or after (YYYY-MM-DD, UTC+8).
    pub from: Option<String>,
    /// Occurred on or before (YYYY-MM-DD, UTC+8).
    pub to: Option<String>,
    /// Only late reports (迟报).
    pub late: Option<bool>,
}

impl AccidentFilter {
    pub fn late_only(&self) -> bool {
        self.late.unwrap_or(false)
    }
}

fn select(scope: &Scope, filter: &AccidentFilter) -> sea_orm::Select<accident::Entity> {
    use accident::Column;
    let mut q = accident::Entity::find()
        .filter(scope.condition(Column::RegionCode))
        .filter(Column::VoidedAt.is_null());
    if let Some(text) = optional(&filter.q) {
        q = q.filter(
            Column::Number
                .contains(text.to_ascii_uppercase())
                .or(Column::Place.contains(&text))
                .or(Column::PartyName.contains(&text))
                .or(Column::Summary.contains(&text)),
        );
    }
    if let Some(code) = optional(&filter.township) {
        q = q.filter(Scope::of(&code).condition(Column::RegionCode));
    }
    if let Some(code) = optional(&filter.grade) {
        q = q.filter(Column::Grade.eq(code));
    }
    if let Some(t) = optional(&filter.accident_type) {
        q = match t.split_once('/') {
            Some((edition, code)) => q
                .filter(Column::TypeEdition.eq(edition))
                .filter(Column::TypeCode.eq(code)),
            None => q.filter(Column::TypeCode.eq(t)),
        };
    }
    if let Some(code) = optional(&filter.state) {
        q = q.filter(Column::State.eq(code));
    }
    if let Some(d) = optional(&filter.from).as_deref().and_then(parse_date) {
        q = q.filter(Column::OccurredAt.gte(local_midnight(d)));
    }
    if let Some(d) = optional(&filter.to).as_deref().and_then(parse_date) {
        q = q.filter(Column::OccurredAt.lt(local_midnight(d + Duration::days(1))));
    }
    if filter.late_only() {
        q = q.filter(Column::Late.eq(true));
    }
    q
}

/// The columns the accident list can be sorted by (`?sort=`); the first is its usual order.
pub static SORTS: Sorts<accident::Column> = Sorts {
    columns: &[
        SortColumn {
            key: "occurred_at",
            column: accident::Column::OccurredAt,
            first: Dir::Desc,
        },
        SortColumn {
            key: "number",
            column: accident::Column::Number,
            first: Dir::Asc,
        },
        SortColumn {
            key: "region",
            column: accident::Column::RegionCode,
            first: Dir::Asc,
        },
        SortColumn {
            key: "deaths",
            column: accident::Column::Deaths,
            first: Dir::Desc,
        },
        SortColumn {
            key: "serious_injuries",
            column: accident::Column::SeriousInjuries,
            first: Dir::Desc,
        },
    ],
    then: &[
        (accident::Column::OccurredAt, Dir::Desc),
        (accident::Column::Number, Dir::Desc),
        (accident::Column::Id, Dir::Desc),
    ],
};

/// Labels for codes of a versioned dictionary, loaded once per edition.
struct Labels<'a> {
    dict: &'a str,
    by_edition: HashMap<String, HashMap<String, String>>,
}

impl<'a> Labels<'a> {
    fn new(dict: &'a str) -> Self {
        Self {
            dict,
            by_edition: HashMap::new(),
        }
    }

    async fn get(
        &mut self,
        db: &impl ConnectionTrait,
        edition: &str,
        code: &str,
    ) -> AppResult<Option<String>> {
        if !self.by_edition.contains_key(edition) {
            let labels = platform::dicts::store::labels(db, self.dict, Some(edition)).await?;
            self.by_edition.insert(edition.to_string(), labels);
        }
        Ok(self.by_edition[edition].get(code).cloned())
    }
}

async fn decorate(
    db: &impl ConnectionTrait,
    models: Vec<accident::Model>,
) -> AppResult<Vec<Accident>> {
    let unit_ids: Vec<Uuid> = models.iter().filter_map(|m| m.unit_id).collect();
    let units = crate::units::store::names(db, unit_ids).await?;
    let mut types = Labels::new(TYPE_DICT);
    let mut industries = Labels::new(INDUSTRY_DICT);
    let regions =
        platform::regions::store::short_names(db, models.iter().map(|m| m.region_code.clone()))
            .await?;
    let mut out = Vec::with_capacity(models.len());
    for m in models {
        let mut a = Accident::bare(m);
        a.unit_name = a.unit_id.and_then(|id| units.get(&id).cloned());
        if let Some(label) = types.get(db, &a.type_edition, &a.type_code).await? {
            a.type_label = label;
        }
        if let (Some(edition), Some(code)) = (&a.industry_edition, &a.industry_code)
            && let Some(label) = industries.get(db, edition, code).await?
        {
            a.industry_label = Some(label);
        }
        a.region_name = platform::regions::store::region_name(&regions, &a.region_code);
        out.push(a);
    }
    Ok(out)
}

pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &AccidentFilter,
    sort: &Sort<accident::Column>,
    paging: Paging,
) -> AppResult<PageOf<Accident>> {
    let page = fetch_page(db, sort.apply(select(scope, filter)), paging).await?;
    let items = decorate(db, page.items).await?;
    Ok(PageOf {
        items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// Every matching accident up to `limit` in the list's order, for export.
pub async fn all(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &AccidentFilter,
    sort: &Sort<accident::Column>,
    limit: u64,
) -> AppResult<Vec<Accident>> {
    let models = sort
        .apply(select(scope, filter))
        .limit(limit)
        .all(db)
        .await?;
    decorate(db, models).await
}

pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> AppResult<Accident> {
    let m = accident::Entity::find_by_id(id)
        .filter(scope.condition(accident::Column::RegionCode))
        .filter(accident::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut a = decorate(db, vec![m]).await?.remove(0);
    a.revisions = revision::Entity::find()
        .filter(revision::Column::AccidentId.eq(id))
        .order_by_asc(revision::Column::RevisedAt)
        .all(db)
        .await?
        .into_iter()
        .map(Revision::from)
        .collect();
    Ok(a)
}

/// How many accidents of one grade.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct GradeCount {
    pub grade: AccidentGrade,
    pub count: u64,
}

/// Sums over a set of accidents: what a 事故统计 line reports.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AccidentTotals {
    /// 起数
    pub count: u64,
    pub deaths: i64,
    pub missing: i64,
    pub serious_injuries: i64,
    pub minor_injuries: i64,
    pub direct_loss_fen: i64,
    /// Every grade, least severe first, zeros included.
    pub by_grade: Vec<GradeCount>,
}

impl AccidentTotals {
    fn of(rows: &[accident::Model]) -> Self {
        let sum = |f: fn(&accident::Model) -> i64| rows.iter().map(f).sum::<i64>();
        Self {
            count: rows.len() as u64,
            deaths: sum(|m| m.deaths.into()),
            missing: sum(|m| m.missing.into()),
            serious_injuries: sum(|m| m.serious_injuries.into()),
            minor_injuries: sum(|m| m.minor_injuries.into()),
            direct_loss_fen: sum(|m| m.direct_loss_fen),
            by_grade: AccidentGrade::ALL
                .into_iter()
                .map(|grade| GradeCount {
                    grade,
                    count: rows.iter().filter(|m| m.grade == grade.code()).count() as u64,
                })
                .collect(),
        }
    }

    /// 直接经济损失 in 万元, e.g. `12.50`.
    pub fn loss_wan(&self) -> String {
        fen_as_wan(self.direct_loss_fen)
    }
}

/// The totals of the rows a filtered list shows (all pages).
pub async fn sums(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &AccidentFilter,
) -> AppResult<AccidentTotals> {
    let rows = select(scope, filter).all(db).await?;
    Ok(AccidentTotals::of(&rows))
}

/// Accidents in `scope` that occurred from `from` to `to` inclusive (days in UTC+8): count,
/// casualties, direct loss and count by grade. Voided records are left out.
///
/// The same rows are listed at `/safety/accidents?from=<from>&to=<to>` for a user whose scope is
/// `scope`, or `/safety/accidents?from=<from>&to=<to>&township=<code>` for a township inside a
/// county user's scope; build the link with [`list_href`].
pub async fn totals(
    db: &impl ConnectionTrait,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<AccidentTotals> {
    sums(db, scope, &period(from, to)).await
}

fn period(from: NaiveDate, to: NaiveDate) -> AccidentFilter {
    AccidentFilter {
        from: Some(from.to_string()),
        to: Some(to.to_string()),
        ..Default::default()
    }
}

/// The list page showing the rows [`totals`] counts for `from`..=`to`: within the viewer's
/// scope, narrowed to `region`'s township when `region` is a township or village code (a county
/// code or `None` adds no narrowing).
pub fn list_href(from: NaiveDate, to: NaiveDate, region: Option<&str>) -> String {
    let mut href = format!("/safety/accidents?from={from}&to={to}");
    if let Some(code) = region.filter(|c| c.len() == 12 && !c.ends_with("000000")) {
        href.push_str(&format!("&township={}000", &code[..9]));
    }
    href
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct AccidentInput {
    /// `2026-06-01T14:30` in UTC+8 (as a datetime-local input sends it) or RFC 3339.
    pub occurred_at: String,
    /// When the county bureau was told; same formats.
    pub reported_at: String,
    /// The township or village (12 digits).
    #[serde(default)]
    pub region_code: String,
    pub place: String,
    /// A supervised unit in scope, or else `party_name`.
    pub unit_id: Option<String>,
    /// The party in free text when it is not a supervised unit.
    pub party_name: Option<String>,
    /// A code of the current `unit_industry` edition.
    pub industry_code: Option<String>,
    /// A code of `accident_type`.
    pub type_code: String,
    /// The edition the code is of; the current one when absent.
    pub type_edition: Option<String>,
    /// On edit, counts must be left out or unchanged: changes go through 续报.
    #[serde(default, deserialize_with = "de_number")]
    #[schema(value_type = Option<i32>)]
    pub deaths: Option<String>,
    #[serde(default, deserialize_with = "de_number")]
    #[schema(value_type = Option<i32>)]
    pub missing: Option<String>,
    #[serde(default, deserialize_with = "de_number")]
    #[schema(value_type = Option<i32>)]
    pub serious_injuries: Option<String>,
    #[serde(default, deserialize_with = "de_number")]
    #[schema(value_type = Option<i32>)]
    pub minor_injuries: Option<String>,
    /// 直接经济损失 in yuan.
    #[serde(default, deserialize_with = "de_number")]
    #[schema(value_type = Option<f64>)]
    pub direct_loss_yuan: Option<String>,
    pub summary: String,
    pub cause: Option<String>,
    /// On edit: the version the form was loaded at.
    pub version: Option<i32>,
}

impl AccidentInput {
    pub fn from_accident(a: &Accident) -> Self {
        Self {
            occurred_at: local_input(a.occurred_at),
            reported_at: local_input(a.reported_at),
            region_code: a.region_code.clone(),
            place: a.place.clone(),
            unit_id: a.unit_id.map(|id| id.to_string()),
            party_name: a.party_name.clone(),
            industry_code: a.industry_code.clone(),
            type_code: format!("{}/{}", a.type_edition, a.type_code),
            type_edition: None,
            deaths: None,
            missing: None,
            serious_injuries: None,
            minor_injuries: None,
            direct_loss_yuan: Some(a.loss_yuan()),
            summary: a.summary.clone(),
            cause: a.cause.clone(),
            version: Some(a.version),
        }
    }
}

/// A count of people: a whole number from 0.
fn count_field(errors: &mut FieldErrors, field: &str, value: &Option<String>) -> Option<i32> {
    let text = optional(value)?;
    match text.parse::<f64>() {
        Ok(n) if n.fract() == 0.0 && (0.0..=100_000.0).contains(&n) => Some(n as i32),
        _ => {
            errors.insert(field.into(), "请填写不小于 0 的整数".into());
            None
        }
    }
}

/// Counts as typed: each `None` when left blank.
struct TypedCounts {
    deaths: Option<i32>,
    missing: Option<i32>,
    serious_injuries: Option<i32>,
    minor_injuries: Option<i32>,
}

impl TypedCounts {
    fn parse(
        errors: &mut FieldErrors,
        deaths: &Option<String>,
        missing: &Option<String>,
        serious: &Option<String>,
        minor: &Option<String>,
    ) -> Self {
        Self {
            deaths: count_field(errors, "deaths", deaths),
            missing: count_field(errors, "missing", missing),
            serious_injuries: count_field(errors, "serious_injuries", serious),
            minor_injuries: count_field(errors, "minor_injuries", minor),
        }
    }

    /// Blank fields keep `base`.
    fn over(&self, base: Counts) -> Counts {
        Counts {
            deaths: self.deaths.unwrap_or(base.deaths),
            missing: self.missing.unwrap_or(base.missing),
            serious_injuries: self.serious_injuries.unwrap_or(base.serious_injuries),
            minor_injuries: self.minor_injuries.unwrap_or(base.minor_injuries),
        }
    }
}

struct Valid {
    occurred_at: DateTime<Utc>,
    reported_at: DateTime<Utc>,
    region_code: String,
    place: String,
    unit_id: Option<Uuid>,
    party_name: Option<String>,
    industry: Option<(String, String)>,
    type_code: String,
    type_edition: String,
    counts: Counts,
    direct_loss_fen: i64,
    summary: String,
    cause: Option<String>,
}

impl Valid {
    fn grade(&self) -> AccidentGrade {
        model::grade(self.counts.casualties(self.direct_loss_fen))
    }

    fn late(&self) -> bool {
        model::reported_late(self.occurred_at, self.reported_at)
    }
}

fn time_field(
    errors: &mut FieldErrors,
    field: &str,
    text: &str,
    what: &str,
) -> Option<DateTime<Utc>> {
    let at = parse_time(text);
    if at.is_none() {
        errors.insert(
            field.into(),
            format!("请填写{what}，格式如 2026-06-01 14:30"),
        );
    }
    at
}

/// The type and the edition it is classified under; an unknown pair is `None`.
async fn accident_type(
    db: &impl ConnectionTrait,
    code: &str,
    edition: Option<&str>,
) -> AppResult<Option<(String, String)>> {
    // Forms send `edition/code`, so a record keeps an older edition unless the type changes.
    let (code, edition) = match code.trim().split_once('/') {
        Some((e, c)) => (c, Some(e)),
        None => (code.trim(), edition),
    };
    Ok(match edition.map(str::trim).filter(|e| !e.is_empty()) {
        Some(edition) => platform::dicts::store::label_in(db, TYPE_DICT, edition, code)
            .await?
            .map(|_| (code.to_string(), edition.to_string())),
        None => platform::dicts::store::find_current(db, TYPE_DICT, code)
            .await?
            .map(|item| (item.code, item.edition)),
    })
}

/// The unit named, if it is in scope; `Err` keeps the field error.
async fn unit_in_scope(
    db: &impl ConnectionTrait,
    actor: &Actor,
    errors: &mut FieldErrors,
    unit_id: &Option<String>,
) -> AppResult<Option<unit::Model>> {
    let Some(text) = optional(unit_id) else {
        return Ok(None);
    };
    let found = match Uuid::parse_str(&text) {
        Ok(id) => {
            unit::Entity::find_by_id(id)
                .filter(actor.scope().condition(unit::Column::RegionCode))
                .filter(unit::Column::VoidedAt.is_null())
                .one(db)
                .await?
        }
        Err(_) => None,
    };
    if found.is_none() {
        errors.insert("unit_id".into(), "请选择您管辖范围内的监管对象".into());
    }
    Ok(found)
}

/// Check an accident's fields. `kept` is the record being edited: its counts are kept when left
/// blank and may not change here (that is 续报).
async fn validate(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: &AccidentInput,
    now: DateTime<Utc>,
    kept: Option<Counts>,
) -> AppResult<Valid> {
    let mut errors = FieldErrors::new();
    let occurred_at = time_field(
        &mut errors,
        "occurred_at",
        &input.occurred_at,
        "事故发生时间",
    );
    let reported_at = time_field(&mut errors, "reported_at", &input.reported_at, "接报时间");
    if occurred_at.is_some_and(|t| t > now) {
        errors.insert("occurred_at".into(), "事故发生时间不能晚于现在".into());
    }
    if reported_at.is_some_and(|t| t > now) {
        errors.insert("reported_at".into(), "接报时间不能晚于现在".into());
    }
    if let (Some(o), Some(r)) = (occurred_at, reported_at)
        && r < o
    {
        errors.insert("reported_at".into(), "接报时间不能早于事故发生时间".into());
    }
    let unit = unit_in_scope(db, actor, &mut errors, &input.unit_id).await?;
    let party_name = text_field(
        &mut errors,
        "party_name",
        &input.party_name,
        100,
        "事故单位",
    );
    if unit.is_none() && party_name.is_none() && !errors.contains_key("unit_id") {
        errors.insert(
            "party_name".into(),
            "请选择监管对象或填写事故单位（当事方）".into(),
        );
    }
    let mut region_code = input.region_code.trim().to_string();
    if region_code.is_empty()
        && let Some(u) = &unit
    {
        region_code = u.region_code.clone();
    }
    let region = if actor.scope().contains(&region_code) {
        platform::regions::store::find(db, &region_code).await?
    } else {
        None
    };
    if !region.is_some_and(|r| matches!(r.level, Level::Township | Level::Village)) {
        errors.insert(
            "region_code".into(),
            "请选择您管辖范围内的乡镇或村（社区）".into(),
        );
    }
    let place = input.place.trim().to_string();
    if place.is_empty() || place.chars().count() > 200 {
        errors.insert("place".into(), "事故地点为 1–200 个字".into());
    }
    let industry = match optional(&input.industry_code) {
        None => None,
        Some(code) => match platform::dicts::store::find_current(db, INDUSTRY_DICT, &code).await? {
            Some(item) => Some((item.code, item.edition)),
            None => {
                errors.insert("industry_code".into(), "行业类别不存在".into());
                None
            }
        },
    };
    let kind = accident_type(db, &input.type_code, input.type_edition.as_deref()).await?;
    if kind.is_none() {
        errors.insert(
            "type_code".into(),
            match optional(&input.type_edition) {
                Some(e) => format!("事故类别在 {e} 中不存在，请按该版本的编码填写"),
                None => "请选择事故类别".to_string(),
            },
        );
    }
    let typed = TypedCounts::parse(
        &mut errors,
        &input.deaths,
        &input.missing,
        &input.serious_injuries,
        &input.minor_injuries,
    );
    let counts = typed.over(kept.unwrap_or_default());
    if kept.is_some_and(|k| k != counts) {
        errors.insert(
            "deaths".into(),
            "伤亡人数的变化请通过「续报」提交，并说明原因".into(),
        );
    }
    let direct_loss_fen = yuan_field(&mut errors, "direct_loss_yuan", &input.direct_loss_yuan);
    let summary = input.summary.trim().to_string();
    if summary.is_empty() || summary.chars().count() > 2000 {
        errors.insert("summary".into(), "事故简要经过为 1–2000 个字".into());
    }
    let cause = text_field(&mut errors, "cause", &input.cause, 2000, "事故原因");
    let (Some(occurred_at), Some(reported_at), Some((type_code, type_edition))) =
        (occurred_at, reported_at, kind)
    else {
        return Err(AppError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Valid {
        occurred_at,
        reported_at,
        region_code,
        place,
        unit_id: unit.map(|u| u.id),
        party_name,
        industry,
        type_code,
        type_edition,
        counts,
        direct_loss_fen: direct_loss_fen.unwrap_or(0),
        summary,
        cause,
    })
}

/// The counter series of accident numbers (`SG2026-0001`) in `platform::db::sequence`.
pub const NUMBER_SERIES: &str = "SG";

/// The next number of a county's year, e.g. `SG2026-0001`, from the county's counter; call
/// inside the creating transaction.
async fn next_number(db: &impl ConnectionTrait, county: &str, year: i32) -> AppResult<String> {
    let n = sequence::next(db, &format!("{county}000000"), NUMBER_SERIES, year).await?;
    Ok(format!("{NUMBER_SERIES}{year}-{n:04}"))
}

/// Record an accident (首报).
pub async fn create(state: &AppState, actor: &Actor, input: &AccidentInput) -> AppResult<Accident> {
    actor.require(perm::SAFETY_EDIT)?;
    let now = state.now();
    let v = validate(&state.db, actor, input, now, None).await?;
    let county: String = v.region_code.chars().take(6).collect();
    let txn = state.db.begin().await?;
    let year = chrono::Datelike::year(&local_day(v.occurred_at));
    let number = next_number(&txn, &county, year).await?;
    let id = Uuid::now_v7();
    let (grade, late) = (v.grade(), v.late());
    let (industry_code, industry_edition) = v.industry.clone().unzip();
    accident::ActiveModel {
        county_code: Set(county),
        number: Set(number),
        occurred_at: Set(v.occurred_at),
        reported_at: Set(v.reported_at),
        place: Set(v.place),
        unit_id: Set(v.unit_id),
        party_name: Set(v.party_name),
        industry_code: Set(industry_code),
        industry_edition: Set(industry_edition),
        type_code: Set(v.type_code),
        type_edition: Set(v.type_edition),
        deaths: Set(v.counts.deaths),
        missing: Set(v.counts.missing),
        serious_injuries: Set(v.counts.serious_injuries),
        minor_injuries: Set(v.counts.minor_injuries),
        direct_loss_fen: Set(v.direct_loss_fen),
        summary: Set(v.summary),
        cause: Set(v.cause),
        grade: Set(grade.code().to_string()),
        late: Set(late),
        state: Set(AccidentState::Reported.code().to_string()),
        investigation_lead: Set(None),
        investigation_started_on: Set(None),
        approved_on: Set(None),
        published_on: Set(None),
        publication_channel: Set(None),
        ..platform::db::new_record(id, v.region_code, Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    let created = get(&txn, &actor.scope(), id).await?;
    let entry = Entry::new("create", ENTITY, id, &created.region_code)
        .summary(format!(
            "报告{} {}（{}，{}）{}",
            created.grade_label(),
            created.number,
            created.type_label,
            created.counts().text(),
            created
                .late_by
                .as_ref()
                .map(|l| format!("，迟报 {l}"))
                .unwrap_or_default()
        ))
        .after(&created);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(created)
}

/// Edit the report; casualty counts stay as they are (see [`revise`]). Grade and late flag are
/// recomputed. `version` must be the one read.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &AccidentInput,
) -> AppResult<Accident> {
    use accident::Column;
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    if !before.is_editable() {
        return Err(AppError::conflict(
            "transition_refused",
            "事故调查结果已公开，不能修改",
        ));
    }
    let now = state.now();
    let v = validate(&state.db, actor, input, now, Some(before.counts())).await?;
    if before
        .investigation_started_on
        .is_some_and(|d| d < local_day(v.occurred_at))
    {
        return Err(AppError::field(
            "occurred_at",
            "事故发生日期不能晚于调查开始日期",
        ));
    }
    let version = input
        .version
        .ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重试"))?;
    let (grade, late) = (v.grade(), v.late());
    let (industry_code, industry_edition) = v.industry.unzip();
    let txn = state.db.begin().await?;
    platform::db::versioned_update(
        &txn,
        accident::Entity::update_many()
            .col_expr(Column::OccurredAt, Expr::value(v.occurred_at))
            .col_expr(Column::ReportedAt, Expr::value(v.reported_at))
            .col_expr(Column::RegionCode, Expr::value(v.region_code))
            .col_expr(Column::Place, Expr::value(v.place))
            .col_expr(Column::UnitId, Expr::value(v.unit_id))
            .col_expr(Column::PartyName, Expr::value(v.party_name))
            .col_expr(Column::IndustryCode, Expr::value(industry_code))
            .col_expr(Column::IndustryEdition, Expr::value(industry_edition))
            .col_expr(Column::TypeCode, Expr::value(v.type_code))
            .col_expr(Column::TypeEdition, Expr::value(v.type_edition))
            .col_expr(Column::DirectLossFen, Expr::value(v.direct_loss_fen))
            .col_expr(Column::Summary, Expr::value(v.summary))
            .col_expr(Column::Cause, Expr::value(v.cause))
            .col_expr(Column::Grade, Expr::value(grade.code()))
            .col_expr(Column::Late, Expr::value(late)),
        id,
        version,
        actor.user_id,
        now,
    )
    .await?;
    let after = get(&txn, &actor.scope(), id).await?;
    let entry = Entry::new("update", ENTITY, id, &after.region_code)
        .summary(format!("修改事故 {}", after.number))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// 续报: new casualty counts (blank keeps a count) and why.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct RevisionInput {
    #[serde(default, deserialize_with = "de_number")]
    #[schema(value_type = Option<i32>)]
    pub deaths: Option<String>,
    #[serde(default, deserialize_with = "de_number")]
    #[schema(value_type = Option<i32>)]
    pub missing: Option<String>,
    #[serde(default, deserialize_with = "de_number")]
    #[schema(value_type = Option<i32>)]
    pub serious_injuries: Option<String>,
    #[serde(default, deserialize_with = "de_number")]
    #[schema(value_type = Option<i32>)]
    pub minor_injuries: Option<String>,
    /// 续报原因, e.g. 伤者经抢救无效死亡.
    #[serde(default)]
    pub reason: String,
    pub version: i32,
}

/// 续报: change the casualty counts after the first report, within the revision window of the
/// accident's type; records a revision row, recomputes the grade.
pub async fn revise(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &RevisionInput,
) -> AppResult<Accident> {
    use accident::Column;
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    let now = state.now();
    if !model::may_revise(before.occurred_at, now, &before.type_label) {
        let days = model::revision_window(&before.type_label).num_days();
        return Err(AppError::conflict(
            "revision_too_late",
            format!(
                "已超过续报期限：{}事故自发生起 {days} 天内续报伤亡变化，本事故发生于 {}",
                before.type_label, before.occurred_local
            ),
        ));
    }
    let mut errors = FieldErrors::new();
    let typed = TypedCounts::parse(
        &mut errors,
        &input.deaths,
        &input.missing,
        &input.serious_injuries,
        &input.minor_injuries,
    );
    let reason = input.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 500 {
        errors.insert("reason".into(), "请填写续报原因（不超过 500 个字）".into());
    }
    let old = before.counts();
    let new = typed.over(old);
    if errors.is_empty() && new == old {
        errors.insert("deaths".into(), "伤亡人数没有变化".into());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let grade = model::grade(new.casualties(before.direct_loss_fen));
    let txn = state.db.begin().await?;
    platform::db::versioned_update(
        &txn,
        accident::Entity::update_many()
            .col_expr(Column::Deaths, Expr::value(new.deaths))
            .col_expr(Column::Missing, Expr::value(new.missing))
            .col_expr(Column::SeriousInjuries, Expr::value(new.serious_injuries))
            .col_expr(Column::MinorInjuries, Expr::value(new.minor_injuries))
            .col_expr(Column::Grade, Expr::value(grade.code())),
        id,
        input.version,
        actor.user_id,
        now,
    )
    .await?;
    revision::ActiveModel {
        id: Set(Uuid::now_v7()),
        accident_id: Set(id),
        region_code: Set(before.region_code.clone()),
        revised_at: Set(now),
        revised_by: Set(Some(actor.user_id)),
        revised_by_name: Set(actor.display_name.clone()),
        deaths_before: Set(old.deaths),
        deaths_after: Set(new.deaths),
        missing_before: Set(old.missing),
        missing_after: Set(new.missing),
        serious_before: Set(old.serious_injuries),
        serious_after: Set(new.serious_injuries),
        minor_before: Set(old.minor_injuries),
        minor_after: Set(new.minor_injuries),
        reason: Set(reason.clone()),
    }
    .insert(&txn)
    .await?;
    let after = get(&txn, &actor.scope(), id).await?;
    let entry = Entry::new("accident.revise", ENTITY, id, &after.region_code)
        .summary(format!(
            "事故 {} 续报：{} → {}（{reason}）",
            after.number,
            old.text(),
            new.text()
        ))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// 开始调查.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct InvestigationInput {
    /// 牵头单位
    #[serde(default)]
    pub lead: String,
    /// YYYY-MM-DD
    #[serde(default)]
    pub started_on: String,
    pub version: i32,
}

/// 批复调查报告.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ApprovalInput {
    /// YYYY-MM-DD, on or after the start of the investigation.
    #[serde(default)]
    pub approved_on: String,
    pub version: i32,
}

/// 公开调查结果.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct PublicationInput {
    /// YYYY-MM-DD, on or after approval.
    #[serde(default)]
    pub published_on: String,
    /// 公开渠道, e.g. 县政府门户网站.
    #[serde(default)]
    pub channel: String,
    pub version: i32,
}

fn required_date(field: &str, text: &str) -> AppResult<NaiveDate> {
    parse_date(text).ok_or_else(|| AppError::field(field, "请填写日期，格式如 2026-06-01"))
}

/// A refusal from the rules, as the client should see it; `date_field` is the step's own date.
fn refused(err: TransitionError, date_field: &str) -> AppError {
    let field = match err {
        TransitionError::LeadRequired => Some("lead"),
        TransitionError::StartBeforeOccurrence => Some("started_on"),
        TransitionError::ApprovedBeforeStart => Some("approved_on"),
        TransitionError::PublishedBeforeApproval => Some("published_on"),
        TransitionError::ChannelRequired => Some("channel"),
        TransitionError::InTheFuture => Some(date_field),
        TransitionError::NotAllowed { .. }
        | TransitionError::StartDateRequired
        | TransitionError::ApprovalRequired => None,
    };
    match field {
        Some(f) => AppError::field(f, err.to_string()),
        None => AppError::conflict("transition_refused", err.to_string()),
    }
}

/// Write a transition: the new state and its fields, optimistic lock, audit row.
async fn apply(
    state: &AppState,
    actor: &Actor,
    before: &Accident,
    version: i32,
    changes: sea_orm::UpdateMany<accident::Entity>,
    action: &str,
    summary: String,
) -> AppResult<Accident> {
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::versioned_update(&txn, changes, before.id, version, actor.user_id, now).await?;
    let after = get(&txn, &actor.scope(), before.id).await?;
    let entry = Entry::new(action, ENTITY, before.id, &after.region_code)
        .summary(summary)
        .before(before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// 开始调查: 已报告 → 调查中.
pub async fn start_investigation(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &InvestigationInput,
) -> AppResult<Accident> {
    use accident::Column;
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    let started_on = required_date("started_on", &input.started_on)?;
    let lead = input.lead.trim();
    if lead.chars().count() > 100 {
        return Err(AppError::field("lead", "牵头单位不超过 100 个字"));
    }
    let to = model::start_investigation(
        before.state,
        local_day(before.occurred_at),
        lead,
        started_on,
        today(state),
    )
    .map_err(|e| refused(e, "started_on"))?;
    let changes = accident::Entity::update_many()
        .col_expr(Column::State, Expr::value(to.code()))
        .col_expr(
            Column::InvestigationLead,
            Expr::value(Some(lead.to_string())),
        )
        .col_expr(
            Column::InvestigationStartedOn,
            Expr::value(Some(started_on)),
        );
    let summary = format!(
        "事故 {} 开始调查，牵头单位 {lead}，{started_on} 起",
        before.number
    );
    apply(
        state,
        actor,
        &before,
        input.version,
        changes,
        "accident.investigate",
        summary,
    )
    .await
}

/// 批复: 调查中 → 已批复.
pub async fn approve(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &ApprovalInput,
) -> AppResult<Accident> {
    use accident::Column;
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    let approved_on = required_date("approved_on", &input.approved_on)?;
    let to = model::approve(
        before.state,
        before.investigation_started_on,
        approved_on,
        today(state),
    )
    .map_err(|e| refused(e, "approved_on"))?;
    let changes = accident::Entity::update_many()
        .col_expr(Column::State, Expr::value(to.code()))
        .col_expr(Column::ApprovedOn, Expr::value(Some(approved_on)));
    let summary = format!("事故 {} 调查报告于 {approved_on} 批复", before.number);
    apply(
        state,
        actor,
        &before,
        input.version,
        changes,
        "accident.approve",
        summary,
    )
    .await
}

/// 公开: 已批复 → 已公开.
pub async fn publish(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &PublicationInput,
) -> AppResult<Accident> {
    use accident::Column;
    actor.require(perm::SAFETY_EDIT)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    let published_on = required_date("published_on", &input.published_on)?;
    let channel = input.channel.trim();
    if channel.chars().count() > 100 {
        return Err(AppError::field("channel", "公开渠道不超过 100 个字"));
    }
    let to = model::publish(
        before.state,
        before.approved_on,
        published_on,
        channel,
        today(state),
    )
    .map_err(|e| refused(e, "published_on"))?;
    let changes = accident::Entity::update_many()
        .col_expr(Column::State, Expr::value(to.code()))
        .col_expr(Column::PublishedOn, Expr::value(Some(published_on)))
        .col_expr(
            Column::PublicationChannel,
            Expr::value(Some(channel.to_string())),
        );
    let summary = format!(
        "事故 {} 调查结果于 {published_on} 通过{channel}公开",
        before.number
    );
    apply(
        state,
        actor,
        &before,
        input.version,
        changes,
        "accident.publish",
        summary,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_are_china_time() {
        let at = parse_time("2026-06-01T09:00").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-06-01T01:00:00+00:00");
        assert_eq!(
            parse_time("2026-06-01 09:00:30").unwrap().timestamp() - at.timestamp(),
            30
        );
        assert_eq!(parse_time("2026-06-01T09:00:00+08:00"), Some(at));
        assert_eq!(local_input(at), "2026-06-01T09:00");
        assert_eq!(parse_time("昨天"), None);
        let day = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        assert_eq!(
            local_midnight(day).to_rfc3339(),
            "2026-05-31T16:00:00+00:00"
        );
    }

    #[test]
    fn loss_in_wan() {
        assert_eq!(fen_as_wan(0), "0.00");
        assert_eq!(fen_as_wan(1_000 * 1_000_000), "1000.00");
        assert_eq!(fen_as_wan(12_345_678), "12.35");
    }

    #[test]
    fn list_links_narrow_to_a_township() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(
            list_href(d(1, 1), d(11, 28), None),
            "/safety/accidents?from=2026-01-01&to=2026-11-28"
        );
        assert_eq!(
            list_href(d(1, 1), d(6, 30), Some("510722000000")),
            "/safety/accidents?from=2026-01-01&to=2026-06-30"
        );
        assert_eq!(
            list_href(d(1, 1), d(6, 30), Some("510722101201")),
            "/safety/accidents?from=2026-01-01&to=2026-06-30&township=510722101000"
        );
    }
}
