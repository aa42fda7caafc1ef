//! 风险会商报告: risk levels of a judgment, the report's life (草稿 → 已印发 → 作废) and what
//! saving and issuing need. Pure: no database, no clock.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The series in the number: 三台应急**会商**〔2026〕3号 (one counter per county and year).
pub const SERIES: &str = "会商";

/// 风险等级 of a judgment. A consultation judges risk; it is not a warning, so it uses the
/// four risk grades (高/较高/中/低) rather than warning levels 一级–四级, shown in the same four
/// colours so that a 高 risk reads like a red warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// 高风险 (红)
    High,
    /// 较高风险 (橙)
    Elevated,
    /// 中风险 (黄)
    Moderate,
    /// 低风险 (蓝)
    Low,
}

impl RiskLevel {
    pub const ALL: [RiskLevel; 4] = [Self::High, Self::Elevated, Self::Moderate, Self::Low];

    pub fn code(self) -> &'static str {
        match self {
            Self::High => "high",
            Self::Elevated => "elevated",
            Self::Moderate => "moderate",
            Self::Low => "low",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::High => "高",
            Self::Elevated => "较高",
            Self::Moderate => "中",
            Self::Low => "低",
        }
    }

    /// The tag colour (the CSS classes of the shared stylesheet).
    pub fn colour(self) -> &'static str {
        match self {
            Self::High => "red",
            Self::Elevated => "orange",
            Self::Moderate => "yellow",
            Self::Low => "blue",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// 报告状态.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationState {
    /// 草稿 — editable, seen only at the county.
    Draft,
    /// 已印发 — numbered, frozen, readable by the county's townships.
    Issued,
    /// 作废 — withdrawn with a reason; its number is never given again.
    Voided,
}

impl ConsultationState {
    pub const ALL: [ConsultationState; 3] = [Self::Draft, Self::Issued, Self::Voided];

    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Issued => "issued",
            Self::Voided => "voided",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "草稿",
            Self::Issued => "已印发",
            Self::Voided => "作废",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Why a report, or a change to it, is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConsultationError {
    #[error("会商报告当前为「{from}」，不能{action}")]
    NotAllowed {
        from: &'static str,
        action: &'static str,
    },
    #[error("会商时段的结束日期不能早于开始日期")]
    PeriodReversed,
    #[error("会商时段不超过一年")]
    PeriodTooLong,
    #[error("印发前请至少填写一条风险研判")]
    NoJudgments,
    #[error("印发前请至少选择一个参会部门")]
    NoDepartments,
    #[error("印发前请填写防范措施建议")]
    MeasuresMissing,
    #[error("印发前请填写签发人")]
    IssuerMissing,
    #[error("作废须说明原因")]
    ReasonMissing,
}

impl ConsultationError {
    /// The form field the message belongs beside, if any.
    pub fn field(&self) -> Option<&'static str> {
        Some(match self {
            Self::PeriodReversed | Self::PeriodTooLong => "period_to",
            Self::NoJudgments => "judgments",
            Self::NoDepartments => "departments",
            Self::MeasuresMissing => "measures",
            Self::IssuerMissing => "issuer",
            Self::ReasonMissing => "reason",
            Self::NotAllowed { .. } => return None,
        })
    }
}

fn refuse(from: ConsultationState, action: &'static str) -> ConsultationError {
    ConsultationError::NotAllowed {
        from: from.label(),
        action,
    }
}

/// The period covered runs forward and within a year.
pub fn check_period(from: NaiveDate, to: NaiveDate) -> Result<(), ConsultationError> {
    if to < from {
        return Err(ConsultationError::PeriodReversed);
    }
    if (to - from).num_days() > 366 {
        return Err(ConsultationError::PeriodTooLong);
    }
    Ok(())
}

/// Only a draft is edited: an issued report is frozen as printed.
pub fn check_edit(state: ConsultationState) -> Result<(), ConsultationError> {
    match state {
        ConsultationState::Draft => Ok(()),
        other => Err(refuse(other, "修改")),
    }
}

/// What issuing looks at.
pub struct Draft<'a> {
    pub state: ConsultationState,
    pub judgments: usize,
    pub departments: usize,
    pub measures: &'a str,
    pub issuer: &'a str,
}

/// 印发: a draft with its judgments, participants, measures and issuer becomes a numbered report.
/// Every missing piece is reported at once, so the clerk fixes them in one go.
pub fn issue(d: &Draft) -> Result<ConsultationState, Vec<ConsultationError>> {
    if d.state != ConsultationState::Draft {
        return Err(vec![refuse(d.state, "印发")]);
    }
    let missing: Vec<ConsultationError> = [
        (d.judgments == 0, ConsultationError::NoJudgments),
        (d.departments == 0, ConsultationError::NoDepartments),
        (
            d.measures.trim().is_empty(),
            ConsultationError::MeasuresMissing,
        ),
        (d.issuer.trim().is_empty(), ConsultationError::IssuerMissing),
    ]
    .into_iter()
    .filter_map(|(bad, e)| bad.then_some(e))
    .collect();
    if missing.is_empty() {
        Ok(ConsultationState::Issued)
    } else {
        Err(missing)
    }
}

/// 作废: drafts and issued reports, with a reason; the number stays with the voided report.
pub fn void(
    state: ConsultationState,
    reason: &str,
) -> Result<ConsultationState, ConsultationError> {
    if state == ConsultationState::Voided {
        return Err(refuse(state, "再次作废"));
    }
    if reason.trim().is_empty() {
        return Err(ConsultationError::ReasonMissing);
    }
    Ok(ConsultationState::Voided)
}

/// The number's prefix: 三台 + 应急会商 (the county's document stem comes from the regions).
pub fn number_prefix(county_stem: &str) -> String {
    format!("{county_stem}应急{SERIES}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn draft<'a>(judgments: usize, measures: &'a str, issuer: &'a str) -> Draft<'a> {
        Draft {
            state: ConsultationState::Draft,
            judgments,
            departments: 3,
            measures,
            issuer,
        }
    }

    #[test]
    fn codes_round_trip() {
        for l in RiskLevel::ALL {
            assert_eq!(RiskLevel::parse(l.code()), Some(l));
        }
        for s in ConsultationState::ALL {
            assert_eq!(ConsultationState::parse(s.code()), Some(s));
        }
        assert_eq!(RiskLevel::parse("red"), None);
        assert_eq!(RiskLevel::High.colour(), "red");
        assert_eq!(RiskLevel::Elevated.label(), "较高");
    }

    #[test]
    fn the_period_runs_forward_within_a_year() {
        assert!(check_period(day("2026-06-01"), day("2026-06-10")).is_ok());
        assert!(check_period(day("2026-06-01"), day("2026-06-01")).is_ok());
        assert_eq!(
            check_period(day("2026-06-10"), day("2026-06-01")),
            Err(ConsultationError::PeriodReversed)
        );
        assert_eq!(
            check_period(day("2026-01-01"), day("2027-06-01")),
            Err(ConsultationError::PeriodTooLong)
        );
    }

    #[test]
    fn issuing_needs_judgments_measures_and_an_issuer() {
        assert_eq!(
            issue(&draft(1, "加强巡查", "陈局长")),
            Ok(ConsultationState::Issued)
        );
        assert_eq!(
            issue(&draft(0, " ", "")),
            Err(vec![
                ConsultationError::NoJudgments,
                ConsultationError::MeasuresMissing,
                ConsultationError::IssuerMissing
            ])
        );
        let mut d = draft(1, "加强巡查", "陈局长");
        d.departments = 0;
        assert_eq!(issue(&d), Err(vec![ConsultationError::NoDepartments]));
    }

    #[test]
    fn only_drafts_are_edited_or_issued() {
        assert!(check_edit(ConsultationState::Draft).is_ok());
        assert!(check_edit(ConsultationState::Issued).is_err());
        assert!(check_edit(ConsultationState::Voided).is_err());
        let mut d = draft(1, "加强巡查", "陈局长");
        d.state = ConsultationState::Issued;
        assert!(matches!(
            issue(&d).unwrap_err()[0],
            ConsultationError::NotAllowed { .. }
        ));
    }

    #[test]
    fn voiding_needs_a_reason_and_happens_once() {
        assert_eq!(
            void(ConsultationState::Issued, ""),
            Err(ConsultationError::ReasonMissing)
        );
        assert_eq!(
            void(ConsultationState::Issued, "研判依据有误"),
            Ok(ConsultationState::Voided)
        );
        assert_eq!(
            void(ConsultationState::Draft, "重复拟稿"),
            Ok(ConsultationState::Voided)
        );
        assert!(void(ConsultationState::Voided, "再次").is_err());
    }

    #[test]
    fn numbers_name_the_county_and_series() {
        assert_eq!(number_prefix("三台"), "三台应急会商");
    }
}
