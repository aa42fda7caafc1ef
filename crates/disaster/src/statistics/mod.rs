//! 灾情统计: processes by type, reports on time and late, losses by township and type, relief
//! paid and person-times, for any period; each figure links to its records.

pub mod api;
pub mod pages;
