//! The rules of 叫应, whatever is asked: the states of a call, the waves a silent call climbs,
//! and how hard a subject chases. Pure: no database, no clock.

use chrono::{DateTime, Duration, Utc};

/// A call: one person asked to confirm (or answer).
pub mod call_state {
    pub const PENDING: &str = "pending";
    pub const CONFIRMED: &str = "confirmed";
    /// Silent through every delivery cycle: escalated to the next wave.
    pub const UNREACHABLE: &str = "unreachable";
    /// The subject ended (a warning lifted, a dispatch day closed) before they answered.
    pub const CLOSED: &str = "closed";

    pub fn label(code: &str) -> &'static str {
        match code {
            PENDING => "待确认",
            CONFIRMED => "已确认",
            UNREACHABLE => "未叫应",
            CLOSED => "已关闭",
            _ => "未知",
        }
    }

    pub fn tone(code: &str) -> &'static str {
        match code {
            CONFIRMED => "green",
            UNREACHABLE => "red",
            PENDING => "orange",
            _ => "gray",
        }
    }
}

/// Waves: the people asked, then the township head for a silent one, then the county leader
/// on duty.
pub mod wave {
    pub const RECIPIENT: i32 = 1;
    pub const TOWNSHIP_HEAD: i32 = 2;
    pub const COUNTY_LEADER: i32 = 3;

    pub fn label(wave: i32) -> &'static str {
        match wave {
            RECIPIENT => "接收人",
            TOWNSHIP_HEAD => "升级：乡镇主要负责人",
            _ => "升级：县级带班领导",
        }
    }
}

/// Who is escalated to when a call goes unanswered: a silent township head goes straight to
/// the county; a county leader's silence ends the climb.
pub fn escalation_wave(silent_wave: i32, silent_role: &str) -> Option<i32> {
    use crate::contacts::role;
    match silent_wave {
        wave::RECIPIENT if silent_role == role::TOWNSHIP_HEAD => Some(wave::COUNTY_LEADER),
        wave::RECIPIENT => Some(wave::TOWNSHIP_HEAD),
        wave::TOWNSHIP_HEAD => Some(wave::COUNTY_LEADER),
        _ => None,
    }
}

/// How hard a subject chases: minutes to confirm after each delivery, and how many deliveries
/// before the silent are escalated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chase {
    pub ack_minutes: i32,
    pub cycles: i32,
}

/// What the job does with a call past its deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Redeliver,
    Escalate,
}

impl Chase {
    pub fn deadline(&self, sent: DateTime<Utc>) -> DateTime<Utc> {
        sent + Duration::minutes(i64::from(self.ack_minutes))
    }

    /// After `delivered` deliveries without an answer: send again, or escalate.
    pub fn next_step(&self, delivered: i32) -> Step {
        if delivered < self.cycles {
            Step::Redeliver
        } else {
            Step::Escalate
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::role;

    #[test]
    fn the_last_cycle_escalates() {
        let chase = Chase {
            ack_minutes: 5,
            cycles: 3,
        };
        assert_eq!(chase.next_step(1), Step::Redeliver);
        assert_eq!(chase.next_step(2), Step::Redeliver);
        assert_eq!(chase.next_step(3), Step::Escalate);
        let sent = DateTime::<Utc>::UNIX_EPOCH;
        assert_eq!(chase.deadline(sent), sent + Duration::minutes(5));
    }

    #[test]
    fn a_silent_head_skips_to_the_county() {
        assert_eq!(
            escalation_wave(wave::RECIPIENT, role::VILLAGE_FLOOD),
            Some(wave::TOWNSHIP_HEAD)
        );
        assert_eq!(
            escalation_wave(wave::RECIPIENT, role::TOWNSHIP_HEAD),
            Some(wave::COUNTY_LEADER)
        );
        assert_eq!(
            escalation_wave(wave::TOWNSHIP_HEAD, role::TOWNSHIP_HEAD),
            Some(wave::COUNTY_LEADER)
        );
        assert_eq!(
            escalation_wave(wave::COUNTY_LEADER, role::COUNTY_LEADER),
            None
        );
    }
}
