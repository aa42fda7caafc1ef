//! The daily dispatch's rules: which day may be dispatched, until when answers are taken, how
//! hard the silent are chased, and the day's summary per township. Pure: no database, no clock.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use platform::calls::CallRow;
use platform::calls::model::{call_state, wave};
use platform::regions::model::township_of;
use serde::Serialize;

use super::questions::Answer;
use crate::rosters::model::local_instant;

/// Minutes a township has to answer each delivery before it is asked again.
pub const DEFAULT_ACK_MINUTES: i32 = 30;
/// Deliveries before the silent are escalated (to the township head, then the leader on duty).
pub const DEFAULT_CYCLES: i32 = 2;

/// Why a dispatch step is refused; the field (when one is at fault) and the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DispatchError {
    AlreadyStarted,
    NotToday,
    AckMinutes,
    Cycles,
    Closed,
    NobodyToAsk,
}

impl DispatchError {
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::AckMinutes => Some("ack_minutes"),
            Self::Cycles => Some("cycles"),
            _ => None,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::AlreadyStarted => "already_started",
            Self::Closed => "dispatch_closed",
            Self::NobodyToAsk => "nobody_to_ask",
            _ => "invalid",
        }
    }

    pub fn message(&self) -> &'static str {
        match self {
            Self::AlreadyStarted => "今日调度已经发起，请在调度页面查看各乡镇回复",
            Self::NotToday => "只能发起当天的调度",
            Self::AckMinutes => "回复时限应为 5–240 分钟",
            Self::Cycles => "提醒次数应为 1–5 次",
            Self::Closed => "当日调度已结束，不能再回复",
            Self::NobodyToAsk => "通讯录中没有乡镇值班人员或负责人，请先完善通讯录",
        }
    }
}

/// When a day's answers stop being taken: the county's midnight after it.
pub fn day_end(day: NaiveDate) -> DateTime<Utc> {
    local_instant(day + Duration::days(1), NaiveTime::MIN)
}

/// A dispatch is for today only, with sane timers.
pub fn check_start(
    day: NaiveDate,
    today: NaiveDate,
    ack_minutes: i32,
    cycles: i32,
) -> Result<(), DispatchError> {
    if day != today {
        return Err(DispatchError::NotToday);
    }
    if !(5..=240).contains(&ack_minutes) {
        return Err(DispatchError::AckMinutes);
    }
    if !(1..=5).contains(&cycles) {
        return Err(DispatchError::Cycles);
    }
    Ok(())
}

/// Answers are taken until the dispatch closes (the day's end or closed early).
pub fn is_open(
    closes_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    closed_at.is_none() && now < closes_at
}

/// One township's (or department's) line of the day's summary.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct UnitRow {
    /// The township's code, or the person's region for departments and groups.
    pub region_code: String,
    pub name: String,
    /// 乡镇 or 部门及其他.
    pub is_township: bool,
    /// Who was asked, e.g. 「张三、李四」.
    pub asked: String,
    /// `answered`, `pending`, `silent` (escalated), `closed`.
    pub status: &'static str,
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answers: Vec<Answer>,
    /// The escalations raised about it, e.g. 「乡镇主要负责人 王五：已知悉」.
    pub escalations: Vec<String>,
}

impl UnitRow {
    pub fn status_label(&self) -> &'static str {
        match self.status {
            "answered" => "已回复",
            "pending" => "待回复",
            "silent" => "未叫应，已升级",
            _ => "未回复",
        }
    }

    pub fn tone(&self) -> &'static str {
        match self.status {
            "answered" => "green",
            "pending" => "orange",
            _ => "red",
        }
    }

    pub fn alarming(&self) -> bool {
        self.answers.iter().any(|a| a.alarming)
    }

    pub fn answered_local(&self) -> String {
        self.answered_at
            .map(platform::clock::format_local)
            .unwrap_or_default()
    }
}

/// The day's counts.
#[derive(Clone, Copy, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Totals {
    pub units: usize,
    pub answered: usize,
    pub pending: usize,
    pub silent: usize,
    pub alarming: usize,
}

impl Totals {
    /// Answered as a percentage of the units asked (one decimal; 0 when none were asked).
    pub fn rate(&self) -> f64 {
        percent(self.answered, self.units)
    }
}

/// `platform::web::statistics::percent` for counts, 0 when there is nothing to count.
pub fn percent(part: usize, whole: usize) -> f64 {
    platform::web::statistics::percent(part as u64, whole as u64).unwrap_or(0.0)
}

/// The summary: one line per township asked (its duty contacts answer for it), then one per
/// department or group member; escalation calls are shown on the line they are about.
/// `names` gives townships' short names; `county` is the dispatching county.
pub fn summarise(
    calls: &[CallRow],
    county: &str,
    names: &std::collections::HashMap<String, String>,
) -> (Vec<UnitRow>, Totals) {
    let unit_of = |c: &CallRow| -> String {
        let township = township_of(&c.region_code);
        if township == county {
            // County-level people (department liaisons, group members) answer for themselves.
            format!("{}#{}", c.region_code, c.name)
        } else {
            township
        }
    };
    let first: Vec<&CallRow> = calls.iter().filter(|c| c.wave == wave::RECIPIENT).collect();
    let mut units: BTreeMap<String, Vec<&CallRow>> = BTreeMap::new();
    for c in &first {
        units.entry(unit_of(c)).or_default().push(c);
    }
    let by_id: std::collections::HashMap<uuid::Uuid, &CallRow> =
        calls.iter().map(|c| (c.id, c)).collect();
    let mut rows = Vec::new();
    let mut totals = Totals::default();
    for (key, asked) in units {
        let is_township = !key.contains('#');
        let region_code = asked[0].region_code.clone();
        let name = if is_township {
            names.get(&key).cloned().unwrap_or_else(|| key.clone())
        } else {
            asked[0].name.clone()
        };
        let answer = asked
            .iter()
            .filter(|c| c.confirmed_at.is_some())
            .min_by_key(|c| c.confirmed_at);
        let status = match answer {
            Some(_) => "answered",
            None if asked.iter().any(|c| c.state == call_state::PENDING) => "pending",
            None if asked.iter().any(|c| c.state == call_state::UNREACHABLE) => "silent",
            None => "closed",
        };
        let escalations = escalations_about(calls, &asked, &by_id);
        let answers: Vec<Answer> = answer
            .and_then(|c| c.answer.clone())
            .and_then(|a| serde_json::from_value(a).ok())
            .unwrap_or_default();
        totals.units += 1;
        match status {
            "answered" => totals.answered += 1,
            "pending" => totals.pending += 1,
            _ => totals.silent += 1,
        }
        if answers.iter().any(|a| a.alarming) {
            totals.alarming += 1;
        }
        rows.push(UnitRow {
            region_code: if is_township { key } else { region_code },
            name,
            is_township,
            asked: asked
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join("、"),
            status,
            answered_by: answer.map(|c| c.name.clone()),
            answered_at: answer.and_then(|c| c.confirmed_at),
            answers,
            escalations,
        });
    }
    rows.sort_by_key(|r| !r.is_township);
    (rows, totals)
}

/// The escalation calls raised about any of `asked`, following chains (a silent head climbs
/// to the leader on duty), as lines like 「升级：乡镇主要负责人 王五 — 已确认」.
fn escalations_about<'a>(
    calls: &'a [CallRow],
    asked: &[&CallRow],
    by_id: &std::collections::HashMap<uuid::Uuid, &'a CallRow>,
) -> Vec<String> {
    let roots: std::collections::HashSet<uuid::Uuid> = asked.iter().map(|c| c.id).collect();
    let reaches_root = |mut c: &'a CallRow| -> bool {
        // Chains are at most two steps; the bound guards against a malformed loop.
        for _ in 0..4 {
            let Some(from) = c.escalated_from else {
                return false;
            };
            if roots.contains(&from) {
                return true;
            }
            match by_id.get(&from) {
                Some(parent) => c = parent,
                None => return false,
            }
        }
        false
    };
    calls
        .iter()
        .filter(|c| c.wave != wave::RECIPIENT && reaches_root(c))
        .map(|c| format!("{} {} — {}", c.wave_label(), c.name, c.state_label))
        .collect()
}

/// One township's (or department's) dispatch record over many days.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RateRow {
    pub region_code: String,
    pub name: String,
    pub is_township: bool,
    /// Days it was dispatched.
    pub asked: u32,
    pub answered: u32,
    /// Days it stayed silent and was escalated (or never answered).
    pub silent: u32,
    /// Days still waiting for its answer (today's dispatch, not yet over).
    pub pending: u32,
    /// Days its answers raised an alarm (danger, evacuation…).
    pub alarming: u32,
}

impl RateRow {
    /// Answered of the days already decided (a day still waiting is not counted as silent).
    pub fn rate(&self) -> f64 {
        percent(self.answered as usize, (self.asked - self.pending) as usize)
    }
}

/// Answer rates per unit over the days' summaries: townships first (by code), then the rest
/// by name; the least answering first within each, so the ones to talk to are on top.
pub fn rates(days: &[Vec<UnitRow>]) -> Vec<RateRow> {
    let mut by_unit: BTreeMap<(bool, String), RateRow> = BTreeMap::new();
    for units in days {
        for u in units {
            let key = if u.is_township {
                u.region_code.clone()
            } else {
                u.name.clone()
            };
            let row = by_unit
                .entry((!u.is_township, key))
                .or_insert_with(|| RateRow {
                    region_code: u.region_code.clone(),
                    name: u.name.clone(),
                    is_township: u.is_township,
                    asked: 0,
                    answered: 0,
                    silent: 0,
                    pending: 0,
                    alarming: 0,
                });
            row.asked += 1;
            match u.status {
                "answered" => row.answered += 1,
                "pending" => row.pending += 1,
                _ => row.silent += 1,
            }
            if u.alarming() {
                row.alarming += 1;
            }
        }
    }
    let mut rows: Vec<RateRow> = by_unit.into_values().collect();
    rows.sort_by(|a, b| {
        (!a.is_township, a.rate(), &a.region_code)
            .partial_cmp(&(!b.is_township, b.rate(), &b.region_code))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_today_is_dispatched() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        assert_eq!(check_start(today, today, 30, 2), Ok(()));
        assert_eq!(
            check_start(today - Duration::days(1), today, 30, 2),
            Err(DispatchError::NotToday)
        );
        assert_eq!(
            check_start(today, today, 0, 2),
            Err(DispatchError::AckMinutes)
        );
        assert_eq!(check_start(today, today, 30, 9), Err(DispatchError::Cycles));
    }

    #[test]
    fn the_day_ends_at_county_midnight() {
        let day = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let end = day_end(day);
        assert_eq!(end.to_rfc3339(), "2026-06-01T16:00:00+00:00");
        assert!(is_open(end, None, end - Duration::seconds(1)));
        assert!(!is_open(end, None, end));
        assert!(!is_open(
            end,
            Some(end - Duration::hours(1)),
            end - Duration::minutes(1)
        ));
    }

    fn unit(code: &str, status: &'static str, alarming: bool) -> UnitRow {
        UnitRow {
            region_code: code.into(),
            name: code.into(),
            is_township: true,
            asked: String::new(),
            status,
            answered_by: None,
            answered_at: None,
            answers: vec![Answer {
                key: "danger".into(),
                question: "有无险情".into(),
                value: Some(if alarming { "yes" } else { "no" }.into()),
                alarming,
            }],
            escalations: Vec::new(),
        }
    }

    #[test]
    fn rates_put_the_least_answering_township_first() {
        let days = vec![
            vec![unit("A", "answered", false), unit("B", "silent", false)],
            vec![unit("A", "answered", true), unit("B", "answered", false)],
        ];
        let rows = rates(&days);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].region_code, "B");
        assert_eq!((rows[0].asked, rows[0].answered, rows[0].silent), (2, 1, 1));
        assert_eq!(rows[0].rate(), 50.0);
        assert_eq!(
            (rows[1].answered, rows[1].alarming, rows[1].rate()),
            (2, 1, 100.0)
        );
    }

    #[test]
    fn a_day_still_waiting_is_not_counted_against_the_rate() {
        let days = vec![
            vec![unit("A", "answered", false)],
            vec![unit("A", "pending", false)],
        ];
        let rows = rates(&days);
        assert_eq!((rows[0].asked, rows[0].pending, rows[0].silent), (2, 1, 0));
        assert_eq!(rows[0].rate(), 100.0);
    }

    #[test]
    fn percent_rounds_and_survives_zero() {
        assert_eq!(percent(2, 3), 66.7);
        assert_eq!(percent(0, 0), 0.0);
    }
}
