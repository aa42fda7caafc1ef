//! 调度问题清单: the questions a county asks in its daily dispatch, per season (the duty
//! period's kind), with built-in defaults until the county adopts and edits its own.
//!
//! What the dispatch calls: [`current`] (the county's questions for a kind, or the defaults),
//! [`check_answers`] (one township's answers checked and marked alarming), and the
//! [`Question`] / [`Answer`] types, which serialise as JSON snapshots.

pub mod api;
pub mod entity;
pub mod migration;
pub mod model;
pub mod pages;
pub mod store;

pub use model::{AlarmRule, Answer, AnswerKind, Question, check_answers, defaults};
pub use store::current;
