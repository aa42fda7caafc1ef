//! 一日三报 and 零报告: at each of the county's report times (default 08:00 早报, 12:00 午报,
//! 18:00 晚报) in the fire season every township reports its fire situation — or a zero report
//! (今日无火情). A slot per county, day and time is opened by the job `fire.reports.open`; asking,
//! chasing the silent after the grace period and escalating them are the platform's 叫应
//! (`platform::calls`). The board shows per township and time who reported and who is missing.

pub mod api;
pub mod board;
mod demo;
pub mod entity;
pub mod migration;
pub mod model;
pub mod pages;
pub mod schedule;
pub mod slots;

pub use demo::load_demo;
