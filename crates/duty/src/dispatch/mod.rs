//! 每日调度: the duty room asks every township and department a set of questions each day.
//! For now only the questions (调度问题清单) per county and season live here; the dispatch
//! itself joins this folder later and asks [`questions::current`] and
//! [`questions::check_answers`].

pub mod questions;
