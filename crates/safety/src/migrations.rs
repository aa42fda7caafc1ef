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
