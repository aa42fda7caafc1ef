//! 值班表: a duty period (防汛, 森林防灭火, 重大活动, 节假日) cut into shifts, each with a leader on
//! duty (带班领导) and duty officers; gaps, swaps between people, and the reminder the day
//! before a shift.

pub mod api;
pub(crate) mod demo;
pub mod entity;
pub mod migration;
pub mod model;
pub mod pages;
pub mod reminders;
pub mod store;
