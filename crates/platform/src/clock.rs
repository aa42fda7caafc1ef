//! Time is injected so deadline and lockout rules are tested without sleeping.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, Utc};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock tests move by hand.
#[derive(Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(start)))
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// China Standard Time, in which every user works.
pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The first instant of a day in China.
pub fn local_midnight(day: chrono::NaiveDate) -> DateTime<Utc> {
    (day.and_time(chrono::NaiveTime::MIN) - chrono::Duration::hours(8)).and_utc()
}

/// The day it is in China at an instant.
pub fn local_day(at: DateTime<Utc>) -> chrono::NaiveDate {
    at.with_timezone(&china()).date_naive()
}

/// `2023-06-21 14:05` in UTC+8.
pub fn format_local(at: DateTime<Utc>) -> String {
    at.with_timezone(&china())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}
