//! 事故隐患: the closed loop from registration to 销号 (records and pages come next).

pub mod model;
