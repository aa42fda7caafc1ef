//! 事故隐患: grades, the "five in place" (五落实), and the closed loop from registration to
//! closing (销号). Each transition is one function that checks its rule and returns the new
//! state or an error that says why not. Pure: no database, no clock.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// 隐患等级. Kept open to provincial sub-levels of major hazards later.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HazardGrade {
    /// 一般事故隐患
    General,
    /// 重大事故隐患
    Major,
}

impl HazardGrade {
    pub fn label(self) -> &'static str {
        match self {
            Self::General => "一般隐患",
            Self::Major => "重大隐患",
        }
    }
}

/// Where a hazard is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HazardState {
    /// 登记
    Registered,
    /// 已下达整改 — a rectification notice with a deadline was issued.
    NoticeIssued,
    /// 整改中
    Rectifying,
    /// 待复查 — the unit reports it fixed, with evidence.
    AwaitingReview,
    /// 复查通过
    ReviewPassed,
    /// 已销号
    Closed,
}

impl HazardState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Registered => "登记",
            Self::NoticeIssued => "已下达整改",
            Self::Rectifying => "整改中",
            Self::AwaitingReview => "待复查",
            Self::ReviewPassed => "复查通过",
            Self::Closed => "已销号",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::NoticeIssued => "notice_issued",
            Self::Rectifying => "rectifying",
            Self::AwaitingReview => "awaiting_review",
            Self::ReviewPassed => "review_passed",
            Self::Closed => "closed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            Self::Registered,
            Self::NoticeIssued,
            Self::Rectifying,
            Self::AwaitingReview,
            Self::ReviewPassed,
            Self::Closed,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// Still needs work (counts as open in statistics).
    pub fn is_open(self) -> bool {
        !matches!(self, Self::ReviewPassed | Self::Closed)
    }
}

/// 五落实: the five things a major hazard's rectification must have before the notice goes out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FiveInPlace {
    /// 责任落实: who answers for the fix.
    pub responsible: Option<String>,
    /// 措施落实: what will be done.
    pub measures: Option<String>,
    /// 资金落实: how much money, in fen.
    pub funds_fen: Option<i64>,
    /// 时限落实: by when.
    pub deadline: Option<NaiveDate>,
    /// 预案落实: what if it fails meanwhile.
    pub contingency: Option<String>,
}

impl FiveInPlace {
    /// The Chinese names of what is missing, in the usual order.
    pub fn missing(&self) -> Vec<&'static str> {
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|t| t.trim().is_empty());
        let mut missing = Vec::new();
        if blank(&self.responsible) {
            missing.push("责任");
        }
        if blank(&self.measures) {
            missing.push("措施");
        }
        if self.funds_fen.is_none_or(|f| f < 0) {
            missing.push("资金");
        }
        if self.deadline.is_none() {
            missing.push("时限");
        }
        if blank(&self.contingency) {
            missing.push("预案");
        }
        missing
    }
}

/// Why a transition is refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("当前状态为「{from}」，不能{action}")]
    NotAllowed {
        from: &'static str,
        action: &'static str,
    },
    #[error("整改期限不能早于发现日期")]
    DeadlineBeforeDiscovery,
    #[error("重大隐患下达整改前须五落实，尚缺：{0}")]
    FiveInPlaceMissing(String),
    #[error("重大隐患须注明判定标准及条款")]
    CriterionMissing,
    #[error("复查不通过须说明原因")]
    ReasonRequired,
    #[error("申请复查须附整改情况说明或照片")]
    EvidenceRequired,
}

/// What the rules need to know about a hazard.
pub struct Hazard<'a> {
    pub state: HazardState,
    pub grade: HazardGrade,
    pub discovered_on: NaiveDate,
    /// For major hazards: the sector standard and item it was judged under.
    pub criterion: Option<&'a str>,
    pub five_in_place: &'a FiveInPlace,
}

fn refuse(from: HazardState, action: &'static str) -> TransitionError {
    TransitionError::NotAllowed {
        from: from.label(),
        action,
    }
}

/// 下达整改: issue the rectification notice with its deadline.
pub fn issue_notice(h: &Hazard, deadline: NaiveDate) -> Result<HazardState, TransitionError> {
    if h.state != HazardState::Registered {
        return Err(refuse(h.state, "下达整改"));
    }
    if deadline < h.discovered_on {
        return Err(TransitionError::DeadlineBeforeDiscovery);
    }
    if h.grade == HazardGrade::Major {
        if h.criterion.is_none_or(|c| c.trim().is_empty()) {
            return Err(TransitionError::CriterionMissing);
        }
        let missing = h.five_in_place.missing();
        if !missing.is_empty() {
            return Err(TransitionError::FiveInPlaceMissing(missing.join("、")));
        }
    }
    Ok(HazardState::NoticeIssued)
}

/// 开始整改: the unit starts work.
pub fn start_rectification(h: &Hazard) -> Result<HazardState, TransitionError> {
    match h.state {
        HazardState::NoticeIssued => Ok(HazardState::Rectifying),
        other => Err(refuse(other, "开始整改")),
    }
}

/// 申请复查: the unit reports the hazard fixed, with evidence.
pub fn request_review(h: &Hazard, evidence: &str) -> Result<HazardState, TransitionError> {
    if !matches!(h.state, HazardState::NoticeIssued | HazardState::Rectifying) {
        return Err(refuse(h.state, "申请复查"));
    }
    if evidence.trim().is_empty() {
        return Err(TransitionError::EvidenceRequired);
    }
    Ok(HazardState::AwaitingReview)
}

/// 复查: on-site review; a failure sends the hazard back to rectification with the reasons.
pub fn review(h: &Hazard, passed: bool, reasons: &str) -> Result<HazardState, TransitionError> {
    if h.state != HazardState::AwaitingReview {
        return Err(refuse(h.state, "复查"));
    }
    if passed {
        return Ok(HazardState::ReviewPassed);
    }
    if reasons.trim().is_empty() {
        return Err(TransitionError::ReasonRequired);
    }
    Ok(HazardState::Rectifying)
}

/// 销号: only after a passed review.
pub fn close(h: &Hazard) -> Result<HazardState, TransitionError> {
    match h.state {
        HazardState::ReviewPassed => Ok(HazardState::Closed),
        other => Err(refuse(other, "销号")),
    }
}

/// 逾期: past the deadline and not yet reported fixed.
pub fn is_overdue(state: HazardState, deadline: Option<NaiveDate>, today: NaiveDate) -> bool {
    matches!(state, HazardState::NoticeIssued | HazardState::Rectifying)
        && deadline.is_some_and(|d| today > d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, d).unwrap()
    }

    fn complete() -> FiveInPlace {
        FiveInPlace {
            responsible: Some("厂长 张三".into()),
            measures: Some("更换防爆电气".into()),
            funds_fen: Some(5_000_000),
            deadline: Some(day(30)),
            contingency: Some("停用该车间并设警戒".into()),
        }
    }

    fn hazard<'a>(state: HazardState, grade: HazardGrade, five: &'a FiveInPlace) -> Hazard<'a> {
        Hazard {
            state,
            grade,
            discovered_on: day(10),
            criterion: Some("工贸 第四条第（一）项"),
            five_in_place: five,
        }
    }

    #[test]
    fn a_general_hazard_walks_the_whole_loop_including_a_failed_review() {
        let five = FiveInPlace::default();
        let mut h = hazard(HazardState::Registered, HazardGrade::General, &five);
        h.state = issue_notice(&h, day(20)).unwrap();
        h.state = start_rectification(&h).unwrap();
        h.state = request_review(&h, "已更换灭火器，附照片").unwrap();
        h.state = review(&h, false, "仍有一处通道堵塞").unwrap();
        assert_eq!(h.state, HazardState::Rectifying);
        h.state = request_review(&h, "通道已清理").unwrap();
        h.state = review(&h, true, "").unwrap();
        h.state = close(&h).unwrap();
        assert_eq!(h.state, HazardState::Closed);
    }

    #[test]
    fn closing_without_a_passed_review_is_refused() {
        let five = FiveInPlace::default();
        for state in [
            HazardState::Registered,
            HazardState::Rectifying,
            HazardState::AwaitingReview,
        ] {
            let err = close(&hazard(state, HazardGrade::General, &five)).unwrap_err();
            assert!(err.to_string().contains("不能销号"), "{err}");
        }
    }

    #[test]
    fn a_deadline_before_discovery_is_refused() {
        let five = FiveInPlace::default();
        let h = hazard(HazardState::Registered, HazardGrade::General, &five);
        assert_eq!(
            issue_notice(&h, day(9)),
            Err(TransitionError::DeadlineBeforeDiscovery)
        );
        assert_eq!(issue_notice(&h, day(10)), Ok(HazardState::NoticeIssued));
    }

    #[test]
    fn a_major_hazard_needs_its_criterion_and_all_five_in_place() {
        let partial = FiveInPlace {
            responsible: Some("张三".into()),
            funds_fen: Some(0),
            ..Default::default()
        };
        let h = hazard(HazardState::Registered, HazardGrade::Major, &partial);
        assert_eq!(
            issue_notice(&h, day(20)),
            Err(TransitionError::FiveInPlaceMissing(
                "措施、时限、预案".into()
            ))
        );
        let five = complete();
        let mut h = hazard(HazardState::Registered, HazardGrade::Major, &five);
        h.criterion = None;
        assert_eq!(
            issue_notice(&h, day(20)),
            Err(TransitionError::CriterionMissing)
        );
        h.criterion = Some("化工和危险化学品 第（三）项");
        assert_eq!(issue_notice(&h, day(20)), Ok(HazardState::NoticeIssued));
    }

    #[test]
    fn a_failed_review_needs_reasons_and_a_review_request_needs_evidence() {
        let five = FiveInPlace::default();
        let h = hazard(HazardState::AwaitingReview, HazardGrade::General, &five);
        assert_eq!(
            review(&h, false, "  "),
            Err(TransitionError::ReasonRequired)
        );
        let h = hazard(HazardState::Rectifying, HazardGrade::General, &five);
        assert_eq!(
            request_review(&h, ""),
            Err(TransitionError::EvidenceRequired)
        );
        let h = hazard(HazardState::Registered, HazardGrade::General, &five);
        assert!(request_review(&h, "照片").is_err(), "no notice yet");
    }

    #[test]
    fn overdue_means_past_the_deadline_and_not_yet_reported_fixed() {
        assert!(!is_overdue(HazardState::Rectifying, Some(day(20)), day(20)));
        assert!(is_overdue(HazardState::Rectifying, Some(day(20)), day(21)));
        assert!(is_overdue(
            HazardState::NoticeIssued,
            Some(day(20)),
            day(21)
        ));
        assert!(!is_overdue(
            HazardState::AwaitingReview,
            Some(day(20)),
            day(25)
        ));
        assert!(!is_overdue(HazardState::Closed, Some(day(20)), day(25)));
        assert!(!is_overdue(HazardState::Registered, None, day(25)));
    }

    #[test]
    fn state_codes_round_trip() {
        for code in [
            "registered",
            "notice_issued",
            "rectifying",
            "awaiting_review",
            "review_passed",
            "closed",
        ] {
            assert_eq!(HazardState::parse(code).map(|s| s.code()), Some(code));
        }
        assert_eq!(HazardState::parse("deleted"), None);
    }
}
