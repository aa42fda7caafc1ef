//! CAP 1.2 (OASIS Common Alerting Protocol) exchange, with the Chinese national profile
//! (GB/T 35965.1-2018). Pure: the warnings ledger maps its records to [`Alert`] and back.
//!
//! - [`to_xml`] writes valid CAP 1.2 (checked against the OASIS XSD in the tests).
//! - [`parse`] imports CAP 1.2 or 1.1, e.g. a city meteorological bureau's warning, and accepts
//!   the national profile's Red/Orange/Yellow/Blue severities.
//! - [`profile`] builds and reads national identifiers and maps warning levels 1–4.
//!
//! Profile choices: the colour goes into the `info/parameter` [`profile::COLOUR_PARAMETER`]
//! (`预警颜色` = `红色`…), division codes into `area/geocode` [`profile::DIVISION_GEOCODE`]
//! (`行政区划代码`).

mod dom;
mod error;
mod model;
pub mod profile;
mod read;
mod values;
mod write;

#[cfg(test)]
mod tests;

pub use error::CapError;
pub use model::{
    Alert, Area, Category, Certainty, Circle, DEFAULT_LANGUAGE, Info, MsgType, Point, Reference,
    ResponseType, Scope, Severity, Status, Urgency, ValuePair,
};
pub use read::parse;
pub use write::to_xml;

/// The namespace we write and expect.
pub const CAP_NAMESPACE: &str = "urn:oasis:names:tc:emergency:cap:1.2";
/// Accepted on import: 1.1 differs from 1.2 only in details we do not model.
pub const CAP_NAMESPACE_1_1: &str = "urn:oasis:names:tc:emergency:cap:1.1";
