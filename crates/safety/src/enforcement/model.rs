//! 行政执法案件: the life of an administrative penalty case, from 立案 to 结案, and the numbers
//! it carries. Each transition is one function that checks its rule and returns the new state or
//! an error that says why not. Pure: no database, no clock.
//!
//! The response period before a decision (陈述申辩 / 听证): after the 行政处罚告知书 is served
//! the party has [`RESPONSE_DAYS_HEARING`] days to ask for a hearing when the intended penalty
//! carries a hearing right (a fine of at least [`HEARING_THRESHOLD_FEN`], 责令停产停业整顿, or
//! 吊销许可证; 行政处罚法 第六十三、六十四条), otherwise [`RESPONSE_DAYS`] days to state a defence.
//! The day of service is not counted (行政处罚法 第八十五条), so the earliest decision day is the
//! day after the period ends. A written waiver (当事人书面放弃陈述申辩和听证) lifts the wait.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate};
use platform::regions::model::document_stem;
use serde::{Deserialize, Serialize};

/// 较大数额罚款 for a 生产经营单位: fines from this amount carry the right to a hearing.
/// One constant so a province's own threshold is a one-line change.
pub const HEARING_THRESHOLD_FEN: i64 = 5_000_000; // 5 万元
/// Days to ask for a hearing when the penalty carries that right.
pub const RESPONSE_DAYS_HEARING: i64 = 5;
/// Days to state a defence otherwise.
pub const RESPONSE_DAYS: i64 = 3;

/// Where a case is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// 立案
    Filed,
    /// 调查取证
    Investigating,
    /// 已告知 — the 行政处罚告知书 was served.
    Notified,
    /// 已决定 — the penalty decision (or 不予处罚) was made.
    Decided,
    /// 执行中 — payments are coming in.
    Executing,
    /// 已结案
    Closed,
    /// 撤销立案
    Dismissed,
}

impl CaseState {
    pub const ALL: [CaseState; 7] = [
        Self::Filed,
        Self::Investigating,
        Self::Notified,
        Self::Decided,
        Self::Executing,
        Self::Closed,
        Self::Dismissed,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Filed => "立案",
            Self::Investigating => "调查取证",
            Self::Notified => "已告知",
            Self::Decided => "已决定",
            Self::Executing => "执行中",
            Self::Closed => "已结案",
            Self::Dismissed => "撤销立案",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Filed => "filed",
            Self::Investigating => "investigating",
            Self::Notified => "notified",
            Self::Decided => "decided",
            Self::Executing => "executing",
            Self::Closed => "closed",
            Self::Dismissed => "dismissed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Closed or dismissed: nothing may change any more (except the typical-case mark).
    pub fn is_final(self) -> bool {
        matches!(self, Self::Closed | Self::Dismissed)
    }
}

/// Other measures of a penalty decision besides the fine.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// 警告
    Warning,
    /// 责令停产停业整顿
    Suspension,
    /// 没收违法所得
    Confiscation,
    /// 暂扣许可证
    LicenceSuspended,
    /// 吊销许可证
    LicenceRevoked,
}

impl Measure {
    pub const ALL: [Measure; 5] = [
        Self::Warning,
        Self::Suspension,
        Self::Confiscation,
        Self::LicenceSuspended,
        Self::LicenceRevoked,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Warning => "警告",
            Self::Suspension => "责令停产停业整顿",
            Self::Confiscation => "没收违法所得",
            Self::LicenceSuspended => "暂扣许可证",
            Self::LicenceRevoked => "吊销许可证",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Warning => "warning",
            Self::Suspension => "suspension",
            Self::Confiscation => "confiscation",
            Self::LicenceSuspended => "licence_suspended",
            Self::LicenceRevoked => "licence_revoked",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code.trim())
    }

    /// Measures that give the party a right to a hearing.
    fn carries_hearing_right(self) -> bool {
        matches!(self, Self::Suspension | Self::LicenceRevoked)
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
    #[error("告知日期不能早于立案日期")]
    NoticeBeforeFiling,
    #[error("听证日期不能早于告知日期")]
    HearingBeforeNotice,
    #[error("当事人已书面放弃陈述申辩和听证，不能同时申请听证")]
    WaivedAndHearing,
    #[error("当事人陈述申辩期限未满，最早可于 {earliest} 作出决定（或由当事人书面放弃）")]
    ResponsePeriodRunning { earliest: NaiveDate },
    #[error("当事人申请了听证，须先登记听证日期")]
    HearingDateMissing,
    #[error("决定日期须在听证日期（{hearing}）之后")]
    DecisionNotAfterHearing { hearing: NaiveDate },
    #[error("罚款金额须大于 0")]
    FineNotPositive,
    #[error("行政处罚决定须有罚款或其他处罚种类")]
    PenaltyMissing,
    #[error("不予处罚须说明理由")]
    NoPenaltyReasonMissing,
    #[error("不予处罚的决定不能有罚款或其他处罚种类")]
    NoPenaltyWithPenalty,
    #[error("本案没有罚款，无需登记缴款")]
    NothingToPay,
    #[error("缴款金额须大于 0")]
    PaymentNotPositive,
    #[error("缴款日期不能早于决定日期")]
    PaymentBeforeDecision,
    #[error("缴款合计不能超过罚款金额，尚欠 {outstanding_yuan} 元")]
    Overpaid { outstanding_yuan: String },
    #[error("罚款尚未缴清（尚欠 {outstanding_yuan} 元），结案须说明原因，如申请法院强制执行")]
    UnpaidWithoutReason { outstanding_yuan: String },
    #[error("结案日期不能早于决定日期")]
    CloseBeforeDecision,
    #[error("撤销立案须说明理由")]
    DismissReasonMissing,
}

/// The rules' view of a case.
#[derive(Clone, Debug)]
pub struct Case {
    pub state: CaseState,
    pub filed_on: NaiveDate,
    pub notified_on: Option<NaiveDate>,
    pub hearing_requested: bool,
    pub hearing_on: Option<NaiveDate>,
    pub waived: bool,
    pub decided_on: Option<NaiveDate>,
    pub fine_fen: i64,
    /// The sum of the payments recorded so far.
    pub paid_fen: i64,
}

/// What a decision says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decision {
    pub decided_on: NaiveDate,
    pub fine_fen: i64,
    pub measures: BTreeSet<Measure>,
    /// `Some` for 不予处罚.
    pub no_penalty_reason: Option<String>,
}

fn refuse(from: CaseState, action: &'static str) -> TransitionError {
    TransitionError::NotAllowed {
        from: from.label(),
        action,
    }
}

fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

/// 开始调查: 立案 → 调查取证.
pub fn investigate(c: &Case) -> Result<CaseState, TransitionError> {
    match c.state {
        CaseState::Filed => Ok(CaseState::Investigating),
        other => Err(refuse(other, "开始调查")),
    }
}

/// 告知: the 行政处罚告知书 is served on `on`.
pub fn notify(c: &Case, on: NaiveDate) -> Result<CaseState, TransitionError> {
    if c.state != CaseState::Investigating {
        return Err(refuse(c.state, "送达告知书"));
    }
    if on < c.filed_on {
        return Err(TransitionError::NoticeBeforeFiling);
    }
    Ok(CaseState::Notified)
}

/// 陈述申辩 / 听证: record what the party asked for; the case stays notified.
pub fn record_response(
    c: &Case,
    hearing_requested: bool,
    hearing_on: Option<NaiveDate>,
    waived: bool,
) -> Result<CaseState, TransitionError> {
    if c.state != CaseState::Notified {
        return Err(refuse(c.state, "登记陈述申辩或听证"));
    }
    if waived && hearing_requested {
        return Err(TransitionError::WaivedAndHearing);
    }
    if let (Some(h), Some(n)) = (hearing_on, c.notified_on)
        && h < n
    {
        return Err(TransitionError::HearingBeforeNotice);
    }
    Ok(CaseState::Notified)
}

/// Whether the intended penalty gives the party the right to a hearing.
pub fn carries_hearing_right(fine_fen: i64, measures: &BTreeSet<Measure>) -> bool {
    fine_fen >= HEARING_THRESHOLD_FEN || measures.iter().any(|m| m.carries_hearing_right())
}

/// The days the party has to respond after the notice is served.
pub fn response_days(fine_fen: i64, measures: &BTreeSet<Measure>) -> i64 {
    if carries_hearing_right(fine_fen, measures) {
        RESPONSE_DAYS_HEARING
    } else {
        RESPONSE_DAYS
    }
}

/// The first day a decision may be made: the day after the response period ends.
pub fn earliest_decision(
    notified_on: NaiveDate,
    fine_fen: i64,
    measures: &BTreeSet<Measure>,
) -> NaiveDate {
    notified_on + Duration::days(response_days(fine_fen, measures) + 1)
}

/// 决定: a penalty decision, or 不予处罚 with its reason.
pub fn decide(c: &Case, d: &Decision) -> Result<CaseState, TransitionError> {
    if c.state != CaseState::Notified {
        return Err(refuse(c.state, "作出处罚决定"));
    }
    check_decision_content(d)?;
    let notified_on = c.notified_on.unwrap_or(c.filed_on);
    if !c.waived {
        let earliest = earliest_decision(notified_on, d.fine_fen, &d.measures);
        if d.decided_on < earliest {
            return Err(TransitionError::ResponsePeriodRunning { earliest });
        }
    }
    if c.hearing_requested {
        let Some(hearing) = c.hearing_on else {
            return Err(TransitionError::HearingDateMissing);
        };
        if d.decided_on <= hearing {
            return Err(TransitionError::DecisionNotAfterHearing { hearing });
        }
    }
    Ok(CaseState::Decided)
}

fn check_decision_content(d: &Decision) -> Result<(), TransitionError> {
    match &d.no_penalty_reason {
        Some(reason) => {
            if reason.trim().is_empty() {
                return Err(TransitionError::NoPenaltyReasonMissing);
            }
            if d.fine_fen != 0 || !d.measures.is_empty() {
                return Err(TransitionError::NoPenaltyWithPenalty);
            }
        }
        None => {
            if d.fine_fen < 0 {
                return Err(TransitionError::FineNotPositive);
            }
            if d.fine_fen == 0 && d.measures.is_empty() {
                return Err(TransitionError::PenaltyMissing);
            }
        }
    }
    Ok(())
}

/// 缴款: a payment of `amount_fen` on `on`; the first one starts execution.
pub fn pay(c: &Case, amount_fen: i64, on: NaiveDate) -> Result<CaseState, TransitionError> {
    if !matches!(c.state, CaseState::Decided | CaseState::Executing) {
        return Err(refuse(c.state, "登记缴款"));
    }
    if c.fine_fen <= 0 {
        return Err(TransitionError::NothingToPay);
    }
    if amount_fen <= 0 {
        return Err(TransitionError::PaymentNotPositive);
    }
    if c.decided_on.is_some_and(|d| on < d) {
        return Err(TransitionError::PaymentBeforeDecision);
    }
    let outstanding = c.fine_fen - c.paid_fen;
    if amount_fen > outstanding {
        return Err(TransitionError::Overpaid {
            outstanding_yuan: yuan(outstanding),
        });
    }
    Ok(CaseState::Executing)
}

/// 结案: the fine fully paid, or a recorded reason (e.g. 申请法院强制执行).
pub fn close(c: &Case, on: NaiveDate, reason: Option<&str>) -> Result<CaseState, TransitionError> {
    if !matches!(c.state, CaseState::Decided | CaseState::Executing) {
        return Err(refuse(c.state, "结案"));
    }
    if c.decided_on.is_some_and(|d| on < d) {
        return Err(TransitionError::CloseBeforeDecision);
    }
    let outstanding = c.fine_fen - c.paid_fen;
    if outstanding > 0 && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(TransitionError::UnpaidWithoutReason {
            outstanding_yuan: yuan(outstanding),
        });
    }
    Ok(CaseState::Closed)
}

/// 撤销立案: only before the notice, with a reason.
pub fn dismiss(c: &Case, reason: &str) -> Result<CaseState, TransitionError> {
    if !matches!(c.state, CaseState::Filed | CaseState::Investigating) {
        return Err(refuse(c.state, "撤销立案"));
    }
    if reason.trim().is_empty() {
        return Err(TransitionError::DismissReasonMissing);
    }
    Ok(CaseState::Dismissed)
}

/// A case number of a county's year, e.g. `AJ2026-0007`.
pub fn case_number(year: i32, seq: u32) -> String {
    format!("AJ{year}-{seq:04}")
}

/// A penalty decision's document number, e.g. `三台应急罚〔2026〕7号`: the county's name as
/// documents write it (`regions::model::document_stem`).
pub fn decision_number(county_name: &str, year: i32, seq: i32) -> String {
    format!("{}应急罚〔{year}〕{seq}号", document_stem(county_name))
}

/// The year a decision is numbered in.
pub fn decision_year(decided_on: NaiveDate) -> i32 {
    decided_on.year()
}

/// Officers' names as typed: blank ones dropped, at least two different people required.
pub fn officers_ok(names: &[String]) -> bool {
    let distinct: BTreeSet<&str> = names
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .collect();
    distinct.len() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn case(state: CaseState) -> Case {
        Case {
            state,
            filed_on: d("2026-03-01"),
            notified_on: Some(d("2026-03-10")),
            hearing_requested: false,
            hearing_on: None,
            waived: false,
            decided_on: None,
            fine_fen: 0,
            paid_fen: 0,
        }
    }

    fn fine(decided_on: &str, yuan: i64) -> Decision {
        Decision {
            decided_on: d(decided_on),
            fine_fen: yuan * 100,
            ..Default::default()
        }
    }

    #[test]
    fn the_happy_path_goes_forward_only() {
        let mut c = case(CaseState::Filed);
        assert_eq!(investigate(&c), Ok(CaseState::Investigating));
        c.state = CaseState::Investigating;
        assert_eq!(notify(&c, d("2026-03-10")), Ok(CaseState::Notified));
        c.state = CaseState::Notified;
        assert_eq!(
            decide(&c, &fine("2026-03-14", 10_000)),
            Ok(CaseState::Decided)
        );
        // No going back.
        c.state = CaseState::Decided;
        assert!(matches!(
            investigate(&c),
            Err(TransitionError::NotAllowed { .. })
        ));
        assert!(matches!(
            notify(&c, d("2026-03-20")),
            Err(TransitionError::NotAllowed { .. })
        ));
        assert!(matches!(
            decide(&c, &fine("2026-03-20", 1)),
            Err(TransitionError::NotAllowed { .. })
        ));
    }

    #[test]
    fn the_notice_cannot_precede_filing() {
        let c = case(CaseState::Investigating);
        assert_eq!(
            notify(&c, d("2026-02-28")),
            Err(TransitionError::NoticeBeforeFiling)
        );
    }

    #[test]
    fn the_response_period_is_three_days_or_five_with_a_hearing_right() {
        let c = case(CaseState::Notified); // notified 2026-03-10
        // 1 万元: 3 days (11, 12, 13), decision from the 14th.
        assert_eq!(
            decide(&c, &fine("2026-03-13", 10_000)),
            Err(TransitionError::ResponsePeriodRunning {
                earliest: d("2026-03-14")
            })
        );
        assert_eq!(
            decide(&c, &fine("2026-03-14", 10_000)),
            Ok(CaseState::Decided)
        );
        // 5 万元 reaches the hearing threshold: 5 days, decision from the 16th.
        assert!(decide(&c, &fine("2026-03-15", 50_000)).is_err());
        assert_eq!(
            decide(&c, &fine("2026-03-16", 50_000)),
            Ok(CaseState::Decided)
        );
        // 停产停业整顿 carries a hearing right whatever the fine.
        let mut suspension = fine("2026-03-15", 1_000);
        suspension.measures.insert(Measure::Suspension);
        assert!(decide(&c, &suspension).is_err());
        // A written waiver lifts the wait.
        let waived = Case { waived: true, ..c };
        assert_eq!(
            decide(&waived, &fine("2026-03-10", 50_000)),
            Ok(CaseState::Decided)
        );
    }

    #[test]
    fn a_requested_hearing_must_be_held_before_the_decision() {
        let mut c = case(CaseState::Notified);
        c.hearing_requested = true;
        assert_eq!(
            decide(&c, &fine("2026-03-20", 80_000)),
            Err(TransitionError::HearingDateMissing)
        );
        c.hearing_on = Some(d("2026-03-20"));
        assert_eq!(
            decide(&c, &fine("2026-03-20", 80_000)),
            Err(TransitionError::DecisionNotAfterHearing {
                hearing: d("2026-03-20")
            })
        );
        assert_eq!(
            decide(&c, &fine("2026-03-21", 80_000)),
            Ok(CaseState::Decided)
        );
    }

    #[test]
    fn responses_are_consistent() {
        let c = case(CaseState::Notified);
        assert_eq!(
            record_response(&c, true, None, true),
            Err(TransitionError::WaivedAndHearing)
        );
        assert_eq!(
            record_response(&c, true, Some(d("2026-03-09")), false),
            Err(TransitionError::HearingBeforeNotice)
        );
        assert_eq!(
            record_response(&c, true, Some(d("2026-03-15")), false),
            Ok(CaseState::Notified)
        );
        assert!(record_response(&case(CaseState::Filed), false, None, true).is_err());
    }

    #[test]
    fn a_decision_has_a_positive_fine_or_a_measure_or_a_reason_not_to_punish() {
        let c = Case {
            waived: true,
            ..case(CaseState::Notified)
        };
        assert_eq!(
            decide(&c, &fine("2026-03-20", -5)),
            Err(TransitionError::FineNotPositive)
        );
        assert_eq!(
            decide(&c, &fine("2026-03-20", 0)),
            Err(TransitionError::PenaltyMissing)
        );
        let mut warning = fine("2026-03-20", 0);
        warning.measures.insert(Measure::Warning);
        assert_eq!(decide(&c, &warning), Ok(CaseState::Decided));
        let mut none = fine("2026-03-20", 0);
        none.no_penalty_reason = Some(" ".into());
        assert_eq!(
            decide(&c, &none),
            Err(TransitionError::NoPenaltyReasonMissing)
        );
        none.no_penalty_reason = Some("违法行为轻微并及时改正，没有造成危害后果".into());
        assert_eq!(decide(&c, &none), Ok(CaseState::Decided));
        none.fine_fen = 100;
        assert_eq!(
            decide(&c, &none),
            Err(TransitionError::NoPenaltyWithPenalty)
        );
    }

    #[test]
    fn payments_add_up_to_the_fine_and_no_more() {
        let mut c = case(CaseState::Decided);
        c.decided_on = Some(d("2026-03-20"));
        c.fine_fen = 1_000_000;
        assert_eq!(
            pay(&c, 0, d("2026-03-21")),
            Err(TransitionError::PaymentNotPositive)
        );
        assert_eq!(
            pay(&c, 100, d("2026-03-19")),
            Err(TransitionError::PaymentBeforeDecision)
        );
        assert_eq!(pay(&c, 400_000, d("2026-03-21")), Ok(CaseState::Executing));
        c.state = CaseState::Executing;
        c.paid_fen = 400_000;
        assert_eq!(
            pay(&c, 600_001, d("2026-03-22")),
            Err(TransitionError::Overpaid {
                outstanding_yuan: "6000.00".into()
            })
        );
        assert_eq!(pay(&c, 600_000, d("2026-03-22")), Ok(CaseState::Executing));
        let free = Case { fine_fen: 0, ..c };
        assert_eq!(
            pay(&free, 1, d("2026-03-22")),
            Err(TransitionError::NothingToPay)
        );
    }

    #[test]
    fn closing_needs_the_fine_paid_or_a_reason() {
        let mut c = case(CaseState::Executing);
        c.decided_on = Some(d("2026-03-20"));
        c.fine_fen = 1_000_000;
        c.paid_fen = 400_000;
        assert_eq!(
            close(&c, d("2026-04-01"), None),
            Err(TransitionError::UnpaidWithoutReason {
                outstanding_yuan: "6000.00".into()
            })
        );
        assert_eq!(
            close(&c, d("2026-04-01"), Some("申请法院强制执行")),
            Ok(CaseState::Closed)
        );
        c.paid_fen = 1_000_000;
        assert_eq!(close(&c, d("2026-04-01"), None), Ok(CaseState::Closed));
        assert_eq!(
            close(&c, d("2026-03-19"), None),
            Err(TransitionError::CloseBeforeDecision)
        );
        assert!(close(&case(CaseState::Notified), d("2026-04-01"), Some("x")).is_err());
    }

    #[test]
    fn dismissal_only_before_the_notice_and_with_a_reason() {
        assert_eq!(
            dismiss(&case(CaseState::Filed), " "),
            Err(TransitionError::DismissReasonMissing)
        );
        assert_eq!(
            dismiss(&case(CaseState::Investigating), "违法事实不成立"),
            Ok(CaseState::Dismissed)
        );
        assert!(dismiss(&case(CaseState::Notified), "违法事实不成立").is_err());
    }

    #[test]
    fn numbers() {
        assert_eq!(case_number(2026, 7), "AJ2026-0007");
        assert_eq!(decision_number("三台县", 2026, 7), "三台应急罚〔2026〕7号");
        assert_eq!(
            decision_number("涪城区", 2026, 12),
            "涪城应急罚〔2026〕12号"
        );
        assert_eq!(decision_number("江油市", 2026, 1), "江油应急罚〔2026〕1号");
        // A one-character county keeps 县: 泾县, not 泾.
        assert_eq!(decision_number("泾县", 2026, 3), "泾县应急罚〔2026〕3号");
    }

    #[test]
    fn two_different_officers_are_required() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(!officers_ok(&names(&["张明"])));
        assert!(!officers_ok(&names(&["张明", " 张明 "])));
        assert!(!officers_ok(&names(&["张明", ""])));
        assert!(officers_ok(&names(&["张明", "李华"])));
    }
}
