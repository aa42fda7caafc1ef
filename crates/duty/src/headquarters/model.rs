//! Headquarters: kinds, positions, and the rules of a member and of copying a year.
//! Pure: no database, no clock.

use crate::rosters::model::code_enum;

code_enum! {
    /// 指挥部类别.
    HqKind {
        Flood = "flood", "防汛抗旱指挥部";
        ForestFire = "forest_fire", "森林草原防灭火指挥部";
        Safety = "safety", "安全生产委员会";
        Disaster = "disaster", "减灾委员会";
    }
}

code_enum! {
    /// 职位 in a headquarters.
    Position {
        Commander = "commander", "指挥长";
        Deputy = "deputy", "副指挥长";
        Member = "member", "成员单位";
    }
}

impl Position {
    pub fn is_leader(self) -> bool {
        !matches!(self, Self::Member)
    }
}

/// Why a headquarters change is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HqError {
    #[error("{year}年的{kind}已建立，不能重复建立")]
    Exists { year: i32, kind: &'static str },
    #[error("{year}年的{kind}已存在，不能再从上一年复制")]
    NextExists { year: i32, kind: &'static str },
}

/// The year a copy creates.
pub fn next_year(year: i32) -> i32 {
    year + 1
}

/// A headquarters' name: 三台县防汛抗旱指挥部.
pub fn name(county_name: &str, kind: HqKind) -> String {
    format!("{county_name}{}", kind.label())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_years_and_positions() {
        assert_eq!(name("三台县", HqKind::Flood), "三台县防汛抗旱指挥部");
        assert_eq!(next_year(2026), 2027);
        assert!(Position::Deputy.is_leader());
        assert!(!Position::Member.is_leader());
        assert_eq!(HqKind::parse("safety"), Some(HqKind::Safety));
        assert_eq!(HqKind::parse("castle"), None);
        assert_eq!(
            HqError::Exists {
                year: 2026,
                kind: HqKind::Flood.label()
            }
            .to_string(),
            "2026年的防汛抗旱指挥部已建立，不能重复建立"
        );
    }
}
