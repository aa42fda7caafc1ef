//! The daily dispatch's table.

use platform::db::migrations::record_table;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Dispatches;

impl MigrationName for Dispatches {
    fn name(&self) -> &str {
        "m20261130_000251_duty_dispatches"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Dispatches {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("duty_dispatches")
                .col(date("day"))
                .col(uuid_null("period_id"))
                .col(string_len("kind", 20))
                .col(text("questions"))
                .col(boolean("include_departments"))
                .col(text("contact_groups"))
                .col(integer("ack_minutes"))
                .col(integer("cycles"))
                .col(timestamp_with_time_zone("closes_at"))
                .col(timestamp_with_time_zone_null("closed_at"))
                .col(uuid_null("closed_by"))
                .col(integer("asked"))
                .to_owned(),
        )
        .await?;
        // One dispatch per county and day.
        m.create_index(
            Index::create()
                .name("idx_duty_dispatches_region_code_day")
                .table("duty_dispatches")
                .col("region_code")
                .col("day")
                .unique()
                .to_owned(),
        )
        .await
    }
}
