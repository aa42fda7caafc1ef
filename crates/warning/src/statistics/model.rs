//! 叫应 figures from the calls themselves: who was asked, who confirmed and how fast, who stayed
//! silent, and how often the silent were escalated. Pure: no database, no clock.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::warnings::model::{call_state, wave};

/// One 叫应 call as the figures need it.
#[derive(Clone, Debug)]
pub struct CallFact {
    pub id: Uuid,
    /// The person's region (township or village, or the county for its own people).
    pub region_code: String,
    pub wave: i32,
    pub state: String,
    pub first_sent_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// For an escalation: the silent call it is about.
    pub escalated_from: Option<Uuid>,
    /// The time limit of the warning's level (叫应策略).
    pub ack_minutes: i32,
}

impl CallFact {
    /// Minutes from the first delivery to the confirmation.
    fn minutes_to_confirm(&self) -> Option<f64> {
        self.confirmed_at
            .map(|at| (at - self.first_sent_at).num_seconds() as f64 / 60.0)
    }
}

/// The 叫应 of a group of people (a township, the county's own people, or everyone).
#[derive(Clone, Debug, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Tally {
    /// 叫应人次: the recipients asked (wave 1), once per warning.
    pub asked: u64,
    /// Of those, confirmed (late confirmations included).
    pub confirmed: u64,
    /// confirmed / asked, percent with one decimal.
    pub confirmation_rate: Option<f64>,
    /// Confirmed within the level's time limit after the first delivery.
    pub in_time: u64,
    /// in_time / asked, percent with one decimal.
    pub in_time_rate: Option<f64>,
    /// Minutes from first delivery to confirmation, one decimal.
    pub mean_minutes: Option<f64>,
    pub median_minutes: Option<f64>,
    /// 未叫应: silent through every delivery and never confirmed.
    pub unreachable: u64,
    /// 升级: silent calls (of any wave) handed on to the next wave.
    pub escalations: u64,
}

fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The tally of the people `include` accepts (by their region code), among `calls` — all the
/// calls of the warnings concerned, so that escalations are seen even when they went to
/// someone outside the group.
pub fn tally(calls: &[CallFact], include: impl Fn(&str) -> bool) -> Tally {
    let handed_on: HashSet<Uuid> = calls.iter().filter_map(|c| c.escalated_from).collect();
    let ours: Vec<&CallFact> = calls.iter().filter(|c| include(&c.region_code)).collect();
    let asked: Vec<&&CallFact> = ours.iter().filter(|c| c.wave == wave::RECIPIENT).collect();
    let mut minutes: Vec<f64> = asked
        .iter()
        .filter_map(|c| c.minutes_to_confirm())
        .collect();
    minutes.sort_by(f64::total_cmp);
    let in_time = asked
        .iter()
        .filter(|c| {
            c.minutes_to_confirm()
                .is_some_and(|m| m <= f64::from(c.ack_minutes))
        })
        .count() as u64;
    let n = asked.len() as u64;
    let confirmed = minutes.len() as u64;
    let rate = |part: u64| platform::web::statistics::percent(part, n);
    Tally {
        asked: n,
        confirmed,
        confirmation_rate: rate(confirmed),
        in_time,
        in_time_rate: rate(in_time),
        mean_minutes: (!minutes.is_empty())
            .then(|| one_decimal(minutes.iter().sum::<f64>() / minutes.len() as f64)),
        median_minutes: median(&minutes).map(one_decimal),
        unreachable: asked
            .iter()
            .filter(|c| c.state == call_state::UNREACHABLE)
            .count() as u64,
        escalations: ours.iter().filter(|c| handed_on.contains(&c.id)).count() as u64,
    }
}

impl Tally {
    /// Nobody of the group was asked or escalated.
    pub fn is_empty(&self) -> bool {
        self.asked == 0 && self.escalations == 0
    }
}

/// A number with one decimal for pages and sheets; a dash when there is none.
pub fn decimal_text(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn call(region: &str, wave_no: i32, state: &str, minutes: Option<i64>) -> CallFact {
        let sent = Utc::now();
        CallFact {
            id: Uuid::now_v7(),
            region_code: region.to_string(),
            wave: wave_no,
            state: state.to_string(),
            first_sent_at: sent,
            confirmed_at: minutes.map(|m| sent + Duration::minutes(m)),
            escalated_from: None,
            ack_minutes: 5,
        }
    }

    #[test]
    fn times_rates_and_escalations() {
        let silent = call("510722101201", 1, call_state::UNREACHABLE, None);
        let mut head = call("510722101000", 2, call_state::CONFIRMED, Some(3));
        head.escalated_from = Some(silent.id);
        let calls = vec![
            call("510722101000", 1, call_state::CONFIRMED, Some(2)),
            call("510722101201", 1, call_state::CONFIRMED, Some(5)),
            call("510722101202", 1, call_state::CONFIRMED, Some(12)),
            silent,
            head,
            call("510722104000", 1, call_state::CONFIRMED, Some(1)),
        ];
        let t = tally(&calls, |r| r.starts_with("510722101"));
        assert_eq!(t.asked, 4, "wave 1 only");
        assert_eq!(t.confirmed, 3);
        assert_eq!(t.confirmation_rate, Some(75.0));
        assert_eq!(
            t.in_time, 2,
            "5 minutes is within a 5-minute limit, 12 is not"
        );
        assert_eq!(t.in_time_rate, Some(50.0));
        assert_eq!(t.mean_minutes, Some(6.3));
        assert_eq!(t.median_minutes, Some(5.0));
        assert_eq!(t.unreachable, 1);
        assert_eq!(t.escalations, 1);
        let all = tally(&calls, |_| true);
        assert_eq!(all.median_minutes, Some(3.5), "the mean of the middle two");
        assert_eq!(
            tally(&calls, |r| r.starts_with("510722106")),
            Tally::default()
        );
        assert_eq!(decimal_text(None), "—");
        assert_eq!(decimal_text(Some(75.0)), "75.0");
    }
}
