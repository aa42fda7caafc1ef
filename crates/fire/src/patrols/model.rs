//! Patrol rules, pure: checkpoint kinds, where a checkpoint may be, the distance of a check-in
//! from its checkpoint, the repeat-scan window, and the scan rate of tours.

use chrono::{DateTime, Duration, Utc};
use geo::{Distance, Haversine, Point};
use platform::error::FieldErrors;
use serde::{Deserialize, Serialize};

/// 督导点 (a leader's inspection stop) or 巡护点 (a ranger's patrol stop).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Supervision,
    Patrol,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Supervision, Kind::Patrol];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Supervision => "supervision",
            Kind::Patrol => "patrol",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Supervision => "督导点",
            Kind::Patrol => "巡护点",
        }
    }

    /// By code or by its Chinese name.
    pub fn parse(text: &str) -> Option<Kind> {
        let t = text.trim();
        Kind::ALL
            .into_iter()
            .find(|k| k.code() == t || k.label() == t)
    }
}

/// China's extent, roughly (73°E–136°E, 3°N–54°N): a point outside is a typo or swapped.
const LON_RANGE: std::ops::RangeInclusive<f64> = 73.0..=136.0;
const LAT_RANGE: std::ops::RangeInclusive<f64> = 3.0..=54.0;

/// Parse a checkpoint's longitude and latitude as typed; errors under `lon` and `lat`.
pub fn check_position(
    lon: Option<&str>,
    lat: Option<&str>,
    errors: &mut FieldErrors,
) -> Option<(f64, f64)> {
    let lon = coordinate(
        lon,
        LON_RANGE,
        "lon",
        "经度应为 73–136 之间的数字，如 105.0921",
        errors,
    );
    let lat = coordinate(
        lat,
        LAT_RANGE,
        "lat",
        "纬度应为 3–54 之间的数字，如 31.0948",
        errors,
    );
    Some((lon?, lat?))
}

fn coordinate(
    text: Option<&str>,
    range: std::ops::RangeInclusive<f64>,
    field: &str,
    message: &str,
    errors: &mut FieldErrors,
) -> Option<f64> {
    let value = text
        .map(str::trim)
        .and_then(|t| t.parse::<f64>().ok())
        .filter(|v| v.is_finite() && range.contains(v));
    if value.is_none() {
        errors.insert(field.into(), message.into());
    }
    value
}

/// A browser's position is kept only when it is a real position on Earth.
pub fn valid_fix(lon: f64, lat: f64) -> bool {
    lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-90.0..=90.0).contains(&lat)
}

/// Metres between two points (Haversine), rounded to the metre.
pub fn distance_m(from: (f64, f64), to: (f64, f64)) -> f64 {
    Haversine
        .distance(Point::new(from.0, from.1), Point::new(to.0, to.1))
        .round()
}

/// A second scan of the same checkpoint by the same person this soon is the same visit.
pub const REPEAT_WINDOW: Duration = Duration::minutes(10);

pub fn is_repeat(last: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= last && now - last < REPEAT_WINDOW
}

/// A tour is done when it has at least the required scans in its range.
pub fn tour_done(scans: u64, required: u64) -> bool {
    scans >= required.max(1)
}

/// 扫码督导率: the share of tours done, one decimal; `None` without tours.
pub fn scan_rate(done: u64, tours: u64) -> Option<f64> {
    platform::web::statistics::percent(done, tours)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn kinds_parse_by_code_or_name() {
        assert_eq!(Kind::parse("督导点"), Some(Kind::Supervision));
        assert_eq!(Kind::parse("patrol"), Some(Kind::Patrol));
        assert_eq!(Kind::parse("哨卡"), None);
    }

    #[test]
    fn positions_must_be_numbers_in_china() {
        let mut errors = FieldErrors::new();
        assert_eq!(
            check_position(Some(" 105.09 "), Some("31.09"), &mut errors),
            Some((105.09, 31.09))
        );
        assert!(errors.is_empty());
        assert_eq!(
            check_position(Some("31.09"), Some("105.09"), &mut errors),
            None
        );
        assert!(errors.contains_key("lon") && errors.contains_key("lat"));
        let mut errors = FieldErrors::new();
        assert_eq!(check_position(Some("东经105"), None, &mut errors), None);
        assert_eq!(errors.len(), 2);
        let mut errors = FieldErrors::new();
        check_position(Some("NaN"), Some("inf"), &mut errors);
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn distances_in_metres() {
        assert_eq!(distance_m((105.09, 31.09), (105.09, 31.09)), 0.0);
        // One thousandth of a degree of latitude is about 111 m.
        assert_eq!(distance_m((105.09, 31.09), (105.09, 31.091)), 111.0);
        assert!(!valid_fix(200.0, 31.0));
        assert!(valid_fix(105.0, 31.0));
    }

    #[test]
    fn a_scan_within_ten_minutes_repeats_the_visit() {
        let at = Utc.with_ymd_and_hms(2026, 6, 1, 1, 0, 0).unwrap();
        assert!(is_repeat(at, at + Duration::minutes(9)));
        assert!(!is_repeat(at, at + Duration::minutes(10)));
        assert!(!is_repeat(at, at - Duration::minutes(1)));
    }

    #[test]
    fn tours_and_the_rate() {
        assert!(tour_done(1, 1));
        assert!(!tour_done(1, 2));
        assert!(!tour_done(0, 0), "a tour asks for one scan at least");
        assert_eq!(scan_rate(2, 3), Some(66.7));
        assert_eq!(scan_rate(0, 0), None);
    }
}
