//! 值班统计: for a period of days (default this year so far) — every duty period overlapping it
//! with its days in the range, the days fully covered (every shift of the day has its leader
//! and enough officers, by the rosters' own gap check) and the shifts with gaps; the shifts each
//! person stood as leader or officer; and the duty log by kind (entries, still open), each
//! count linking to the log list filtered the same way.
//!
//! The county's readers (`reads_all`) see the whole county. Below the county one sees only
//! one's own shifts, so the page shows just one's own shifts and the log entries of them — no
//! periods' coverage, which those few shifts would get wrong.

pub mod api;
pub mod pages;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use platform::access::{Actor, perm};
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::statistics::{count, derived, query};
use serde::Serialize;
use uuid::Uuid;

pub use platform::web::statistics::{Figure, Period, Section};

use crate::dispatch::model::{RateRow, Totals, percent, rates};
use crate::dispatch::store as dispatch;
use crate::logs::model::LogKind;
use crate::logs::store::{self as logs, LogFilter};
use crate::rosters::model::{PeriodKind, Post, local_day};
use crate::rosters::store::{self as rosters, PeriodFilter, Shift, reads_all};

const LOGS: &str = "/duty/logs";
const DISPATCH: &str = "/duty/dispatch";

/// One duty period in the range.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PeriodRow {
    pub id: Uuid,
    pub name: String,
    pub kind: PeriodKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub min_officers: i32,
    /// Days of the period inside the range.
    pub days: u32,
    /// Of those, days on which every shift has a leader and at least `min_officers` officers.
    pub covered_days: u32,
    /// Shifts in the range.
    pub shifts: u32,
    /// Shifts in the range missing a leader or short of officers.
    pub gap_shifts: u32,
    /// The period's calendar.
    pub href: String,
}

impl PeriodRow {
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
}

/// The shifts one person stood in the range.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PersonRow {
    pub user_id: Uuid,
    pub name: String,
    /// Shifts as 带班领导.
    pub leader: u32,
    /// Shifts as 值班员.
    pub officer: u32,
}

impl PersonRow {
    pub fn total(&self) -> u32 {
        self.leader + self.officer
    }
}

/// Log entries of one kind in the range (or of all kinds, for the total).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct LogRow {
    /// `None` for the total.
    pub kind: Option<LogKind>,
    pub label: &'static str,
    pub entries: u64,
    /// The log list showing these entries.
    pub href: String,
    /// Of them, still open (待办).
    pub open: u64,
    pub open_href: String,
}

/// Everything the page, the API and the export show.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Statistics {
    pub from: String,
    pub to: String,
    /// The whole county; false below it (own shifts and their log only, no periods).
    pub county_wide: bool,
    /// The headline figures, each linking to what it counts.
    pub sections: Vec<Section>,
    pub periods: Vec<PeriodRow>,
    /// Everyone who stood a shift in the range, most shifts first.
    pub people: Vec<PersonRow>,
    /// Log entries by kind (kinds with none left out), in the usual order.
    pub logs: Vec<LogRow>,
    pub logs_total: LogRow,
    /// 每日调度 in the range (county-wide only).
    pub dispatches: u32,
    /// Answer rates per township, then per department, the least answering first.
    pub dispatch_rates: Vec<RateRow>,
}

/// The figures of one period's shifts in the range: (days, covered days, gap shifts).
/// A day counts as covered when every one of its shifts is free of gaps (the rosters' check).
pub fn coverage(shifts: &[Shift]) -> (u32, u32, u32) {
    let mut days: BTreeMap<NaiveDate, bool> = BTreeMap::new();
    let mut gaps = 0;
    for s in shifts {
        let ok = days.entry(s.day).or_insert(true);
        if s.gap.is_some() {
            *ok = false;
            gaps += 1;
        }
    }
    let covered = days.values().filter(|ok| **ok).count() as u32;
    (days.len() as u32, covered, gaps)
}

fn log_filter(from: NaiveDate, to: NaiveDate) -> LogFilter {
    LogFilter {
        from: Some(from.to_string()),
        to: Some(to.to_string()),
        ..Default::default()
    }
}

async fn log_row(
    state: &AppState,
    actor: &Actor,
    kind: Option<LogKind>,
    base: &LogFilter,
) -> AppResult<LogRow> {
    let filter = LogFilter {
        kind: kind.map(|k| k.code().to_string()),
        ..base.clone()
    };
    let open = LogFilter {
        open: Some("open".into()),
        ..filter.clone()
    };
    Ok(LogRow {
        kind,
        label: kind.map(LogKind::label).unwrap_or("合计"),
        entries: logs::count(&state.db, actor, &filter).await?,
        href: query(LOGS, &filter),
        open: logs::count(&state.db, actor, &open).await?,
        open_href: query(LOGS, &open),
    })
}

/// Every figure for the period of days asked.
pub async fn compute(state: &AppState, actor: &Actor, period: &Period) -> AppResult<Statistics> {
    actor.require(perm::DUTY_VIEW)?;
    let county_wide = reads_all(actor);
    let today = local_day(state.now());
    let r = period.resolve(actor, today)?;
    let (from, to) = (r.from, r.to);
    let db = &state.db;

    let mut periods = Vec::new();
    let mut people: HashMap<Uuid, PersonRow> = HashMap::new();
    let mut all = rosters::list(db, actor, &PeriodFilter::default()).await?;
    all.retain(|p| p.starts_on <= to && p.ends_on >= from);
    all.sort_by_key(|p| (p.starts_on, p.name.clone()));
    for p in all {
        let lo = p.starts_on.max(from);
        let hi = p.ends_on.min(to);
        let roster = rosters::roster(db, actor, p.id, Some(lo), Some(hi)).await?;
        let (days, covered_days, gap_shifts) = coverage(&roster.shifts);
        for s in &roster.shifts {
            let mine = |id: &Uuid| county_wide || *id == actor.user_id;
            for person in s.leader.iter().chain(&s.officers) {
                if !mine(&person.user_id) {
                    continue;
                }
                let row = people.entry(person.user_id).or_insert_with(|| PersonRow {
                    user_id: person.user_id,
                    name: person.name.clone(),
                    leader: 0,
                    officer: 0,
                });
                match person.post {
                    Post::Leader => row.leader += 1,
                    Post::Officer => row.officer += 1,
                }
            }
        }
        if !county_wide {
            continue;
        }
        periods.push(PeriodRow {
            href: format!("/duty/periods/{}", p.id),
            id: p.id,
            name: p.name,
            kind: p.kind,
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            min_officers: p.min_officers,
            days,
            covered_days,
            shifts: roster.shifts.len() as u32,
            gap_shifts,
        });
    }
    let mut people: Vec<PersonRow> = people.into_values().collect();
    people.sort_by(|a, b| {
        b.total()
            .cmp(&a.total())
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.user_id.cmp(&b.user_id))
    });

    let base = log_filter(from, to);
    let mut log_rows = Vec::new();
    for kind in LogKind::ALL {
        let row = log_row(state, actor, Some(*kind), &base).await?;
        if row.entries > 0 {
            log_rows.push(row);
        }
    }
    let logs_total = log_row(state, actor, None, &base).await?;

    let sum = |f: fn(&PeriodRow) -> u32| periods.iter().map(f).sum::<u32>();
    let periods_href = "/duty/periods".to_string();
    let mut sections = vec![
        Section {
            title: "值班安排",
            figures: vec![
                derived(
                    "值班期",
                    "个",
                    periods.len().to_string(),
                    periods_href.clone(),
                ),
                derived(
                    "值班天数",
                    "天",
                    sum(|p| p.days).to_string(),
                    periods_href.clone(),
                ),
                derived(
                    "全员在岗天数",
                    "天",
                    sum(|p| p.covered_days).to_string(),
                    periods_href.clone(),
                ),
                derived(
                    "缺岗班次",
                    "班",
                    sum(|p| p.gap_shifts).to_string(),
                    periods_href,
                ),
            ],
        },
        Section {
            title: "值班日志",
            figures: vec![
                count(
                    "值班记录",
                    "条",
                    logs_total.entries,
                    logs_total.href.clone(),
                ),
                count(
                    "待办事项",
                    "条",
                    logs_total.open,
                    logs_total.open_href.clone(),
                ),
            ],
        },
    ];
    let (dispatches, dispatch_rates) = if county_wide {
        let county = rosters::county_of(&actor.region_code);
        let days = dispatch::summaries_between(state, &county, from, to).await?;
        let mut all = Totals::default();
        for (_, _, t) in &days {
            all.units += t.units;
            all.answered += t.answered;
            all.pending += t.pending;
            all.silent += t.silent;
            all.alarming += t.alarming;
        }
        let units: Vec<Vec<_>> = days.into_iter().map(|(_, u, _)| u).collect();
        sections.push(Section {
            title: "每日调度",
            figures: vec![
                derived(
                    "调度次数",
                    "次",
                    units.len().to_string(),
                    DISPATCH.to_string(),
                ),
                derived(
                    "回复率",
                    "%",
                    // Units still waiting today are not yet silent: the rate is of those decided.
                    percent(all.answered, all.units - all.pending).to_string(),
                    DISPATCH.to_string(),
                ),
                derived(
                    "未回复",
                    "单位次",
                    all.silent.to_string(),
                    DISPATCH.to_string(),
                ),
                derived(
                    "报告险情",
                    "单位次",
                    all.alarming.to_string(),
                    DISPATCH.to_string(),
                ),
            ],
        });
        (units.len() as u32, rates(&units))
    } else {
        (0, Vec::new())
    };
    if !county_wide {
        sections.remove(0);
    }
    Ok(Statistics {
        dispatches,
        dispatch_rates,
        from: from.to_string(),
        to: to.to_string(),
        county_wide,
        sections,
        periods,
        people,
        logs: log_rows,
        logs_total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rosters::model::Slot;
    use chrono::{TimeZone, Utc};

    fn shift(day: u32, slot: Slot, gap: bool) -> Shift {
        let at = Utc.with_ymd_and_hms(2026, 6, day, 0, 30, 0).unwrap();
        Shift {
            id: Uuid::now_v7(),
            period_id: Uuid::nil(),
            region_code: "510722000000".into(),
            day: NaiveDate::from_ymd_opt(2026, 6, day).unwrap(),
            slot,
            starts_at: at,
            ends_at: at,
            label: String::new(),
            leader: None,
            officers: Vec::new(),
            gap: gap.then(|| "缺带班领导".to_string()),
            version: 1,
        }
    }

    #[test]
    fn a_day_is_covered_only_when_all_its_shifts_are() {
        let shifts = [
            shift(1, Slot::Day, false),
            shift(1, Slot::Night, false),
            shift(2, Slot::Day, false),
            shift(2, Slot::Night, true),
            shift(3, Slot::Day, true),
            shift(3, Slot::Night, true),
        ];
        assert_eq!(coverage(&shifts), (3, 1, 3));
        assert_eq!(coverage(&[]), (0, 0, 0));
    }
}
