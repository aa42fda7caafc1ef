//! The rules: fire-danger levels (QX/T 77-2007), a day's counts per level, which townships a
//! burn ban is for, and when a ban may be issued at all.

use serde::{Deserialize, Serialize};

/// 森林火险气象等级.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum Level {
    /// 一级 低 (绿)
    Low = 1,
    /// 二级 较低 (蓝)
    Lower = 2,
    /// 三级 较高 (黄)
    Higher = 3,
    /// 四级 高 (橙)
    High = 4,
    /// 五级 极高 (红)
    Extreme = 5,
}

impl From<Level> for u8 {
    fn from(l: Level) -> u8 {
        l as u8
    }
}

impl TryFrom<u8> for Level {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        Level::from_number(i64::from(n)).ok_or_else(|| format!("火险等级应为 1–5，收到 {n}"))
    }
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Low,
        Level::Lower,
        Level::Higher,
        Level::High,
        Level::Extreme,
    ];

    pub fn from_number(n: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|l| *l as i64 == n)
    }

    pub fn number(self) -> u8 {
        self as u8
    }

    /// 低, 较低, 较高, 高, 极高.
    pub fn label(self) -> &'static str {
        match self {
            Level::Low => "低",
            Level::Lower => "较低",
            Level::Higher => "较高",
            Level::High => "高",
            Level::Extreme => "极高",
        }
    }

    /// 绿, 蓝, 黄, 橙, 红.
    pub fn colour(self) -> &'static str {
        match self {
            Level::Low => "绿",
            Level::Lower => "蓝",
            Level::Higher => "黄",
            Level::High => "橙",
            Level::Extreme => "红",
        }
    }

    /// The stylesheet's tag class.
    pub fn tone(self) -> &'static str {
        match self {
            Level::Low => "green",
            Level::Lower => "blue",
            Level::Higher => "yellow",
            Level::High => "orange",
            Level::Extreme => "red",
        }
    }

    /// e.g. 四级 高（橙）.
    pub fn full_label(self) -> String {
        let n = ["", "一", "二", "三", "四", "五"][self as usize];
        format!("{n}级 {}（{}）", self.label(), self.colour())
    }

    /// Levels 3–5 are high danger.
    pub fn is_high_danger(self) -> bool {
        self >= Level::Higher
    }

    /// Orange and red bring a burn ban.
    pub fn brings_ban(self) -> bool {
        self >= Level::High
    }

    /// A level as people write it: 1–5 (also 一级, 4级), the name (低…极高) or the colour
    /// (绿/蓝/黄/橙/红, with or without 色).
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let t = t.strip_suffix('级').unwrap_or(t);
        let t = t.strip_suffix('色').unwrap_or(t);
        if let Ok(n) = t.parse::<i64>() {
            return Self::from_number(n);
        }
        Self::ALL.into_iter().find(|l| {
            let n = ["", "一", "二", "三", "四", "五"][*l as usize];
            t == l.label()
                || t == l.colour()
                || t == n
                || t == format!("{}（{}）", l.label(), l.colour())
                || t == format!("{}({})", l.label(), l.colour())
        })
    }

    /// Choices for a select: (number, label).
    pub fn options() -> Vec<(u8, String)> {
        Self::ALL
            .into_iter()
            .map(|l| (l.number(), l.full_label()))
            .collect()
    }
}

/// How many townships stand at each level (index 0 = level 1).
pub fn counts<'a>(levels: impl IntoIterator<Item = &'a Level>) -> [usize; 5] {
    let mut out = [0; 5];
    for l in levels {
        out[*l as usize - 1] += 1;
    }
    out
}

/// The townships at orange or red, in the order given.
pub fn ban_townships<'a>(levels: impl IntoIterator<Item = (&'a str, Level)>) -> Vec<String> {
    levels
        .into_iter()
        .filter(|(_, l)| l.brings_ban())
        .map(|(t, _)| t.to_string())
        .collect()
}

/// Why a ban is refused, if it is: with no township at orange or red, only with the override
/// ticked and a reason given.
pub fn ban_refusal(
    eligible: usize,
    override_ticked: bool,
    reason: Option<&str>,
) -> Option<(&'static str, &'static str)> {
    if eligible > 0 {
        return None;
    }
    if !override_ticked {
        return Some((
            "override",
            "当日火险预报没有乡镇达到橙色或红色，不能发布禁火令；确需发布请勾选“特殊情况发布”并填写理由",
        ));
    }
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        None => Some(("override_reason", "请填写特殊情况发布的理由")),
        Some(_) => None,
    }
}

/// The default text of a ban from the day and the townships' names.
pub fn ban_text(day: chrono::NaiveDate, townships: &[String], until: chrono::NaiveDate) -> String {
    format!(
        "据{}森林火险气象等级预报，{}森林火险等级达到高（橙色）及以上。为严防森林草原火灾，即日起至{}，\
         在上述区域林区及林缘 100 米范围内严禁一切野外用火：严禁烧荒、烧田埂、烧秸秆、烧灰积肥，\
         严禁上坟烧纸、燃放烟花爆竹、吸烟、野炊、烤火等行为。各乡镇（街道）要落实包片责任，\
         加强巡山护林和卡口值守，发现火情立即处置并报告。违者依法从严处理。",
        platform::web::letter::written_date(day),
        townships.join("、"),
        platform::web::letter::written_date(until),
    )
}

/// Document kinds of the conclusions-and-letters ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// 火险预警研判结论
    Conclusion,
    /// 督促函
    UrgingLetter,
}

impl DocKind {
    pub const ALL: [DocKind; 2] = [DocKind::Conclusion, DocKind::UrgingLetter];

    pub fn code(self) -> &'static str {
        match self {
            DocKind::Conclusion => "conclusion",
            DocKind::UrgingLetter => "urging_letter",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DocKind::Conclusion => "火险预警研判结论",
            DocKind::UrgingLetter => "督促函",
        }
    }

    /// The document mark in the number: 三台火险研判〔2026〕1号, 三台防火督〔2026〕1号.
    pub fn mark(self) -> &'static str {
        match self {
            DocKind::Conclusion => "火险研判",
            DocKind::UrgingLetter => "防火督",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code || k.label() == code)
    }

    pub fn options() -> Vec<(&'static str, &'static str)> {
        Self::ALL
            .into_iter()
            .map(|k| (k.code(), k.label()))
            .collect()
    }
}

/// The burn-ban series mark: 三台禁火令〔2026〕3号.
pub const BAN_MARK: &str = "禁火令";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_read_as_written() {
        assert_eq!(Level::parse("4"), Some(Level::High));
        assert_eq!(Level::parse("四级"), Some(Level::High));
        assert_eq!(Level::parse("极高"), Some(Level::Extreme));
        assert_eq!(Level::parse("较高"), Some(Level::Higher));
        assert_eq!(Level::parse("高"), Some(Level::High));
        assert_eq!(Level::parse("橙色"), Some(Level::High));
        assert_eq!(Level::parse("绿"), Some(Level::Low));
        assert_eq!(Level::parse("低（绿）"), Some(Level::Low));
        assert_eq!(Level::parse("6"), None);
        assert_eq!(Level::parse("0"), None);
        assert_eq!(Level::parse("很高"), None);
        assert_eq!(Level::High.full_label(), "四级 高（橙）");
    }

    #[test]
    fn high_danger_and_bans() {
        assert!(!Level::Lower.is_high_danger());
        assert!(Level::Higher.is_high_danger());
        assert!(!Level::Higher.brings_ban());
        assert!(Level::High.brings_ban() && Level::Extreme.brings_ban());
        let day = [
            ("a", Level::High),
            ("b", Level::Higher),
            ("c", Level::Extreme),
        ];
        assert_eq!(ban_townships(day), vec!["a", "c"]);
        assert_eq!(
            counts(&[Level::High, Level::High, Level::Low]),
            [1, 0, 0, 2, 0]
        );
    }

    #[test]
    fn a_ban_without_orange_needs_the_override_and_a_reason() {
        assert_eq!(ban_refusal(2, false, None), None);
        assert_eq!(ban_refusal(0, false, None).map(|r| r.0), Some("override"));
        assert_eq!(
            ban_refusal(0, true, Some("  ")).map(|r| r.0),
            Some("override_reason")
        );
        assert_eq!(ban_refusal(0, true, Some("清明祭扫")), None);
    }

    #[test]
    fn serialises_as_number() {
        assert_eq!(serde_json::to_string(&Level::High).unwrap(), "4");
        assert!(serde_json::from_str::<Level>("7").is_err());
    }
}
