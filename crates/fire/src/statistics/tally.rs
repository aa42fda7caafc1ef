//! Counting without the database: hotspots by how their check went, report cells by status.
//! The statistics page, its API and its export all count through these.

use serde::Serialize;

use crate::hotspots::model::{Stage, Verdict};
use crate::reports::model::cell;

/// Hotspots of a period (or of one township) by how their check went.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HotspotTally {
    /// Received and not withdrawn.
    pub received: u64,
    /// Answered within the deadline.
    pub on_time: u64,
    /// Answered after the deadline.
    pub late: u64,
    /// Deadline passed, no answer yet.
    pub overdue: u64,
    /// Asked, still within the deadline.
    pub waiting: u64,
    /// In no township's area, waiting for the county to assign one.
    pub unassigned: u64,
    /// Withdrawn by the county (not counted as received).
    pub voided: u64,
    /// Answers per verdict, in [`Verdict::ALL`] order.
    pub by_verdict: [u64; 6],
}

impl HotspotTally {
    pub fn add(&mut self, stage: Stage, verdict: Option<Verdict>) {
        if stage == Stage::Voided {
            self.voided += 1;
            return;
        }
        self.received += 1;
        match stage {
            Stage::Answered => self.on_time += 1,
            Stage::AnsweredLate => self.late += 1,
            Stage::Overdue => self.overdue += 1,
            Stage::Waiting => self.waiting += 1,
            Stage::Unassigned => self.unassigned += 1,
            Stage::Voided => {}
        }
        let answered = verdict.filter(|_| stage.is_answered());
        if let Some(i) = answered.and_then(|v| Verdict::ALL.iter().position(|x| *x == v)) {
            self.by_verdict[i] += 1;
        }
    }

    /// 已核查反馈: answered, on time or not.
    pub fn answered(&self) -> u64 {
        self.on_time + self.late
    }

    /// Still without an answer (overdue, waiting or unassigned).
    pub fn unanswered(&self) -> u64 {
        self.overdue + self.waiting + self.unassigned
    }

    /// 按时反馈率: answered on time of those whose deadline is decided (answered or overdue);
    /// a check still within its deadline may yet be on time.
    pub fn on_time_rate(&self) -> Option<f64> {
        platform::web::statistics::percent(self.on_time, self.answered() + self.overdue)
    }
}

/// One township's report cells (township × opened slot) of a period by status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReportTally {
    /// Cells of opened slots: reports asked for.
    pub asked: u64,
    /// Filed within the grace period (zero reports included).
    pub on_time: u64,
    /// Filed after the grace period (迟报).
    pub late: u64,
    /// Of those filed, zero reports (零报告).
    pub zero: u64,
    /// Past the grace period with nothing filed (未报).
    pub missing: u64,
    /// Still within the grace period.
    pub waiting: u64,
    /// Nobody in the township's contacts to ask.
    pub no_contact: u64,
}

impl ReportTally {
    /// Count one cell of an opened slot.
    pub fn add(&mut self, status: &str, zero: bool) {
        self.asked += 1;
        match status {
            cell::REPORTED | cell::ZERO => self.on_time += 1,
            cell::LATE => self.late += 1,
            cell::MISSING => self.missing += 1,
            cell::UPCOMING | cell::WAITING => self.waiting += 1,
            cell::NO_CONTACT => self.no_contact += 1,
            _ => {}
        }
        if zero {
            self.zero += 1;
        }
    }

    pub fn merge(&mut self, other: &ReportTally) {
        self.asked += other.asked;
        self.on_time += other.on_time;
        self.late += other.late;
        self.zero += other.zero;
        self.missing += other.missing;
        self.waiting += other.waiting;
        self.no_contact += other.no_contact;
    }

    /// 按时报送率: on time of the reports whose grace period is over.
    pub fn on_time_rate(&self) -> Option<f64> {
        platform::web::statistics::percent(self.on_time, self.asked - self.waiting)
    }
}

/// A rate as the page shows it: `66.7%`, or `—` when there is nothing to rate.
pub fn rate_text(rate: Option<f64>) -> String {
    rate.map(|r| format!("{r:.1}%"))
        .unwrap_or_else(|| "—".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hotspots_count_by_stage_and_verdict_without_the_voided() {
        let mut t = HotspotTally::default();
        t.add(Stage::Answered, Some(Verdict::Forest));
        t.add(Stage::AnsweredLate, Some(Verdict::FalseAlarm));
        t.add(Stage::Overdue, None);
        t.add(Stage::Waiting, None);
        t.add(Stage::Unassigned, None);
        t.add(Stage::Voided, Some(Verdict::Farming));
        assert_eq!(t.received, 5);
        assert_eq!(t.voided, 1);
        assert_eq!((t.answered(), t.unanswered()), (2, 3));
        assert_eq!(t.by_verdict, [1, 0, 0, 0, 0, 1]);
        // One on time of two answered and one overdue; the waiting one is not yet decided.
        assert_eq!(t.on_time_rate(), Some(33.3));
        assert_eq!(HotspotTally::default().on_time_rate(), None);
    }

    #[test]
    fn report_cells_count_by_status() {
        let mut t = ReportTally::default();
        t.add(cell::ZERO, true);
        t.add(cell::REPORTED, false);
        t.add(cell::LATE, true);
        t.add(cell::MISSING, false);
        t.add(cell::WAITING, false);
        assert_eq!(
            (t.asked, t.on_time, t.late, t.zero, t.missing, t.waiting),
            (5, 2, 1, 2, 1, 1)
        );
        assert_eq!(t.on_time_rate(), Some(50.0));
        let mut sum = ReportTally::default();
        sum.merge(&t);
        sum.merge(&t);
        assert_eq!((sum.asked, sum.missing), (10, 2));
        assert_eq!(rate_text(None), "—");
        assert_eq!(rate_text(Some(50.0)), "50.0%");
    }
}
