//! The fire season's rules: the defaults, the checks of a county's own dates, and whether a
//! day lies in the season or its high-risk period.

use chrono::{Datelike, NaiveDate};
use platform::error::FieldErrors;
use serde::Serialize;

/// A county's fire season for one year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Season {
    pub year: i32,
    /// 防火期 from (inclusive).
    pub fire_from: NaiveDate,
    /// 防火期 to (inclusive).
    pub fire_to: NaiveDate,
    /// 高火险期 from (inclusive).
    pub high_from: NaiveDate,
    /// 高火险期 to (inclusive).
    pub high_to: NaiveDate,
    /// False while the defaults apply.
    pub configured: bool,
    /// The stored version, when configured.
    pub version: Option<i32>,
}

fn day(year: i32, month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, d).unwrap_or_default()
}

/// Sichuan's defaults: fire season 1 January – 31 May, high risk 1 February – 10 May.
pub fn defaults(year: i32) -> Season {
    Season {
        year,
        fire_from: day(year, 1, 1),
        fire_to: day(year, 5, 31),
        high_from: day(year, 2, 1),
        high_to: day(year, 5, 10),
        configured: false,
        version: None,
    }
}

impl Season {
    /// Whether `d` lies in the fire season.
    pub fn in_season(&self, d: NaiveDate) -> bool {
        self.fire_from <= d && d <= self.fire_to
    }

    /// Whether `d` lies in the high-risk period.
    pub fn in_high_risk(&self, d: NaiveDate) -> bool {
        self.high_from <= d && d <= self.high_to
    }

    /// The period's days, for the page.
    pub fn fire_days(&self) -> i64 {
        (self.fire_to - self.fire_from).num_days() + 1
    }

    pub fn high_days(&self) -> i64 {
        (self.high_to - self.high_from).num_days() + 1
    }
}

/// Check a county's dates: the season starts in its year, runs forward (a county may extend it
/// into the next year's spring at most), and the high-risk period lies inside it.
pub fn check(
    year: i32,
    fire_from: NaiveDate,
    fire_to: NaiveDate,
    high_from: NaiveDate,
    high_to: NaiveDate,
) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    if fire_from.year() != year {
        errors.insert("fire_from".into(), format!("防火期应从 {year} 年开始"));
    }
    if fire_to < fire_from {
        errors.insert("fire_to".into(), "防火期结束日期不能早于开始日期".into());
    } else if (fire_to - fire_from).num_days() > 365 {
        errors.insert("fire_to".into(), "防火期不能超过一年".into());
    }
    if high_to < high_from {
        errors.insert("high_to".into(), "高火险期结束日期不能早于开始日期".into());
    }
    if high_from < fire_from || high_from > fire_to {
        errors.insert("high_from".into(), "高火险期应在防火期之内".into());
    }
    if high_to > fire_to || high_to < fire_from {
        errors.insert("high_to".into(), "高火险期应在防火期之内".into());
    }
    match errors.is_empty() {
        true => Ok(()),
        false => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_sichuans() {
        let s = defaults(2026);
        assert!(s.in_season(day(2026, 1, 1)));
        assert!(s.in_season(day(2026, 5, 31)));
        assert!(!s.in_season(day(2026, 6, 1)));
        assert!(!s.in_season(day(2025, 12, 31)));
        assert!(!s.in_high_risk(day(2026, 1, 31)));
        assert!(s.in_high_risk(day(2026, 2, 1)));
        assert!(s.in_high_risk(day(2026, 5, 10)));
        assert!(!s.in_high_risk(day(2026, 5, 11)));
        assert_eq!(s.fire_days(), 151);
    }

    #[test]
    fn a_county_may_extend_but_not_invert() {
        assert!(
            check(
                2026,
                day(2026, 1, 1),
                day(2026, 6, 15),
                day(2026, 2, 1),
                day(2026, 5, 31)
            )
            .is_ok()
        );
        let e = check(
            2026,
            day(2026, 3, 1),
            day(2026, 2, 1),
            day(2026, 2, 1),
            day(2026, 5, 10),
        )
        .unwrap_err();
        assert!(e.contains_key("fire_to"));
        let e = check(
            2026,
            day(2026, 1, 1),
            day(2026, 5, 31),
            day(2026, 1, 10),
            day(2026, 6, 10),
        )
        .unwrap_err();
        assert!(e.contains_key("high_to"));
        assert!(!e.contains_key("high_from"));
        let e = check(
            2026,
            day(2025, 12, 1),
            day(2026, 5, 31),
            day(2026, 2, 1),
            day(2026, 5, 10),
        )
        .unwrap_err();
        assert!(e.contains_key("fire_from"));
    }
}
