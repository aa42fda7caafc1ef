//! Import: strict about what CAP requires, tolerant about order, surrounding whitespace,
//! elements we do not model, the 1.1 namespace and national-profile severities.

use chrono::{DateTime, FixedOffset};

use super::dom::{self, Node};
use super::error::CapError;
use super::model::{
    Alert, Area, Category, Certainty, DEFAULT_LANGUAGE, Info, MsgType, ResponseType, Scope,
    Severity, Status, Urgency, ValuePair,
};
use super::values;
use super::{CAP_NAMESPACE, CAP_NAMESPACE_1_1};

/// Reads a CAP 1.2 (or 1.1) alert.
pub fn parse(xml: &str) -> Result<Alert, CapError> {
    let root = dom::parse(xml)?;
    if root.name != "alert" {
        return Err(CapError::WrongRoot(root.name));
    }
    match root.ns.as_deref() {
        Some(ns) if is_cap_namespace(ns) => {}
        Some(other) => return Err(CapError::WrongNamespace(other.to_owned())),
        None => return Err(CapError::WrongNamespace("（无命名空间）".to_owned())),
    }
    read_alert(&Children::of(&root, ""))
}

fn is_cap_namespace(ns: &str) -> bool {
    ns == CAP_NAMESPACE || ns == CAP_NAMESPACE_1_1
}

fn read_alert(c: &Children<'_>) -> Result<Alert, CapError> {
    Ok(Alert {
        identifier: c.required("identifier")?,
        sender: c.required("sender")?,
        sent: c.required_time("sent")?,
        status: Status::parse(&c.required("status")?, &c.path("status"))?,
        msg_type: MsgType::parse(&c.required("msgType")?, &c.path("msgType"))?,
        source: c.text("source")?,
        scope: Scope::parse(&c.required("scope")?, &c.path("scope"))?,
        restriction: c.text("restriction")?,
        addresses: c.text("addresses")?,
        note: c.text("note")?,
        references: match c.text("references")? {
            Some(refs) => values::parse_references(&refs)?,
            None => Vec::new(),
        },
        infos: c
            .all("info")
            .map(|n| read_info(&Children::of(n, "info")))
            .collect::<Result<_, _>>()?,
    })
}

fn read_info(c: &Children<'_>) -> Result<Info, CapError> {
    let categories = c.all_parsed("category", Category::parse)?;
    if categories.is_empty() {
        return Err(CapError::MissingElement(c.path("category")));
    }
    Ok(Info {
        language: c
            .text("language")?
            .unwrap_or_else(|| DEFAULT_LANGUAGE.to_owned()),
        categories,
        event: c.required("event")?,
        response_types: c.all_parsed("responseType", ResponseType::parse)?,
        urgency: Urgency::parse(&c.required("urgency")?, &c.path("urgency"))?,
        severity: Severity::parse(&c.required("severity")?, &c.path("severity"))?,
        certainty: Certainty::parse(&c.required("certainty")?, &c.path("certainty"))?,
        event_codes: c.pairs("eventCode")?,
        effective: c.time("effective")?,
        onset: c.time("onset")?,
        expires: c.time("expires")?,
        sender_name: c.text("senderName")?,
        headline: c.text("headline")?,
        description: c.text("description")?,
        instruction: c.text("instruction")?,
        web: c.text("web")?,
        contact: c.text("contact")?,
        parameters: c.pairs("parameter")?,
        areas: c
            .all("area")
            .map(|n| read_area(&Children::of(n, &c.path("area"))))
            .collect::<Result<_, _>>()?,
    })
}

fn read_area(c: &Children<'_>) -> Result<Area, CapError> {
    Ok(Area {
        desc: c.required("areaDesc")?,
        polygons: c
            .all("polygon")
            .map(|n| values::parse_polygon(n.text.trim()))
            .collect::<Result<_, _>>()?,
        circles: c
            .all("circle")
            .map(|n| values::parse_circle(n.text.trim()))
            .collect::<Result<_, _>>()?,
        geocodes: c.pairs("geocode")?,
    })
}

/// The CAP children of one element, with `path` naming it in errors (e.g. "info/area").
struct Children<'a> {
    node: &'a Node,
    prefix: String,
}

impl<'a> Children<'a> {
    fn of(node: &'a Node, path: &str) -> Self {
        let prefix = match path {
            "" => String::new(),
            p => format!("{p}/"),
        };
        Self { node, prefix }
    }

    fn path(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// Children of that name in the CAP namespaces, or in none (some senders forget the
    /// prefix on children); signatures and extensions in other namespaces are skipped.
    fn all(&self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.node
            .children
            .iter()
            .filter(move |n| n.name == name && n.ns.as_deref().is_none_or(is_cap_namespace))
    }

    fn one(&self, name: &'a str) -> Result<Option<&'a Node>, CapError> {
        let mut found = self.all(name);
        let first = found.next();
        match found.next() {
            Some(_) => Err(CapError::DuplicateElement(self.path(name))),
            None => Ok(first),
        }
    }

    /// The trimmed text; an absent or blank element is `None`.
    fn text(&self, name: &'a str) -> Result<Option<String>, CapError> {
        let text = self.one(name)?.map(|n| n.text.trim());
        Ok(text.filter(|t| !t.is_empty()).map(str::to_owned))
    }

    fn required(&self, name: &'a str) -> Result<String, CapError> {
        match self.one(name)? {
            None => Err(CapError::MissingElement(self.path(name))),
            Some(_) => self
                .text(name)?
                .ok_or_else(|| CapError::EmptyElement(self.path(name))),
        }
    }

    fn required_time(&self, name: &'a str) -> Result<DateTime<FixedOffset>, CapError> {
        values::parse_time(&self.path(name), &self.required(name)?)
    }

    fn time(&self, name: &'a str) -> Result<Option<DateTime<FixedOffset>>, CapError> {
        self.text(name)?
            .map(|t| values::parse_time(&self.path(name), &t))
            .transpose()
    }

    fn all_parsed<T>(
        &self,
        name: &'a str,
        parse: fn(&str, &str) -> Result<T, CapError>,
    ) -> Result<Vec<T>, CapError> {
        self.all(name)
            .map(|n| parse(n.text.trim(), &self.path(name)))
            .collect()
    }

    fn pairs(&self, name: &'a str) -> Result<Vec<ValuePair>, CapError> {
        self.all(name)
            .map(|n| {
                let c = Children::of(n, &self.path(name));
                let value_name = c.required("valueName")?;
                if c.one("value")?.is_none() {
                    return Err(CapError::MissingElement(c.path("value")));
                }
                let value = c.text("value")?.unwrap_or_default();
                Ok(ValuePair { value_name, value })
            })
            .collect()
    }
}
