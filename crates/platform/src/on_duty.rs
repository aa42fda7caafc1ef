//! Who is on duty: the duty area keeps the rosters and answers; other areas ask (a warning's
//! silent township climbs to the leader on duty). Platform holds only the question, so the
//! areas do not depend on each other.

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::AppResult;
use crate::web::AppState;

/// The people of the shift running at a moment, as user accounts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OnDuty {
    /// 带班领导, when the shift has one.
    pub leader: Option<Uuid>,
    pub officers: Vec<Uuid>,
}

pub type OnDutyFuture<'a> = Pin<Box<dyn Future<Output = AppResult<Option<OnDuty>>> + Send + 'a>>;

/// The roster lookup an area registers: (state, county code, moment) → the shift's people, or
/// `None` when no shift of the county covers the moment.
pub type Lookup = for<'a> fn(&'a AppState, &'a str, DateTime<Utc>) -> OnDutyFuture<'a>;

/// Who is on duty in `county` at `at`; `None` without a roster (or without a duty area).
pub async fn at(state: &AppState, county: &str, at: DateTime<Utc>) -> AppResult<Option<OnDuty>> {
    match state.on_duty {
        Some(lookup) => lookup(state, county, at).await,
        None => Ok(None),
    }
}
