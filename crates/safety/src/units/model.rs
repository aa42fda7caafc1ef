//! Pure rules of the supervised-units ledger: risk levels, statuses, coordinates, licence expiry.

use chrono::NaiveDate;

/// 风险等级 (红/橙/黄/蓝), stored as code.
pub const RISK_LEVELS: &[(&str, &str)] = &[
    ("red", "红"),
    ("orange", "橙"),
    ("yellow", "黄"),
    ("blue", "蓝"),
];

/// 生产经营状态.
pub const STATUSES: &[(&str, &str)] = &[
    ("operating", "在产"),
    ("suspended", "停产"),
    ("closed", "关闭"),
];

/// Licence filters for the list.
pub const LICENCE_FILTERS: &[(&str, &str)] =
    &[("expiring", "30 天内到期或已过期"), ("expired", "已过期")];

/// A licence is flagged this many days before it expires.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

pub fn risk_label(code: &str) -> &'static str {
    label(RISK_LEVELS, code)
}

pub fn status_label(code: &str) -> &'static str {
    label(STATUSES, code)
}

fn label(table: &[(&str, &'static str)], code: &str) -> &'static str {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

pub fn is_risk_level(code: &str) -> bool {
    RISK_LEVELS.iter().any(|(c, _)| *c == code)
}

pub fn is_status(code: &str) -> bool {
    STATUSES.iter().any(|(c, _)| *c == code)
}

/// The tag colour of a risk level (our stylesheet's tag classes).
pub fn risk_class(code: &str) -> &'static str {
    match code {
        "red" => "red",
        "orange" => "orange",
        "yellow" => "yellow",
        "blue" => "blue",
        _ => "gray",
    }
}

/// 1–100 characters after trimming.
pub fn valid_name(name: &str) -> bool {
    let n = name.trim().chars().count();
    (1..=100).contains(&n)
}

/// Mainland China, generously: latitude 3.8–53.6, longitude 73.5–135.1.
pub fn check_coordinates(
    latitude: Option<f64>,
    longitude: Option<f64>,
) -> Result<Option<(f64, f64)>, &'static str> {
    match (latitude, longitude) {
        (None, None) => Ok(None),
        (Some(lat), Some(lon)) => {
            if !(3.8..=53.6).contains(&lat) || !(73.5..=135.1).contains(&lon) {
                Err("经纬度不在中国境内（纬度 3.8–53.6，经度 73.5–135.1）")
            } else {
                Ok(Some((lat, lon)))
            }
        }
        _ => Err("经度和纬度须同时填写或同时不填"),
    }
}

/// Where a licence stands on a given day (in UTC+8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Expiry {
    Valid,
    Expiring,
    Expired,
}

impl Expiry {
    pub fn of(expires_on: NaiveDate, today: NaiveDate) -> Self {
        if expires_on < today {
            Self::Expired
        } else if (expires_on - today).num_days() <= EXPIRY_WARNING_DAYS {
            Self::Expiring
        } else {
            Self::Valid
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Valid => "有效",
            Self::Expiring => "即将到期",
            Self::Expired => "已过期",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Self::Valid => "green",
            Self::Expiring => "orange",
            Self::Expired => "red",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform::web::form::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn names_are_one_to_a_hundred_characters() {
        assert!(valid_name("三台县某化工有限公司"));
        assert!(!valid_name("   "));
        assert!(valid_name(&"安".repeat(100)));
        assert!(!valid_name(&"安".repeat(101)));
    }

    #[test]
    fn coordinates_come_in_pairs_inside_china() {
        assert_eq!(check_coordinates(None, None), Ok(None));
        assert_eq!(
            check_coordinates(Some(31.09), Some(105.09)),
            Ok(Some((31.09, 105.09)))
        );
        assert!(check_coordinates(Some(31.0), None).is_err());
        assert!(check_coordinates(None, Some(105.0)).is_err());
        assert!(check_coordinates(Some(51.5), Some(-0.1)).is_err());
        assert!(check_coordinates(Some(60.0), Some(105.0)).is_err());
    }

    #[test]
    fn licences_warn_thirty_days_ahead() {
        let today = d("2026-11-30");
        assert_eq!(Expiry::of(d("2026-11-29"), today), Expiry::Expired);
        assert_eq!(Expiry::of(d("2026-11-30"), today), Expiry::Expiring);
        assert_eq!(Expiry::of(d("2026-12-30"), today), Expiry::Expiring);
        assert_eq!(Expiry::of(d("2026-12-31"), today), Expiry::Valid);
        assert_eq!(Expiry::Expired.class(), "red");
        assert_eq!(Expiry::Expiring.class(), "orange");
    }

    #[test]
    fn codes_and_labels() {
        assert!(is_risk_level("orange"));
        assert!(!is_risk_level("purple"));
        assert!(is_status("suspended"));
        assert!(!is_status("open"));
        assert_eq!(risk_label("red"), "红");
        assert_eq!(status_label("closed"), "关闭");
    }
}
