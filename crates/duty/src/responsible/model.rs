//! Responsible persons: kinds, roles, the phone rule and masking, and which region a kind
//! belongs to. Pure: no database, no clock.

use crate::rosters::model::code_enum;

code_enum! {
    /// 责任对象类别.
    ObjectKind {
        Township = "township", "乡镇";
        Village = "village", "村（社区）";
        Reservoir = "reservoir", "水库";
        Dike = "dike", "堤防";
        HazardPoint = "hazard_point", "地灾隐患点";
    }
}

code_enum! {
    /// 责任类别.
    PersonRole {
        Administrative = "administrative", "行政责任人";
        Technical = "technical", "技术责任人";
        Patrol = "patrol", "巡查责任人";
        Monitor = "monitor", "监测员";
    }
}

code_enum! {
    /// How the public page shows phone numbers.
    PhoneDisplay {
        Masked = "masked", "隐藏中间四位（138****0001）";
        Full = "full", "完整显示";
    }
}

impl ObjectKind {
    /// Reservoirs, dikes and hazard points are named; townships and villages are their region.
    pub fn is_named(self) -> bool {
        matches!(self, Self::Reservoir | Self::Dike | Self::HazardPoint)
    }
}

/// The level of a 12-digit region code inside a county: township (`xxxxxxxxx000`), village,
/// or neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Township,
    Village,
}

pub fn place_of(code: &str) -> Option<Place> {
    if code.len() != 12 || !code.bytes().all(|b| b.is_ascii_digit()) || &code[6..9] == "000" {
        return None;
    }
    Some(if &code[9..] == "000" {
        Place::Township
    } else {
        Place::Village
    })
}

/// Why a region does not fit the kind, in words for the form.
pub fn check_place(kind: ObjectKind, code: &str) -> Result<(), &'static str> {
    match (kind, place_of(code)) {
        (_, None) => Err("请选择乡镇或村（社区）"),
        (ObjectKind::Township, Some(Place::Village)) => Err("乡镇责任人请选择乡镇，不选村（社区）"),
        (ObjectKind::Village, Some(Place::Township)) => {
            Err("村（社区）责任人请选择具体的村（社区）")
        }
        _ => Ok(()),
    }
}

/// An 11-digit mobile (1xxxxxxxxxx) or a landline with its area code (0816-5421234).
pub fn valid_phone(phone: &str) -> bool {
    let p = phone.trim();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if p.len() == 11 && digits(p) && p.starts_with('1') {
        return true;
    }
    match p.split_once('-') {
        Some((area, number)) => {
            digits(area)
                && digits(number)
                && area.starts_with('0')
                && (3..=4).contains(&area.len())
                && (7..=8).contains(&number.len())
        }
        None => false,
    }
}

pub const PHONE_HINT: &str = "请填写 11 位手机号或带区号的座机号（如 0816-5421234）";

/// A phone as the public page shows it: 138****0001, 0816-***1234.
pub fn mask_phone(phone: &str) -> String {
    let p = phone.trim();
    match p.split_once('-') {
        Some((area, number)) if number.len() > 4 => {
            format!("{area}-***{}", &number[number.len() - 4..])
        }
        _ if p.len() == 11 => format!("{}****{}", &p[..3], &p[7..]),
        _ => "****".to_string(),
    }
}

pub fn shown_phone(phone: &str, display: PhoneDisplay) -> String {
    match display {
        PhoneDisplay::Full => phone.trim().to_string(),
        PhoneDisplay::Masked => mask_phone(phone),
    }
}

/// Years a list may hold.
pub fn valid_year(year: i32) -> bool {
    (2000..=2100).contains(&year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_mobile_or_landline_with_area_code() {
        assert!(valid_phone("13800000001"));
        assert!(valid_phone("0816-5421234"));
        assert!(valid_phone("028-12345678"));
        assert!(!valid_phone("1380000000"));
        assert!(!valid_phone("23800000001"));
        assert!(!valid_phone("5421234"));
        assert!(!valid_phone("0816-54212"));
        assert!(!valid_phone("816-5421234"));
        assert!(!valid_phone("电话"));
    }

    #[test]
    fn masking() {
        assert_eq!(mask_phone("13800000001"), "138****0001");
        assert_eq!(mask_phone("0816-5421234"), "0816-***1234");
        assert_eq!(
            shown_phone("13800000001", PhoneDisplay::Full),
            "13800000001"
        );
        assert_eq!(
            shown_phone("13800000001", PhoneDisplay::Masked),
            "138****0001"
        );
    }

    #[test]
    fn places_fit_kinds() {
        assert_eq!(place_of("510722101000"), Some(Place::Township));
        assert_eq!(place_of("510722101201"), Some(Place::Village));
        assert_eq!(place_of("510722000000"), None);
        assert!(check_place(ObjectKind::Township, "510722101000").is_ok());
        assert!(check_place(ObjectKind::Township, "510722101201").is_err());
        assert!(check_place(ObjectKind::Village, "510722101000").is_err());
        assert!(check_place(ObjectKind::Reservoir, "510722101000").is_ok());
        assert!(check_place(ObjectKind::Dike, "510722101201").is_ok());
        assert!(ObjectKind::HazardPoint.is_named());
        assert!(!ObjectKind::Village.is_named());
    }
}
