//! The fire-grade table (森林火灾等级), with no database.

use serde::Serialize;

/// 森林火灾等级 (the fire-grade table): the highest grade any measure reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FireGrade {
    /// 一般: < 1 ha, or 1–2 deaths, or 1–9 seriously injured.
    Ordinary,
    /// 较大: 1–<100 ha, 3–9 deaths, 10–49 injured.
    Larger,
    /// 重大: 100–<1000 ha, 10–29 deaths, 50–99 injured.
    Major,
    /// 特别重大: ≥ 1000 ha, ≥ 30 deaths, ≥ 100 injured.
    Extraordinary,
}

impl FireGrade {
    pub fn label(self) -> &'static str {
        match self {
            Self::Ordinary => "一般森林火灾",
            Self::Larger => "较大森林火灾",
            Self::Major => "重大森林火灾",
            Self::Extraordinary => "特别重大森林火灾",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Ordinary => "ordinary",
            Self::Larger => "larger",
            Self::Major => "major",
            Self::Extraordinary => "extraordinary",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            Self::Ordinary,
            Self::Larger,
            Self::Major,
            Self::Extraordinary,
        ]
        .into_iter()
        .find(|g| g.code() == code)
    }
}

/// The grade of a forest fire from the area burned (hectares), deaths and serious injuries.
pub fn fire_grade(area_ha: f64, deaths: i32, injured: i32) -> FireGrade {
    let by_area = if area_ha >= 1000.0 {
        FireGrade::Extraordinary
    } else if area_ha >= 100.0 {
        FireGrade::Major
    } else if area_ha >= 1.0 {
        FireGrade::Larger
    } else {
        FireGrade::Ordinary
    };
    let by_deaths = match deaths {
        30.. => FireGrade::Extraordinary,
        10..=29 => FireGrade::Major,
        3..=9 => FireGrade::Larger,
        _ => FireGrade::Ordinary,
    };
    let by_injured = match injured {
        100.. => FireGrade::Extraordinary,
        50..=99 => FireGrade::Major,
        10..=49 => FireGrade::Larger,
        _ => FireGrade::Ordinary,
    };
    by_area.max(by_deaths).max(by_injured)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_follow_the_table_at_each_edge() {
        assert_eq!(fire_grade(0.5, 0, 0), FireGrade::Ordinary);
        assert_eq!(fire_grade(0.99, 2, 9), FireGrade::Ordinary);
        assert_eq!(fire_grade(1.0, 0, 0), FireGrade::Larger);
        assert_eq!(fire_grade(99.9, 0, 0), FireGrade::Larger);
        assert_eq!(fire_grade(100.0, 0, 0), FireGrade::Major);
        assert_eq!(fire_grade(1000.0, 0, 0), FireGrade::Extraordinary);
        assert_eq!(fire_grade(0.1, 3, 0), FireGrade::Larger);
        assert_eq!(fire_grade(0.1, 10, 0), FireGrade::Major);
        assert_eq!(fire_grade(0.1, 30, 0), FireGrade::Extraordinary);
        assert_eq!(fire_grade(0.1, 0, 10), FireGrade::Larger);
        assert_eq!(fire_grade(0.1, 0, 50), FireGrade::Major);
        assert_eq!(fire_grade(5.0, 0, 100), FireGrade::Extraordinary);
    }
}
