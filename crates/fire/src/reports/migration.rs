//! The scheduled reports' tables.

use platform::db::migrations::record_table;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Reports;

// Named by hand: the derive names a migration after its file, which other ledgers' share.
impl MigrationName for Reports {
    fn name(&self) -> &str {
        "m20261130_000340_fire_reports"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Reports {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("fire_report_schedules")
                .col(text("slots"))
                .col(integer("grace_minutes"))
                .to_owned(),
        )
        .await?;
        // One schedule per county.
        m.create_index(
            Index::create()
                .name("idx_fire_report_schedules_region_code")
                .table("fire_report_schedules")
                .col("region_code")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            record_table("fire_report_slots")
                .col(date("day"))
                .col(string_len("slot_time", 5))
                .col(string_len("slot_name", 40))
                .col(timestamp_with_time_zone("due_at"))
                .col(integer("grace_minutes"))
                .col(timestamp_with_time_zone("late_after"))
                .col(timestamp_with_time_zone("closes_at"))
                .col(integer("asked"))
                .to_owned(),
        )
        .await?;
        // One slot per county, day and time: the job and a hand opening race on it.
        m.create_index(
            Index::create()
                .name("idx_fire_report_slots_region_code_day_slot_time")
                .table("fire_report_slots")
                .col("region_code")
                .col("day")
                .col("slot_time")
                .unique()
                .to_owned(),
        )
        .await
    }
}
