//! Rules for code-table items that need no database, and the seed files shipped in the binary.
//!
//! Seed files live in `seed/dicts/`: `index.csv` (`code,name,current_edition,description`) names
//! the dictionaries, and one `<dict>@<edition>.csv` (`code,label,parent_code`) per edition holds
//! the items in display order.

use std::collections::{HashMap, HashSet};

pub const CODE_MAX: usize = 32;
pub const LABEL_MAX: usize = 60;

pub const CODE_RULE: &str = "编码为 1–32 位字母、数字、下划线或连字符";
pub const LABEL_RULE: &str = "名称为 1–60 个字";
pub const EDITION_RULE: &str = "版本为 1–32 位字母、数字、下划线或连字符";

/// Codes, editions and dictionary codes share one shape: 1–32 ASCII letters, digits, `_`, `-`.
pub fn is_code(text: &str) -> bool {
    (1..=CODE_MAX).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// An item code as typed, trimmed.
pub fn parse_code(text: &str) -> Result<String, &'static str> {
    let code = text.trim();
    if is_code(code) {
        Ok(code.to_string())
    } else {
        Err(CODE_RULE)
    }
}

/// An edition name as typed, trimmed.
pub fn parse_edition(text: &str) -> Result<String, &'static str> {
    let edition = text.trim();
    if is_code(edition) {
        Ok(edition.to_string())
    } else {
        Err(EDITION_RULE)
    }
}

/// A label: 1–60 characters after trimming, no control characters (they break exports).
pub fn parse_label(text: &str) -> Result<String, &'static str> {
    let label = text.trim();
    let count = label.chars().count();
    if count == 0 || count > LABEL_MAX || label.chars().any(char::is_control) {
        return Err(LABEL_RULE);
    }
    Ok(label.to_string())
}

/// Whether making `parent` the parent of `code` would close a loop, given the other items'
/// parents (`code → parent`) of the same edition.
pub fn makes_cycle(parents: &HashMap<String, Option<String>>, code: &str, parent: &str) -> bool {
    let mut seen = HashSet::new();
    let mut next = Some(parent.to_string());
    while let Some(current) = next {
        if current == code || !seen.insert(current.clone()) {
            return true;
        }
        next = parents.get(&current).cloned().flatten();
    }
    false
}

/// One dictionary named in `index.csv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedDict {
    pub code: String,
    pub name: String,
    pub current_edition: String,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedItem {
    pub code: String,
    pub label: String,
    pub parent_code: Option<String>,
}

/// The items of one edition of one dictionary, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedEdition {
    pub dict_code: String,
    pub edition: String,
    pub items: Vec<SeedItem>,
}

pub const SEED_INDEX: &str = include_str!("../../seed/dicts/index.csv");

/// Every edition file shipped in the binary, by file name.
pub const SEED_FILES: &[(&str, &str)] = &[
    (
        "accident_type@GB6441-1986.csv",
        include_str!("../../seed/dicts/accident_type@GB6441-1986.csv"),
    ),
    (
        "accident_type@GB6441-2025.csv",
        include_str!("../../seed/dicts/accident_type@GB6441-2025.csv"),
    ),
    (
        "unit_industry@2024.csv",
        include_str!("../../seed/dicts/unit_industry@2024.csv"),
    ),
    (
        "disaster_type@2024.csv",
        include_str!("../../seed/dicts/disaster_type@2024.csv"),
    ),
    (
        "hazard_category@2024.csv",
        include_str!("../../seed/dicts/hazard_category@2024.csv"),
    ),
];

/// Records of a CSV text with exactly the expected header, numbered by line (header = 1).
fn records(
    text: &str,
    file: &str,
    columns: &[&str],
) -> Result<Vec<(u64, Vec<String>)>, Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    match reader.headers() {
        Ok(h) if h.iter().map(str::trim).eq(columns.iter().copied()) => {}
        _ => {
            return Err(vec![format!(
                "{file} 第1行：表头应为 {}",
                columns.join(",")
            )]);
        }
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        match record {
            Ok(r) if r.len() == columns.len() => {
                rows.push((line, r.iter().map(|s| s.trim().to_string()).collect()))
            }
            Ok(_) => errors.push(format!("{file} 第{line}行：应有 {} 列", columns.len())),
            Err(e) => errors.push(format!("{file} 第{line}行：无法读取：{e}")),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

pub fn parse_index(text: &str) -> Result<Vec<SeedDict>, Vec<String>> {
    let file = "index.csv";
    let mut errors = Vec::new();
    let mut dicts = Vec::new();
    let mut seen = HashSet::new();
    for (line, r) in records(
        text,
        file,
        &["code", "name", "current_edition", "description"],
    )? {
        let [code, name, edition, description] = [&r[0], &r[1], &r[2], &r[3]];
        if !is_code(code) {
            errors.push(format!("{file} 第{line}行：字典{CODE_RULE}"));
        } else if !seen.insert(code.clone()) {
            errors.push(format!("{file} 第{line}行：字典 {code} 重复"));
        }
        if name.is_empty() {
            errors.push(format!("{file} 第{line}行：字典名称不能为空"));
        }
        if !is_code(edition) {
            errors.push(format!("{file} 第{line}行：{EDITION_RULE}"));
        }
        dicts.push(SeedDict {
            code: code.clone(),
            name: name.clone(),
            current_edition: edition.clone(),
            description: description.clone(),
        });
    }
    if errors.is_empty() {
        Ok(dicts)
    } else {
        Err(errors)
    }
}

/// `accident_type@GB6441-1986.csv` → (`accident_type`, `GB6441-1986`).
pub fn split_file_name(file: &str) -> Option<(&str, &str)> {
    let stem = file.strip_suffix(".csv")?;
    let (dict, edition) = stem.split_once('@')?;
    (is_code(dict) && is_code(edition)).then_some((dict, edition))
}

/// One edition file: every code well-formed and unique, every parent present in the same file
/// and no loops.
pub fn parse_edition_file(file: &str, text: &str) -> Result<SeedEdition, Vec<String>> {
    let Some((dict_code, edition)) = split_file_name(file) else {
        return Err(vec![format!("{file}：文件名应为 字典编码@版本.csv")]);
    };
    let mut errors = Vec::new();
    let mut items: Vec<SeedItem> = Vec::new();
    let mut seen = HashSet::new();
    for (line, r) in records(text, file, &["code", "label", "parent_code"])? {
        if let Err(m) = parse_code(&r[0]) {
            errors.push(format!("{file} 第{line}行：{m}"));
        } else if !seen.insert(r[0].clone()) {
            errors.push(format!("{file} 第{line}行：编码 {} 重复", r[0]));
        }
        if let Err(m) = parse_label(&r[1]) {
            errors.push(format!("{file} 第{line}行：{m}"));
        }
        items.push(SeedItem {
            code: r[0].clone(),
            label: r[1].clone(),
            parent_code: Some(r[2].clone()).filter(|p| !p.is_empty()),
        });
    }
    let parents: HashMap<String, Option<String>> = items
        .iter()
        .map(|i| (i.code.clone(), i.parent_code.clone()))
        .collect();
    for item in &items {
        let Some(parent) = &item.parent_code else {
            continue;
        };
        if !parents.contains_key(parent) {
            errors.push(format!(
                "{file}：{} 的上级编码 {parent} 不在本文件中",
                item.code
            ));
        } else {
            let mut others = parents.clone();
            others.remove(&item.code);
            if makes_cycle(&others, &item.code, parent) {
                errors.push(format!("{file}：{} 的上级关系形成循环", item.code));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(SeedEdition {
        dict_code: dict_code.to_string(),
        edition: edition.to_string(),
        items,
    })
}

/// Every shipped dictionary and edition, checked against each other: each edition belongs to a
/// dictionary of the index and each dictionary's current edition is shipped.
pub fn shipped() -> Result<(Vec<SeedDict>, Vec<SeedEdition>), Vec<String>> {
    let mut errors = Vec::new();
    let dicts = parse_index(SEED_INDEX).unwrap_or_else(|e| {
        errors.extend(e);
        Vec::new()
    });
    let mut editions = Vec::new();
    for (file, text) in SEED_FILES {
        match parse_edition_file(file, text) {
            Ok(e) => editions.push(e),
            Err(e) => errors.extend(e),
        }
    }
    for e in &editions {
        if !dicts.iter().any(|d| d.code == e.dict_code) {
            errors.push(format!(
                "{}@{}：index.csv 中没有字典 {}",
                e.dict_code, e.edition, e.dict_code
            ));
        }
    }
    for d in &dicts {
        if !editions
            .iter()
            .any(|e| e.dict_code == d.code && e.edition == d.current_edition)
        {
            errors.push(format!(
                "index.csv：字典 {} 的当前版本 {} 没有数据文件",
                d.code, d.current_edition
            ));
        }
    }
    if errors.is_empty() {
        Ok((dicts, editions))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_short_ascii_words() {
        assert_eq!(
            parse_code(" hazchem_storage "),
            Ok("hazchem_storage".to_string())
        );
        assert!(parse_code("GB6441-1986").is_ok());
        assert!(parse_code("01").is_ok());
        assert_eq!(parse_code(""), Err(CODE_RULE));
        assert_eq!(parse_code("   "), Err(CODE_RULE));
        assert_eq!(parse_code("危化"), Err(CODE_RULE));
        assert_eq!(parse_code("a b"), Err(CODE_RULE));
        assert_eq!(parse_code("a/b"), Err(CODE_RULE));
        assert!(parse_code(&"x".repeat(32)).is_ok());
        assert_eq!(parse_code(&"x".repeat(33)), Err(CODE_RULE));
    }

    #[test]
    fn labels_count_characters_not_bytes() {
        assert_eq!(
            parse_label("  烟花爆竹零售 "),
            Ok("烟花爆竹零售".to_string())
        );
        assert!(parse_label(&"危".repeat(60)).is_ok());
        assert_eq!(parse_label(&"危".repeat(61)), Err(LABEL_RULE));
        assert_eq!(parse_label(""), Err(LABEL_RULE));
        assert_eq!(parse_label("一\n二"), Err(LABEL_RULE));
    }

    #[test]
    fn editions_follow_the_code_shape() {
        assert_eq!(parse_edition(" 2024 "), Ok("2024".to_string()));
        assert_eq!(parse_edition("GB 6441"), Err(EDITION_RULE));
    }

    #[test]
    fn a_parent_chain_back_to_the_item_is_a_cycle() {
        let parents: HashMap<String, Option<String>> =
            [("a", None), ("b", Some("a")), ("c", Some("b"))]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
                .collect();
        assert!(
            makes_cycle(&parents, "a", "c"),
            "a under its own grandchild"
        );
        assert!(makes_cycle(&parents, "a", "a"), "a under itself");
        assert!(!makes_cycle(&parents, "c", "a"));
        assert!(!makes_cycle(&parents, "new", "c"));
    }

    #[test]
    fn every_shipped_seed_file_parses_and_agrees_with_the_index() {
        let (dicts, editions) = shipped().unwrap_or_else(|e| panic!("{e:#?}"));
        assert_eq!(editions.len(), SEED_FILES.len());
        for code in [
            "accident_type",
            "unit_industry",
            "disaster_type",
            "hazard_category",
        ] {
            assert!(
                dicts.iter().any(|d| d.code == code),
                "{code} missing from index.csv"
            );
        }
        for e in &editions {
            assert!(
                !e.items.is_empty(),
                "{}@{} is empty",
                e.dict_code,
                e.edition
            );
            let codes: HashSet<&str> = e.items.iter().map(|i| i.code.as_str()).collect();
            assert_eq!(
                codes.len(),
                e.items.len(),
                "codes repeat in {}@{}",
                e.dict_code,
                e.edition
            );
        }
    }

    #[test]
    fn gb6441_1986_has_its_twenty_classic_types() {
        let (_, editions) = shipped().unwrap_or_else(|e| panic!("{e:#?}"));
        let old = editions
            .iter()
            .find(|e| e.dict_code == "accident_type" && e.edition == "GB6441-1986")
            .expect("GB 6441-1986 shipped");
        assert_eq!(old.items.len(), 20);
        assert_eq!(old.items[0].label, "物体打击");
        assert_eq!(old.items[18].label, "中毒和窒息");
        assert_eq!(old.items[19].label, "其他伤害");
    }

    #[test]
    fn disaster_subtypes_hang_under_their_category() {
        let (_, editions) = shipped().unwrap_or_else(|e| panic!("{e:#?}"));
        let disasters = editions
            .iter()
            .find(|e| e.dict_code == "disaster_type")
            .expect("disaster types shipped");
        let parent_of = |code: &str| {
            disasters
                .items
                .iter()
                .find(|i| i.code == code)
                .and_then(|i| i.parent_code.clone())
        };
        assert_eq!(parent_of("flood").as_deref(), Some("hydro"));
        assert_eq!(parent_of("landslide").as_deref(), Some("geological"));
        assert_eq!(parent_of("hydro"), None);
    }

    #[test]
    fn broken_seed_files_are_reported_by_line() {
        let text =
            "code,label,parent_code\n01,物体打击,\n01,重复,\nbad code,名称,\n03,,\n04,有上级,99\n";
        let errors = parse_edition_file("t@1.csv", text).expect_err("errors");
        assert!(
            errors
                .iter()
                .any(|e| e.contains("第3行") && e.contains("重复")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("第4行") && e.contains(CODE_RULE)),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("第5行") && e.contains(LABEL_RULE)),
            "{errors:?}"
        );
        assert!(errors.iter().any(|e| e.contains("99")), "{errors:?}");
    }

    #[test]
    fn seed_files_need_the_header_and_a_proper_name() {
        assert!(parse_edition_file("t@1.csv", "id,name\n1,x\n").is_err());
        assert!(parse_edition_file("t.csv", "code,label,parent_code\n").is_err());
        assert_eq!(split_file_name("a@b-1.csv"), Some(("a", "b-1")));
        let looped = "code,label,parent_code\na,甲,b\nb,乙,a\n";
        let errors = parse_edition_file("t@1.csv", looped).expect_err("loop");
        assert!(errors.iter().any(|e| e.contains("循环")), "{errors:?}");
    }
}
