//! Hotspot rules that need no database: what a township may answer, when a new detection is
//! the same hotspot again, the feedback deadline, and the fire grade of a forest fire.

use chrono::{DateTime, Duration, Utc};
use geo::{Distance, Haversine, Point};
use serde::{Deserialize, Serialize};

/// 核查结果: what the township found on site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 林火: opens a fire record.
    Forest,
    /// 农事用火
    Farming,
    /// 工矿用火
    Industrial,
    /// 炼山
    LandClearing,
    /// 其他
    Other,
    /// 误报
    FalseAlarm,
}

impl Verdict {
    pub const ALL: [Verdict; 6] = [
        Self::Forest,
        Self::Farming,
        Self::Industrial,
        Self::LandClearing,
        Self::Other,
        Self::FalseAlarm,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Forest => "forest",
            Self::Farming => "farming",
            Self::Industrial => "industrial",
            Self::LandClearing => "land_clearing",
            Self::Other => "other",
            Self::FalseAlarm => "false_alarm",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Forest => "林火",
            Self::Farming => "农事用火",
            Self::Industrial => "工矿用火",
            Self::LandClearing => "炼山",
            Self::Other => "其他",
            Self::FalseAlarm => "误报",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code)
    }
}

/// Where a hotspot's check stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Inside the county but in no township area: the county assigns a township.
    Unassigned,
    /// Asked, within the deadline.
    Waiting,
    /// Asked, deadline passed, no answer.
    Overdue,
    /// Answered within the deadline.
    Answered,
    /// Answered after the deadline.
    AnsweredLate,
    /// Withdrawn by the county (e.g. entered twice).
    Voided,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Self::Unassigned => "待指派乡镇",
            Self::Waiting => "待核查",
            Self::Overdue => "超时未反馈",
            Self::Answered => "已反馈",
            Self::AnsweredLate => "逾期反馈",
            Self::Voided => "已作废",
        }
    }

    pub fn tone(self) -> &'static str {
        match self {
            Self::Unassigned | Self::Overdue => "red",
            Self::Waiting => "orange",
            Self::Answered => "green",
            Self::AnsweredLate => "blue",
            Self::Voided => "gray",
        }
    }

    /// Answered, on time or not.
    pub fn is_answered(self) -> bool {
        matches!(self, Self::Answered | Self::AnsweredLate)
    }
}

/// The stage from the record's dates.
pub fn stage(
    township: Option<&str>,
    due_at: Option<DateTime<Utc>>,
    answered_at: Option<DateTime<Utc>>,
    voided: bool,
    now: DateTime<Utc>,
) -> Stage {
    match (voided, township, due_at, answered_at) {
        (true, ..) => Stage::Voided,
        (_, _, Some(due), Some(at)) if at > due => Stage::AnsweredLate,
        (_, _, _, Some(_)) => Stage::Answered,
        (_, None, _, None) | (_, _, None, None) => Stage::Unassigned,
        (_, _, Some(due), None) if now > due => Stage::Overdue,
        _ => Stage::Waiting,
    }
}

/// A county's hotspot rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Rules {
    /// Minutes a township has to check a hotspot and answer (反馈时限).
    pub deadline_minutes: i32,
    /// A detection this close (metres) to a recent hotspot is that hotspot again.
    pub merge_metres: i32,
    /// … when the hotspot was last detected within these hours.
    pub merge_hours: i32,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            deadline_minutes: 60,
            // Two MODIS pixels (1 km each) apart still belong to one fire.
            merge_metres: 1500,
            merge_hours: 24,
        }
    }
}

/// Why rules were refused, by field.
pub fn check_rules(r: &Rules) -> Vec<(&'static str, &'static str)> {
    let mut errors = Vec::new();
    if !(10..=24 * 60).contains(&r.deadline_minutes) {
        errors.push(("deadline_minutes", "反馈时限应在 10 到 1440 分钟之间"));
    }
    if !(0..=10_000).contains(&r.merge_metres) {
        errors.push(("merge_metres", "合并距离应在 0 到 10000 米之间"));
    }
    if !(0..=72).contains(&r.merge_hours) {
        errors.push(("merge_hours", "合并时间应在 0 到 72 小时之间"));
    }
    errors
}

/// The chase of a check: asked again halfway, escalated at the deadline.
pub fn chase_minutes(deadline_minutes: i32) -> i32 {
    (deadline_minutes / 2).max(1)
}

/// Pixels from which a hotspot is reported upward at once (domain rule: 3 or more).
pub const REPORT_AT_ONCE_PIXELS: i32 = 3;

/// Metres between two points given as (lon, lat).
pub fn metres_between(a: (f64, f64), b: (f64, f64)) -> f64 {
    Haversine.distance(Point::new(a.0, a.1), Point::new(b.0, b.1))
}

/// Whether a detection at `at` and `place` is a hotspot last seen at `seen` and `spot` again.
pub fn same_hotspot(
    rules: &Rules,
    spot: (f64, f64),
    seen: DateTime<Utc>,
    place: (f64, f64),
    at: DateTime<Utc>,
) -> bool {
    let window = Duration::hours(rules.merge_hours as i64);
    (at - seen).abs() <= window && metres_between(spot, place) <= rules.merge_metres as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detections_nearby_and_recent_are_the_same_hotspot() {
        let rules = Rules::default();
        let t = DateTime::parse_from_rfc3339("2026-03-02T05:12:00Z")
            .unwrap()
            .to_utc();
        let spot = (105.0910, 31.0920);
        // ~1.1 km east, 5 hours later: the same fire seen by the next pass.
        assert!(same_hotspot(
            &rules,
            spot,
            t,
            (105.1026, 31.0920),
            t + Duration::hours(5)
        ));
        // ~2.9 km away: another hotspot.
        assert!(!same_hotspot(&rules, spot, t, (105.1215, 31.0920), t));
        // Next day and a half: a new one.
        assert!(!same_hotspot(
            &rules,
            spot,
            t,
            spot,
            t + Duration::hours(36)
        ));
    }

    #[test]
    fn stages_from_dates() {
        let due = DateTime::parse_from_rfc3339("2026-03-02T06:12:00Z")
            .unwrap()
            .to_utc();
        let before = due - Duration::minutes(5);
        let after = due + Duration::minutes(5);
        let t = Some("510722101000");
        assert_eq!(stage(t, Some(due), None, false, before), Stage::Waiting);
        assert_eq!(stage(t, Some(due), None, false, after), Stage::Overdue);
        assert_eq!(
            stage(t, Some(due), Some(before), false, after),
            Stage::Answered
        );
        assert_eq!(
            stage(t, Some(due), Some(after), false, after),
            Stage::AnsweredLate
        );
        assert_eq!(stage(None, None, None, false, after), Stage::Unassigned);
        assert_eq!(stage(t, Some(due), None, true, after), Stage::Voided);
    }

    #[test]
    fn rules_are_checked() {
        assert!(check_rules(&Rules::default()).is_empty());
        let bad = Rules {
            deadline_minutes: 0,
            merge_metres: -1,
            merge_hours: 100,
        };
        let fields: Vec<&str> = check_rules(&bad).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            vec!["deadline_minutes", "merge_metres", "merge_hours"]
        );
    }
}
