//! The textual forms of CAP values that are not plain strings: times, polygons, circles,
//! references. Both directions live here so that export and import agree.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, FixedOffset, Timelike};

use super::error::{CapError, shorten};
use super::model::{Circle, Point, Reference};

/// `YYYY-MM-DDThh:mm:ss+hh:mm`; CAP forbids `Z` and fractions, so we never write them.
pub fn format_time(element: &str, t: &DateTime<FixedOffset>) -> Result<String, CapError> {
    let offset = t.offset().local_minus_utc();
    if !(0..=9999).contains(&t.year()) || offset % 60 != 0 {
        let value = t.to_rfc3339();
        return Err(CapError::invalid(
            element,
            &value,
            "年份须为 4 位、时区偏移须为整分钟",
        ));
    }
    let t = t.with_nanosecond(0).unwrap_or(*t);
    Ok(t.format("%Y-%m-%dT%H:%M:%S%:z").to_string())
}

/// Reads the XSD's pattern exactly, naming what is wrong: `Z`, no offset, or anything else.
pub fn parse_time(element: &str, value: &str) -> Result<DateTime<FixedOffset>, CapError> {
    let owned = || (element.to_owned(), shorten(value));
    if value.ends_with(['Z', 'z']) {
        let (element, value) = owned();
        return Err(CapError::TimeZulu { element, value });
    }
    if matches_pattern(value, "dddd-dd-ddTdd:dd:dd") {
        let (element, value) = owned();
        return Err(CapError::TimeWithoutOffset { element, value });
    }
    let well_formed = matches_pattern(value, "dddd-dd-ddTdd:dd:dd+dd:dd")
        || matches_pattern(value, "dddd-dd-ddTdd:dd:dd-dd:dd");
    let parsed = well_formed
        .then(|| DateTime::parse_from_rfc3339(value).ok())
        .flatten();
    parsed.ok_or_else(|| {
        let (element, value) = owned();
        CapError::BadTime { element, value }
    })
}

/// `d` matches an ASCII digit, any other pattern byte matches itself.
fn matches_pattern(value: &str, pattern: &str) -> bool {
    value.len() == pattern.len()
        && value.bytes().zip(pattern.bytes()).all(|(v, p)| match p {
            b'd' => v.is_ascii_digit(),
            _ => v == p,
        })
}

fn format_point((lat, lon): Point) -> String {
    format!("{lat},{lon}")
}

fn valid_point((lat, lon): Point) -> bool {
    lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0
}

fn parse_point(element: &str, pair: &str) -> Result<Point, CapError> {
    let bad = || CapError::BadCoordinate {
        element: element.to_owned(),
        value: shorten(pair),
    };
    let (lat, lon) = pair.split_once(',').ok_or_else(bad)?;
    let point = (
        lat.trim().parse().map_err(|_| bad())?,
        lon.trim().parse().map_err(|_| bad())?,
    );
    valid_point(point).then_some(point).ok_or_else(bad)
}

fn distinct_points(ring: &[Point]) -> usize {
    // `+ 0.0` folds -0.0 into 0.0 so both count as one point.
    let keys: HashSet<(u64, u64)> = ring
        .iter()
        .map(|(lat, lon)| ((lat + 0.0).to_bits(), (lon + 0.0).to_bits()))
        .collect();
    keys.len()
}

/// Closes the ring if needed; refuses fewer than 3 distinct points or invalid coordinates.
pub fn format_polygon(ring: &[Point]) -> Result<String, CapError> {
    if let Some(p) = ring.iter().find(|p| !valid_point(**p)) {
        return Err(CapError::BadCoordinate {
            element: "polygon".to_owned(),
            value: format_point(*p),
        });
    }
    let distinct = distinct_points(ring);
    if distinct < 3 {
        return Err(CapError::PolygonTooShort(distinct));
    }
    let mut points: Vec<String> = ring.iter().copied().map(format_point).collect();
    if ring.first() != ring.last() {
        points.push(format_point(ring[0]));
    }
    Ok(points.join(" "))
}

/// Requires a closed ring of at least 4 points, 3 of them distinct.
pub fn parse_polygon(value: &str) -> Result<Vec<Point>, CapError> {
    let ring = value
        .split_whitespace()
        .map(|pair| parse_point("polygon", pair))
        .collect::<Result<Vec<_>, _>>()?;
    let distinct = distinct_points(&ring);
    if ring.len() < 4 || distinct < 3 {
        return Err(CapError::PolygonTooShort(distinct));
    }
    if ring.first() != ring.last() {
        return Err(CapError::PolygonNotClosed(shorten(value)));
    }
    Ok(ring)
}

fn valid_radius(r: f64) -> bool {
    r.is_finite() && r >= 0.0
}

pub fn format_circle(c: &Circle) -> Result<String, CapError> {
    let text = format!("{},{} {}", c.lat, c.lon, c.radius_km);
    if valid_point((c.lat, c.lon)) && valid_radius(c.radius_km) {
        Ok(text)
    } else {
        Err(CapError::BadCircle(text))
    }
}

pub fn parse_circle(value: &str) -> Result<Circle, CapError> {
    let bad = || CapError::BadCircle(shorten(value));
    let mut parts = value.split_whitespace();
    let (Some(centre), Some(radius), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let (lat, lon) = parse_point("circle", centre).map_err(|_| bad())?;
    let radius_km: f64 = radius.parse().map_err(|_| bad())?;
    if !valid_radius(radius_km) {
        return Err(bad());
    }
    Ok(Circle {
        lat,
        lon,
        radius_km,
    })
}

/// CAP 1.2 §3.2.1: identifiers and senders carry no spaces, commas, `<` or `&`.
pub fn check_token(element: &str, value: &str) -> Result<(), CapError> {
    if value.trim().is_empty() {
        return Err(CapError::EmptyElement(element.to_owned()));
    }
    if value.contains(|c: char| c.is_whitespace() || matches!(c, ',' | '<' | '&')) {
        return Err(CapError::invalid(
            element,
            value,
            "不能含空格、逗号、< 或 &",
        ));
    }
    Ok(())
}

pub fn format_references(refs: &[Reference]) -> Result<String, CapError> {
    let mut triples = Vec::with_capacity(refs.len());
    for r in refs {
        check_token("references/sender", &r.sender)?;
        check_token("references/identifier", &r.identifier)?;
        let sent = format_time("references/sent", &r.sent)?;
        triples.push(format!("{},{},{sent}", r.sender, r.identifier));
    }
    Ok(triples.join(" "))
}

pub fn parse_references(value: &str) -> Result<Vec<Reference>, CapError> {
    value
        .split_whitespace()
        .map(|triple| parse_reference(value, triple))
        .collect()
}

fn parse_reference(whole: &str, triple: &str) -> Result<Reference, CapError> {
    let parts: Vec<&str> = triple.split(',').collect();
    let [sender, identifier, sent] = parts[..] else {
        return Err(CapError::BadReferences(shorten(whole)));
    };
    if sender.is_empty() || identifier.is_empty() {
        return Err(CapError::BadReferences(shorten(whole)));
    }
    Ok(Reference {
        sender: sender.to_owned(),
        identifier: identifier.to_owned(),
        sent: parse_time("references", sent)?,
    })
}

/// XML 1.0 `Char`: the control characters other than tab and line breaks cannot be written.
pub fn check_xml_text(element: &str, value: &str) -> Result<(), CapError> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
    };
    match value.chars().find(|c| bad(*c)) {
        Some(c) => Err(CapError::invalid(
            element,
            value,
            &format!("含 XML 不允许的控制字符 U+{:04X}", c as u32),
        )),
        None => Ok(()),
    }
}

/// `xs:language` as the XSD checks it, e.g. zh-CN.
pub fn check_language(value: &str) -> Result<(), CapError> {
    let part_ok = |p: &str, first: bool| {
        (1..=8).contains(&p.len())
            && p.bytes()
                .all(|b| b.is_ascii_alphabetic() || (!first && b.is_ascii_digit()))
    };
    let ok = value
        .split('-')
        .enumerate()
        .all(|(i, p)| part_ok(p, i == 0));
    if ok {
        Ok(())
    } else {
        Err(CapError::invalid(
            "info/language",
            value,
            "应为 zh-CN 这样的语言代码",
        ))
    }
}
