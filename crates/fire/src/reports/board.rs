//! The day's board: townships × report slots (已报/零报告/迟报/未报/待报) with counts, scoped to
//! the reader (a township's staff see their own row), and the home page's work items.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use platform::access::{Actor, perm};
use platform::calls::{self, CallRow, model::wave};
use platform::clock::format_local;
use platform::error::AppResult;
use platform::regions::model::{Level, township_of};
use platform::web::AppState;
use serde::Serialize;
use uuid::Uuid;

use super::entity::slot::Model as Slot;
use super::model::{self, CellFacts, Filing, Schedule, cell};
use super::{schedule, slots};
use crate::access::{county_of, require_reader};

/// One column: a report time of the day, opened or not.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Column {
    pub time: String,
    pub name: String,
    /// The slot, once opened.
    pub slot_id: Option<Uuid>,
    pub due_at: DateTime<Utc>,
}

/// One township's slot.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Cell {
    /// upcoming | waiting | reported | zero | late | missing | not_opened | no_contact
    pub status: &'static str,
    pub label: &'static str,
    pub filed_by: Option<String>,
    pub filed_at: Option<DateTime<Utc>>,
    pub zero: bool,
    pub situation: Option<String>,
    /// Escalated to the township head or the county (nobody filed within the chase).
    pub escalated: bool,
}

impl Cell {
    pub fn tone(&self) -> &'static str {
        cell::tone(self.status)
    }

    pub fn filed_local(&self) -> String {
        self.filed_at
            .map(|at| format_local(at)[11..].to_string())
            .unwrap_or_default()
    }
}

/// One township's row.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Row {
    pub region_code: String,
    pub name: String,
    pub cells: Vec<Cell>,
}

/// The day's counts over every cell.
#[derive(Clone, Copy, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Totals {
    /// Filed (zero and late ones included).
    pub reported: usize,
    pub zero: usize,
    pub late: usize,
    pub missing: usize,
    /// Not yet due, or within the grace period.
    pub waiting: usize,
    /// Townships with at least one missing report.
    pub townships_missing: usize,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Board {
    pub day: NaiveDate,
    pub in_season: bool,
    pub schedule: Schedule,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub totals: Totals,
}

impl Board {
    /// Whether the page refreshes itself: today's board in the season.
    pub fn live(&self, today: NaiveDate) -> bool {
        self.day == today && self.in_season
    }
}

/// The first-wave calls of a township in a slot.
fn calls_of<'a>(calls: &'a [CallRow], township: &str) -> Vec<&'a CallRow> {
    calls
        .iter()
        .filter(|c| c.wave == wave::RECIPIENT && township_of(&c.region_code) == township)
        .collect()
}

fn cell_of(
    slot: Option<&Slot>,
    due: DateTime<Utc>,
    calls: &[CallRow],
    township: &str,
    now: DateTime<Utc>,
) -> Cell {
    let mine = calls_of(calls, township);
    let first = mine
        .iter()
        .filter(|c| c.confirmed_at.is_some())
        .min_by_key(|c| c.confirmed_at);
    let filing: Option<Filing> = first
        .and_then(|c| c.answer.clone())
        .and_then(|a| serde_json::from_value(a).ok());
    let filed = match (first.and_then(|c| c.confirmed_at), &filing) {
        (Some(at), Some(f)) => Some((at, f)),
        _ => None,
    };
    let facts = CellFacts {
        opened: slot.is_some(),
        asked: !mine.is_empty(),
        due,
        late_after: slot.map_or(due, |s| s.late_after),
        filed,
    };
    let status = model::cell_status(&facts, now);
    Cell {
        status,
        label: cell::label(status),
        filed_by: first.map(|c| c.name.clone()),
        filed_at: first.and_then(|c| c.confirmed_at),
        zero: filing.as_ref().is_some_and(|f| f.zero),
        situation: filing.and_then(|f| f.situation),
        escalated: mine.iter().any(|c| c.escalated_at.is_some()),
    }
}

fn totals_of(rows: &[Row]) -> Totals {
    let mut t = Totals::default();
    for r in rows {
        for c in &r.cells {
            match c.status {
                cell::REPORTED => t.reported += 1,
                cell::ZERO => {
                    t.reported += 1;
                    t.zero += 1
                }
                cell::LATE => {
                    t.reported += 1;
                    t.late += 1
                }
                cell::MISSING => t.missing += 1,
                cell::UPCOMING | cell::WAITING => t.waiting += 1,
                _ => {}
            }
        }
        if r.cells.iter().any(|c| c.status == cell::MISSING) {
            t.townships_missing += 1;
        }
    }
    t
}

/// The board of a day for the actor: the county's townships inside their scope.
pub async fn board(state: &AppState, actor: &Actor, day: NaiveDate) -> AppResult<Board> {
    let county = require_reader(actor)?;
    let now = state.now();
    let schedule = schedule::of_county(&state.db, &county).await?;
    let opened = slots::of_day(&state.db, &county, day).await?;
    let ids: Vec<Uuid> = opened.iter().map(|s| s.id).collect();
    let scope = actor.scope();
    let all = calls::of_subjects(&state.db, &ids).await?;
    let mut calls_by_slot: HashMap<Uuid, Vec<CallRow>> = HashMap::new();
    for c in all.into_iter().filter(|c| scope.contains(&c.region_code)) {
        calls_by_slot.entry(c.subject_id).or_default().push(c);
    }
    // The schedule's times, and any slot opened under an earlier schedule.
    let mut columns: Vec<Column> = schedule
        .slots
        .iter()
        .map(|s| Column {
            time: s.time.clone(),
            name: s.name.clone(),
            slot_id: None,
            due_at: model::local_instant(day, s.at()),
        })
        .collect();
    for s in &opened {
        match columns.iter_mut().find(|c| c.time == s.slot_time) {
            Some(c) => c.slot_id = Some(s.id),
            None => columns.push(Column {
                time: s.slot_time.clone(),
                name: s.slot_name.clone(),
                slot_id: Some(s.id),
                due_at: s.due_at,
            }),
        }
    }
    columns.sort_by(|a, b| a.time.cmp(&b.time));
    let townships = platform::regions::store::list_level(&state.db, &scope, Level::Township)
        .await?
        .into_iter()
        .filter(|t| county_of(&t.code) == county);
    let no_calls = Vec::new();
    let rows: Vec<Row> = townships
        .map(|t| Row {
            cells: columns
                .iter()
                .map(|col| {
                    let slot = col
                        .slot_id
                        .and_then(|id| opened.iter().find(|s| s.id == id));
                    let calls = col
                        .slot_id
                        .and_then(|id| calls_by_slot.get(&id))
                        .unwrap_or(&no_calls);
                    cell_of(slot, col.due_at, calls, &t.code, now)
                })
                .collect(),
            region_code: t.code,
            name: t.short_name,
        })
        .collect();
    Ok(Board {
        day,
        in_season: slots::in_season(&state.db, &county, day).await?,
        totals: totals_of(&rows),
        schedule,
        columns,
        rows,
    })
}

/// The XLSX of a day's board: one line per township and slot.
pub fn export_rows(b: &Board) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for r in &b.rows {
        for (col, c) in b.columns.iter().zip(&r.cells) {
            out.push(vec![
                r.name.clone(),
                format!("{} {}", col.time, col.name),
                c.label.to_string(),
                c.filed_by.clone().unwrap_or_default(),
                c.filed_at.map(format_local).unwrap_or_default(),
                if c.zero {
                    "零报告（今日无火情）".to_string()
                } else {
                    c.situation.clone().unwrap_or_default()
                },
                if c.escalated { "已升级督促" } else { "" }.to_string(),
            ]);
        }
    }
    out
}

pub const EXPORT_HEADERS: [&str; 7] = [
    "乡镇",
    "时段",
    "状态",
    "报送人",
    "报送时间",
    "报告内容",
    "督促",
];

/// Home page items: a slot waiting for this person's report (its link is the page); for the
/// county's readers, how many townships have not reported today.
pub async fn work_items(
    state: &AppState,
    actor: &Actor,
) -> AppResult<Vec<platform::home::WorkItem>> {
    let mut items = Vec::new();
    if !actor.can(perm::FIRE_VIEW) {
        return Ok(items);
    }
    let now = state.now();
    // County-level readers: a township's staff see their own calls below.
    if actor.scope().prefix().len() == 6 {
        let b = board(state, actor, model::local_day(now)).await?;
        if b.totals.townships_missing > 0 {
            items.push(platform::home::WorkItem {
                title: format!("今日防火报告：{} 个乡镇未报", b.totals.townships_missing),
                detail: format!(
                    "已报 {} 次（零报告 {}，迟报 {}）",
                    b.totals.reported, b.totals.zero, b.totals.late
                ),
                href: "/fire/reports".to_string(),
                urgent: true,
            });
        }
    }
    for c in calls::waiting_for(&state.db, slots::KIND, actor.user_id).await? {
        let slot = match slots::find(&state.db, c.subject_id).await {
            Ok(s) if now < s.closes_at => s,
            _ => continue,
        };
        items.push(platform::home::WorkItem {
            title: match &c.about {
                Some(about) => format!("{about} 未报送防火报告，请督促"),
                None => "防火报告等待您报送".to_string(),
            },
            detail: format!(
                "{} {}，请于 {} 前报送",
                slot.slot_time,
                slot.slot_name,
                format_local(slot.late_after)
            ),
            href: format!("/fire/reports/file/{}", c.token),
            urgent: now > slot.late_after,
        });
    }
    Ok(items)
}
