//! 专项整治与执法检查: special campaigns with their period, sectors and townships; inspections
//! of supervised units with a checklist, and supervision tours (督查/暗访) of townships and
//! departments; hazards found on an inspection are registered from it in one step.

pub mod api;
mod campaigns;
mod demo;
pub mod entity;
pub(crate) mod migration;
pub mod model;
pub mod pages;
pub mod rollup;
pub mod store;

pub use demo::load_demo;
pub use store::{InspectionFilter, InspectionTotals, list_href, totals};
