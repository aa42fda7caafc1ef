//! 通讯录分组: named lists of responsible persons (e.g. 县防指成员单位联络员, 地灾监测员,
//! 重点水库责任人) that a warning or a dispatch can reach besides the people it finds by
//! township and role. Membership is kept by hand; a voided contact drops out of every group.

pub mod api;
pub mod entity;
pub mod pages;
pub mod store;
