//! The CAP 1.2 subset we exchange. Elements we do not model (`code`, `incidents`, `audience`,
//! `resource`, `altitude`, `ceiling`, signatures) are skipped on import and never exported.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::error::CapError;

/// Generates an enum whose variant names are the exact CAP spellings.
macro_rules! cap_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The CAP spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),+ }
            }

            /// Parses the exact CAP spelling; `element` names the element in the error.
            pub fn parse(value: &str, element: &str) -> Result<Self, CapError> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == value)
                    .ok_or_else(|| CapError::not_allowed(element, value))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

cap_enum!(
    /// `alert/status`.
    Status { Actual, Exercise, System, Test, Draft }
);
cap_enum!(
    /// `alert/msgType`.
    MsgType { Alert, Update, Cancel, Ack, Error }
);
cap_enum!(
    /// `alert/scope`.
    Scope { Public, Restricted, Private }
);
cap_enum!(
    /// `info/category`.
    Category { Geo, Met, Safety, Security, Rescue, Fire, Health, Env, Transport, Infra, CBRNE, Other }
);
cap_enum!(
    /// `info/responseType`.
    ResponseType { Shelter, Evacuate, Prepare, Execute, Avoid, Monitor, Assess, AllClear, None }
);
cap_enum!(
    /// `info/urgency`.
    Urgency { Immediate, Expected, Future, Past, Unknown }
);
cap_enum!(
    /// `info/certainty`.
    Certainty { Observed, Likely, Possible, Unlikely, Unknown }
);

/// `info/severity`. Holds the OASIS values and, for imports, the national profile's colours
/// (GB/T 35965.1 writes Red/Orange/Yellow/Blue). Export always writes the OASIS value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Severity {
    Extreme,
    Severe,
    Moderate,
    Minor,
    Unknown,
    Red,
    Orange,
    Yellow,
    Blue,
}

impl Severity {
    pub const OASIS: &'static [Severity] = &[
        Self::Extreme,
        Self::Severe,
        Self::Moderate,
        Self::Minor,
        Self::Unknown,
    ];
    pub const NATIONAL: &'static [Severity] = &[Self::Red, Self::Orange, Self::Yellow, Self::Blue];

    /// The spelling as read (OASIS or national).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Extreme => "Extreme",
            Self::Severe => "Severe",
            Self::Moderate => "Moderate",
            Self::Minor => "Minor",
            Self::Unknown => "Unknown",
            Self::Red => "Red",
            Self::Orange => "Orange",
            Self::Yellow => "Yellow",
            Self::Blue => "Blue",
        }
    }

    /// The OASIS value: a national colour maps to the severity of the same level.
    pub fn to_oasis(self) -> Severity {
        match self {
            Self::Red => Self::Extreme,
            Self::Orange => Self::Severe,
            Self::Yellow => Self::Moderate,
            Self::Blue => Self::Minor,
            other => other,
        }
    }

    pub fn is_national(self) -> bool {
        Self::NATIONAL.contains(&self)
    }

    /// Accepts the OASIS and the national spellings, exactly.
    pub fn parse(value: &str, element: &str) -> Result<Self, CapError> {
        Self::OASIS
            .iter()
            .chain(Self::NATIONAL)
            .copied()
            .find(|v| v.as_str() == value)
            .ok_or_else(|| CapError::not_allowed(element, value))
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A CAP message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub identifier: String,
    pub sender: String,
    pub sent: DateTime<FixedOffset>,
    pub status: Status,
    pub msg_type: MsgType,
    pub source: Option<String>,
    pub scope: Scope,
    /// Required when `scope` is Restricted.
    pub restriction: Option<String>,
    /// Required when `scope` is Private.
    pub addresses: Option<String>,
    pub note: Option<String>,
    /// The messages an Update, Cancel, Ack or Error refers to.
    pub references: Vec<Reference>,
    pub infos: Vec<Info>,
}

impl Alert {
    /// An actual, public Alert with no info yet.
    pub fn new(
        identifier: impl Into<String>,
        sender: impl Into<String>,
        sent: DateTime<FixedOffset>,
    ) -> Self {
        Self {
            identifier: identifier.into(),
            sender: sender.into(),
            sent,
            status: Status::Actual,
            msg_type: MsgType::Alert,
            source: None,
            scope: Scope::Public,
            restriction: None,
            addresses: None,
            note: None,
            references: Vec::new(),
            infos: Vec::new(),
        }
    }

    /// The reference an Update or Cancel of this alert carries.
    pub fn reference(&self) -> Reference {
        Reference {
            sender: self.sender.clone(),
            identifier: self.identifier.clone(),
            sent: self.sent,
        }
    }
}

/// One `sender,identifier,sent` triple of `references`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    pub sender: String,
    pub identifier: String,
    pub sent: DateTime<FixedOffset>,
}

/// A `valueName`/`value` pair (eventCode, parameter, geocode).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValuePair {
    pub value_name: String,
    pub value: String,
}

impl ValuePair {
    pub fn new(value_name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            value_name: value_name.into(),
            value: value.into(),
        }
    }
}

/// The language we write when the caller does not say, and assume when an import omits it
/// (domestic senders omit it and mean Chinese, although the XSD's default is en-US).
pub const DEFAULT_LANGUAGE: &str = "zh-CN";

/// One `info` block: the event, its classification, timing, texts and areas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Info {
    pub language: String,
    /// At least one.
    pub categories: Vec<Category>,
    pub event: String,
    pub response_types: Vec<ResponseType>,
    pub urgency: Urgency,
    pub severity: Severity,
    pub certainty: Certainty,
    pub event_codes: Vec<ValuePair>,
    pub effective: Option<DateTime<FixedOffset>>,
    pub onset: Option<DateTime<FixedOffset>>,
    pub expires: Option<DateTime<FixedOffset>>,
    pub sender_name: Option<String>,
    pub headline: Option<String>,
    pub description: Option<String>,
    pub instruction: Option<String>,
    pub web: Option<String>,
    pub contact: Option<String>,
    pub parameters: Vec<ValuePair>,
    pub areas: Vec<Area>,
}

impl Info {
    /// A Chinese info of one category, urgency/severity/certainty Unknown until set.
    pub fn new(event: impl Into<String>, category: Category) -> Self {
        Self {
            language: DEFAULT_LANGUAGE.to_owned(),
            categories: vec![category],
            event: event.into(),
            response_types: Vec::new(),
            urgency: Urgency::Unknown,
            severity: Severity::Unknown,
            certainty: Certainty::Unknown,
            event_codes: Vec::new(),
            effective: None,
            onset: None,
            expires: None,
            sender_name: None,
            headline: None,
            description: None,
            instruction: None,
            web: None,
            contact: None,
            parameters: Vec::new(),
            areas: Vec::new(),
        }
    }

    /// The first parameter of that valueName.
    pub fn parameter(&self, value_name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|p| p.value_name == value_name)
            .map(|p| p.value.as_str())
    }
}

/// A point of a polygon: (latitude, longitude), WGS 84 decimal degrees.
pub type Point = (f64, f64);

/// `circle`: centre and radius in kilometres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Circle {
    pub lat: f64,
    pub lon: f64,
    pub radius_km: f64,
}

/// An `area`: description plus any polygons, circles and geocodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Area {
    pub desc: String,
    /// Each ring as (lat, lon) points. Export closes an open ring; import requires it closed.
    pub polygons: Vec<Vec<Point>>,
    pub circles: Vec<Circle>,
    pub geocodes: Vec<ValuePair>,
}

impl Area {
    pub fn new(desc: impl Into<String>) -> Self {
        Self {
            desc: desc.into(),
            polygons: Vec::new(),
            circles: Vec::new(),
            geocodes: Vec::new(),
        }
    }
}
