//! The safety area's tables, applied after the platform's.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub fn all() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(SupervisedUnits),
        Box::new(Hazards),
        Box::new(HazardDocuments),
        Box::new(crate::accidents::migration::Accidents),
        Box::new(crate::notices::migration::Notices),
        Box::new(crate::inspections::migration::Inspections),
        Box::new(crate::enforcement::migration::Enforcement),
        Box::new(NumbersToSequences),
        Box::new(HazardEscalation),
        Box::new(HazardDaily),
        Box::new(OverdueByRegion),
        Box::new(InspectionDaily),
        Box::new(LiveUnitsByRegion),
    ]
}

struct SupervisedUnits;

// Named by hand: the derive names a migration after its file, which the platform's shares.
impl MigrationName for SupervisedUnits {
    fn name(&self) -> &str {
        "m20261129_000001_safety_units"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for SupervisedUnits {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("safety_units")
                .col(string_len("name", 100))
                .col(string_len_null("credit_code", 18))
                .col(string("industry_code"))
                .col(string("industry_edition"))
                .col(string_null("address"))
                .col(double_null("latitude"))
                .col(double_null("longitude"))
                .col(string_null("legal_representative"))
                .col(string_null("contact_name"))
                .col(string_null("contact_phone"))
                .col(uuid_null("department_id"))
                .col(string_null("risk_level"))
                .col(string("status"))
                .col(string_null("note"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("safety_units", &["region_code"]))
            .await?;
        m.create_index(index("safety_units", &["credit_code"]))
            .await?;
        m.create_index(index("safety_units", &["name"])).await?;

        m.create_table(
            Table::create()
                .table("safety_unit_licences")
                .col(pk_uuid("id"))
                .col(uuid("unit_id"))
                .col(string_len("region_code", 12))
                .col(string("kind"))
                .col(string("number"))
                .col(date_null("valid_from"))
                .col(date("expires_on"))
                .col(string_null("season"))
                .col(timestamp_with_time_zone("created_at"))
                .col(uuid_null("created_by"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(uuid_null("updated_by"))
                .col(timestamp_with_time_zone_null("voided_at"))
                .col(string_null("void_reason"))
                .foreign_key(
                    ForeignKey::create()
                        .from("safety_unit_licences", "unit_id")
                        .to("safety_units", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("safety_unit_licences", &["unit_id"]))
            .await?;
        m.create_index(index("safety_unit_licences", &["expires_on"]))
            .await?;
        Ok(())
    }
}

struct Hazards;

impl MigrationName for Hazards {
    fn name(&self) -> &str {
        "m20261129_000002_safety_hazards"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Hazards {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("safety_hazards")
                .col(uuid("unit_id"))
                .col(string_len("county_code", 6))
                .col(string_len("number", 20))
                .col(string_len("description", 1000))
                .col(string("category_code"))
                .col(string("category_edition"))
                .col(string_len("grade", 20))
                .col(string_null("criterion_standard"))
                .col(string_null("criterion_item"))
                .col(date("discovered_on"))
                .col(string_len("source", 20))
                .col(string_null("location"))
                .col(string_len("state", 20))
                .col(date_null("deadline"))
                .col(string_null("responsible"))
                .col(string_len_null("measures", 1000))
                .col(big_integer_null("funds_fen"))
                .col(string_len_null("contingency", 1000))
                .col(string_len_null("evidence", 1000))
                .col(string_len_null("review_reasons", 1000))
                .col(date_null("closed_on"))
                .col(string_len("supervision", 20))
                .col(boolean("exposed"))
                .col(date_null("exposed_on"))
                .col(string_null("exposure_channel"))
                .foreign_key(
                    ForeignKey::create()
                        .from("safety_hazards", "unit_id")
                        .to("safety_units", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("safety_hazards", &["county_code", "number"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(index("safety_hazards", &["region_code"]))
            .await?;
        m.create_index(index("safety_hazards", &["unit_id"]))
            .await?;
        m.create_index(index("safety_hazards", &["state", "deadline"]))
            .await?;
        Ok(())
    }
}

struct HazardDocuments;

impl MigrationName for HazardDocuments {
    fn name(&self) -> &str {
        "m20261129_000007_safety_hazard_documents"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for HazardDocuments {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("safety_hazard_documents")
                .col(pk_uuid("id"))
                .col(uuid("hazard_id"))
                .col(string_len("region_code", 12))
                .col(string("kind"))
                .col(string("number"))
                .col(date("issued_on"))
                .col(text("letter"))
                .col(timestamp_with_time_zone("created_at"))
                .col(uuid_null("created_by"))
                .foreign_key(
                    ForeignKey::create()
                        .from("safety_hazard_documents", "hazard_id")
                        .to("safety_hazards", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("safety_hazard_documents", &["hazard_id"]))
            .await
    }
}

/// Hazard, accident, case, decision and letter numbers used to be "the highest so far + 1" read
/// inside the issuing transaction; they now come from `platform::db::sequence`. A database
/// that issued numbers before has no counters for them: this sets each county's counter of
/// each series and year to the highest number already issued (voided records included: their
/// numbers stay taken), so the next number follows it.
pub struct NumbersToSequences;

impl MigrationName for NumbersToSequences {
    fn name(&self) -> &str {
        "m20261129_000008_safety_numbers_to_sequences"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for NumbersToSequences {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use std::collections::BTreeMap;
        let db = m.get_connection();
        // (scope, series, year) → highest number issued.
        let mut highest: BTreeMap<(String, String, i32), i64> = BTreeMap::new();
        let mut keep = |scope: String, series: &str, year: i32, n: i64| {
            let slot = highest
                .entry((scope, series.to_string(), year))
                .or_default();
            *slot = Ord::max(*slot, n);
        };
        // Record numbers: YH2026-0001, SG2026-0001, AJ2026-0001 with the county's 6 digits.
        for (table, series) in [
            ("safety_hazards", crate::hazards::store::NUMBER_SERIES),
            ("safety_accidents", crate::accidents::store::NUMBER_SERIES),
            (
                "safety_enforcement_cases",
                crate::enforcement::store::CASE_SERIES,
            ),
        ] {
            let select = Query::select()
                .columns(["county_code", "number"])
                .from(table)
                .to_owned();
            for row in db.query_all(&select).await? {
                let county: String = row.try_get("", "county_code")?;
                let number: String = row.try_get("", "number")?;
                if let Some((year, n)) = record_number(&number, series) {
                    keep(format!("{county}000000"), series, year, n);
                }
            }
        }
        // Penalty decisions: their year and sequence are columns.
        let select = Query::select()
            .columns(["county_code", "decision_year", "decision_seq"])
            .from("safety_enforcement_cases")
            .and_where(Expr::col("decision_seq").is_not_null())
            .to_owned();
        for row in db.query_all(&select).await? {
            let county: String = row.try_get("", "county_code")?;
            let year: Option<i32> = row.try_get("", "decision_year")?;
            let seq: Option<i32> = row.try_get("", "decision_seq")?;
            if let (Some(year), Some(seq)) = (year, seq) {
                let series = crate::enforcement::store::DECISION_SERIES;
                keep(format!("{county}000000"), series, year, seq.into());
            }
        }
        // Letters: one series per kind, numbered per sending region (the county).
        let select = Query::select()
            .columns(["region_code", "kind", "number_year", "number_seq"])
            .from("safety_notices")
            .and_where(Expr::col("number_seq").is_not_null())
            .to_owned();
        for row in db.query_all(&select).await? {
            let region: String = row.try_get("", "region_code")?;
            let kind: String = row.try_get("", "kind")?;
            let year: Option<i32> = row.try_get("", "number_year")?;
            let seq: Option<i32> = row.try_get("", "number_seq")?;
            let kind = crate::notices::model::NoticeKind::parse(&kind);
            if let (Some(kind), Some(year), Some(seq)) = (kind, year, seq) {
                keep(region, kind.number_mark(), year, seq.into());
            }
        }
        for ((scope, series, year), last) in highest {
            platform::db::sequence::raise_to(db, &scope, &series, year, last)
                .await
                .map_err(|e| DbErr::Migration(format!("sequence {series}: {e}")))?;
        }
        Ok(())
    }
}

/// Overdue hazards are escalated by message once per deadline: the hazard remembers which
/// deadline it was escalated for, and when.
struct HazardEscalation;

impl MigrationName for HazardEscalation {
    fn name(&self) -> &str {
        "m20261129_000009_safety_hazard_escalation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for HazardEscalation {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        m.alter_table(
            Table::alter()
                .table("safety_hazards")
                .add_column(date_null("escalated_deadline"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("safety_hazards")
                .add_column(timestamp_with_time_zone_null("escalated_at"))
                .to_owned(),
        )
        .await
    }
}

/// `safety_hazard_daily`: hazard counters per county and day for the statistics
/// (`hazards::rollup`), kept by the transactions that write hazards; filled here from the hazards
/// already written.
struct HazardDaily;

impl MigrationName for HazardDaily {
    fn name(&self) -> &str {
        "m20261201_000010_safety_hazard_daily"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for HazardDaily {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use crate::hazards::rollup::{Counter, TABLE, recount};
        let columns: Vec<&str> = Counter::ALL.iter().map(|c| c.column()).collect();
        m.create_table(platform::db::counters::table(TABLE, &columns))
            .await?;
        recount(m.get_connection(), None).await
    }
}

/// Overdue hazards of a township (every township user's home page counts them): the (state,
/// deadline) index also carries the region, so the count reads index entries instead of every
/// overdue hazard of the county (5 ms → 0.3 ms at 100,000 hazards; 150 ms → 1 ms cold).
struct OverdueByRegion;

impl MigrationName for OverdueByRegion {
    fn name(&self) -> &str {
        "m20261201_000011_safety_hazards_overdue_by_region"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for OverdueByRegion {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_safety_hazards_state_deadline")
                .table("safety_hazards")
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "safety_hazards",
            &["state", "deadline", "region_code"],
        ))
        .await
    }
}

/// The inspection counters per county and day (`inspections::rollup`), counted from the
/// inspections already written.
struct InspectionDaily;

impl MigrationName for InspectionDaily {
    fn name(&self) -> &str {
        "m20261202_000012_safety_inspection_daily"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for InspectionDaily {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use crate::inspections::rollup::{COLUMNS, TABLE, recount};
        m.create_table(platform::db::counters::table(TABLE, &COLUMNS))
            .await?;
        recount(m.get_connection(), None).await
    }
}

/// The live units of a region (the statistics' 监管对象 of a city or the province, the unit
/// list's count): an index of live units only, so PostgreSQL counts them from the index without
/// visiting the table (366,000 units of a province: 53 ms → 20 ms).
struct LiveUnitsByRegion;

impl MigrationName for LiveUnitsByRegion {
    fn name(&self) -> &str {
        "m20261202_000013_safety_units_live_by_region"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for LiveUnitsByRegion {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("idx_safety_units_live_region_code")
                .table("safety_units")
                .col("region_code")
                .and_where(Expr::col("voided_at").is_null())
                .to_owned(),
        )
        .await
    }
}

/// `YH2026-0013` → (2026, 13) for the series `YH`.
fn record_number(number: &str, series: &str) -> Option<(i32, i64)> {
    let (year, n) = number.strip_prefix(series)?.split_once('-')?;
    Some((year.parse().ok()?, n.parse().ok()?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn record_numbers_parse_into_year_and_sequence() {
        assert_eq!(super::record_number("YH2026-0013", "YH"), Some((2026, 13)));
        assert_eq!(
            super::record_number("AJ2025-12345", "AJ"),
            Some((2025, 12345))
        );
        assert_eq!(super::record_number("SG2026-0001", "YH"), None);
        assert_eq!(super::record_number("YH2026", "YH"), None);
    }
}
