//! The Chinese national profile (GB/T 35965.1-2018): identifiers, warning levels and colours,
//! division-code geocodes.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDateTime, TimeZone};

use super::error::{CapError, shorten};
use super::model::{Area, Info, Severity, ValuePair};

/// The `info/parameter` valueName that carries the warning colour (红色/橙色/黄色/蓝色), since
/// the OASIS schema only allows Extreme…Minor in `severity`.
pub const COLOUR_PARAMETER: &str = "预警颜色";

/// The `area/geocode` valueName we write for administrative division codes (6-digit county,
/// 9-digit township).
pub const DIVISION_GEOCODE: &str = "行政区划代码";

/// valueNames read as division codes on import, compared case-insensitively.
const DIVISION_GEOCODE_ALIASES: &[&str] = &[DIVISION_GEOCODE, "行政区划", "ZONECODE", "ADCODE"];

const COLOURS: [&str; 4] = ["红色", "橙色", "黄色", "蓝色"];

/// UTC+8: the profile's times are Beijing time.
pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("8 hours is a valid offset")
}

/// The parts of a national-profile identifier `ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileIdentifier {
    /// 6-digit administrative division code of the issuer.
    pub division_code: String,
    /// 3-digit agency code.
    pub agency: String,
    /// 3-digit unit code.
    pub unit: String,
    /// 2-digit extension.
    pub extension: String,
    /// Time of entry, Beijing time, whole seconds.
    pub entered: DateTime<FixedOffset>,
    /// 0–9.
    pub sequence: u8,
}

impl std::fmt::Display for ProfileIdentifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let entered = self
            .entered
            .with_timezone(&beijing())
            .format("%Y%m%d%H%M%S");
        write!(
            f,
            "{}{}{}{}_{entered}_{}",
            self.division_code, self.agency, self.unit, self.extension, self.sequence
        )
    }
}

/// Builds `ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N`; `entered` is converted to Beijing time.
pub fn identifier(
    division_code: &str,
    agency: &str,
    unit: &str,
    extension: &str,
    entered: DateTime<FixedOffset>,
    sequence: u8,
) -> Result<String, CapError> {
    let parts = [
        (division_code, 6, "行政区划代码"),
        (agency, 3, "机构代码"),
        (unit, 3, "单位代码"),
        (extension, 2, "扩展码"),
    ];
    for (value, len, what) in parts {
        if !is_digits(value, len) {
            let reason = format!("{what}应为 {len} 位数字，实际是“{}”", shorten(value));
            return Err(bad_identifier(value, reason));
        }
    }
    let entered = entered.with_timezone(&beijing());
    if !(1000..=9999).contains(&entered.year()) {
        return Err(bad_identifier(
            &entered.to_rfc3339(),
            "录入时间的年份应为 4 位".to_owned(),
        ));
    }
    if sequence > 9 {
        return Err(bad_identifier(
            &sequence.to_string(),
            "顺序号应为 0–9".to_owned(),
        ));
    }
    let id = ProfileIdentifier {
        division_code: division_code.to_owned(),
        agency: agency.to_owned(),
        unit: unit.to_owned(),
        extension: extension.to_owned(),
        entered,
        sequence,
    };
    Ok(id.to_string())
}

/// Splits a national-profile identifier into its parts.
pub fn parse_identifier(value: &str) -> Result<ProfileIdentifier, CapError> {
    let fail = |reason: &str| bad_identifier(value, reason.to_owned());
    let mut parts = value.split('_');
    let (Some(code), Some(time), Some(seq), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(fail("应由两个下划线分成三段"));
    };
    if !is_digits(code, 14) {
        return Err(fail(
            "第一段应为 14 位数字（行政区划 6 位、机构 3 位、单位 3 位、扩展 2 位）",
        ));
    }
    if !is_digits(time, 14) {
        return Err(fail("第二段应为 14 位数字的时间 YYYYMMDDhhmmss"));
    }
    if !is_digits(seq, 1) {
        return Err(fail("第三段应为 1 位顺序号"));
    }
    let entered = NaiveDateTime::parse_from_str(time, "%Y%m%d%H%M%S")
        .ok()
        .and_then(|t| beijing().from_local_datetime(&t).single())
        .ok_or_else(|| fail("时间不是有效的日期时间"))?;
    Ok(ProfileIdentifier {
        division_code: code[0..6].to_owned(),
        agency: code[6..9].to_owned(),
        unit: code[9..12].to_owned(),
        extension: code[12..14].to_owned(),
        entered,
        sequence: seq.as_bytes()[0] - b'0',
    })
}

fn is_digits(value: &str, len: usize) -> bool {
    value.len() == len && value.bytes().all(|b| b.is_ascii_digit())
}

fn bad_identifier(value: &str, reason: String) -> CapError {
    CapError::BadProfileIdentifier {
        value: shorten(value),
        reason,
    }
}

/// Warning level 1–4 (一级红 … 四级蓝) to the OASIS severity we export.
pub fn severity_of_level(level: u8) -> Option<Severity> {
    match level {
        1 => Some(Severity::Extreme),
        2 => Some(Severity::Severe),
        3 => Some(Severity::Moderate),
        4 => Some(Severity::Minor),
        _ => None,
    }
}

/// 红色 / 橙色 / 黄色 / 蓝色 for levels 1–4.
pub fn colour_of_level(level: u8) -> Option<&'static str> {
    COLOURS.get(usize::from(level).checked_sub(1)?).copied()
}

/// The `预警颜色` parameter for a level.
pub fn colour_parameter(level: u8) -> Option<ValuePair> {
    colour_of_level(level).map(|c| ValuePair::new(COLOUR_PARAMETER, c))
}

/// Sets the OASIS severity and the colour parameter (replacing an earlier one) for a level.
pub fn set_level(info: &mut Info, level: u8) -> Result<(), CapError> {
    let severity = severity_of_level(level).ok_or(CapError::BadLevel(level))?;
    let colour = colour_parameter(level).ok_or(CapError::BadLevel(level))?;
    info.severity = severity;
    info.parameters.retain(|p| p.value_name != COLOUR_PARAMETER);
    info.parameters.push(colour);
    Ok(())
}

/// The level of an info: the colour parameter if present and readable, else its severity,
/// OASIS (Extreme → 1 …) or national (Red → 1 …). `None` for Unknown.
pub fn level_of(info: &Info) -> Option<u8> {
    info.parameter(COLOUR_PARAMETER)
        .and_then(level_of_colour)
        .or_else(|| level_of_severity(info.severity))
}

/// 红色, 红 or Red (any case) → 1, and so on.
pub fn level_of_colour(colour: &str) -> Option<u8> {
    const NAMES: [[&str; 3]; 4] = [
        ["红色", "红", "red"],
        ["橙色", "橙", "orange"],
        ["黄色", "黄", "yellow"],
        ["蓝色", "蓝", "blue"],
    ];
    let colour = colour.trim().to_lowercase();
    let index = NAMES
        .iter()
        .position(|names| names.contains(&colour.as_str()))?;
    u8::try_from(index + 1).ok()
}

pub fn level_of_severity(severity: Severity) -> Option<u8> {
    match severity.to_oasis() {
        Severity::Extreme => Some(1),
        Severity::Severe => Some(2),
        Severity::Moderate => Some(3),
        Severity::Minor => Some(4),
        _ => None,
    }
}

/// A geocode for a division code (6-digit county or 9-digit township).
pub fn division_geocode(code: &str) -> ValuePair {
    ValuePair::new(DIVISION_GEOCODE, code)
}

/// The division codes of an area, whichever of the usual valueNames the sender used.
pub fn division_codes(area: &Area) -> Vec<&str> {
    area.geocodes
        .iter()
        .filter(|g| {
            DIVISION_GEOCODE_ALIASES
                .iter()
                .any(|a| a.eq_ignore_ascii_case(g.value_name.trim()))
        })
        .map(|g| g.value.as_str())
        .collect()
}
