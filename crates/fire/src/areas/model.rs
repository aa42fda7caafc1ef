//! Rules of township areas, free of the database: reading a GeoJSON FeatureCollection leniently
//! (every feature judged on its own, so the page can name each bad one), the region a feature
//! names, and checking and converting its geometry.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde::{Deserialize, Serialize};

/// county | township.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AreaLevel {
    County,
    Township,
}

impl AreaLevel {
    pub fn code(self) -> &'static str {
        match self {
            Self::County => "county",
            Self::Township => "township",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "county" => Some(Self::County),
            "township" => Some(Self::Township),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::County => "县界",
            Self::Township => "乡镇",
        }
    }
}

/// How a feature names its region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegionRef {
    /// A 12-digit code, normalised from 6, 9 or 12 digits or `156` + the county's 6 digits.
    Code(String),
    /// A name to match against the townships (or the county) in scope.
    Name(String),
}

/// One feature as read: its position (from 1), the region it names and its geometry,
/// or why it cannot be taken.
#[derive(Clone, Debug)]
pub struct ParsedFeature {
    pub number: usize,
    pub region: Result<RegionRef, String>,
    pub geometry: Result<MultiPolygon<f64>, String>,
}

/// Why a whole upload is refused before looking at features.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CollectionError {
    #[error("文件不是有效的 JSON：{0}")]
    NotJson(String),
    #[error("文件应为 GeoJSON 要素集合（FeatureCollection）")]
    NotCollection,
    #[error("要素集合中没有要素")]
    Empty,
}

/// A region code as written in the shared files: `510722101` (township, 9 digits),
/// `510722101000` (12 digits), `510722` (county) or `156510722` (GB/T 2659 `156` + county).
pub fn normalise_code(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let code = match raw.len() {
        6 => format!("{raw}000000"),
        // No province code starts with 156 (内蒙古 cities are 1501–1529), so this is GB's
        // country prefix before a county code.
        9 if raw.starts_with("156") => format!("{}000000", &raw[3..]),
        9 => format!("{raw}000"),
        12 => raw.to_string(),
        _ => return None,
    };
    Some(code)
}

fn property_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The region a feature's properties name: `code`, `gb` or `adcode` first, else `name`.
pub fn region_ref(
    properties: Option<&serde_json::Map<String, serde_json::Value>>,
) -> Result<RegionRef, String> {
    let Some(props) = properties else {
        return Err("没有属性，无法确定所属区划（需 code/gb/adcode 或 name）".into());
    };
    for key in ["code", "gb", "adcode"] {
        if let Some(text) = props.get(key).and_then(property_text) {
            return normalise_code(&text)
                .map(RegionRef::Code)
                .ok_or_else(|| format!("区划代码“{text}”格式不正确（应为 6、9 或 12 位数字）"));
        }
    }
    match props.get("name").and_then(property_text) {
        Some(name) => Ok(RegionRef::Name(name)),
        None => Err("属性中没有区划代码或名称（需 code/gb/adcode 或 name）".into()),
    }
}

fn position(raw: &serde_json::Value) -> Result<Coord<f64>, String> {
    let bad = || "坐标无效（应为 [经度, 纬度] 数字）".to_string();
    let items = raw.as_array().ok_or_else(bad)?;
    if items.len() < 2 {
        return Err(bad());
    }
    let x = items[0].as_f64().ok_or_else(bad)?;
    let y = items[1].as_f64().ok_or_else(bad)?;
    if !x.is_finite()
        || !y.is_finite()
        || !(-180.0..=180.0).contains(&x)
        || !(-90.0..=90.0).contains(&y)
    {
        return Err(format!("坐标无效：[{x}, {y}] 超出经纬度范围"));
    }
    Ok(Coord { x, y })
}

fn ring(raw: &serde_json::Value) -> Result<LineString<f64>, String> {
    let points = raw
        .as_array()
        .ok_or_else(|| "坐标无效（环应为坐标数组）".to_string())?;
    let coords = points.iter().map(position).collect::<Result<Vec<_>, _>>()?;
    if coords.len() < 4 {
        return Err("坐标无效：多边形的环至少需要 4 个点".into());
    }
    if coords.first() != coords.last() {
        return Err("坐标无效：多边形的环未闭合（首尾坐标应相同）".into());
    }
    Ok(LineString::new(coords))
}

fn polygon(raw: &serde_json::Value) -> Result<Polygon<f64>, String> {
    let rings = raw
        .as_array()
        .ok_or_else(|| "坐标无效（多边形应为环的数组）".to_string())?;
    let mut rings = rings.iter().map(ring).collect::<Result<Vec<_>, _>>()?;
    if rings.is_empty() {
        return Err("坐标无效：多边形没有外环".into());
    }
    let exterior = rings.remove(0);
    Ok(Polygon::new(exterior, rings))
}

/// A GeoJSON geometry object as a MultiPolygon, when it is a Polygon or MultiPolygon with
/// sensible coordinates.
pub fn geometry(raw: Option<&serde_json::Value>) -> Result<MultiPolygon<f64>, String> {
    let Some(raw) = raw.filter(|g| !g.is_null()) else {
        return Err("没有几何图形".into());
    };
    let kind = raw.get("type").and_then(|t| t.as_str()).unwrap_or("");
    let coordinates = raw.get("coordinates");
    match (kind, coordinates) {
        ("Polygon", Some(c)) => Ok(MultiPolygon::new(vec![polygon(c)?])),
        ("MultiPolygon", Some(c)) => {
            let parts = c
                .as_array()
                .ok_or_else(|| "坐标无效（多多边形应为多边形的数组）".to_string())?;
            let polygons = parts.iter().map(polygon).collect::<Result<Vec<_>, _>>()?;
            if polygons.is_empty() {
                return Err("坐标无效：多多边形中没有多边形".into());
            }
            Ok(MultiPolygon::new(polygons))
        }
        ("Polygon" | "MultiPolygon", None) => Err("坐标无效：缺少 coordinates".into()),
        ("", _) => Err("没有几何图形".into()),
        (other, _) => Err(format!(
            "几何类型为 {other}，不是面（应为 Polygon 或 MultiPolygon）"
        )),
    }
}

/// Read a FeatureCollection: the collection must be one, each feature is judged on its own.
pub fn parse_collection(text: &str) -> Result<Vec<ParsedFeature>, CollectionError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc: serde_json::Value =
        serde_json::from_str(text).map_err(|e| CollectionError::NotJson(e.to_string()))?;
    if doc.get("type").and_then(|t| t.as_str()) != Some("FeatureCollection") {
        return Err(CollectionError::NotCollection);
    }
    let features = doc
        .get("features")
        .and_then(|f| f.as_array())
        .ok_or(CollectionError::NotCollection)?;
    if features.is_empty() {
        return Err(CollectionError::Empty);
    }
    Ok(features
        .iter()
        .enumerate()
        .map(|(i, f)| ParsedFeature {
            number: i + 1,
            region: region_ref(f.get("properties").and_then(|p| p.as_object())),
            geometry: geometry(f.get("geometry")),
        })
        .collect())
}

/// The stored text of a geometry: GeoJSON, a Polygon when there is one part.
pub fn to_geojson(shape: &MultiPolygon<f64>) -> String {
    let value = match shape.0.as_slice() {
        [one] => geojson::Value::from(one),
        _ => geojson::Value::from(shape),
    };
    geojson::Geometry::new(value).to_string()
}

/// A stored geometry read back (a Polygon becomes a one-part MultiPolygon).
pub fn from_geojson(text: &str) -> Option<MultiPolygon<f64>> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    geometry(Some(&value)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised() {
        assert_eq!(normalise_code("510722101").as_deref(), Some("510722101000"));
        assert_eq!(normalise_code("156510722").as_deref(), Some("510722000000"));
        assert_eq!(normalise_code("510722").as_deref(), Some("510722000000"));
        assert_eq!(
            normalise_code("510722101000").as_deref(),
            Some("510722101000")
        );
        assert_eq!(normalise_code("51072"), None);
        assert_eq!(normalise_code("51072a101"), None);
    }

    #[test]
    fn features_are_judged_one_by_one() {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"gb":156510722},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
          {"type":"Feature","properties":{"name":"潼川镇"},"geometry":null},
          {"type":"Feature","properties":{"code":"510722101"},"geometry":{"type":"Point","coordinates":[0,0]}},
          {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[200,0],[1,1],[0,0]]]}},
          {"type":"Feature","properties":{"adcode":"510722104"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}
        ]}"#;
        let f = parse_collection(text).unwrap();
        assert_eq!(f[0].region, Ok(RegionRef::Code("510722000000".into())));
        assert!(f[0].geometry.is_ok());
        assert_eq!(f[1].region, Ok(RegionRef::Name("潼川镇".into())));
        assert_eq!(f[1].geometry.as_ref().unwrap_err(), "没有几何图形");
        assert!(f[2].geometry.as_ref().unwrap_err().contains("不是面"));
        assert!(f[3].region.is_err());
        assert!(
            f[3].geometry
                .as_ref()
                .unwrap_err()
                .contains("超出经纬度范围")
        );
        assert!(f[4].geometry.as_ref().unwrap_err().contains("未闭合"));
        assert_eq!(
            parse_collection("[]").unwrap_err(),
            CollectionError::NotCollection
        );
        assert!(matches!(
            parse_collection("{"),
            Err(CollectionError::NotJson(_))
        ));
    }

    #[test]
    fn geometry_round_trips() {
        let text =
            r#"{"type":"Polygon","coordinates":[[[0.0,0.0],[1.0,0.0],[1.0,1.0],[0.0,0.0]]]}"#;
        let shape = from_geojson(text).unwrap();
        let back = to_geojson(&shape);
        assert!(back.contains("\"Polygon\""), "{back}");
        assert_eq!(from_geojson(&back).unwrap(), shape);
    }
}
