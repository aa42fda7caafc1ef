//! 区划代码: the 12-digit statistical division code and the level it names.

use std::fmt;

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Province = 1,
    City = 2,
    County = 3,
    Township = 4,
    Village = 5,
}

impl Level {
    pub fn from_i16(n: i16) -> Option<Self> {
        Some(match n {
            1 => Self::Province,
            2 => Self::City,
            3 => Self::County,
            4 => Self::Township,
            5 => Self::Village,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Province => "省",
            Self::City => "市",
            Self::County => "县（区）",
            Self::Township => "乡镇（街道）",
            Self::Village => "村（社区）",
        }
    }

    /// How many leading digits identify a region of this level.
    fn significant_digits(self) -> usize {
        match self {
            Self::Province => 2,
            Self::City => 4,
            Self::County => 6,
            Self::Township => 9,
            Self::Village => 12,
        }
    }
}

/// A valid 12-digit division code.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(String);

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum RegionCodeError {
    #[error("区划代码应为 12 位数字（乡镇可写 9 位，县可写 6 位）")]
    Format,
}

impl RegionCode {
    /// Accepts 12 digits, or the 9-digit township / 6-digit county / 2-digit province short forms
    /// used in published lists, padded with zeros.
    pub fn parse(raw: &str) -> Result<Self, RegionCodeError> {
        let raw = raw.trim();
        if !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RegionCodeError::Format);
        }
        let padded = match raw.len() {
            2 | 4 | 6 | 9 | 12 => format!("{raw:0<12}"),
            _ => return Err(RegionCodeError::Format),
        };
        if padded[..2] == *"00" {
            return Err(RegionCodeError::Format);
        }
        Ok(Self(padded))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> Level {
        let zeros_from = |i: usize| self.0[i..].bytes().all(|b| b == b'0');
        if zeros_from(2) {
            Level::Province
        } else if zeros_from(4) {
            Level::City
        } else if zeros_from(6) {
            Level::County
        } else if zeros_from(9) {
            Level::Township
        } else {
            Level::Village
        }
    }

    /// The leading digits every code inside this region shares.
    pub fn prefix(&self) -> &str {
        &self.0[..self.level().significant_digits()]
    }

    pub fn parent(&self) -> Option<RegionCode> {
        let keep = match self.level() {
            Level::Province => return None,
            Level::City => 2,
            Level::County => 4,
            Level::Township => 6,
            Level::Village => 9,
        };
        Some(Self(format!("{:0<12}", &self.0[..keep])))
    }

    pub fn contains(&self, other: &RegionCode) -> bool {
        other.0.starts_with(self.prefix())
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 街道 / 镇 / 乡 / 社区 / 村 ... from the name's suffix, else from the code rule.
pub fn kind_of(code: &RegionCode, name: &str) -> &'static str {
    const SUFFIXES: &[&str] = &["街道", "镇", "乡", "居民委员会", "社区", "村民委员会", "村"];
    if let Some(s) = SUFFIXES.iter().find(|s| name.ends_with(**s)) {
        return match *s {
            "居民委员会" => "社区",
            "村民委员会" => "村",
            other => other,
        };
    }
    let part = |from: usize| code.as_str().as_bytes()[from];
    match code.level() {
        Level::Province => "省",
        Level::City => "市",
        Level::County => "县",
        Level::Township => match part(6) {
            b'0' => "街道",
            b'1' => "镇",
            b'2' => "乡",
            _ => "其他",
        },
        Level::Village => match part(9) {
            b'0' | b'1' => "社区",
            _ => "村",
        },
    }
}

/// The county a region code lies in: its first 6 digits, zero-padded to 12.
pub fn county_of(region_code: &str) -> String {
    format!("{:0<12}", region_code.get(..6).unwrap_or(region_code))
}

/// The township a region code lies in (a village's first 9 digits, zero-padded to 12).
pub fn township_of(region_code: &str) -> String {
    format!("{:0<12}", region_code.get(..9).unwrap_or(region_code))
}

/// Names in the statistics release end in 居民委员会 / 村民委员会; people say 社区 / 村.
/// A county's name as document numbers abbreviate it: 三台县 → 三台, 涪城区 → 涪城, 江油市 → 江油
/// (a two-character name such as 泾县 keeps its suffix).
pub fn document_stem(name: &str) -> String {
    match name.strip_suffix(['县', '区', '市']) {
        Some(stem) if stem.chars().count() >= 2 => stem.to_string(),
        _ => name.to_string(),
    }
}

pub fn short_name(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("社区居民委员会") {
        return format!("{stem}社区");
    }
    if let Some(stem) = name.strip_suffix("居民委员会") {
        return format!("{stem}社区");
    }
    if let Some(stem) = name.strip_suffix("村民委员会") {
        // 凤凰村村民委员会 → 凤凰村; 红旗村民委员会 → 红旗村
        return if stem.ends_with('村') {
            stem.to_string()
        } else {
            format!("{stem}村")
        };
    }
    name.to_string()
}

#[cfg(test)]
mod tests {

    #[test]
    fn document_stems_drop_the_county_suffix() {
        assert_eq!(document_stem("三台县"), "三台");
        assert_eq!(document_stem("涪城区"), "涪城");
        assert_eq!(document_stem("江油市"), "江油");
        assert_eq!(document_stem("泾县"), "泾县");
    }

    use super::*;

    #[test]
    fn levels_and_prefixes() {
        let county = RegionCode::parse("510722").unwrap();
        assert_eq!(county.as_str(), "510722000000");
        assert_eq!(county.level(), Level::County);
        assert_eq!(county.prefix(), "510722");
        let town = RegionCode::parse("510722101").unwrap();
        assert_eq!(town.level(), Level::Township);
        assert_eq!(town.parent(), Some(county.clone()));
        let village = RegionCode::parse("510722101203").unwrap();
        assert_eq!(village.level(), Level::Village);
        assert_eq!(village.prefix(), "510722101203");
        assert!(county.contains(&village));
        assert!(!RegionCode::parse("510722104").unwrap().contains(&village));
        assert_eq!(RegionCode::parse("51").unwrap().level(), Level::Province);
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in [
            "",
            "5107221",
            "51072210100X",
            "0000000000000",
            "000000000000",
            "51 0722",
        ] {
            assert!(RegionCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kinds_and_short_names() {
        let town = RegionCode::parse("510722101").unwrap();
        assert_eq!(kind_of(&town, "潼川镇"), "镇");
        let village = RegionCode::parse("510722101002").unwrap();
        assert_eq!(kind_of(&village, "老西街社区居民委员会"), "社区");
        assert_eq!(short_name("老西街社区居民委员会"), "老西街社区");
        assert_eq!(short_name("红旗村民委员会"), "红旗村");
        assert_eq!(short_name("凤凰村村民委员会"), "凤凰村");
    }
}
