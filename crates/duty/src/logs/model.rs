//! Log entries and handovers: kinds, the time rule, closing, and who may confirm a handover.
//! Pure: no database, no clock.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::rosters::model::code_enum;

code_enum! {
    /// 记录类型.
    LogKind {
        IncomingCall = "incoming_call", "来电";
        OutgoingCall = "outgoing_call", "去电";
        Rain = "rain", "雨情";
        Water = "water", "水情";
        Works = "works", "工情";
        Disaster = "disaster", "险情灾情";
        Instruction = "instruction", "指示";
        Report = "report", "上报";
        Other = "other", "其他";
    }
}

impl LogKind {
    pub fn colour(self) -> &'static str {
        match self {
            Self::Disaster => "red",
            Self::Rain | Self::Water | Self::Works => "blue",
            Self::Instruction | Self::Report => "orange",
            _ => "gray",
        }
    }
}

/// Why a log entry or handover is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LogError {
    #[error("记录时间应在本班次（{shift}）内")]
    OutsideShift { shift: String },
    #[error("记录时间不能晚于当前时间")]
    InFuture,
    #[error("该事项已办结，不能重复办结")]
    AlreadyClosed,
    #[error("请填写办理结果")]
    OutcomeMissing,
    #[error("只有本班次的值班人员才能交班")]
    NotOutgoing,
    #[error("本班次已交班，不能重复交班")]
    AlreadyHandedOver,
    #[error("本班次之后没有下一班，无需交接")]
    NoNextShift,
    #[error("交班人不能自己确认接班，请由下一班次的值班人员确认")]
    OutgoingConfirms,
    #[error("只有下一班次（{shift}）的值班人员才能确认接班")]
    NotIncoming { shift: String },
    #[error("该交接班已于 {at} 确认，不能重复确认")]
    AlreadyConfirmed { at: String },
}

impl LogError {
    pub fn field(&self) -> Option<&'static str> {
        Some(match self {
            Self::OutsideShift { .. } | Self::InFuture => "at",
            Self::OutcomeMissing => "outcome",
            _ => return None,
        })
    }

    /// The API code of a refusal that is not about one field.
    pub fn code(&self) -> &'static str {
        match self {
            Self::OutgoingConfirms | Self::NotIncoming { .. } | Self::NotOutgoing => {
                "handover_refused"
            }
            _ => "transition_refused",
        }
    }
}

/// An entry's time lies in its shift (half-open) and not in the future.
pub fn check_time(
    at: DateTime<Utc>,
    shift: (DateTime<Utc>, DateTime<Utc>),
    shift_label: &str,
    now: DateTime<Utc>,
) -> Result<(), LogError> {
    if at < shift.0 || at >= shift.1 {
        return Err(LogError::OutsideShift {
            shift: shift_label.to_string(),
        });
    }
    if at > now {
        return Err(LogError::InFuture);
    }
    Ok(())
}

/// 办结: an open entry, with an outcome.
pub fn close(is_open: bool, outcome: &str) -> Result<(), LogError> {
    if !is_open {
        return Err(LogError::AlreadyClosed);
    }
    if outcome.trim().is_empty() {
        return Err(LogError::OutcomeMissing);
    }
    Ok(())
}

/// 确认接班: by someone of the next shift who is not the one handing over, once.
pub fn check_confirm(
    actor: Uuid,
    outgoing: Uuid,
    next_shift_people: &[Uuid],
    next_shift_label: &str,
    confirmed_at: Option<String>,
) -> Result<(), LogError> {
    if let Some(at) = confirmed_at {
        return Err(LogError::AlreadyConfirmed { at });
    }
    if actor == outgoing {
        return Err(LogError::OutgoingConfirms);
    }
    if !next_shift_people.contains(&actor) {
        return Err(LogError::NotIncoming {
            shift: next_shift_label.to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn kinds_round_trip() {
        assert_eq!(LogKind::ALL.len(), 9);
        for k in LogKind::ALL {
            assert_eq!(LogKind::parse(k.code()), Some(*k));
        }
        assert_eq!(LogKind::Disaster.label(), "险情灾情");
    }

    #[test]
    fn an_entry_lies_within_its_shift_and_not_ahead_of_now() {
        let shift = (at("2026-06-01T00:30:00Z"), at("2026-06-02T00:30:00Z"));
        let now = at("2026-06-01T03:00:00Z");
        assert!(check_time(at("2026-06-01T01:00:00Z"), shift, "6月1日", now).is_ok());
        assert!(matches!(
            check_time(at("2026-06-01T00:00:00Z"), shift, "6月1日", now),
            Err(LogError::OutsideShift { .. })
        ));
        assert_eq!(
            check_time(at("2026-06-01T05:00:00Z"), shift, "6月1日", now),
            Err(LogError::InFuture)
        );
        // The handover instant belongs to the next shift.
        assert!(check_time(shift.1, shift, "6月1日", at("2026-06-03T00:00:00Z")).is_err());
    }

    #[test]
    fn closing_needs_an_open_entry_and_an_outcome() {
        assert!(close(true, "已转告水利局").is_ok());
        assert_eq!(close(true, " "), Err(LogError::OutcomeMissing));
        assert_eq!(close(false, "再次"), Err(LogError::AlreadyClosed));
    }

    #[test]
    fn only_the_incoming_shift_confirms_a_handover() {
        let (outgoing, incoming, stranger) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let next = [incoming];
        assert!(check_confirm(incoming, outgoing, &next, "6月2日", None).is_ok());
        assert_eq!(
            check_confirm(outgoing, outgoing, &[outgoing, incoming], "6月2日", None),
            Err(LogError::OutgoingConfirms)
        );
        let e = check_confirm(stranger, outgoing, &next, "6月2日 全天班", None).unwrap_err();
        assert!(e.to_string().contains("6月2日 全天班"));
        assert!(matches!(
            check_confirm(
                incoming,
                outgoing,
                &next,
                "",
                Some("2026-06-02 08:40".into())
            ),
            Err(LogError::AlreadyConfirmed { .. })
        ));
    }
}
