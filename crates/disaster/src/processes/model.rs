//! Disaster types (national list, 自然灾害情况统计调查制度): category and sub-type codes.

/// (sub-type code, sub-type, category).
pub const TYPES: &[(&str, &str, &str)] = &[
    ("flood", "洪涝", "水旱灾害"),
    ("drought", "干旱", "水旱灾害"),
    ("typhoon", "台风", "气象灾害"),
    ("hail", "风雹", "气象灾害"),
    ("frost", "低温冷冻", "气象灾害"),
    ("snow", "雪灾", "气象灾害"),
    ("sandstorm", "沙尘暴", "气象灾害"),
    ("earthquake", "地震", "地震灾害"),
    ("collapse", "崩塌", "地质灾害"),
    ("landslide", "滑坡", "地质灾害"),
    ("debris_flow", "泥石流", "地质灾害"),
    ("storm_surge", "风暴潮", "海洋灾害"),
    ("tsunami", "海啸", "海洋灾害"),
    ("forest_fire", "森林草原火灾", "森林草原火灾"),
    ("biological", "生物灾害", "生物灾害"),
];

/// A sub-type by code or Chinese name, as its code.
pub fn parse_type(text: &str) -> Option<&'static str> {
    let t = text.trim();
    TYPES
        .iter()
        .find(|(code, label, _)| *code == t || *label == t)
        .map(|(code, _, _)| *code)
}

pub fn type_label(code: &str) -> &'static str {
    TYPES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, l, _)| *l)
        .unwrap_or("未知")
}

pub fn category_of(code: &str) -> &'static str {
    TYPES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, _, cat)| *cat)
        .unwrap_or("未知")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_by_code_or_name() {
        assert_eq!(parse_type("洪涝"), Some("flood"));
        assert_eq!(parse_type("hail"), Some("hail"));
        assert_eq!(parse_type("火山"), None);
        assert_eq!(category_of("landslide"), "地质灾害");
    }
}
