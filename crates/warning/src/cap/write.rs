//! Export: elements in the order the XSD's sequences require.

use chrono::{DateTime, FixedOffset};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::CAP_NAMESPACE;
use super::error::CapError;
use super::model::{Alert, Area, Info, MsgType, Scope, ValuePair};
use super::profile;
use super::values;

type Out = Writer<Vec<u8>>;

/// The alert as CAP 1.2 XML (UTF-8, indented), or the first reason it would not be valid CAP.
pub fn to_xml(alert: &Alert) -> Result<String, CapError> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let root = BytesStart::new("alert").with_attributes([("xmlns", CAP_NAMESPACE)]);
    w.write_event(Event::Start(root))?;
    write_alert(&mut w, alert)?;
    w.write_event(Event::End(BytesEnd::new("alert")))?;
    String::from_utf8(w.into_inner()).map_err(|e| CapError::Write(e.to_string()))
}

fn write_alert(w: &mut Out, a: &Alert) -> Result<(), CapError> {
    values::check_token("identifier", &a.identifier)?;
    values::check_token("sender", &a.sender)?;
    leaf(w, "identifier", &a.identifier)?;
    leaf(w, "sender", &a.sender)?;
    time(w, "sent", &a.sent)?;
    leaf(w, "status", a.status.as_str())?;
    leaf(w, "msgType", a.msg_type.as_str())?;
    optional(w, "source", a.source.as_deref())?;
    leaf(w, "scope", a.scope.as_str())?;
    required_by_scope(a)?;
    optional(w, "restriction", a.restriction.as_deref())?;
    optional(w, "addresses", a.addresses.as_deref())?;
    optional(w, "note", a.note.as_deref())?;
    write_references(w, a)?;
    for info in &a.infos {
        open(w, "info")?;
        write_info(w, info)?;
        close(w, "info")?;
    }
    Ok(())
}

/// CAP requires `restriction` for Restricted and `addresses` for Private.
fn required_by_scope(a: &Alert) -> Result<(), CapError> {
    let needed = match a.scope {
        Scope::Restricted => Some(("restriction", &a.restriction)),
        Scope::Private => Some(("addresses", &a.addresses)),
        Scope::Public => None,
    };
    match needed {
        Some((name, value)) if value.as_deref().is_none_or(|v| v.trim().is_empty()) => {
            Err(CapError::MissingElement(name.to_owned()))
        }
        _ => Ok(()),
    }
}

/// An Update or Cancel that does not say what it updates cannot be acted on downstream.
fn write_references(w: &mut Out, a: &Alert) -> Result<(), CapError> {
    let needs = matches!(a.msg_type, MsgType::Update | MsgType::Cancel);
    if a.references.is_empty() {
        return match needs {
            true => Err(CapError::MissingElement("references".to_owned())),
            false => Ok(()),
        };
    }
    leaf(w, "references", &values::format_references(&a.references)?)
}

fn write_info(w: &mut Out, i: &Info) -> Result<(), CapError> {
    values::check_language(&i.language)?;
    leaf(w, "language", &i.language)?;
    if i.categories.is_empty() {
        return Err(CapError::MissingElement("info/category".to_owned()));
    }
    for c in &i.categories {
        leaf(w, "category", c.as_str())?;
    }
    non_empty(w, "event", "info/event", &i.event)?;
    for r in &i.response_types {
        leaf(w, "responseType", r.as_str())?;
    }
    leaf(w, "urgency", i.urgency.as_str())?;
    leaf(w, "severity", i.severity.to_oasis().as_str())?;
    leaf(w, "certainty", i.certainty.as_str())?;
    pairs(w, "eventCode", &i.event_codes)?;
    optional_time(w, "effective", i.effective.as_ref())?;
    optional_time(w, "onset", i.onset.as_ref())?;
    optional_time(w, "expires", i.expires.as_ref())?;
    optional(w, "senderName", i.sender_name.as_deref())?;
    optional(w, "headline", i.headline.as_deref())?;
    optional(w, "description", i.description.as_deref())?;
    optional(w, "instruction", i.instruction.as_deref())?;
    optional(w, "web", i.web.as_deref())?;
    optional(w, "contact", i.contact.as_deref())?;
    pairs(w, "parameter", &parameters_with_colour(i))?;
    for area in &i.areas {
        open(w, "area")?;
        write_area(w, area)?;
        close(w, "area")?;
    }
    Ok(())
}

/// A national severity (Red…) is exported as its OASIS value; the colour survives as the
/// colour parameter unless the caller already set one.
fn parameters_with_colour(i: &Info) -> Vec<ValuePair> {
    let mut params = i.parameters.clone();
    if i.severity.is_national() && i.parameter(profile::COLOUR_PARAMETER).is_none() {
        let level = profile::level_of_severity(i.severity);
        params.extend(level.and_then(profile::colour_parameter));
    }
    params
}

fn write_area(w: &mut Out, a: &Area) -> Result<(), CapError> {
    non_empty(w, "areaDesc", "info/area/areaDesc", &a.desc)?;
    for ring in &a.polygons {
        leaf(w, "polygon", &values::format_polygon(ring)?)?;
    }
    for c in &a.circles {
        leaf(w, "circle", &values::format_circle(c)?)?;
    }
    pairs(w, "geocode", &a.geocodes)
}

fn open(w: &mut Out, name: &str) -> Result<(), CapError> {
    w.write_event(Event::Start(BytesStart::new(name)))?;
    Ok(())
}

fn close(w: &mut Out, name: &str) -> Result<(), CapError> {
    w.write_event(Event::End(BytesEnd::new(name)))?;
    Ok(())
}

fn leaf(w: &mut Out, name: &str, text: &str) -> Result<(), CapError> {
    values::check_xml_text(name, text)?;
    w.create_element(name)
        .write_text_content(BytesText::new(text))?;
    Ok(())
}

fn non_empty(w: &mut Out, name: &str, path: &str, text: &str) -> Result<(), CapError> {
    if text.trim().is_empty() {
        return Err(CapError::EmptyElement(path.to_owned()));
    }
    leaf(w, name, text)
}

/// Omits absent and blank values: an empty optional element says nothing.
fn optional(w: &mut Out, name: &str, text: Option<&str>) -> Result<(), CapError> {
    match text.filter(|t| !t.trim().is_empty()) {
        Some(t) => leaf(w, name, t),
        None => Ok(()),
    }
}

fn time(w: &mut Out, name: &str, t: &DateTime<FixedOffset>) -> Result<(), CapError> {
    leaf(w, name, &values::format_time(name, t)?)
}

fn optional_time(
    w: &mut Out,
    name: &str,
    t: Option<&DateTime<FixedOffset>>,
) -> Result<(), CapError> {
    match t {
        Some(t) => time(w, name, t),
        None => Ok(()),
    }
}

fn pairs(w: &mut Out, name: &str, pairs: &[ValuePair]) -> Result<(), CapError> {
    for p in pairs {
        open(w, name)?;
        non_empty(w, "valueName", &format!("{name}/valueName"), &p.value_name)?;
        leaf(w, "value", &p.value)?;
        close(w, name)?;
    }
    Ok(())
}
