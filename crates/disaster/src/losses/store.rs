//! Loss reports: queries and changes, scoped and audited.
//! - A report belongs to a process of the county; it holds one entry per affected township.
//! - A township's editors enter their own township's figures (draft → 已报送); a village
//!   enters none; county writers may enter for any township, return one with a reason (退回),
//!   mark one 零报告, approve the report when every township has submitted, and mark it
//!   上报 (the time is kept; after the deadline it is late).
//! - After approval figures change only through a correction by the county (订正说明 required,
//!   before and after audited).
//! - County totals are always computed from the townships' rows.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use platform::access::Actor;
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::web::AppState;
use platform::web::form::optional;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{entry, house, person, report, value};
use super::indicators;
use super::model::{self, Figures, Stage};
use crate::access::{Level, is_county_writer, level, require_county_writer, require_editor};
use crate::processes::entity::process;
use crate::processes::store::{self as processes, Process, split_codes};
use crate::relief::id_number;

pub const KIND_REPORT: &str = "disaster_report";
pub const KIND_ENTRY: &str = "disaster_entry";

pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("disaster.report.open", "新建灾情报告"),
    ("disaster.entry.save", "填报乡镇灾情"),
    ("disaster.entry.submit", "报送乡镇灾情"),
    ("disaster.entry.zero", "零报告"),
    ("disaster.entry.return", "退回乡镇灾情"),
    ("disaster.entry.correct", "订正已审核灾情"),
    ("disaster.report.approve", "审核灾情报告"),
    ("disaster.report.upward", "上报灾情报告"),
    ("disaster.ledger.person", "登记死亡失踪人员"),
    ("disaster.ledger.house", "登记倒损住房"),
    ("disaster.ledger.void", "作废台账记录"),
];

// ---------------------------------------------------------------------------------------------
// Views

/// A report as listed.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Report {
    pub id: Uuid,
    pub process_id: Uuid,
    pub process_name: String,
    pub stage: Stage,
    pub stage_label: String,
    pub seq: i32,
    /// 续报: figures to 24:00 of this day.
    pub figures_to: Option<NaiveDate>,
    pub due_at: DateTime<Utc>,
    pub status: String,
    pub status_label: String,
    pub approved_at: Option<DateTime<Utc>>,
    pub reported_at: Option<DateTime<Utc>>,
    /// Reported after its deadline, or not reported and the deadline passed.
    pub late: bool,
    pub timeliness: model::Timeliness,
    /// 10 or more dead and missing: 须直报省厅和应急管理部.
    pub direct_report: bool,
    pub townships_total: usize,
    pub townships_submitted: usize,
    pub ledger_note: Option<String>,
    pub version: i32,
}

impl Report {
    pub fn title(&self) -> String {
        match (self.stage, self.figures_to) {
            (Stage::Update, Some(d)) => format!("续报（截至{}24时）", d.format("%-m月%-d日")),
            _ => self.stage_label.clone(),
        }
    }
    pub fn due_local(&self) -> String {
        platform::clock::format_local(self.due_at)
    }
    pub fn reported_local(&self) -> String {
        self.reported_at
            .map(platform::clock::format_local)
            .unwrap_or_default()
    }
    pub fn is_open(&self) -> bool {
        self.status == model::REPORT_OPEN
    }
    pub fn is_approved(&self) -> bool {
        self.status == model::REPORT_APPROVED
    }
}

/// One township's part of a report.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TownshipEntry {
    pub id: Uuid,
    pub township: String,
    pub township_name: String,
    pub status: String,
    pub status_label: String,
    pub zero: bool,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Submitted after the report's deadline (or still not submitted past it).
    pub late: bool,
    pub return_reason: Option<String>,
    pub correction_reason: Option<String>,
    /// Indicator code → value as written (12.50 for hectares).
    pub values: BTreeMap<String, String>,
    #[serde(skip)]
    pub figures: Figures,
    pub version: i32,
}

impl TownshipEntry {
    pub fn submitted_local(&self) -> String {
        self.submitted_at
            .map(platform::clock::format_local)
            .unwrap_or_default()
    }
    pub fn is_submitted(&self) -> bool {
        self.status == model::ENTRY_SUBMITTED
    }
}

/// A dead or missing person of the 核报's ledger.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Person {
    pub id: Uuid,
    pub region_code: String,
    pub place: String,
    pub fate: String,
    pub name: String,
    pub sex: String,
    pub age: i32,
    pub day: NaiveDate,
    pub cause: String,
    pub id_number: Option<String>,
}

/// A household's damaged house of the 核报's ledger.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct House {
    pub id: Uuid,
    pub region_code: String,
    pub place: String,
    pub head: String,
    pub degree: String,
    pub degree_label: String,
    pub rooms: i32,
}

/// How a 核报's house counts compare with its ledger.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct LedgerCheck {
    /// (degree label, households in the figures, households in the ledger, rooms in the
    /// figures, rooms in the ledger).
    pub rows: Vec<(String, i64, i64, i64, i64)>,
    pub dead_figures: i64,
    pub dead_ledger: i64,
    pub missing_figures: i64,
    pub missing_ledger: i64,
    pub agrees: bool,
}

/// A report with its townships, the county totals and (核报) the ledgers.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReportDetail {
    pub report: Report,
    pub process: Process,
    pub entries: Vec<TownshipEntry>,
    /// County totals: the sum of the townships, as written.
    pub totals: BTreeMap<String, String>,
    #[serde(skip)]
    pub total_figures: Figures,
    pub direct_report_label: Option<String>,
    pub persons: Vec<Person>,
    pub houses: Vec<House>,
    pub ledger: Option<LedgerCheck>,
}

fn written(figures: &Figures) -> BTreeMap<String, String> {
    figures
        .iter()
        .filter_map(|(c, v)| indicators::find(c).map(|i| (c.clone(), i.format(*v))))
        .collect()
}

fn stage_of(m: &report::Model) -> Stage {
    Stage::parse(&m.stage).unwrap_or(Stage::Update)
}

// ---------------------------------------------------------------------------------------------
// Reading

async fn values_of(
    db: &impl ConnectionTrait,
    report_ids: &[Uuid],
) -> AppResult<HashMap<(Uuid, String), Figures>> {
    let rows = value::Entity::find()
        .filter(value::Column::ReportId.is_in(report_ids.to_vec()))
        .all(db)
        .await?;
    let mut out: HashMap<(Uuid, String), Figures> = HashMap::new();
    for r in rows {
        out.entry((r.report_id, r.township_code))
            .or_default()
            .insert(r.indicator, r.value);
    }
    Ok(out)
}

async fn entries_of(
    db: &impl ConnectionTrait,
    report_ids: &[Uuid],
) -> AppResult<Vec<entry::Model>> {
    Ok(entry::Entity::find()
        .filter(entry::Column::ReportId.is_in(report_ids.to_vec()))
        .filter(entry::Column::VoidedAt.is_null())
        .order_by_asc(entry::Column::RegionCode)
        .all(db)
        .await?)
}

fn summarize(
    m: &report::Model,
    process_name: &str,
    entries: &[&entry::Model],
    totals: &Figures,
    now: DateTime<Utc>,
) -> Report {
    let stage = stage_of(m);
    Report {
        id: m.id,
        process_id: m.process_id,
        process_name: process_name.to_string(),
        stage,
        stage_label: stage.label().to_string(),
        seq: m.seq,
        figures_to: m.figures_to,
        due_at: m.due_at,
        status: m.status.clone(),
        status_label: model::report_status_label(&m.status).to_string(),
        approved_at: m.approved_at,
        reported_at: m.reported_at,
        late: model::is_late(m.due_at, m.reported_at, now),
        timeliness: model::timeliness(m.due_at, m.reported_at, now),
        direct_report: model::needs_direct_report(totals),
        townships_total: entries.len(),
        townships_submitted: entries
            .iter()
            .filter(|e| e.status == model::ENTRY_SUBMITTED)
            .count(),
        ledger_note: m.ledger_note.clone(),
        version: m.version,
    }
}

/// Which reports to list.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ReportFilter {
    /// One process's reports.
    pub process: Option<Uuid>,
    /// First day (YYYY-MM-DD, UTC+8) the report may be due on.
    pub from: Option<String>,
    /// Last day the report may be due on.
    pub to: Option<String>,
    /// A township's 12-digit code: reports of processes that touched it.
    pub township: Option<String>,
    /// on_time | late | overdue | waiting.
    pub timeliness: Option<model::Timeliness>,
}

impl ReportFilter {
    /// The reports of one process.
    pub fn of_process(id: Uuid) -> Self {
        Self {
            process: Some(id),
            ..Self::default()
        }
    }

    fn admits(&self, r: &Report) -> bool {
        let day = platform::clock::local_day(r.due_at);
        let date = |text: &Option<String>| {
            optional(text)
                .as_deref()
                .and_then(platform::web::form::parse_date)
        };
        date(&self.from).is_none_or(|from| day >= from)
            && date(&self.to).is_none_or(|to| day <= to)
            && self.timeliness.is_none_or(|t| r.timeliness == t)
    }

    /// Whether anything besides the process narrows the list (the page says so).
    pub fn is_set(&self) -> bool {
        optional(&self.from).is_some()
            || optional(&self.to).is_some()
            || optional(&self.township).is_some()
            || self.timeliness.is_some()
    }
}

/// Reports of the processes the actor reads, latest first.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    filter: &ReportFilter,
) -> AppResult<Vec<Report>> {
    Ok(read_reports(state, actor, filter, false).await?.0)
}

/// The reports waiting for someone (open, or approved and not yet reported) with their
/// entries, without their figures: what the home page's work items need.
async fn waiting_reports(
    state: &AppState,
    actor: &Actor,
) -> AppResult<(Vec<Report>, Vec<entry::Model>)> {
    read_reports(state, actor, &ReportFilter::default(), true).await
}

/// The reports `filter` admits (only the waiting ones when `waiting`, whose figures are then
/// not read), and the entries of every report read.
async fn read_reports(
    state: &AppState,
    actor: &Actor,
    filter: &ReportFilter,
    waiting: bool,
) -> AppResult<(Vec<Report>, Vec<entry::Model>)> {
    let touching = processes::ProcessFilter {
        township: filter.township.clone(),
        ..Default::default()
    };
    let processes = processes::filtered(state, actor, &touching).await?;
    let names: HashMap<Uuid, String> = processes.iter().map(|p| (p.id, p.name.clone())).collect();
    let ids: Vec<Uuid> = processes
        .iter()
        .map(|p| p.id)
        .filter(|id| filter.process.is_none_or(|f| f == *id))
        .collect();
    if ids.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut query = report::Entity::find()
        .filter(report::Column::ProcessId.is_in(ids))
        .filter(report::Column::VoidedAt.is_null());
    if waiting {
        query = query
            .filter(report::Column::Status.is_in([model::REPORT_OPEN, model::REPORT_APPROVED]));
    }
    let rows = query
        .order_by_desc(report::Column::CreatedAt)
        .order_by_desc(report::Column::Seq)
        .all(&state.db)
        .await?;
    if rows.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let report_ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let entries = entries_of(&state.db, &report_ids).await?;
    let values = if waiting {
        HashMap::new()
    } else {
        values_of(&state.db, &report_ids).await?
    };
    let now = state.now();
    let reports = rows
        .iter()
        .map(|m| {
            let mine: Vec<&entry::Model> = entries.iter().filter(|e| e.report_id == m.id).collect();
            let totals = model::total(
                values
                    .iter()
                    .filter(|((r, _), _)| *r == m.id)
                    .map(|(_, f)| f),
            );
            summarize(
                m,
                names.get(&m.process_id).map(String::as_str).unwrap_or(""),
                &mine,
                &totals,
                now,
            )
        })
        .filter(|r| filter.admits(r))
        .collect();
    Ok((reports, entries))
}

async fn report_row(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> AppResult<(report::Model, process::Model)> {
    let county = crate::access::require_reader(actor)?;
    let m = report::Entity::find_by_id(id)
        .filter(report::Column::RegionCode.eq(county))
        .filter(report::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = processes::row(db, actor, m.process_id).await?;
    Ok((m, p))
}

/// A report with its townships (those in the actor's scope), totals and ledgers.
pub async fn get(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<ReportDetail> {
    let (m, p) = report_row(&state.db, actor, id).await?;
    detail(state, actor, m, p).await
}

async fn detail(
    state: &AppState,
    actor: &Actor,
    m: report::Model,
    p: process::Model,
) -> AppResult<ReportDetail> {
    let db = &state.db;
    let process = processes::to_processes(db, vec![p]).await?.remove(0);
    let names: HashMap<String, String> = process
        .townships
        .iter()
        .map(|t| (t.code.clone(), t.name.clone()))
        .collect();
    let all_entries = entries_of(db, &[m.id]).await?;
    let values = values_of(db, &[m.id]).await?;
    // A township sees its own row and its own sums; the county sees every township.
    let scope = actor.scope();
    let visible = |township: &str| scope.contains(township) || scope.contains(&m.region_code);
    let total_figures = model::total(
        values
            .iter()
            .filter(|((_, t), _)| visible(t))
            .map(|(_, f)| f),
    );
    let now = state.now();
    let refs: Vec<&entry::Model> = all_entries.iter().collect();
    let report = summarize(&m, &process.name, &refs, &total_figures, now);
    let entries = all_entries
        .iter()
        .filter(|e| visible(&e.region_code))
        .map(|e| {
            let figures = values
                .get(&(m.id, e.region_code.clone()))
                .cloned()
                .unwrap_or_default();
            TownshipEntry {
                id: e.id,
                township_name: names
                    .get(&e.region_code)
                    .cloned()
                    .unwrap_or_else(|| e.region_code.clone()),
                township: e.region_code.clone(),
                status: e.status.clone(),
                status_label: model::entry_status_label(&e.status, e.zero).to_string(),
                zero: e.zero,
                submitted_at: e.submitted_at,
                late: e.status != model::ENTRY_SUBMITTED && now > m.due_at
                    || e.submitted_at.is_some_and(|s| s > m.due_at),
                return_reason: e.return_reason.clone(),
                correction_reason: e.correction_reason.clone(),
                values: written(&figures),
                figures,
                version: e.version,
            }
        })
        .collect();
    let (persons, houses) = ledgers(db, m.id).await?;
    let ledger =
        (stage_of(&m) == Stage::Final).then(|| ledger_check(&total_figures, &persons, &houses));
    Ok(ReportDetail {
        direct_report_label: report
            .direct_report
            .then(|| model::DIRECT_LABEL.to_string()),
        totals: written(&total_figures),
        total_figures,
        report,
        process,
        entries,
        persons,
        houses,
        ledger,
    })
}

/// One township's entry of a report (its editors and county writers).
pub async fn get_entry(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    township: &str,
) -> AppResult<(ReportDetail, TownshipEntry)> {
    let d = get(state, actor, id).await?;
    let e = d
        .entries
        .iter()
        .find(|e| e.township == township)
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok((d, e))
}

/// The figures of a township in the latest approved report of the process before `seq`.
async fn previous_figures(
    db: &impl ConnectionTrait,
    process_id: Uuid,
    before_seq: i32,
    township: &str,
) -> AppResult<Figures> {
    let prev = report::Entity::find()
        .filter(report::Column::ProcessId.eq(process_id))
        .filter(report::Column::Seq.lt(before_seq))
        .filter(report::Column::Status.is_in([model::REPORT_APPROVED, model::REPORT_REPORTED]))
        .filter(report::Column::VoidedAt.is_null())
        .order_by_desc(report::Column::Seq)
        .one(db)
        .await?;
    let Some(prev) = prev else {
        return Ok(Figures::new());
    };
    Ok(values_of(db, &[prev.id])
        .await?
        .remove(&(prev.id, township.to_string()))
        .unwrap_or_default())
}

/// For statistics: the figures of a process by township — from its 核报 once approved,
/// otherwise from its latest approved (or reported) report; empty when none is approved.
pub async fn figures_by_township(
    db: &impl ConnectionTrait,
    county: &str,
    process_id: Uuid,
) -> AppResult<BTreeMap<String, Figures>> {
    let approved = report::Entity::find()
        .filter(report::Column::RegionCode.eq(county))
        .filter(report::Column::ProcessId.eq(process_id))
        .filter(report::Column::Status.is_in([model::REPORT_APPROVED, model::REPORT_REPORTED]))
        .filter(report::Column::VoidedAt.is_null())
        .order_by_desc(report::Column::Seq)
        .all(db)
        .await?;
    let chosen = approved
        .iter()
        .find(|r| r.stage == Stage::Final.code())
        .or(approved.first());
    let Some(chosen) = chosen else {
        return Ok(BTreeMap::new());
    };
    Ok(values_of(db, &[chosen.id])
        .await?
        .into_iter()
        .map(|((_, t), f)| (t, f))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Opening reports

/// Insert a report of a process with an entry per affected township (in a transaction).
pub(crate) async fn insert_report(
    db: &impl ConnectionTrait,
    actor: &Actor,
    now: DateTime<Utc>,
    p: &process::Model,
    stage: Stage,
    figures_to: Option<NaiveDate>,
) -> AppResult<report::Model> {
    let last = report::Entity::find()
        .filter(report::Column::ProcessId.eq(p.id))
        .order_by_desc(report::Column::Seq)
        .one(db)
        .await?;
    let due_at = match (stage, figures_to) {
        (Stage::Initial, _) => model::initial_due(p.started_at),
        (Stage::Update, Some(day)) => model::update_due(day),
        _ => model::final_due(p.ended_at.unwrap_or(now)),
    };
    let row = report::ActiveModel {
        process_id: Set(p.id),
        stage: Set(stage.code().to_string()),
        seq: Set(last.map(|l| l.seq + 1).unwrap_or(1)),
        figures_to: Set(figures_to),
        due_at: Set(due_at),
        status: Set(model::REPORT_OPEN.to_string()),
        approved_at: Set(None),
        approved_by: Set(None),
        reported_at: Set(None),
        ledger_note: Set(None),
        ..platform::db::new_record(
            Uuid::now_v7(),
            p.region_code.clone(),
            Some(actor.user_id),
            now,
        )
    }
    .insert(db)
    .await?;
    insert_entries(db, actor, now, &row, &split_codes(&p.townships)).await?;
    let summary = format!("{}：新建{}", p.name, stage.label());
    let entry = Entry::new("disaster.report.open", KIND_REPORT, row.id, &row.region_code)
        .summary(summary)
        .after(&serde_json::json!({"stage": row.stage, "figures_to": row.figures_to, "due_at": row.due_at}));
    audit::record(db, actor, now, entry).await?;
    Ok(row)
}

async fn insert_entries(
    db: &impl ConnectionTrait,
    actor: &Actor,
    now: DateTime<Utc>,
    r: &report::Model,
    townships: &[String],
) -> AppResult<()> {
    for t in townships {
        entry::ActiveModel {
            report_id: Set(r.id),
            status: Set(model::ENTRY_DRAFT.to_string()),
            zero: Set(false),
            submitted_at: Set(None),
            return_reason: Set(None),
            correction_reason: Set(None),
            ..platform::db::new_record(Uuid::now_v7(), t.clone(), Some(actor.user_id), now)
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Townships added to a process get entries in its reports still being entered.
pub(crate) async fn add_entries_to_open_reports(
    db: &impl ConnectionTrait,
    actor: &Actor,
    now: DateTime<Utc>,
    process_id: Uuid,
    townships: &[String],
) -> AppResult<()> {
    let open = report::Entity::find()
        .filter(report::Column::ProcessId.eq(process_id))
        .filter(report::Column::Status.eq(model::REPORT_OPEN))
        .all(db)
        .await?;
    for r in open {
        insert_entries(db, actor, now, &r, townships).await?;
    }
    Ok(())
}

/// A new 续报 or the 核报.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct OpenInput {
    /// update (续报) | final (核报).
    #[serde(default)]
    pub stage: String,
    /// 续报: figures to 24:00 of this day (YYYY-MM-DD); blank: the next one due (the day
    /// after the last 续报's, ten days for drought).
    #[serde(default)]
    pub figures_to: Option<String>,
}

/// 新建 a 续报 (while the process is open) or the 核报 (once).
pub async fn open_report(
    state: &AppState,
    actor: &Actor,
    process_id: Uuid,
    input: &OpenInput,
) -> AppResult<Report> {
    require_county_writer(actor)?;
    let p = processes::row(&state.db, actor, process_id).await?;
    let stage = match Stage::parse(&input.stage) {
        Some(s @ (Stage::Update | Stage::Final)) => s,
        _ => {
            return Err(AppError::field(
                "stage",
                "请选择续报或核报（初报随灾害过程自动建立）",
            ));
        }
    };
    let existing = report::Entity::find()
        .filter(report::Column::ProcessId.eq(p.id))
        .filter(report::Column::VoidedAt.is_null())
        .all(&state.db)
        .await?;
    if existing.iter().any(|r| r.stage == Stage::Final.code()) {
        return Err(AppError::conflict(
            "final_exists",
            "该灾害过程已有核报，不能再新建报告",
        ));
    }
    let now = state.now();
    let figures_to = match stage {
        Stage::Update => Some(update_day(&p, &existing, input, now)?),
        _ => None,
    };
    let txn = state.db.begin().await?;
    let row = insert_report(&txn, actor, now, &p, stage, figures_to).await?;
    txn.commit().await?;
    Ok(get(state, actor, row.id).await?.report)
}

fn update_day(
    p: &process::Model,
    existing: &[report::Model],
    input: &OpenInput,
    now: DateTime<Utc>,
) -> AppResult<NaiveDate> {
    if p.ended_at.is_some() {
        return Err(AppError::conflict(
            "process_closed",
            "该灾害过程已结束，不再续报；请新建核报",
        ));
    }
    let last = existing.iter().filter_map(|r| r.figures_to).max();
    let started = platform::clock::local_day(p.started_at);
    let day = match optional(&input.figures_to) {
        Some(text) => platform::web::form::parse_date(&text)
            .ok_or_else(|| AppError::field("figures_to", "统计截止日期格式应为 2026-06-27"))?,
        None => model::next_update_day(&p.main_type, started, last),
    };
    if day < started || day > platform::clock::local_day(now) {
        return Err(AppError::field(
            "figures_to",
            "统计截止日期应在灾害开始之后、不晚于今天",
        ));
    }
    if existing.iter().any(|r| r.figures_to == Some(day)) {
        return Err(AppError::field(
            "figures_to",
            format!("截至{day}的续报已经建立"),
        ));
    }
    if let Some(last) = last {
        let interval = model::update_interval(&p.main_type);
        if day < last + chrono::Duration::days(interval) {
            let message = if interval > 1 {
                format!(
                    "旱灾每 {interval} 天续报一次，下次统计截止日期不早于{}",
                    last + chrono::Duration::days(interval)
                )
            } else {
                format!("统计截止日期应晚于上次续报的{last}")
            };
            return Err(AppError::field("figures_to", message));
        }
    }
    Ok(day)
}

// ---------------------------------------------------------------------------------------------
// Township entries

/// Figures as typed: indicator code → text; with a reason when a cumulative figure falls or
/// approved figures are corrected.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct EntryInput {
    /// Indicator code → value ("12.5"); blank or absent is zero.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// 订正说明.
    #[serde(default)]
    pub correction_reason: Option<String>,
    /// Submit to the county (已报送) after saving.
    #[serde(default)]
    pub submit: bool,
    #[serde(default)]
    pub version: Option<i32>,
}

/// The entry row of a township, writable by the actor: the township's own editors or a
/// county writer; a village (or another township) may not.
async fn writable_entry(
    db: &impl ConnectionTrait,
    actor: &Actor,
    report_id: Uuid,
    township: &str,
) -> AppResult<(report::Model, process::Model, entry::Model)> {
    let lvl = require_editor(actor)?;
    if lvl == Level::Village {
        return Err(AppError::Forbidden);
    }
    let (r, p) = report_row(db, actor, report_id).await?;
    if !actor.scope().contains(township) {
        return Err(AppError::NotFound);
    }
    let e = entry::Entity::find()
        .filter(entry::Column::ReportId.eq(r.id))
        .filter(entry::Column::RegionCode.eq(township))
        .filter(entry::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((r, p, e))
}

async fn replace_values(
    db: &impl ConnectionTrait,
    report_id: Uuid,
    township: &str,
    figures: &Figures,
) -> AppResult<()> {
    value::Entity::delete_many()
        .filter(value::Column::ReportId.eq(report_id))
        .filter(value::Column::TownshipCode.eq(township))
        .exec(db)
        .await?;
    for (code, v) in figures.iter().filter(|(_, v)| **v != 0) {
        value::ActiveModel {
            id: Set(Uuid::now_v7()),
            report_id: Set(report_id),
            township_code: Set(township.to_string()),
            indicator: Set(code.clone()),
            value: Set(*v),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Check typed figures against the rules and the previous approved report.
async fn checked_figures(
    db: &impl ConnectionTrait,
    r: &report::Model,
    township: &str,
    input: &EntryInput,
) -> AppResult<(Figures, Option<String>)> {
    let mut errors = FieldErrors::new();
    let figures = model::parse_values(&input.values, &mut errors);
    model::check_consistency(&figures, &mut errors);
    let reason =
        optional(&input.correction_reason).map(|t| t.chars().take(500).collect::<String>());
    let previous = previous_figures(db, r.process_id, r.seq, township).await?;
    model::check_not_falling(&figures, &previous, reason.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok((figures, reason))
}

/// 填报 a township's figures (and 报送 with `submit`); after approval, a county correction.
pub async fn save_entry(
    state: &AppState,
    actor: &Actor,
    report_id: Uuid,
    township: &str,
    input: &EntryInput,
) -> AppResult<TownshipEntry> {
    let (r, p, e) = writable_entry(&state.db, actor, report_id, township).await?;
    let correcting = r.status != model::REPORT_OPEN;
    if correcting {
        if !is_county_writer(actor) {
            return Err(AppError::conflict(
                "report_approved",
                "该报告已经县级审核，如需更正请联系县应急管理局订正",
            ));
        }
        if optional(&input.correction_reason).is_none() {
            return Err(AppError::field(
                "correction_reason",
                "报告已审核，修改须填写订正说明",
            ));
        }
    } else if e.status == model::ENTRY_SUBMITTED && !is_county_writer(actor) {
        return Err(AppError::conflict(
            "entry_submitted",
            "本乡镇灾情已报送，如需修改请县里退回",
        ));
    }
    let (figures, reason) = checked_figures(&state.db, &r, township, input).await?;
    let version = input
        .version
        .ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重新填报"))?;
    let before = values_of(&state.db, &[r.id])
        .await?
        .remove(&(r.id, township.to_string()))
        .unwrap_or_default();
    let now = state.now();
    let submit = input.submit && !correcting;
    let status = if submit {
        model::ENTRY_SUBMITTED
    } else if correcting {
        e.status.as_str()
    } else {
        model::ENTRY_DRAFT
    };
    let txn = state.db.begin().await?;
    let mut changes = entry::Entity::update_many()
        .col_expr(entry::Column::Status, Expr::value(status))
        .col_expr(entry::Column::Zero, Expr::value(false))
        .col_expr(entry::Column::CorrectionReason, Expr::value(reason.clone()));
    if submit {
        changes = changes.col_expr(entry::Column::SubmittedAt, Expr::value(Some(now)));
    }
    platform::db::versioned_update(&txn, changes, e.id, version, actor.user_id, now).await?;
    replace_values(&txn, r.id, township, &figures).await?;
    let action = match (correcting, submit) {
        (true, _) => "disaster.entry.correct",
        (false, true) => "disaster.entry.submit",
        (false, false) => "disaster.entry.save",
    };
    let entry = Entry::new(action, KIND_ENTRY, e.id, township)
        .summary(format!("{}{}：{}", p.name, stage_of(&r).label(), audit::action_label(action)))
        .before(&serde_json::json!({"values": written(&before), "status": e.status}))
        .after(&serde_json::json!({"values": written(&figures), "status": status, "correction_reason": reason}));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(get_entry(state, actor, report_id, township).await?.1)
}

/// 零报告: nothing new since the last approved report — its figures are carried and the
/// entry counts as submitted. For 续报 only.
pub async fn zero_entry(
    state: &AppState,
    actor: &Actor,
    report_id: Uuid,
    township: &str,
) -> AppResult<TownshipEntry> {
    let (r, p, e) = writable_entry(&state.db, actor, report_id, township).await?;
    if stage_of(&r) != Stage::Update {
        return Err(AppError::conflict("zero_not_update", "只有续报可以零报告"));
    }
    if r.status != model::REPORT_OPEN {
        return Err(AppError::conflict("report_approved", "该报告已经县级审核"));
    }
    if e.status == model::ENTRY_SUBMITTED {
        return Err(AppError::conflict("entry_submitted", "本乡镇灾情已报送"));
    }
    let figures = previous_figures(&state.db, r.process_id, r.seq, township).await?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let changes = entry::Entity::update_many()
        .col_expr(entry::Column::Status, Expr::value(model::ENTRY_SUBMITTED))
        .col_expr(entry::Column::Zero, Expr::value(true))
        .col_expr(entry::Column::SubmittedAt, Expr::value(Some(now)));
    platform::db::versioned_update(&txn, changes, e.id, e.version, actor.user_id, now).await?;
    replace_values(&txn, r.id, township, &figures).await?;
    let entry = Entry::new("disaster.entry.zero", KIND_ENTRY, e.id, township)
        .summary(format!("{}续报：零报告", p.name))
        .after(&serde_json::json!({"values": written(&figures)}));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(get_entry(state, actor, report_id, township).await?.1)
}

/// A reason, for returning.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ReasonInput {
    #[serde(default)]
    pub reason: String,
}

/// 退回 a township's submitted figures with a reason (county).
pub async fn return_entry(
    state: &AppState,
    actor: &Actor,
    report_id: Uuid,
    township: &str,
    reason: &str,
) -> AppResult<TownshipEntry> {
    require_county_writer(actor)?;
    let (r, p, e) = writable_entry(&state.db, actor, report_id, township).await?;
    let reason: String = reason.trim().chars().take(500).collect();
    if reason.is_empty() {
        return Err(AppError::field("reason", "请填写退回原因"));
    }
    if r.status != model::REPORT_OPEN {
        return Err(AppError::conflict(
            "report_approved",
            "该报告已经审核，请用订正修改数据",
        ));
    }
    if e.status != model::ENTRY_SUBMITTED {
        return Err(AppError::conflict(
            "entry_not_submitted",
            "该乡镇尚未报送，无需退回",
        ));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    let changes = entry::Entity::update_many()
        .col_expr(entry::Column::Status, Expr::value(model::ENTRY_RETURNED))
        .col_expr(
            entry::Column::ReturnReason,
            Expr::value(Some(reason.clone())),
        );
    platform::db::versioned_update(&txn, changes, e.id, e.version, actor.user_id, now).await?;
    let entry = Entry::new("disaster.entry.return", KIND_ENTRY, e.id, township).summary(format!(
        "{}{}：退回（{reason}）",
        p.name,
        stage_of(&r).label()
    ));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(get_entry(state, actor, report_id, township).await?.1)
}

// ---------------------------------------------------------------------------------------------
// County approval and reporting upward

/// Approval: for a 核报 whose house or casualty counts differ from its ledger, the note
/// that explains why.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ApproveInput {
    #[serde(default)]
    pub ledger_note: Option<String>,
    #[serde(default)]
    pub version: Option<i32>,
}

/// 审核 a report: every township submitted (or 零报告).
pub async fn approve(
    state: &AppState,
    actor: &Actor,
    report_id: Uuid,
    input: &ApproveInput,
) -> AppResult<Report> {
    require_county_writer(actor)?;
    let d = get(state, actor, report_id).await?;
    if !d.report.is_open() {
        return Err(AppError::conflict("report_approved", "该报告已经审核"));
    }
    let waiting: Vec<&str> = d
        .entries
        .iter()
        .filter(|e| !e.is_submitted())
        .map(|e| e.township_name.as_str())
        .collect();
    if !waiting.is_empty() {
        return Err(AppError::conflict(
            "townships_waiting",
            format!(
                "以下乡镇尚未报送：{}（无新增的可标记零报告）",
                waiting.join("、")
            ),
        ));
    }
    let note = optional(&input.ledger_note).map(|n| n.chars().take(1000).collect::<String>());
    if d.ledger.as_ref().is_some_and(|l| !l.agrees) && note.is_none() {
        return Err(AppError::field(
            "ledger_note",
            "核报的倒损房屋户数、间数或死亡失踪人数与台账不一致，请说明差异原因",
        ));
    }
    let now = state.now();
    let version = input.version.unwrap_or(d.report.version);
    let txn = state.db.begin().await?;
    let changes = report::Entity::update_many()
        .col_expr(report::Column::Status, Expr::value(model::REPORT_APPROVED))
        .col_expr(report::Column::ApprovedAt, Expr::value(Some(now)))
        .col_expr(report::Column::ApprovedBy, Expr::value(Some(actor.user_id)))
        .col_expr(report::Column::LedgerNote, Expr::value(note.clone()));
    platform::db::versioned_update(&txn, changes, report_id, version, actor.user_id, now).await?;
    let entry = Entry::new(
        "disaster.report.approve",
        KIND_REPORT,
        report_id,
        &d.process.county,
    )
    .summary(format!(
        "{}{}：县级审核通过",
        d.process.name, d.report.stage_label
    ))
    .after(&serde_json::json!({"totals": d.totals, "ledger_note": note}));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(get(state, actor, report_id).await?.report)
}

/// 上报: the approved report was sent upward now; after its deadline it stays flagged late.
pub async fn report_upward(state: &AppState, actor: &Actor, report_id: Uuid) -> AppResult<Report> {
    require_county_writer(actor)?;
    let d = get(state, actor, report_id).await?;
    if !d.report.is_approved() {
        return Err(AppError::conflict(
            "report_not_approved",
            "报告须先经县级审核才能上报",
        ));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    let changes = report::Entity::update_many()
        .col_expr(report::Column::Status, Expr::value(model::REPORT_REPORTED))
        .col_expr(report::Column::ReportedAt, Expr::value(Some(now)));
    platform::db::versioned_update(
        &txn,
        changes,
        report_id,
        d.report.version,
        actor.user_id,
        now,
    )
    .await?;
    let late = model::is_late(d.report.due_at, Some(now), now);
    let entry = Entry::new(
        "disaster.report.upward",
        KIND_REPORT,
        report_id,
        &d.process.county,
    )
    .summary(format!(
        "{}{}：上报{}",
        d.process.name,
        d.report.stage_label,
        if late { "（迟报）" } else { "" }
    ));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(get(state, actor, report_id).await?.report)
}

// ---------------------------------------------------------------------------------------------
// 核报 ledgers

pub const DEGREES: [(&str, &str, &str, &str); 3] = [
    (
        "collapsed",
        "倒塌",
        "collapsed_households",
        "collapsed_rooms",
    ),
    ("severe", "严重损坏", "severe_households", "severe_rooms"),
    ("general", "一般损坏", "general_households", "general_rooms"),
];

pub fn degree_label(code: &str) -> &'static str {
    DEGREES
        .iter()
        .find(|d| d.0 == code)
        .map(|d| d.1)
        .unwrap_or("未知")
}

async fn ledgers(
    db: &impl ConnectionTrait,
    report_id: Uuid,
) -> AppResult<(Vec<Person>, Vec<House>)> {
    let persons = person::Entity::find()
        .filter(person::Column::ReportId.eq(report_id))
        .filter(person::Column::VoidedAt.is_null())
        .order_by_asc(person::Column::RegionCode)
        .all(db)
        .await?;
    let houses = house::Entity::find()
        .filter(house::Column::ReportId.eq(report_id))
        .filter(house::Column::VoidedAt.is_null())
        .order_by_asc(house::Column::RegionCode)
        .all(db)
        .await?;
    let names = platform::regions::store::short_names(
        db,
        persons
            .iter()
            .map(|p| p.region_code.clone())
            .chain(houses.iter().map(|h| h.region_code.clone())),
    )
    .await?;
    let place = |code: &str| names.get(code).cloned().unwrap_or_else(|| code.to_string());
    Ok((
        persons
            .into_iter()
            .map(|p| Person {
                id: p.id,
                place: place(&p.region_code),
                region_code: p.region_code,
                fate: p.fate,
                name: p.name,
                sex: p.sex,
                age: p.age,
                day: p.day,
                cause: p.cause,
                id_number: p.id_number,
            })
            .collect(),
        houses
            .into_iter()
            .map(|h| House {
                id: h.id,
                place: place(&h.region_code),
                region_code: h.region_code,
                head: h.head,
                degree_label: degree_label(&h.degree).to_string(),
                degree: h.degree,
                rooms: h.rooms,
            })
            .collect(),
    ))
}

fn ledger_check(totals: &Figures, persons: &[Person], houses: &[House]) -> LedgerCheck {
    let mut agrees = true;
    let rows = DEGREES
        .iter()
        .map(|(code, label, households, rooms)| {
            let mine: Vec<&House> = houses.iter().filter(|h| h.degree == *code).collect();
            let row = (
                label.to_string(),
                model::get(totals, households),
                mine.len() as i64,
                model::get(totals, rooms),
                mine.iter().map(|h| h.rooms as i64).sum(),
            );
            agrees &= row.1 == row.2 && row.3 == row.4;
            row
        })
        .collect();
    let count = |fate: &str| persons.iter().filter(|p| p.fate == fate).count() as i64;
    let (dead_ledger, missing_ledger) = (count("dead"), count("missing"));
    let (dead_figures, missing_figures) =
        (model::get(totals, "deaths"), model::get(totals, "missing"));
    agrees &= dead_ledger == dead_figures && missing_ledger == missing_figures;
    LedgerCheck {
        rows,
        dead_figures,
        dead_ledger,
        missing_figures,
        missing_ledger,
        agrees,
    }
}

/// A row of a 核报 ledger.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct LedgerInput {
    /// person | house
    #[serde(default)]
    pub kind: String,
    /// Village (or township) code.
    #[serde(default)]
    pub region_code: String,
    /// Person: name; house: the household head.
    #[serde(default)]
    pub name: String,
    /// Person: dead | missing.
    #[serde(default)]
    pub fate: Option<String>,
    #[serde(default)]
    pub sex: Option<String>,
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<i32>)]
    pub age: Option<String>,
    #[serde(default)]
    pub day: Option<String>,
    #[serde(default)]
    pub cause: Option<String>,
    #[serde(default)]
    pub id_number: Option<String>,
    /// House: collapsed | severe | general.
    #[serde(default)]
    pub degree: Option<String>,
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<i32>)]
    pub rooms: Option<String>,
}

/// 登记 a person or a house in the 核报's ledger (the township's editors or the county).
pub async fn add_ledger_row(
    state: &AppState,
    actor: &Actor,
    report_id: Uuid,
    input: &LedgerInput,
) -> AppResult<ReportDetail> {
    let lvl = require_editor(actor)?;
    if lvl == Level::Village || level(actor).is_none() {
        return Err(AppError::Forbidden);
    }
    let (r, p) = report_row(&state.db, actor, report_id).await?;
    if stage_of(&r) != Stage::Final {
        return Err(AppError::conflict("not_final", "台账只随核报登记"));
    }
    if r.status != model::REPORT_OPEN {
        return Err(AppError::conflict(
            "report_approved",
            "核报已审核，台账不能再改",
        ));
    }
    let mut errors = FieldErrors::new();
    let region = input.region_code.trim().to_string();
    let township = platform::regions::model::township_of(&region);
    let known = platform::regions::store::find(&state.db, &region)
        .await?
        .is_some();
    if !known || !actor.scope().contains(&region) || !split_codes(&p.townships).contains(&township)
    {
        errors.insert(
            "region_code".into(),
            "请选择受灾乡镇中本辖区的村（社区）".into(),
        );
    }
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 50 {
        errors.insert("name".into(), "请填写姓名（50 字以内）".into());
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    let (id, action, summary) = if input.kind == "house" {
        let degree = input.degree.clone().unwrap_or_default();
        if !DEGREES.iter().any(|d| d.0 == degree) {
            errors.insert("degree".into(), "请选择倒塌、严重损坏或一般损坏".into());
        }
        let rooms: i32 = input
            .rooms
            .as_deref()
            .and_then(|r| r.trim().parse().ok())
            .unwrap_or(0);
        if !(1..=100).contains(&rooms) {
            errors.insert("rooms".into(), "间数应为 1–100 的整数".into());
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let id = Uuid::now_v7();
        house::ActiveModel {
            report_id: Set(r.id),
            head: Set(name.clone()),
            degree: Set(degree.clone()),
            rooms: Set(rooms),
            ..platform::db::new_record(id, region.clone(), Some(actor.user_id), now)
        }
        .insert(&txn)
        .await?;
        (
            id,
            "disaster.ledger.house",
            format!(
                "倒损住房台账：{name}（{}，{rooms}间）",
                degree_label(&degree)
            ),
        )
    } else {
        let fate = input.fate.clone().unwrap_or_default();
        if fate != "dead" && fate != "missing" {
            errors.insert("fate".into(), "请选择死亡或失踪".into());
        }
        let sex = input.sex.clone().unwrap_or_default();
        if sex != "男" && sex != "女" {
            errors.insert("sex".into(), "性别应为男或女".into());
        }
        let age: i32 = input
            .age
            .as_deref()
            .and_then(|a| a.trim().parse().ok())
            .unwrap_or(-1);
        if !(0..=120).contains(&age) {
            errors.insert("age".into(), "年龄应为 0–120".into());
        }
        let day = platform::web::form::date_field(&mut errors, "day", &input.day);
        if day.is_none() && !errors.contains_key("day") {
            errors.insert("day".into(), "请填写死亡或失踪日期".into());
        }
        let cause = optional(&input.cause).unwrap_or_default();
        if cause.is_empty() {
            errors.insert("cause".into(), "请填写原因，如房屋倒塌、山洪冲走".into());
        }
        // Optional, but checked like every ID number we keep (GB 11643).
        let id_number = match optional(&input.id_number).map(|n| id_number::parse(&n)) {
            Some(Err(e)) => {
                errors.insert("id_number".into(), e.message());
                None
            }
            parsed => parsed.and_then(Result::ok),
        };
        let (Some(day), true) = (day, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let id = Uuid::now_v7();
        person::ActiveModel {
            report_id: Set(r.id),
            fate: Set(fate.clone()),
            name: Set(name.clone()),
            sex: Set(sex),
            age: Set(age),
            day: Set(day),
            cause: Set(cause.chars().take(200).collect()),
            id_number: Set(id_number),
            ..platform::db::new_record(id, region.clone(), Some(actor.user_id), now)
        }
        .insert(&txn)
        .await?;
        let fate_label = if fate == "dead" { "死亡" } else { "失踪" };
        (
            id,
            "disaster.ledger.person",
            format!("死亡失踪人员台账：{name}（{fate_label}）"),
        )
    };
    let entry = Entry::new(action, KIND_REPORT, id, &region).summary(summary);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    get(state, actor, report_id).await
}

// ---------------------------------------------------------------------------------------------
// Home-page work items

/// What waits for the actor: a township's figures to enter (returned ones first), the
/// county's reports to approve or to send upward; urgent once past the deadline.
pub async fn work_items(
    state: &AppState,
    actor: &Actor,
) -> AppResult<Vec<platform::home::WorkItem>> {
    use platform::home::WorkItem;
    if !actor.can(platform::access::perm::DISASTER_EDIT) {
        return Ok(Vec::new());
    }
    let lvl = level(actor);
    if !matches!(lvl, Some(Level::County | Level::Township)) {
        return Ok(Vec::new());
    }
    let (reports, entries) = waiting_reports(state, actor).await?;
    let now = state.now();
    let mut items = Vec::new();
    if lvl == Some(Level::County) {
        for r in &reports {
            let (title, ready) = match r.status.as_str() {
                model::REPORT_OPEN => {
                    ("灾情报告待审核", r.townships_submitted == r.townships_total)
                }
                model::REPORT_APPROVED => ("灾情报告待上报", true),
                _ => ("", false),
            };
            if ready {
                items.push(WorkItem {
                    title: format!("{title}：{}{}", r.process_name, r.title()),
                    detail: format!(
                        "时限 {}{}",
                        r.due_local(),
                        if r.late { "（已超时）" } else { "" }
                    ),
                    href: format!("/disaster/reports/{}", r.id),
                    urgent: r.late,
                });
            }
        }
        return Ok(items);
    }
    let open: Vec<&Report> = reports.iter().filter(|r| r.is_open()).collect();
    let scope = actor.scope();
    for e in entries {
        if !scope.contains(&e.region_code) || e.status == model::ENTRY_SUBMITTED {
            continue;
        }
        let Some(r) = open.iter().find(|r| r.id == e.report_id) else {
            continue;
        };
        let returned = e.status == model::ENTRY_RETURNED;
        items.push(WorkItem {
            title: format!(
                "{}：{}{}",
                if returned {
                    "灾情被退回"
                } else {
                    "灾情待填报"
                },
                r.process_name,
                r.title()
            ),
            detail: match (&e.return_reason, returned) {
                (Some(reason), true) => format!("退回原因：{reason}"),
                _ => format!(
                    "时限 {}{}",
                    r.due_local(),
                    if now > r.due_at {
                        "（已超时）"
                    } else {
                        ""
                    }
                ),
            },
            href: format!("/disaster/reports/{}/townships/{}", r.id, e.region_code),
            urgent: returned || now > r.due_at,
        });
    }
    Ok(items)
}

// ---------------------------------------------------------------------------------------------
// The daily 续报

/// The county's disaster staff as the job acts: audited as the system.
fn job_actor(county: &str) -> Actor {
    Actor {
        user_id: Uuid::nil(),
        username: "system".into(),
        display_name: "系统（定时任务）".into(),
        region_code: county.to_string(),
        region_name: String::new(),
        roles: vec![platform::access::Role::DisasterStaff],
        department_id: None,
        must_change_password: false,
        ip: None,
        csrf_token: None,
    }
}

/// One pass of the job: every open process whose next 续报 day has ended (yesterday or
/// before, China time; every ten days for drought) gets that 续报 opened for its townships.
pub async fn open_due_updates(state: &AppState) -> AppResult<String> {
    let yesterday = platform::clock::local_day(state.now()) - chrono::Duration::days(1);
    let open = process::Entity::find()
        .filter(process::Column::EndedAt.is_null())
        .filter(process::Column::VoidedAt.is_null())
        .all(&state.db)
        .await?;
    let mut opened = 0;
    for p in open {
        let existing = report::Entity::find()
            .filter(report::Column::ProcessId.eq(p.id))
            .filter(report::Column::VoidedAt.is_null())
            .all(&state.db)
            .await?;
        if existing.iter().any(|r| r.stage == Stage::Final.code()) {
            continue;
        }
        let last = existing.iter().filter_map(|r| r.figures_to).max();
        let started = platform::clock::local_day(p.started_at);
        let next = model::next_update_day(&p.main_type, started, last);
        if next > yesterday {
            continue;
        }
        let actor = job_actor(&p.region_code);
        let txn = state.db.begin().await?;
        insert_report(&txn, &actor, state.now(), &p, Stage::Update, Some(next)).await?;
        txn.commit().await?;
        opened += 1;
    }
    Ok(format!("新建续报 {opened} 份"))
}

/// 作废 a row of the 核报's ledgers entered by mistake (reason required), while the 核报 is
/// still being entered; by whoever may enter it (the township for its own villages).
pub async fn void_ledger_row(
    state: &AppState,
    actor: &Actor,
    report_id: Uuid,
    row_id: Uuid,
    reason: &str,
) -> AppResult<ReportDetail> {
    let lvl = require_editor(actor)?;
    if lvl == Level::Village {
        return Err(AppError::Forbidden);
    }
    let reason = platform::db::void_reason(reason)?;
    let (r, _) = report_row(&state.db, actor, report_id).await?;
    if r.status != model::REPORT_OPEN {
        return Err(AppError::conflict(
            "report_approved",
            "核报已审核，台账不能再改",
        ));
    }
    let scope = actor.scope();
    let house = house::Entity::find_by_id(row_id)
        .filter(house::Column::ReportId.eq(r.id))
        .filter(scope.condition(house::Column::RegionCode))
        .filter(house::Column::VoidedAt.is_null())
        .one(&state.db)
        .await?;
    let person = person::Entity::find_by_id(row_id)
        .filter(person::Column::ReportId.eq(r.id))
        .filter(scope.condition(person::Column::RegionCode))
        .filter(person::Column::VoidedAt.is_null())
        .one(&state.db)
        .await?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let (region, summary) = match (house, person) {
        (Some(h), _) => {
            platform::db::mark_voided::<house::Entity>(&txn, h.id, &reason, actor.user_id, now)
                .await?;
            (
                h.region_code,
                format!("作废倒损住房台账：{}（{reason}）", h.head),
            )
        }
        (None, Some(p)) => {
            platform::db::mark_voided::<person::Entity>(&txn, p.id, &reason, actor.user_id, now)
                .await?;
            (
                p.region_code,
                format!("作废死亡失踪人员台账：{}（{reason}）", p.name),
            )
        }
        (None, None) => return Err(AppError::NotFound),
    };
    let entry = Entry::new("disaster.ledger.void", KIND_REPORT, row_id, &region).summary(summary);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    get(state, actor, report_id).await
}
