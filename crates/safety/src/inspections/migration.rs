//! Tables of campaigns and inspections, and the link from a hazard to the inspection that
//! found it.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Inspections;

impl MigrationName for Inspections {
    fn name(&self) -> &str {
        "m20261129_000003_safety_inspections"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Inspections {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("safety_campaigns")
                .col(string_len("name", 100))
                .col(string_len("kind", 20))
                .col(date("starts_on"))
                .col(date("ends_on"))
                .col(text("sectors"))
                .col(text("townships"))
                .col(uuid_null("department_id"))
                .col(string_len_null("description", 2000))
                .to_owned(),
        )
        .await?;
        m.create_index(index("safety_campaigns", &["region_code"]))
            .await?;
        m.create_index(index("safety_campaigns", &["starts_on", "ends_on"]))
            .await?;

        m.create_table(
            record_table("safety_inspections")
                .col(string_len("kind", 20))
                .col(uuid_null("unit_id"))
                .col(string_len_null("target_region_code", 12))
                .col(uuid_null("target_department_id"))
                .col(date("inspected_on"))
                .col(uuid_null("campaign_id"))
                .col(text("inspectors"))
                .col(text("experts"))
                .col(string_len_null("checklist_group", 20))
                .col(text("checklist"))
                .col(text("problems"))
                .col(string_len("result", 20))
                .col(string_len_null("summary", 2000))
                .foreign_key(
                    ForeignKey::create()
                        .from("safety_inspections", "unit_id")
                        .to("safety_units", "id"),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("safety_inspections", "campaign_id")
                        .to("safety_campaigns", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "safety_inspections",
            &["region_code", "inspected_on"],
        ))
        .await?;
        m.create_index(index("safety_inspections", &["unit_id"]))
            .await?;
        m.create_index(index("safety_inspections", &["campaign_id"]))
            .await?;

        // A hazard remembers the inspection that found it (nullable: most come otherwise).
        m.alter_table(
            Table::alter()
                .table("safety_hazards")
                .add_column(uuid_null("inspection_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("safety_hazards", &["inspection_id"]))
            .await?;
        Ok(())
    }
}
