//! 生产安全事故 grading and the report clock. Pure rules, no database.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// 事故等级, ordered from least to most severe.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AccidentGrade {
    /// 一般事故
    Ordinary,
    /// 较大事故
    Larger,
    /// 重大事故
    Major,
    /// 特别重大事故
    ExtraordinaryMajor,
}

impl AccidentGrade {
    pub fn label(self) -> &'static str {
        match self {
            Self::Ordinary => "一般事故",
            Self::Larger => "较大事故",
            Self::Major => "重大事故",
            Self::ExtraordinaryMajor => "特别重大事故",
        }
    }
}

/// What an accident cost: the figures the grade is judged on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Casualties {
    pub deaths: u32,
    pub serious_injuries: u32,
    /// 直接经济损失, in fen.
    pub direct_loss_fen: i64,
}

const YUAN: i64 = 100;
const WAN: i64 = 10_000 * YUAN;

fn by_deaths(n: u32) -> AccidentGrade {
    match n {
        30.. => AccidentGrade::ExtraordinaryMajor,
        10..=29 => AccidentGrade::Major,
        3..=9 => AccidentGrade::Larger,
        _ => AccidentGrade::Ordinary,
    }
}

fn by_serious_injuries(n: u32) -> AccidentGrade {
    match n {
        100.. => AccidentGrade::ExtraordinaryMajor,
        50..=99 => AccidentGrade::Major,
        10..=49 => AccidentGrade::Larger,
        _ => AccidentGrade::Ordinary,
    }
}

fn by_loss(fen: i64) -> AccidentGrade {
    match fen {
        f if f >= 10_000 * WAN => AccidentGrade::ExtraordinaryMajor,
        f if f >= 5_000 * WAN => AccidentGrade::Major,
        f if f >= 1_000 * WAN => AccidentGrade::Larger,
        _ => AccidentGrade::Ordinary,
    }
}

/// The grade is the highest any criterion reaches (以上 includes the bound, 以下 excludes it).
pub fn grade(c: Casualties) -> AccidentGrade {
    by_deaths(c.deaths)
        .max(by_serious_injuries(c.serious_injuries))
        .max(by_loss(c.direct_loss_fen))
}

/// A unit must report to the county bureau within one hour of the accident.
pub const REPORT_LIMIT: Duration = Duration::hours(1);

/// Reported later than the limit allows (迟报).
pub fn reported_late(occurred_at: DateTime<Utc>, reported_at: DateTime<Utc>) -> bool {
    reported_at - occurred_at > REPORT_LIMIT
}

#[cfg(test)]
mod tests {
    use super::*;
    use AccidentGrade::*;

    fn c(deaths: u32, serious_injuries: u32, loss_wan: i64) -> Casualties {
        Casualties {
            deaths,
            serious_injuries,
            direct_loss_fen: loss_wan * WAN,
        }
    }

    #[test]
    fn boundaries_of_deaths() {
        assert_eq!(grade(c(2, 0, 0)), Ordinary);
        assert_eq!(grade(c(3, 0, 0)), Larger);
        assert_eq!(grade(c(9, 0, 0)), Larger);
        assert_eq!(grade(c(10, 0, 0)), Major);
        assert_eq!(grade(c(29, 0, 0)), Major);
        assert_eq!(grade(c(30, 0, 0)), ExtraordinaryMajor);
    }

    #[test]
    fn boundaries_of_serious_injuries() {
        assert_eq!(grade(c(0, 9, 0)), Ordinary);
        assert_eq!(grade(c(0, 10, 0)), Larger);
        assert_eq!(grade(c(0, 49, 0)), Larger);
        assert_eq!(grade(c(0, 50, 0)), Major);
        assert_eq!(grade(c(0, 100, 0)), ExtraordinaryMajor);
    }

    #[test]
    fn boundaries_of_direct_loss() {
        assert_eq!(
            grade(Casualties {
                direct_loss_fen: 1_000 * WAN - 1,
                ..Default::default()
            }),
            Ordinary
        );
        assert_eq!(grade(c(0, 0, 1_000)), Larger);
        assert_eq!(grade(c(0, 0, 5_000)), Major);
        assert_eq!(grade(c(0, 0, 10_000)), ExtraordinaryMajor);
    }

    #[test]
    fn the_highest_criterion_decides() {
        assert_eq!(grade(c(1, 12, 100)), Larger);
        assert_eq!(grade(c(3, 60, 0)), Major);
    }

    #[test]
    fn reports_after_one_hour_are_late() {
        let t = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        assert!(!reported_late(t, t + Duration::minutes(60)));
        assert!(reported_late(t, t + Duration::minutes(61)));
    }
}
