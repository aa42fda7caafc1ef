//! 值班日志与交接班: what the duty room received, did and reported during a shift, matters
//! left open (待办) until closed, and the handover at shift change that lists them.

pub mod api;
pub mod entity;
pub mod migration;
pub mod model;
pub mod pages;
pub mod store;
