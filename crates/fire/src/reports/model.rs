//! The rules of 一日三报: the default schedule, the checks of a county's own, when a slot is due
//! and late, and how one township's slot reads on the board. Pure: no database, no clock.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Timelike, Utc};
use platform::error::FieldErrors;
use serde::{Deserialize, Serialize};

/// Minutes after a slot's time before a missing report is chased (and a report counts late).
pub const DEFAULT_GRACE_MINUTES: i32 = 30;
/// Deliveries before a silent township is escalated: asked at the slot time, asked again after
/// the grace period, escalated after a second one.
pub const CYCLES: i32 = 2;
const MAX_SLOTS: usize = 6;
const MAX_GRACE_MINUTES: i32 = 240;
const MAX_NAME_CHARS: usize = 10;

/// One report time of the day, e.g. 08:00 早报.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SlotSpec {
    /// `HH:MM`, county time (UTC+8).
    pub time: String,
    pub name: String,
}

impl SlotSpec {
    pub fn at(&self) -> NaiveTime {
        parse_time(&self.time).unwrap_or(NaiveTime::MIN)
    }
}

/// A county's report schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Schedule {
    pub slots: Vec<SlotSpec>,
    pub grace_minutes: i32,
    /// False while the defaults apply.
    pub configured: bool,
    pub version: Option<i32>,
}

impl Schedule {
    pub fn slot(&self, time: &str) -> Option<&SlotSpec> {
        self.slots.iter().find(|s| s.time == time)
    }

    /// 「08:00 早报、12:00 午报、18:00 晚报」.
    pub fn describe(&self) -> String {
        self.slots
            .iter()
            .map(|s| format!("{} {}", s.time, s.name))
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// 08:00 早报, 12:00 午报, 18:00 晚报, 30 minutes' grace.
pub fn defaults() -> Schedule {
    let slot = |time: &str, name: &str| SlotSpec {
        time: time.into(),
        name: name.into(),
    };
    Schedule {
        slots: vec![
            slot("08:00", "早报"),
            slot("12:00", "午报"),
            slot("18:00", "晚报"),
        ],
        grace_minutes: DEFAULT_GRACE_MINUTES,
        configured: false,
        version: None,
    }
}

/// `8:00`, `08:00` or `0800` as a time of day.
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let t = text.trim();
    NaiveTime::parse_from_str(t, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(t, "%H%M"))
        .ok()
        .filter(|t| t.second() == 0)
}

/// A slot without a name is named by its hour: morning, noon, evening.
fn name_by_hour(t: NaiveTime) -> &'static str {
    match t.hour() {
        0..=10 => "早报",
        11..=14 => "午报",
        _ => "晚报",
    }
}

/// Check a schedule as typed: each time readable and once only, names short, at most six
/// slots, a grace period of 1–240 minutes. The slots come back in time order, normalised.
pub fn check(
    slots: &[(String, Option<String>)],
    grace_minutes: i32,
) -> Result<Vec<SlotSpec>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut out: Vec<SlotSpec> = Vec::new();
    for (i, (time, name)) in slots.iter().enumerate() {
        let Some(t) = parse_time(time) else {
            errors.insert(
                "slots".into(),
                format!(
                    "第 {} 个时间「{}」无法识别，应为 HH:MM，如 08:00",
                    i + 1,
                    time.trim()
                ),
            );
            break;
        };
        let time = t.format("%H:%M").to_string();
        if out.iter().any(|s| s.time == time) {
            errors.insert("slots".into(), format!("报送时间 {time} 重复"));
            break;
        }
        let name = name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or(name_by_hour(t));
        if name.chars().count() > MAX_NAME_CHARS {
            errors.insert(
                "slots".into(),
                format!("名称「{name}」过长（最多 {MAX_NAME_CHARS} 个字）"),
            );
            break;
        }
        out.push(SlotSpec {
            time,
            name: name.to_string(),
        });
    }
    if slots.is_empty() {
        errors.insert("slots".into(), "请至少设置一个报送时间".into());
    } else if slots.len() > MAX_SLOTS {
        errors.insert(
            "slots".into(),
            format!("每日最多设置 {MAX_SLOTS} 个报送时间"),
        );
    }
    if !(1..=MAX_GRACE_MINUTES).contains(&grace_minutes) {
        errors.insert(
            "grace_minutes".into(),
            format!("宽限时间应为 1–{MAX_GRACE_MINUTES} 分钟"),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    out.sort_by(|a, b| a.time.cmp(&b.time));
    Ok(out)
}

/// Slot lines as typed on the page, one per line: `08:00 早报` (the name may be left out).
pub fn parse_lines(text: &str) -> Vec<(String, Option<String>)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut parts = l.splitn(2, char::is_whitespace);
            let time = parts.next().unwrap_or_default().to_string();
            let name = parts.next().map(|n| n.trim().to_string());
            (time, name)
        })
        .collect()
}

/// The instant a county-local day's time falls on.
pub fn local_instant(day: NaiveDate, at: NaiveTime) -> DateTime<Utc> {
    (day.and_time(at) - Duration::hours(8)).and_utc()
}

/// The county-local date of an instant.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(8)).date_naive()
}

/// When a day's slots stop taking reports: the county's midnight after it.
pub fn day_end(day: NaiveDate) -> DateTime<Utc> {
    local_instant(day + Duration::days(1), NaiveTime::MIN)
}

/// The job opens a slot from its time until its grace period ends; older ones missed (the
/// server was down) are left for the county to open by hand rather than opened in a burst.
pub fn job_opens(due: DateTime<Utc>, grace_minutes: i32, now: DateTime<Utc>) -> bool {
    due <= now && now < due + Duration::minutes(i64::from(grace_minutes))
}

/// What a township filed for a slot: stored as the call's answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Filing {
    /// 零报告（今日无火情）.
    pub zero: bool,
    /// 火情、隐患及处置情况 when not a zero report.
    pub situation: Option<String>,
    /// Filed after the slot's grace period (迟报).
    #[serde(default)]
    pub late: bool,
}

/// How one township's slot reads on the board.
pub mod cell {
    /// The slot's time has not come.
    pub const UPCOMING: &str = "upcoming";
    /// Asked, within the grace period.
    pub const WAITING: &str = "waiting";
    pub const REPORTED: &str = "reported";
    pub const ZERO: &str = "zero";
    pub const LATE: &str = "late";
    /// Past the grace period with nothing filed.
    pub const MISSING: &str = "missing";
    /// Due, but nobody opened it (out of season, or the job missed it).
    pub const NOT_OPENED: &str = "not_opened";
    /// Opened, but the township has nobody in the contacts to ask.
    pub const NO_CONTACT: &str = "no_contact";

    pub fn label(code: &str) -> &'static str {
        match code {
            UPCOMING | WAITING => "待报",
            REPORTED => "已报",
            ZERO => "零报告",
            LATE => "迟报",
            MISSING => "未报",
            NOT_OPENED => "未发起",
            NO_CONTACT => "无报送人",
            _ => "",
        }
    }

    pub fn tone(code: &str) -> &'static str {
        match code {
            REPORTED | ZERO => "green",
            LATE | WAITING => "orange",
            MISSING => "red",
            _ => "gray",
        }
    }
}

/// What is known of one township's slot.
pub struct CellFacts<'a> {
    pub opened: bool,
    pub asked: bool,
    pub due: DateTime<Utc>,
    pub late_after: DateTime<Utc>,
    /// The first report filed, and when.
    pub filed: Option<(DateTime<Utc>, &'a Filing)>,
}

/// The board's status of one township's slot at `now`.
pub fn cell_status(f: &CellFacts<'_>, now: DateTime<Utc>) -> &'static str {
    if !f.opened {
        return if now < f.due {
            cell::UPCOMING
        } else {
            cell::NOT_OPENED
        };
    }
    if !f.asked {
        return cell::NO_CONTACT;
    }
    match f.filed {
        Some((at, _)) if at > f.late_after => cell::LATE,
        Some((_, filing)) if filing.zero => cell::ZERO,
        Some(_) => cell::REPORTED,
        None if now < f.late_after => cell::WAITING,
        None => cell::MISSING,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(String, Option<String>)> {
        parse_lines(text)
    }

    #[test]
    fn a_schedule_is_normalised_and_named() {
        let slots = check(&lines("18:00 晚报\n8:00\n1200 午间报"), 30).unwrap();
        let times: Vec<&str> = slots.iter().map(|s| s.time.as_str()).collect();
        assert_eq!(times, ["08:00", "12:00", "18:00"]);
        assert_eq!(slots[0].name, "早报");
        assert_eq!(slots[1].name, "午间报");
    }

    #[test]
    fn bad_schedules_say_what_is_wrong() {
        let e = check(&lines("08:00\n25:00"), 30).unwrap_err();
        assert!(e["slots"].contains("25:00"), "{e:?}");
        let e = check(&lines("08:00 早报\n8:00 又一次"), 30).unwrap_err();
        assert!(e["slots"].contains("重复"), "{e:?}");
        let e = check(&lines("08:00"), 0).unwrap_err();
        assert!(e.contains_key("grace_minutes"));
        assert!(!e.contains_key("slots"));
        let e = check(&[], 30).unwrap_err();
        assert!(e.contains_key("slots"));
    }

    #[test]
    fn a_cell_reads_by_time_and_filing() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let due = local_instant(day, NaiveTime::from_hms_opt(8, 0, 0).unwrap());
        let late_after = due + Duration::minutes(30);
        let zero = Filing {
            zero: true,
            ..Filing::default()
        };
        let facts = |opened, filed| CellFacts {
            opened,
            asked: true,
            due,
            late_after,
            filed,
        };
        let before = due - Duration::minutes(1);
        assert_eq!(cell_status(&facts(false, None), before), cell::UPCOMING);
        assert_eq!(cell_status(&facts(false, None), due), cell::NOT_OPENED);
        assert_eq!(cell_status(&facts(true, None), due), cell::WAITING);
        assert_eq!(cell_status(&facts(true, None), late_after), cell::MISSING);
        assert_eq!(
            cell_status(&facts(true, Some((due, &zero))), late_after),
            cell::ZERO
        );
        let late = late_after + Duration::minutes(1);
        assert_eq!(
            cell_status(&facts(true, Some((late, &zero))), late),
            cell::LATE
        );
        assert_eq!(day_end(day).to_rfc3339(), "2026-03-01T16:00:00+00:00");
    }

    #[test]
    fn the_job_opens_within_the_grace_period_only() {
        let due = local_instant(
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
        );
        assert!(!job_opens(due, 30, due - Duration::minutes(1)));
        assert!(job_opens(due, 30, due));
        assert!(job_opens(due, 30, due + Duration::minutes(29)));
        assert!(!job_opens(due, 30, due + Duration::minutes(30)));
    }
}
