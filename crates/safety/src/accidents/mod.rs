//! 生产安全事故: grading and the report clock (records and pages come next).

pub mod model;
