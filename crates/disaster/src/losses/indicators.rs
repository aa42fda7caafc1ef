//! The national loss indicators (自然灾害情况统计调查制度), one list that drives the entry form,
//! the checks, the XLSX columns and the DOCX. Values are stored as integers scaled by their
//! decimals (12.34 公顷 → 1234), so sums are plain SQL and a new indicator needs no migration.

use serde::Serialize;

/// One indicator of the quick-report form.
#[derive(Clone, Copy, Debug, Serialize, utoipa::ToSchema)]
pub struct Indicator {
    pub code: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    /// Digits after the point; the stored value is scaled by 10^decimals.
    pub decimals: u32,
    /// A running total since the process began (may not fall without a correction);
    /// false for "current" figures (当前安置, 当前需救助) that rise and fall.
    pub cumulative: bool,
    pub group: &'static str,
    /// Shown on the 初报 (key indicators); the other indicators may stay blank there.
    pub key: bool,
}

const fn ind(
    code: &'static str,
    label: &'static str,
    unit: &'static str,
    decimals: u32,
    cumulative: bool,
    group: &'static str,
    key: bool,
) -> Indicator {
    Indicator {
        code,
        label,
        unit,
        decimals,
        cumulative,
        group,
        key,
    }
}

pub const PEOPLE: &str = "人员受灾";
pub const HOUSES: &str = "房屋受损";
pub const CROPS: &str = "农作物及牲畜";
pub const FACILITIES: &str = "基础设施";
pub const LOSS: &str = "直接经济损失";

/// The groups in the order of the form.
pub const GROUPS: [&str; 5] = [PEOPLE, HOUSES, CROPS, FACILITIES, LOSS];

pub const ALL: &[Indicator] = &[
    ind("affected_people", "受灾人口", "人", 0, true, PEOPLE, true),
    ind("deaths", "因灾死亡", "人", 0, true, PEOPLE, true),
    ind("missing", "因灾失踪", "人", 0, true, PEOPLE, true),
    ind("injured", "因灾受伤", "人", 0, true, PEOPLE, false),
    ind("injured_severe", "其中重伤", "人", 0, true, PEOPLE, false),
    ind("evacuated", "紧急避险转移", "人", 0, true, PEOPLE, true),
    ind(
        "relocated",
        "紧急转移安置（累计）",
        "人",
        0,
        true,
        PEOPLE,
        true,
    ),
    ind(
        "relocated_now",
        "紧急转移安置（当前）",
        "人",
        0,
        false,
        PEOPLE,
        false,
    ),
    ind(
        "relocated_central",
        "其中集中安置",
        "人",
        0,
        true,
        PEOPLE,
        false,
    ),
    ind(
        "relocated_dispersed",
        "其中分散安置",
        "人",
        0,
        true,
        PEOPLE,
        false,
    ),
    ind("relocation_sites", "安置点", "个", 0, true, PEOPLE, false),
    ind(
        "need_relief",
        "需紧急生活救助（累计）",
        "人",
        0,
        true,
        PEOPLE,
        true,
    ),
    ind(
        "need_relief_now",
        "需紧急生活救助（当前）",
        "人",
        0,
        false,
        PEOPLE,
        false,
    ),
    ind(
        "need_transition",
        "需过渡期生活救助",
        "人",
        0,
        true,
        PEOPLE,
        false,
    ),
    ind(
        "drought_relief",
        "因旱需生活救助",
        "人",
        0,
        true,
        PEOPLE,
        false,
    ),
    ind(
        "drought_water",
        "其中饮水困难",
        "人",
        0,
        true,
        PEOPLE,
        false,
    ),
    ind("collapsed_rooms", "倒塌房屋", "间", 0, true, HOUSES, true),
    ind(
        "collapsed_households",
        "倒塌房屋",
        "户",
        0,
        true,
        HOUSES,
        true,
    ),
    ind("severe_rooms", "严重损坏房屋", "间", 0, true, HOUSES, true),
    ind(
        "severe_households",
        "严重损坏房屋",
        "户",
        0,
        true,
        HOUSES,
        true,
    ),
    ind("general_rooms", "一般损坏房屋", "间", 0, true, HOUSES, true),
    ind(
        "general_households",
        "一般损坏房屋",
        "户",
        0,
        true,
        HOUSES,
        true,
    ),
    ind(
        "crop_affected",
        "农作物受灾面积",
        "公顷",
        2,
        true,
        CROPS,
        true,
    ),
    ind("crop_failed", "其中成灾面积", "公顷", 2, true, CROPS, true),
    ind("crop_lost", "其中绝收面积", "公顷", 2, true, CROPS, true),
    ind(
        "livestock_dead",
        "死亡大牲畜",
        "头（只）",
        0,
        true,
        CROPS,
        false,
    ),
    ind("roads_km", "损坏公路", "公里", 2, true, FACILITIES, false),
    ind(
        "power_lines_km",
        "损坏输电线路",
        "公里",
        2,
        true,
        FACILITIES,
        false,
    ),
    ind(
        "comm_lines_km",
        "损坏通信线路",
        "公里",
        2,
        true,
        FACILITIES,
        false,
    ),
    ind("reservoirs", "损坏水库", "座", 0, true, FACILITIES, false),
    ind("dikes_km", "损坏堤防", "公里", 2, true, FACILITIES, false),
    ind("schools", "损坏学校", "所", 0, true, FACILITIES, false),
    ind(
        "hospitals",
        "损坏卫生机构",
        "个",
        0,
        true,
        FACILITIES,
        false,
    ),
    ind("loss_total", "直接经济损失", "万元", 2, true, LOSS, true),
    ind(
        "loss_housing",
        "其中房屋及居民家庭财产",
        "万元",
        2,
        true,
        LOSS,
        false,
    ),
    ind("loss_agriculture", "其中农业", "万元", 2, true, LOSS, false),
    ind(
        "loss_industry",
        "其中工矿商贸",
        "万元",
        2,
        true,
        LOSS,
        false,
    ),
    ind(
        "loss_infrastructure",
        "其中基础设施",
        "万元",
        2,
        true,
        LOSS,
        false,
    ),
    ind("loss_public", "其中公共服务", "万元", 2, true, LOSS, false),
    ind("loss_other", "其中其他", "万元", 2, true, LOSS, false),
];

/// The sectors whose sum may not exceed 直接经济损失.
pub const LOSS_SECTORS: [&str; 6] = [
    "loss_housing",
    "loss_agriculture",
    "loss_industry",
    "loss_infrastructure",
    "loss_public",
    "loss_other",
];

pub fn find(code: &str) -> Option<&'static Indicator> {
    ALL.iter().find(|i| i.code == code)
}

/// The indicators of one group, in form order.
pub fn of_group(group: &str) -> Vec<&'static Indicator> {
    ALL.iter().filter(|i| i.group == group).collect()
}

impl Indicator {
    /// "受灾人口（人）".
    pub fn title(&self) -> String {
        format!("{}（{}）", self.label, self.unit)
    }

    /// Parse a typed number exactly into the scaled integer; None when it is not a number
    /// with at most `decimals` digits after the point, or negative.
    pub fn parse(&self, text: &str) -> Option<i64> {
        let t = text.trim().replace([',', '，'], "");
        let (whole, fraction) = t.split_once('.').unwrap_or((&t, ""));
        let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() && fraction.is_empty()
            || !all_digits(whole)
            || !all_digits(fraction)
            || fraction.len() > self.decimals as usize
            || whole.len() > 12
        {
            return None;
        }
        let scale = 10i64.pow(self.decimals);
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let padded = format!("{fraction:0<width$}", width = self.decimals as usize);
        let fraction: i64 = if padded.is_empty() {
            0
        } else {
            padded.parse().ok()?
        };
        Some(whole * scale + fraction)
    }

    /// The scaled integer as written: 1234 → "12.34" for two decimals.
    pub fn format(&self, value: i64) -> String {
        if self.decimals == 0 {
            return value.to_string();
        }
        let scale = 10i64.pow(self.decimals);
        let sign = if value < 0 { "-" } else { "" };
        let v = value.abs();
        format!(
            "{sign}{}.{:0width$}",
            v / scale,
            v % scale,
            width = self.decimals as usize
        )
    }

    /// As a number for spreadsheets.
    pub fn as_f64(&self, value: i64) -> f64 {
        value as f64 / 10f64.powi(self.decimals as i32)
    }

    /// What a wrongly typed value is told.
    pub fn format_hint(&self) -> String {
        if self.decimals == 0 {
            format!("{}应为不小于 0 的整数", self.label)
        } else {
            format!(
                "{}应为不小于 0 的数字，最多 {} 位小数",
                self.label, self.decimals
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_parsed_exactly_and_written_back() {
        let ha = find("crop_affected").unwrap();
        assert_eq!(ha.parse("12.5"), Some(1250));
        assert_eq!(ha.parse("0.07"), Some(7));
        assert_eq!(ha.parse("1,200"), Some(120000));
        assert_eq!(ha.format(1250), "12.50");
        assert_eq!(ha.parse("1.234"), None);
        assert_eq!(ha.parse("-3"), None);
        assert_eq!(ha.parse("abc"), None);
        let people = find("affected_people").unwrap();
        assert_eq!(people.parse("300"), Some(300));
        assert_eq!(people.parse("3.5"), None);
        assert_eq!(people.format(300), "300");
    }

    #[test]
    fn codes_are_unique_and_groups_known() {
        let mut codes: Vec<_> = ALL.iter().map(|i| i.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), ALL.len());
        assert!(ALL.iter().all(|i| GROUPS.contains(&i.group)));
        assert!(LOSS_SECTORS.iter().all(|c| find(c).is_some()));
    }
}
