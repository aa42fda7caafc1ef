//! 生产安全事故: grading, the report clock, the casualty-revision window (续报) and the
//! investigation steps 已报告 → 调查中 → 已批复 → 已公开. Each transition is one function that checks
//! its rule and returns the new state or says why not. Pure rules, no database, no clock.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// 事故等级, ordered from least to most severe.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AccidentGrade {
    /// 一般事故
    Ordinary,
    /// 较大事故
    Larger,
    /// 重大事故
    Major,
    /// 特别重大事故
    ExtraordinaryMajor,
}

impl AccidentGrade {
    pub const ALL: [Self; 4] = [
        Self::Ordinary,
        Self::Larger,
        Self::Major,
        Self::ExtraordinaryMajor,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Ordinary => "ordinary",
            Self::Larger => "larger",
            Self::Major => "major",
            Self::ExtraordinaryMajor => "extraordinary_major",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }

    /// The tag colour: 特别重大 red, 重大 orange, 较大 yellow, 一般 blue.
    pub fn class(self) -> &'static str {
        match self {
            Self::ExtraordinaryMajor => "red",
            Self::Major => "orange",
            Self::Larger => "yellow",
            Self::Ordinary => "blue",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Ordinary => "一般事故",
            Self::Larger => "较大事故",
            Self::Major => "重大事故",
            Self::ExtraordinaryMajor => "特别重大事故",
        }
    }
}

/// What an accident cost: the figures the grade is judged on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Casualties {
    pub deaths: u32,
    pub serious_injuries: u32,
    /// 直接经济损失, in fen.
    pub direct_loss_fen: i64,
}

const YUAN: i64 = 100;
const WAN: i64 = 10_000 * YUAN;

fn by_deaths(n: u32) -> AccidentGrade {
    match n {
        30.. => AccidentGrade::ExtraordinaryMajor,
        10..=29 => AccidentGrade::Major,
        3..=9 => AccidentGrade::Larger,
        _ => AccidentGrade::Ordinary,
    }
}

fn by_serious_injuries(n: u32) -> AccidentGrade {
    match n {
        100.. => AccidentGrade::ExtraordinaryMajor,
        50..=99 => AccidentGrade::Major,
        10..=49 => AccidentGrade::Larger,
        _ => AccidentGrade::Ordinary,
    }
}

fn by_loss(fen: i64) -> AccidentGrade {
    match fen {
        f if f >= 10_000 * WAN => AccidentGrade::ExtraordinaryMajor,
        f if f >= 5_000 * WAN => AccidentGrade::Major,
        f if f >= 1_000 * WAN => AccidentGrade::Larger,
        _ => AccidentGrade::Ordinary,
    }
}

/// The grade is the highest any criterion reaches (以上 includes the bound, 以下 excludes it).
pub fn grade(c: Casualties) -> AccidentGrade {
    by_deaths(c.deaths)
        .max(by_serious_injuries(c.serious_injuries))
        .max(by_loss(c.direct_loss_fen))
}

/// A unit must report to the county bureau within one hour of the accident.
pub const REPORT_LIMIT: Duration = Duration::hours(1);

/// Reported later than the limit allows (迟报).
pub fn reported_late(occurred_at: DateTime<Utc>, reported_at: DateTime<Utc>) -> bool {
    reported_at - occurred_at > REPORT_LIMIT
}

/// How much later than the limit a report came, e.g. `1小时25分`; `None` when on time.
pub fn lateness(occurred_at: DateTime<Utc>, reported_at: DateTime<Utc>) -> Option<String> {
    if !reported_late(occurred_at, reported_at) {
        return None;
    }
    Some(duration_label(reported_at - occurred_at - REPORT_LIMIT))
}

/// A duration in whole days, hours and minutes as people say it: `2天3小时`, `1小时25分`, `5分`.
pub fn duration_label(d: Duration) -> String {
    let minutes = d.num_minutes().max(0);
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let mut out = String::new();
    if days > 0 {
        out.push_str(&format!("{days}天"));
    }
    if hours > 0 {
        out.push_str(&format!("{hours}小时"));
    }
    if mins > 0 || out.is_empty() {
        out.push_str(&format!("{mins}分"));
    }
    out
}

/// 续报: casualty changes are added within 30 days of the accident, but within 7 days for road
/// traffic and fire accidents (《生产安全事故报告和调查处理条例》第十三条). Which types those are is
/// decided by the type's label in the edition the record was classified under: GB 6441-1986 says
/// 车辆伤害 and 火灾, GB 6441-2025 says 道路（轨道）车辆致害, 厂（场）内车辆致害 and 火灾, and a
/// locally added type may say 交通. Labels, not codes, because the codes differ between editions.
pub fn revision_window(type_label: &str) -> Duration {
    if ["车辆", "交通", "火灾"]
        .iter()
        .any(|word| type_label.contains(word))
    {
        Duration::days(7)
    } else {
        Duration::days(30)
    }
}

/// A casualty revision at `now` is still allowed.
pub fn may_revise(occurred_at: DateTime<Utc>, now: DateTime<Utc>, type_label: &str) -> bool {
    now - occurred_at <= revision_window(type_label)
}

/// Where an accident's investigation stands. Forward only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccidentState {
    /// 已报告
    Reported,
    /// 调查中
    Investigating,
    /// 已批复 — the investigation report was approved.
    Approved,
    /// 已公开 — the results were published.
    Published,
}

impl AccidentState {
    pub const ALL: [Self; 4] = [
        Self::Reported,
        Self::Investigating,
        Self::Approved,
        Self::Published,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Reported => "reported",
            Self::Investigating => "investigating",
            Self::Approved => "approved",
            Self::Published => "published",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Reported => "已报告",
            Self::Investigating => "调查中",
            Self::Approved => "已批复",
            Self::Published => "已公开",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Why a transition is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransitionError {
    /// Not from this state (each step follows the one before; no going back).
    NotAllowed {
        from: AccidentState,
        to: AccidentState,
    },
    LeadRequired,
    StartBeforeOccurrence,
    StartDateRequired,
    ApprovedBeforeStart,
    ApprovalRequired,
    PublishedBeforeApproval,
    ChannelRequired,
    InTheFuture,
}

impl std::fmt::Display for TransitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAllowed { from, to } => {
                write!(f, "事故处于「{}」，不能{}", from.label(), step_name(*to))
            }
            Self::LeadRequired => write!(f, "请填写调查牵头单位"),
            Self::StartBeforeOccurrence => write!(f, "调查开始日期不能早于事故发生日期"),
            Self::StartDateRequired => write!(f, "尚无调查开始日期，不能批复"),
            Self::ApprovedBeforeStart => write!(f, "批复日期不能早于调查开始日期"),
            Self::ApprovalRequired => write!(f, "调查报告尚未批复，不能公开"),
            Self::PublishedBeforeApproval => write!(f, "公开日期不能早于批复日期"),
            Self::ChannelRequired => write!(f, "请填写公开渠道"),
            Self::InTheFuture => write!(f, "日期不能晚于今天"),
        }
    }
}

fn step_name(to: AccidentState) -> &'static str {
    match to {
        AccidentState::Reported => "退回已报告",
        AccidentState::Investigating => "开始调查",
        AccidentState::Approved => "批复调查报告",
        AccidentState::Published => "公开调查结果",
    }
}

fn from(
    state: AccidentState,
    expected: AccidentState,
    to: AccidentState,
) -> Result<(), TransitionError> {
    if state == expected {
        Ok(())
    } else {
        Err(TransitionError::NotAllowed { from: state, to })
    }
}

/// 开始调查: from 已报告, with a lead unit, on or after the day of the accident, not in the future.
pub fn start_investigation(
    state: AccidentState,
    occurred_on: NaiveDate,
    lead: &str,
    started_on: NaiveDate,
    today: NaiveDate,
) -> Result<AccidentState, TransitionError> {
    let to = AccidentState::Investigating;
    from(state, AccidentState::Reported, to)?;
    if lead.trim().is_empty() {
        return Err(TransitionError::LeadRequired);
    }
    if started_on < occurred_on {
        return Err(TransitionError::StartBeforeOccurrence);
    }
    if started_on > today {
        return Err(TransitionError::InTheFuture);
    }
    Ok(to)
}

/// 批复: from 调查中; needs a start date and is approved on or after it.
pub fn approve(
    state: AccidentState,
    started_on: Option<NaiveDate>,
    approved_on: NaiveDate,
    today: NaiveDate,
) -> Result<AccidentState, TransitionError> {
    let to = AccidentState::Approved;
    from(state, AccidentState::Investigating, to)?;
    let started = started_on.ok_or(TransitionError::StartDateRequired)?;
    if approved_on < started {
        return Err(TransitionError::ApprovedBeforeStart);
    }
    if approved_on > today {
        return Err(TransitionError::InTheFuture);
    }
    Ok(to)
}

/// 公开: from 已批复 only (publication needs approval), on or after approval, naming the channel.
pub fn publish(
    state: AccidentState,
    approved_on: Option<NaiveDate>,
    published_on: NaiveDate,
    channel: &str,
    today: NaiveDate,
) -> Result<AccidentState, TransitionError> {
    let to = AccidentState::Published;
    if state == AccidentState::Reported || state == AccidentState::Investigating {
        return Err(TransitionError::ApprovalRequired);
    }
    from(state, AccidentState::Approved, to)?;
    let approved = approved_on.ok_or(TransitionError::ApprovalRequired)?;
    if published_on < approved {
        return Err(TransitionError::PublishedBeforeApproval);
    }
    if channel.trim().is_empty() {
        return Err(TransitionError::ChannelRequired);
    }
    if published_on > today {
        return Err(TransitionError::InTheFuture);
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use AccidentGrade::*;

    fn c(deaths: u32, serious_injuries: u32, loss_wan: i64) -> Casualties {
        Casualties {
            deaths,
            serious_injuries,
            direct_loss_fen: loss_wan * WAN,
        }
    }

    #[test]
    fn boundaries_of_deaths() {
        assert_eq!(grade(c(2, 0, 0)), Ordinary);
        assert_eq!(grade(c(3, 0, 0)), Larger);
        assert_eq!(grade(c(9, 0, 0)), Larger);
        assert_eq!(grade(c(10, 0, 0)), Major);
        assert_eq!(grade(c(29, 0, 0)), Major);
        assert_eq!(grade(c(30, 0, 0)), ExtraordinaryMajor);
    }

    #[test]
    fn boundaries_of_serious_injuries() {
        assert_eq!(grade(c(0, 9, 0)), Ordinary);
        assert_eq!(grade(c(0, 10, 0)), Larger);
        assert_eq!(grade(c(0, 49, 0)), Larger);
        assert_eq!(grade(c(0, 50, 0)), Major);
        assert_eq!(grade(c(0, 100, 0)), ExtraordinaryMajor);
    }

    #[test]
    fn boundaries_of_direct_loss() {
        assert_eq!(
            grade(Casualties {
                direct_loss_fen: 1_000 * WAN - 1,
                ..Default::default()
            }),
            Ordinary
        );
        assert_eq!(grade(c(0, 0, 1_000)), Larger);
        assert_eq!(grade(c(0, 0, 5_000)), Major);
        assert_eq!(grade(c(0, 0, 10_000)), ExtraordinaryMajor);
    }

    #[test]
    fn the_highest_criterion_decides() {
        assert_eq!(grade(c(1, 12, 100)), Larger);
        assert_eq!(grade(c(3, 60, 0)), Major);
    }

    #[test]
    fn reports_after_one_hour_are_late() {
        let t = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        assert!(!reported_late(t, t + Duration::minutes(60)));
        assert!(reported_late(t, t + Duration::minutes(61)));
    }

    #[test]
    fn lateness_counts_past_the_limit() {
        let t = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        assert_eq!(lateness(t, t + Duration::minutes(60)), None);
        assert_eq!(
            lateness(t, t + Duration::minutes(145)).as_deref(),
            Some("1小时25分")
        );
        assert_eq!(
            lateness(t, t + Duration::minutes(61)).as_deref(),
            Some("1分")
        );
        assert_eq!(
            duration_label(Duration::minutes(2 * 1440 + 180)),
            "2天3小时"
        );
    }

    #[test]
    fn road_traffic_and_fire_have_seven_days_to_revise() {
        for label in [
            "车辆伤害",
            "道路（轨道）车辆致害",
            "厂（场）内车辆致害",
            "火灾",
            "道路交通事故",
        ] {
            assert_eq!(revision_window(label), Duration::days(7), "{label}");
        }
        for label in ["物体打击", "高处坠落", "中毒和窒息", "机械致害"] {
            assert_eq!(revision_window(label), Duration::days(30), "{label}");
        }
        let t = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        assert!(may_revise(t, t + Duration::days(7), "火灾"));
        assert!(!may_revise(
            t,
            t + Duration::days(7) + Duration::minutes(1),
            "火灾"
        ));
        assert!(may_revise(t, t + Duration::days(30), "物体打击"));
        assert!(!may_revise(t, t + Duration::days(31), "物体打击"));
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, d).unwrap()
    }

    #[test]
    fn the_investigation_goes_forward_step_by_step() {
        use AccidentState::*;
        let today = day(30);
        assert_eq!(
            start_investigation(Reported, day(1), "县应急管理局", day(2), today),
            Ok(Investigating)
        );
        assert_eq!(
            start_investigation(Reported, day(2), " ", day(2), today),
            Err(TransitionError::LeadRequired)
        );
        assert_eq!(
            start_investigation(Reported, day(2), "县应急管理局", day(1), today),
            Err(TransitionError::StartBeforeOccurrence)
        );
        assert_eq!(
            approve(Investigating, Some(day(2)), day(16), today),
            Ok(Approved)
        );
        assert_eq!(
            approve(Investigating, Some(day(2)), day(1), today),
            Err(TransitionError::ApprovedBeforeStart)
        );
        assert_eq!(
            approve(Investigating, None, day(16), today),
            Err(TransitionError::StartDateRequired)
        );
        assert_eq!(
            publish(Approved, Some(day(16)), day(20), "县政府网站", today),
            Ok(Published)
        );
        assert_eq!(
            publish(Approved, Some(day(16)), day(15), "县政府网站", today),
            Err(TransitionError::PublishedBeforeApproval)
        );
        assert_eq!(
            publish(Approved, Some(day(16)), day(20), "", today),
            Err(TransitionError::ChannelRequired)
        );
        assert_eq!(
            approve(
                Investigating,
                Some(day(2)),
                today + Duration::days(1),
                today
            ),
            Err(TransitionError::InTheFuture)
        );
    }

    #[test]
    fn no_skipping_and_no_going_back() {
        use AccidentState::*;
        let today = day(30);
        assert_eq!(
            publish(Reported, None, day(20), "县政府网站", today),
            Err(TransitionError::ApprovalRequired)
        );
        assert_eq!(
            approve(Reported, Some(day(2)), day(3), today),
            Err(TransitionError::NotAllowed {
                from: Reported,
                to: Approved
            })
        );
        assert_eq!(
            start_investigation(Published, day(1), "县应急管理局", day(2), today),
            Err(TransitionError::NotAllowed {
                from: Published,
                to: Investigating
            })
        );
        assert_eq!(
            publish(Published, Some(day(16)), day(20), "县政府网站", today),
            Err(TransitionError::NotAllowed {
                from: Published,
                to: Published
            })
        );
    }

    #[test]
    fn grade_and_state_codes_round_trip() {
        for g in AccidentGrade::ALL {
            assert_eq!(AccidentGrade::parse(g.code()), Some(g));
        }
        for s in AccidentState::ALL {
            assert_eq!(AccidentState::parse(s.code()), Some(s));
        }
        assert_eq!(Larger.class(), "yellow");
    }
}
