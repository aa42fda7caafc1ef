//! The rosters' tables: periods, their shifts, who stands each shift, and swap requests.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Rosters;

// Named by hand: the derive names a migration after its file, which other ledgers' share.
impl MigrationName for Rosters {
    fn name(&self) -> &str {
        "m20261130_000201_duty_rosters"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Rosters {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("duty_periods")
                .col(string_len("kind", 20))
                .col(string_len("name", 100))
                .col(date("starts_on"))
                .col(date("ends_on"))
                .col(string_len("pattern", 20))
                .col(string_len("shift_start", 5))
                .col(integer("min_officers"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("duty_periods", &["region_code", "starts_on"]))
            .await?;

        m.create_table(
            Table::create()
                .table("duty_shifts")
                .col(pk_uuid("id"))
                .col(uuid("period_id"))
                .col(string_len("region_code", 12))
                .col(date("day"))
                .col(string_len("slot", 10))
                .col(timestamp_with_time_zone("starts_at"))
                .col(timestamp_with_time_zone("ends_at"))
                .col(integer("version").default(1))
                .col(timestamp_with_time_zone("updated_at"))
                .col(uuid_null("updated_by"))
                .foreign_key(
                    ForeignKey::create()
                        .from("duty_shifts", "period_id")
                        .to("duty_periods", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("duty_shifts", &["period_id", "day", "slot"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(index("duty_shifts", &["region_code", "starts_at"]))
            .await?;

        m.create_table(
            Table::create()
                .table("duty_assignments")
                .col(pk_uuid("id"))
                .col(uuid("shift_id"))
                .col(uuid("period_id"))
                .col(string_len("region_code", 12))
                .col(uuid("user_id"))
                .col(string_len("post", 10))
                .col(integer("sort"))
                .col(timestamp_with_time_zone("starts_at"))
                .col(timestamp_with_time_zone("ends_at"))
                .col(timestamp_with_time_zone_null("reminded_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("duty_assignments", "shift_id")
                        .to("duty_shifts", "id"),
                )
                .to_owned(),
        )
        .await?;
        // One post per person and shift.
        m.create_index(
            index("duty_assignments", &["shift_id", "user_id"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(index("duty_assignments", &["user_id", "starts_at"]))
            .await?;
        m.create_index(index("duty_assignments", &["starts_at"]))
            .await?;

        m.create_table(
            record_table("duty_swaps")
                .col(uuid("period_id"))
                .col(uuid("shift_id"))
                .col(uuid("requester_id"))
                .col(string_len("post", 10))
                .col(uuid("counterpart_id"))
                .col(uuid_null("counterpart_shift_id"))
                .col(text("reason"))
                .col(string_len("state", 20))
                .col(uuid_null("decided_by"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(text_null("decision_note"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("duty_swaps", &["region_code", "state"]))
            .await?;
        m.create_index(index("duty_swaps", &["period_id"])).await?;
        Ok(())
    }
}
