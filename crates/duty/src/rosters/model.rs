//! Duty periods, their shifts and who may stand them. Pure: no database, no clock.
//!
//! A period runs from its first to its last day; each day has one 24-hour shift starting at the
//! period's handover time (default 08:30), or a day and a night shift of 12 hours each. Times
//! are the county's (UTC+8); shifts are stored as UTC instants so that overlaps between
//! periods are plain comparisons.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use uuid::Uuid;

/// The usual handover time.
pub const DEFAULT_START: &str = "08:30";
/// The usual number of duty officers per shift.
pub const DEFAULT_MIN_OFFICERS: i32 = 2;
/// A period is at most a year long (a flood season is about five months).
pub const MAX_DAYS: i64 = 366;

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal, $label:literal;)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }

            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// `(code, label)` pairs for a select.
            pub fn options() -> Vec<(&'static str, &'static str)> {
                Self::ALL.iter().map(|v| (v.code(), v.label())).collect()
            }
        }
    };
}
pub(crate) use code_enum;

code_enum! {
    /// 值班类型.
    PeriodKind {
        Flood = "flood", "防汛";
        ForestFire = "forest_fire", "森林防灭火";
        MajorEvent = "major_event", "重大活动";
        Holiday = "holiday", "节假日";
    }
}

code_enum! {
    /// 班次安排: one 24-hour shift a day, or a day and a night shift.
    ShiftPattern {
        FullDay = "full_day", "24小时一班";
        DayNight = "day_night", "白班、夜班两班";
    }
}

code_enum! {
    /// Which shift of the day.
    Slot {
        Full = "full", "全天班";
        Day = "day", "白班";
        Night = "night", "夜班";
    }
}

code_enum! {
    /// 岗位 in a shift.
    Post {
        Leader = "leader", "带班领导";
        Officer = "officer", "值班员";
    }
}

/// Why a period, a roster or a swap is refused. Messages are shown to users as they are.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RosterError {
    #[error("结束日期不能早于开始日期")]
    PeriodReversed,
    #[error("值班期不超过一年（366 天）")]
    PeriodTooLong,
    #[error("交接班时间格式应为 08:30")]
    BadStartTime,
    #[error("每班最少值班人数应为 1 至 10 人")]
    MinOfficers,
    #[error("{name} 不是局领导（带班领导须由具有“局领导”角色的账号担任）")]
    NotALeader { name: String },
    #[error("{name} 没有值班权限或不在本县，不能排班")]
    NotRosterable { name: String },
    #[error("{name} 在同一班次中被重复安排")]
    Twice { name: String },
    #[error("{name} 已安排在「{shift}」值班，与本班次时间重叠")]
    Overlap { name: String, shift: String },
    #[error("换班申请当前为「{from}」，不能{action}")]
    SwapNotPending {
        from: &'static str,
        action: &'static str,
    },
    #[error("不能审批自己提出的换班申请")]
    OwnSwap,
    #[error("不能与自己换班")]
    SwapWithSelf,
    #[error("只能为自己的班次申请换班")]
    NotYourShift,
    #[error("对方不在所选的对调班次中值班")]
    CounterpartNotOnShift,
    #[error("已开始或已结束的班次不能换班")]
    ShiftStarted,
}

impl RosterError {
    /// The form field the message belongs beside, if any.
    pub fn field(&self) -> Option<&'static str> {
        Some(match self {
            Self::PeriodReversed | Self::PeriodTooLong => "ends_on",
            Self::BadStartTime => "shift_start",
            Self::MinOfficers => "min_officers",
            Self::NotALeader { .. } => "leader_id",
            Self::SwapWithSelf => "with_user_id",
            Self::CounterpartNotOnShift => "with_shift_id",
            Self::NotRosterable { .. } | Self::Twice { .. } | Self::Overlap { .. } => "officer_ids",
            _ => return None,
        })
    }
}

/// The period's days run forward, within a year.
pub fn check_period(from: NaiveDate, to: NaiveDate) -> Result<(), RosterError> {
    if to < from {
        return Err(RosterError::PeriodReversed);
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(RosterError::PeriodTooLong);
    }
    Ok(())
}

/// `08:30` (also `8:30`).
pub fn parse_start(text: &str) -> Result<NaiveTime, RosterError> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| RosterError::BadStartTime)
}

pub fn check_min_officers(n: i32) -> Result<(), RosterError> {
    match n {
        1..=10 => Ok(()),
        _ => Err(RosterError::MinOfficers),
    }
}

/// A county-local date and time as a UTC instant.
pub fn local_instant(day: NaiveDate, at: NaiveTime) -> DateTime<Utc> {
    (day.and_time(at) - Duration::hours(8)).and_utc()
}

/// The county-local date an instant falls on.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(8)).date_naive()
}

/// One shift of a period, before it is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShiftTime {
    pub day: NaiveDate,
    pub slot: Slot,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// Every shift of a period, in order; they tile the period without gaps or overlaps.
pub fn shifts(
    from: NaiveDate,
    to: NaiveDate,
    pattern: ShiftPattern,
    start: NaiveTime,
) -> Vec<ShiftTime> {
    let mut out = Vec::new();
    let mut day = from;
    while day <= to {
        let begin = local_instant(day, start);
        let next = begin + Duration::days(1);
        match pattern {
            ShiftPattern::FullDay => out.push(ShiftTime {
                day,
                slot: Slot::Full,
                starts_at: begin,
                ends_at: next,
            }),
            ShiftPattern::DayNight => {
                let half = begin + Duration::hours(12);
                out.push(ShiftTime {
                    day,
                    slot: Slot::Day,
                    starts_at: begin,
                    ends_at: half,
                });
                out.push(ShiftTime {
                    day,
                    slot: Slot::Night,
                    starts_at: half,
                    ends_at: next,
                });
            }
        }
        match day.succ_opt() {
            Some(next_day) => day = next_day,
            None => break,
        }
    }
    out
}

/// `2026-06-07 全天班（06-07 08:30 至 06-08 08:30）`.
pub fn shift_label(
    day: NaiveDate,
    slot: Slot,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> String {
    let local = |at: DateTime<Utc>| (at + Duration::hours(8)).format("%m-%d %H:%M").to_string();
    format!(
        "{day} {}（{} 至 {}）",
        slot.label(),
        local(starts_at),
        local(ends_at)
    )
}

/// Whether two half-open time windows share any instant (a handover at 08:30 is not a clash).
pub fn overlaps(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// A person proposed for a shift, as the store found them.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub user_id: Uuid,
    pub name: String,
    /// Holds the 局领导 role.
    pub is_leader: bool,
    /// Enabled, in the county, and holding the duty permission.
    pub rosterable: bool,
}

/// A shift someone already stands elsewhere.
#[derive(Clone, Debug)]
pub struct Busy {
    pub user_id: Uuid,
    pub label: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// Check one shift's roster: the leader slot takes a leader; nobody twice; nobody on another
/// shift at the same time. Every problem is reported, each with its field.
pub fn check_roster(
    window: (DateTime<Utc>, DateTime<Utc>),
    leader: Option<&Candidate>,
    officers: &[Candidate],
    busy: &[Busy],
) -> Vec<RosterError> {
    let mut errors = Vec::new();
    if let Some(l) = leader {
        if !l.is_leader {
            errors.push(RosterError::NotALeader {
                name: l.name.clone(),
            });
        } else if !l.rosterable {
            errors.push(RosterError::NotRosterable {
                name: l.name.clone(),
            });
        }
    }
    let mut seen: Vec<Uuid> = leader.map(|l| l.user_id).into_iter().collect();
    for o in officers {
        if seen.contains(&o.user_id) {
            errors.push(RosterError::Twice {
                name: o.name.clone(),
            });
            continue;
        }
        seen.push(o.user_id);
        if !o.rosterable {
            errors.push(RosterError::NotRosterable {
                name: o.name.clone(),
            });
        }
    }
    for person in leader.into_iter().chain(officers) {
        if let Some(b) = busy
            .iter()
            .find(|b| b.user_id == person.user_id && overlaps(window, (b.starts_at, b.ends_at)))
        {
            let e = RosterError::Overlap {
                name: person.name.clone(),
                shift: b.label.clone(),
            };
            if !errors.contains(&e) {
                errors.push(e);
            }
        }
    }
    errors
}

/// What the gap check looks at for one shift.
#[derive(Clone, Debug)]
pub struct Staffing {
    pub has_leader: bool,
    pub officers: usize,
}

/// 缺岗: a shift without a leader, or with fewer officers than the period asks for.
pub fn gap_reason(s: &Staffing, min_officers: i32) -> Option<String> {
    let short = (min_officers.max(0) as usize).saturating_sub(s.officers);
    match (s.has_leader, short) {
        (true, 0) => None,
        (false, 0) => Some("缺带班领导".to_string()),
        (true, n) => Some(format!("值班员缺 {n} 人")),
        (false, n) => Some(format!("缺带班领导，值班员缺 {n} 人")),
    }
}

code_enum! {
    /// 换班申请状态.
    SwapState {
        Pending = "pending", "待审批";
        Approved = "approved", "已同意";
        Rejected = "rejected", "已驳回";
    }
}

impl SwapState {
    pub fn colour(self) -> &'static str {
        match self {
            Self::Pending => "orange",
            Self::Approved => "green",
            Self::Rejected => "gray",
        }
    }
}

/// 审批: only a pending request, never by the one who asked.
pub fn decide(
    state: SwapState,
    requester: Uuid,
    decider: Uuid,
    approve: bool,
) -> Result<SwapState, RosterError> {
    if state != SwapState::Pending {
        return Err(RosterError::SwapNotPending {
            from: state.label(),
            action: if approve { "同意" } else { "驳回" },
        });
    }
    if requester == decider {
        return Err(RosterError::OwnSwap);
    }
    Ok(if approve {
        SwapState::Approved
    } else {
        SwapState::Rejected
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn person(name: &str, is_leader: bool) -> Candidate {
        Candidate {
            user_id: Uuid::now_v7(),
            name: name.into(),
            is_leader,
            rosterable: true,
        }
    }

    #[test]
    fn codes_round_trip() {
        for k in PeriodKind::ALL {
            assert_eq!(PeriodKind::parse(k.code()), Some(*k));
        }
        for s in Slot::ALL {
            assert_eq!(Slot::parse(s.code()), Some(*s));
        }
        assert_eq!(PeriodKind::Flood.label(), "防汛");
        assert_eq!(ShiftPattern::parse("weekly"), None);
    }

    #[test]
    fn a_period_runs_forward_within_a_year() {
        assert!(check_period(day("2026-06-01"), day("2026-09-30")).is_ok());
        assert!(check_period(day("2026-06-01"), day("2026-06-01")).is_ok());
        assert_eq!(
            check_period(day("2026-06-30"), day("2026-06-01")),
            Err(RosterError::PeriodReversed)
        );
        assert_eq!(
            check_period(day("2026-01-01"), day("2027-01-02")),
            Err(RosterError::PeriodTooLong)
        );
    }

    #[test]
    fn handover_times_and_minimum_officers() {
        assert_eq!(
            parse_start("08:30"),
            Ok(NaiveTime::from_hms_opt(8, 30, 0).unwrap())
        );
        assert_eq!(
            parse_start("8:30"),
            Ok(NaiveTime::from_hms_opt(8, 30, 0).unwrap())
        );
        assert_eq!(parse_start("25:00"), Err(RosterError::BadStartTime));
        assert_eq!(parse_start("早上"), Err(RosterError::BadStartTime));
        assert!(check_min_officers(2).is_ok());
        assert!(check_min_officers(0).is_err());
        assert!(check_min_officers(11).is_err());
    }

    #[test]
    fn full_day_shifts_start_at_the_handover_time_in_utc_plus_8() {
        let start = parse_start("08:30").unwrap();
        let all = shifts(
            day("2026-06-01"),
            day("2026-06-30"),
            ShiftPattern::FullDay,
            start,
        );
        assert_eq!(all.len(), 30);
        assert_eq!(all[0].starts_at, at("2026-06-01T00:30:00Z"));
        assert_eq!(all[0].ends_at, at("2026-06-02T00:30:00Z"));
        assert_eq!(all[1].starts_at, all[0].ends_at);
        assert_eq!(all[29].day, day("2026-06-30"));
    }

    #[test]
    fn day_and_night_shifts_tile_the_day() {
        let start = parse_start("08:00").unwrap();
        let all = shifts(
            day("2026-10-01"),
            day("2026-10-07"),
            ShiftPattern::DayNight,
            start,
        );
        assert_eq!(all.len(), 14);
        assert_eq!((all[0].slot, all[1].slot), (Slot::Day, Slot::Night));
        assert_eq!(all[0].ends_at, all[1].starts_at);
        assert_eq!(all[1].ends_at, all[2].starts_at);
        assert_eq!(all[1].starts_at, at("2026-10-01T12:00:00Z"));
        assert_eq!(local_day(all[1].starts_at), day("2026-10-01"));
    }

    #[test]
    fn the_leader_slot_takes_only_a_leader() {
        let window = (at("2026-06-01T00:30:00Z"), at("2026-06-02T00:30:00Z"));
        let officer = person("郑值班", false);
        let errors = check_roster(window, Some(&officer), &[], &[]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field(), Some("leader_id"));
        assert!(errors[0].to_string().contains("郑值班 不是局领导"));
        let leader = person("陈局长", true);
        assert!(check_roster(window, Some(&leader), &[officer], &[]).is_empty());
    }

    #[test]
    fn one_person_cannot_stand_overlapping_shifts() {
        let window = (at("2026-06-07T01:00:00Z"), at("2026-06-08T01:00:00Z"));
        let officer = person("郑值班", false);
        let elsewhere = Busy {
            user_id: officer.user_id,
            label: "防汛值班 2026-06-07 全天班".into(),
            starts_at: at("2026-06-07T00:30:00Z"),
            ends_at: at("2026-06-08T00:30:00Z"),
        };
        let errors = check_roster(
            window,
            None,
            std::slice::from_ref(&officer),
            std::slice::from_ref(&elsewhere),
        );
        assert_eq!(
            errors,
            vec![RosterError::Overlap {
                name: "郑值班".into(),
                shift: "防汛值班 2026-06-07 全天班".into()
            }]
        );
        assert!(
            errors[0]
                .to_string()
                .contains("「防汛值班 2026-06-07 全天班」")
        );
        // The next day's shift only touches it at the handover: no clash.
        let next = (at("2026-06-08T00:30:00Z"), at("2026-06-09T00:30:00Z"));
        assert!(check_roster(next, None, std::slice::from_ref(&officer), &[elsewhere]).is_empty());
        // Twice in the same shift is refused too.
        let twice = check_roster(next, None, &[officer.clone(), officer], &[]);
        assert!(matches!(twice[0], RosterError::Twice { .. }));
    }

    #[test]
    fn gaps_name_what_is_missing() {
        let full = Staffing {
            has_leader: true,
            officers: 2,
        };
        assert_eq!(gap_reason(&full, 2), None);
        let no_leader = Staffing {
            has_leader: false,
            officers: 2,
        };
        assert_eq!(gap_reason(&no_leader, 2).as_deref(), Some("缺带班领导"));
        let short = Staffing {
            has_leader: true,
            officers: 1,
        };
        assert_eq!(gap_reason(&short, 2).as_deref(), Some("值班员缺 1 人"));
        let empty = Staffing {
            has_leader: false,
            officers: 0,
        };
        assert_eq!(
            gap_reason(&empty, 2).as_deref(),
            Some("缺带班领导，值班员缺 2 人")
        );
    }

    #[test]
    fn swaps_are_decided_once_and_not_by_the_asker() {
        let (asker, owner) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(
            decide(SwapState::Pending, asker, owner, true),
            Ok(SwapState::Approved)
        );
        assert_eq!(
            decide(SwapState::Pending, asker, owner, false),
            Ok(SwapState::Rejected)
        );
        assert_eq!(
            decide(SwapState::Pending, asker, asker, true),
            Err(RosterError::OwnSwap)
        );
        assert!(matches!(
            decide(SwapState::Approved, asker, owner, false),
            Err(RosterError::SwapNotPending { .. })
        ));
    }
}
