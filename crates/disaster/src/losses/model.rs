//! Loss-report rules, pure: stages and their deadlines, the statuses, the consistency checks
//! of a township's figures (each explained in Chinese under the indicator's code), and the
//! flag for direct reporting to the province and the ministry.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use platform::error::FieldErrors;
use serde::{Deserialize, Serialize};

use super::indicators::{self, LOSS_SECTORS};

/// Figures of one township: indicator code → scaled value.
pub type Figures = BTreeMap<String, i64>;

/// 初报, 续报 or 核报.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Initial,
    Update,
    Final,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Stage::Initial => "initial",
            Stage::Update => "update",
            Stage::Final => "final",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Initial => "初报",
            Stage::Update => "续报",
            Stage::Final => "核报",
        }
    }

    pub fn parse(text: &str) -> Option<Stage> {
        let t = text.trim();
        [Stage::Initial, Stage::Update, Stage::Final]
            .into_iter()
            .find(|s| s.code() == t || s.label() == t)
    }
}

/// A report's status: 填报中 (townships entering), 已审核 (county approved), 已上报.
pub const REPORT_OPEN: &str = "open";
pub const REPORT_APPROVED: &str = "approved";
pub const REPORT_REPORTED: &str = "reported";

pub fn report_status_label(code: &str) -> &'static str {
    match code {
        REPORT_OPEN => "填报中",
        REPORT_APPROVED => "已审核",
        REPORT_REPORTED => "已上报",
        _ => "未知",
    }
}

/// A township entry's status.
pub const ENTRY_DRAFT: &str = "draft";
pub const ENTRY_SUBMITTED: &str = "submitted";
pub const ENTRY_RETURNED: &str = "returned";

pub fn entry_status_label(code: &str, zero: bool) -> &'static str {
    match (code, zero) {
        (ENTRY_SUBMITTED, true) => "零报告",
        (ENTRY_SUBMITTED, false) => "已报送",
        (ENTRY_RETURNED, _) => "已退回",
        _ => "草稿",
    }
}

/// 初报 is due two hours after the process starts.
pub fn initial_due(started_at: DateTime<Utc>) -> DateTime<Utc> {
    started_at + Duration::hours(2)
}

/// A 续报 with figures to 24:00 of `day` is due at 09:00 (UTC+8) the next day.
pub fn update_due(day: NaiveDate) -> DateTime<Utc> {
    platform::clock::local_midnight(day + Duration::days(1)) + Duration::hours(9)
}

/// The 核报 is due 15 days after the process ends (or after it is opened, when still open).
pub fn final_due(from: DateTime<Utc>) -> DateTime<Utc> {
    from + Duration::days(15)
}

/// Days between two 续报: daily, every ten days for drought.
pub fn update_interval(main_type: &str) -> i64 {
    if main_type == "drought" { 10 } else { 1 }
}

/// The figures-to day of the next 续报: the day after the last one's (ten days for drought);
/// the first is the day the process started (China time).
pub fn next_update_day(
    main_type: &str,
    started_day: NaiveDate,
    last: Option<NaiveDate>,
) -> NaiveDate {
    match last {
        Some(d) => d + Duration::days(update_interval(main_type)),
        None => started_day,
    }
}

/// How a report stands against its deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Reported by the deadline.
    OnTime,
    /// Reported after the deadline (迟报).
    Late,
    /// Not reported and the deadline passed (逾期未报).
    Overdue,
    /// Not reported, the deadline still ahead.
    Waiting,
}

impl Timeliness {
    pub const ALL: [Timeliness; 4] = [
        Timeliness::OnTime,
        Timeliness::Late,
        Timeliness::Overdue,
        Timeliness::Waiting,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::OnTime => "on_time",
            Self::Late => "late",
            Self::Overdue => "overdue",
            Self::Waiting => "waiting",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::OnTime => "按时上报",
            Self::Late => "迟报",
            Self::Overdue => "逾期未报",
            Self::Waiting => "未到时限",
        }
    }
}

pub fn timeliness(
    due_at: DateTime<Utc>,
    reported_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Timeliness {
    match reported_at {
        Some(at) if at <= due_at => Timeliness::OnTime,
        Some(_) => Timeliness::Late,
        None if now > due_at => Timeliness::Overdue,
        None => Timeliness::Waiting,
    }
}

/// Reported after its deadline (or not yet reported and the deadline passed).
pub fn is_late(
    due_at: DateTime<Utc>,
    reported_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    matches!(
        timeliness(due_at, reported_at, now),
        Timeliness::Late | Timeliness::Overdue
    )
}

/// 10 or more dead and missing: reported straight to the province and the ministry.
pub const DIRECT_THRESHOLD: i64 = 10;
pub const DIRECT_LABEL: &str = "须直报省厅和应急管理部";

pub fn needs_direct_report(totals: &Figures) -> bool {
    get(totals, "deaths") + get(totals, "missing") >= DIRECT_THRESHOLD
}

pub fn get(f: &Figures, code: &str) -> i64 {
    f.get(code).copied().unwrap_or(0)
}

/// The sum of townships' figures.
pub fn total<'a>(rows: impl IntoIterator<Item = &'a Figures>) -> Figures {
    let mut sum = Figures::new();
    for row in rows {
        for (code, v) in row {
            *sum.entry(code.clone()).or_default() += v;
        }
    }
    sum
}

/// Parse the typed values (code → text): blank is absent (zero); a value that is not a
/// non-negative number of the indicator's precision is refused under its code.
pub fn parse_values(typed: &BTreeMap<String, String>, errors: &mut FieldErrors) -> Figures {
    let mut figures = Figures::new();
    for (code, text) in typed {
        let Some(ind) = indicators::find(code) else {
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        match ind.parse(text) {
            Some(v) => {
                figures.insert(code.clone(), v);
            }
            None => {
                errors.insert(code.clone(), ind.format_hint());
            }
        }
    }
    figures
}

fn label(code: &str) -> &'static str {
    indicators::find(code).map(|i| i.label).unwrap_or("")
}

fn not_above(f: &Figures, errors: &mut FieldErrors, part: &str, whole: &str, message: &str) {
    if get(f, part) > get(f, whole) && !errors.contains_key(part) {
        errors.insert(part.to_string(), message.to_string());
    }
}

/// The consistency rules of one township's figures; errors under the indicator that breaks
/// them. 集中 + 分散 may be less than 安置 (some are not yet placed), never more.
pub fn check_consistency(f: &Figures, errors: &mut FieldErrors) {
    not_above(
        f,
        errors,
        "crop_failed",
        "crop_affected",
        "成灾面积不能大于受灾面积",
    );
    not_above(
        f,
        errors,
        "crop_lost",
        "crop_failed",
        "绝收面积不能大于成灾面积",
    );
    not_above(
        f,
        errors,
        "injured_severe",
        "injured",
        "重伤人数不能大于受伤人数",
    );
    not_above(
        f,
        errors,
        "relocated_now",
        "relocated",
        "当前紧急转移安置人数不能大于累计人数",
    );
    not_above(
        f,
        errors,
        "need_relief_now",
        "need_relief",
        "当前需紧急生活救助人数不能大于累计人数",
    );
    not_above(
        f,
        errors,
        "drought_water",
        "drought_relief",
        "饮水困难人数不能大于因旱需生活救助人数",
    );
    for (households, rooms, what) in [
        ("collapsed_households", "collapsed_rooms", "倒塌房屋"),
        ("severe_households", "severe_rooms", "严重损坏房屋"),
        ("general_households", "general_rooms", "一般损坏房屋"),
    ] {
        let message = format!("{what}户数不能大于间数（每户至少一间）");
        not_above(f, errors, households, rooms, &message);
    }
    let placed = get(f, "relocated_central") + get(f, "relocated_dispersed");
    if placed > get(f, "relocated") {
        errors.insert(
            "relocated_dispersed".into(),
            format!(
                "集中安置与分散安置之和（{placed}）不能大于紧急转移安置人数（{}）",
                get(f, "relocated")
            ),
        );
    }
    let sectors: i64 = LOSS_SECTORS.iter().map(|c| get(f, c)).sum();
    if sectors > get(f, "loss_total") {
        let ind = indicators::find("loss_total").expect("loss_total");
        errors.insert(
            "loss_total".into(),
            format!(
                "各行业损失之和（{} 万元）不能大于直接经济损失",
                ind.format(sectors)
            ),
        );
    }
}

/// Cumulative figures lower than the township's previous approved report's: the codes with
/// a message, refused unless a correction reason (订正说明) is given.
pub fn check_not_falling(
    f: &Figures,
    previous: &Figures,
    correction: Option<&str>,
    errors: &mut FieldErrors,
) {
    if correction.is_some_and(|c| !c.trim().is_empty()) {
        return;
    }
    for ind in indicators::ALL.iter().filter(|i| i.cumulative) {
        let before = get(previous, ind.code);
        if get(f, ind.code) < before && !errors.contains_key(ind.code) {
            errors.insert(
                ind.code.to_string(),
                format!(
                    "{}为累计数，不能低于上次报告的 {}{}；确需订正请填写订正说明",
                    label(ind.code),
                    ind.format(before),
                    ind.unit
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(pairs: &[(&str, i64)]) -> Figures {
        pairs.iter().map(|(c, v)| (c.to_string(), *v)).collect()
    }

    #[test]
    fn crops_nest_and_injuries_nest() {
        let mut errors = FieldErrors::new();
        let f = figures(&[
            ("crop_affected", 100),
            ("crop_failed", 200),
            ("crop_lost", 50),
            ("injured", 1),
            ("injured_severe", 2),
        ]);
        check_consistency(&f, &mut errors);
        assert_eq!(errors["crop_failed"], "成灾面积不能大于受灾面积");
        assert_eq!(errors["injured_severe"], "重伤人数不能大于受伤人数");
        assert!(!errors.contains_key("crop_lost"));
    }

    #[test]
    fn placements_houses_and_sectors() {
        let mut errors = FieldErrors::new();
        let f = figures(&[
            ("relocated", 10),
            ("relocated_central", 8),
            ("relocated_dispersed", 5),
            ("collapsed_rooms", 2),
            ("collapsed_households", 3),
            ("loss_total", 100),
            ("loss_housing", 80),
            ("loss_other", 30),
        ]);
        check_consistency(&f, &mut errors);
        assert!(errors.contains_key("relocated_dispersed"));
        assert!(errors.contains_key("collapsed_households"));
        assert!(errors["loss_total"].contains("1.10"));
    }

    #[test]
    fn a_falling_cumulative_figure_needs_a_correction() {
        let previous = figures(&[("affected_people", 500), ("relocated_now", 100)]);
        let now = figures(&[("affected_people", 400), ("relocated_now", 20)]);
        let mut errors = FieldErrors::new();
        check_not_falling(&now, &previous, None, &mut errors);
        assert!(errors["affected_people"].contains("500"));
        assert!(
            !errors.contains_key("relocated_now"),
            "current figures may fall"
        );
        let mut errors = FieldErrors::new();
        check_not_falling(&now, &previous, Some("重复统计已剔除"), &mut errors);
        assert!(errors.is_empty());
    }

    #[test]
    fn deadlines_and_the_direct_flag() {
        let day = NaiveDate::from_ymd_opt(2026, 6, 27).unwrap();
        assert_eq!(update_due(day).to_rfc3339(), "2026-06-28T01:00:00+00:00");
        assert_eq!(
            next_update_day("drought", day, Some(day)),
            day + Duration::days(10)
        );
        assert_eq!(
            next_update_day("flood", day, Some(day)),
            day + Duration::days(1)
        );
        assert!(needs_direct_report(&figures(&[
            ("deaths", 6),
            ("missing", 4)
        ])));
        assert!(!needs_direct_report(&figures(&[("deaths", 9)])));
        let due = update_due(day);
        assert!(is_late(due, Some(due + Duration::minutes(1)), due));
        assert!(!is_late(due, Some(due), due + Duration::days(1)));
    }

    #[test]
    fn typed_values_are_checked_per_indicator() {
        let mut errors = FieldErrors::new();
        let typed: BTreeMap<String, String> = [
            ("affected_people".to_string(), "12".to_string()),
            ("crop_affected".to_string(), "-1".to_string()),
            ("roads_km".to_string(), "".to_string()),
        ]
        .into();
        let f = parse_values(&typed, &mut errors);
        assert_eq!(f["affected_people"], 12);
        assert!(errors["crop_affected"].contains("不小于 0"));
        assert!(!f.contains_key("roads_km"));
    }
}
