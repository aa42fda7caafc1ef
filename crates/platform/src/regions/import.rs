//! Loading a county's division list from the published CSV form (the same files the demo county
//! ships: `code,name` for townships, `code,name,townshipCode` for villages), so any bureau can
//! load its own. Every row is checked first; nothing is written if any row is wrong.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set, TransactionTrait};

use super::entity::{ActiveModel, Column, Entity};
use super::model::{Level, RegionCode, kind_of};
use crate::audit::{self, Entry, Who};
use crate::error::{AppError, AppResult};

/// The named upper levels a county hangs under.
pub struct CountyHeader {
    pub province: (String, String),
    pub city: (String, String),
    pub county: (String, String),
}

pub struct RegionRow {
    pub code: RegionCode,
    pub name: String,
    pub parent: RegionCode,
}

/// One problem found in an input file, with the line it is on (header = line 1).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RowError {
    pub file: &'static str,
    pub line: u64,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} 第{}行：{}", self.file, self.line, self.message)
    }
}

/// Parse and check both files against the county. Returns every row or every error.
pub fn parse_county_lists(
    header: &CountyHeader,
    townships_csv: &[u8],
    villages_csv: &[u8],
) -> Result<Vec<RegionRow>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let county = match RegionCode::parse(&header.county.0) {
        Ok(c) if c.level() == Level::County => c,
        _ => {
            errors.push(RowError {
                file: "县",
                line: 0,
                message: format!("{} 不是县级区划代码", header.county.0),
            });
            return Err(errors);
        }
    };
    let mut townships = std::collections::HashSet::new();
    for (line, record) in read_csv(townships_csv, "乡镇", &["code", "name"], &mut errors) {
        match check_row(&record[0], &record[1], Level::Township, &county) {
            Ok(code) => {
                if !townships.insert(code.clone()) {
                    errors.push(err("乡镇", line, format!("代码 {code} 重复")));
                    continue;
                }
                rows.push(RegionRow {
                    code,
                    name: record[1].trim().to_string(),
                    parent: county.clone(),
                });
            }
            Err(message) => errors.push(err("乡镇", line, message)),
        }
    }
    let mut villages = std::collections::HashSet::new();
    let columns = ["code", "name", "townshipCode"];
    for (line, record) in read_csv(villages_csv, "村（社区）", &columns, &mut errors) {
        let parent = match RegionCode::parse(&record[2]) {
            Ok(p) if townships.contains(&p) => p,
            _ => {
                errors.push(err(
                    "村（社区）",
                    line,
                    format!("所属乡镇 {} 不在乡镇表中", record[2].trim()),
                ));
                continue;
            }
        };
        match check_row(&record[0], &record[1], Level::Village, &parent) {
            Ok(code) if villages.insert(code.clone()) => rows.push(RegionRow {
                code,
                name: record[1].trim().to_string(),
                parent,
            }),
            Ok(code) => errors.push(err("村（社区）", line, format!("代码 {code} 重复"))),
            Err(message) => errors.push(err("村（社区）", line, message)),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

fn err(file: &'static str, line: u64, message: String) -> RowError {
    RowError {
        file,
        line,
        message,
    }
}

fn check_row(
    code: &str,
    name: &str,
    level: Level,
    parent: &RegionCode,
) -> Result<RegionCode, String> {
    let code = RegionCode::parse(code).map_err(|e| format!("{}：{e}", code.trim()))?;
    if code.level() != level {
        return Err(format!("{code} 不是{}代码", level.label()));
    }
    if !parent.contains(&code) {
        return Err(format!("{code} 不属于 {parent}"));
    }
    if name.trim().is_empty() {
        return Err("名称不能为空".to_string());
    }
    Ok(code)
}

/// The records of a CSV file with the expected header, numbered by line.
fn read_csv(
    bytes: &[u8],
    file: &'static str,
    columns: &[&str],
    errors: &mut Vec<RowError>,
) -> Vec<(u64, Vec<String>)> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    match reader.headers() {
        Ok(h) if h.iter().map(str::trim).eq(columns.iter().copied()) => {}
        _ => {
            errors.push(err(file, 1, format!("表头应为 {}", columns.join(","))));
            return Vec::new();
        }
    }
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        match record {
            Ok(r) if r.len() == columns.len() => {
                out.push((line, r.iter().map(str::to_string).collect()))
            }
            Ok(_) => errors.push(err(file, line, format!("应有 {} 列", columns.len()))),
            Err(e) => errors.push(err(file, line, format!("无法读取：{e}"))),
        }
    }
    out
}

/// Write the county, its parents and all rows in one transaction (insert or rename).
pub async fn apply(
    db: &sea_orm::DatabaseConnection,
    header: &CountyHeader,
    rows: &[RegionRow],
    edition_year: i32,
    who: Who<'_>,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<usize> {
    let mut models = Vec::with_capacity(rows.len() + 3);
    for (code, name) in [&header.province, &header.city, &header.county] {
        let code = RegionCode::parse(code)
            .map_err(|e| AppError::bad_request("invalid_region_code", format!("{code}：{e}")))?;
        models.push(model(&code, name, code.parent(), edition_year));
    }
    for row in rows {
        models.push(model(
            &row.code,
            &row.name,
            Some(row.parent.clone()),
            edition_year,
        ));
    }
    let count = models.len();
    let txn = db.begin().await?;
    for chunk in models.chunks(200) {
        upsert(&txn, chunk.to_vec()).await?;
    }
    let county = &header.county.0;
    let entry = Entry::new("import", "region", county, county).summary(format!(
        "导入 {} 区划 {count} 条（{edition_year} 年版）",
        header.county.1
    ));
    audit::record(&txn, who, now, entry).await?;
    txn.commit().await?;
    Ok(count)
}

async fn upsert(db: &impl ConnectionTrait, models: Vec<ActiveModel>) -> AppResult<()> {
    Entity::insert_many(models)
        .on_conflict(
            OnConflict::column(Column::Code)
                .update_columns([
                    Column::Name,
                    Column::Kind,
                    Column::EditionYear,
                    Column::ParentCode,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

fn model(code: &RegionCode, name: &str, parent: Option<RegionCode>, year: i32) -> ActiveModel {
    ActiveModel {
        code: Set(code.to_string()),
        name: Set(name.to_string()),
        level: Set(code.level() as i16),
        parent_code: Set(parent.map(|p| p.to_string())),
        kind: Set(kind_of(code, name).to_string()),
        edition_year: Set(year),
        retired: Set(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> CountyHeader {
        CountyHeader {
            province: ("510000000000".into(), "四川省".into()),
            city: ("510700000000".into(), "绵阳市".into()),
            county: ("510722000000".into(), "三台县".into()),
        }
    }

    #[test]
    fn the_demo_county_files_parse() {
        let rows = parse_county_lists(
            &header(),
            include_bytes!("../../seed/510722-townships.csv"),
            include_bytes!("../../seed/510722-villages.csv"),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            rows.iter()
                .filter(|r| r.code.level() == Level::Township)
                .count(),
            33
        );
        assert_eq!(
            rows.iter()
                .filter(|r| r.code.level() == Level::Village)
                .count(),
            462
        );
    }

    #[test]
    fn wrong_rows_are_reported_by_line() {
        let towns = "code,name\n510722101,潼川镇\n510723101,别县镇\n510722101,重复镇\n";
        let villages = "code,name,townshipCode\n510722101002,老西街社区居民委员会,510722101\n510722104001,某村,510722104\n";
        let errors = parse_county_lists(&header(), towns.as_bytes(), villages.as_bytes())
            .err()
            .expect("errors");
        let lines: Vec<_> = errors.iter().map(|e| (e.file, e.line)).collect();
        assert_eq!(lines, vec![("乡镇", 3), ("乡镇", 4), ("村（社区）", 3)]);
    }

    #[test]
    fn a_wrong_header_is_refused() {
        let errors = parse_county_lists(&header(), b"id,title\n1,x\n", b"code,name,townshipCode\n")
            .err()
            .expect("errors");
        assert!(errors[0].message.contains("表头"));
    }
}
