//! The duty log's tables: entries and handovers.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Logs;

// Named by hand: the derive names a migration after its file, which other ledgers' share.
impl MigrationName for Logs {
    fn name(&self) -> &str {
        "m20261130_000202_duty_logs"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Logs {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("duty_log_entries")
                .col(uuid("period_id"))
                .col(uuid("shift_id"))
                .col(string_len("kind", 20))
                .col(timestamp_with_time_zone("at"))
                .col(string_len_null("from_party", 100))
                .col(string_len_null("to_party", 100))
                .col(text("content"))
                .col(boolean("is_open"))
                .col(timestamp_with_time_zone_null("closed_at"))
                .col(uuid_null("closed_by"))
                .col(text_null("outcome"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("duty_log_entries", &["shift_id", "at"]))
            .await?;
        m.create_index(index("duty_log_entries", &["period_id", "is_open"]))
            .await?;
        m.create_index(index("duty_log_entries", &["region_code", "at"]))
            .await?;

        m.create_table(
            record_table("duty_handovers")
                .col(uuid("period_id"))
                .col(uuid("from_shift_id"))
                .col(uuid("to_shift_id"))
                .col(text("note"))
                .col(text("open_entries"))
                .col(uuid_null("confirmed_by"))
                .col(timestamp_with_time_zone_null("confirmed_at"))
                .to_owned(),
        )
        .await?;
        // One handover per shift change.
        m.create_index(
            index("duty_handovers", &["from_shift_id"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(index("duty_handovers", &["to_shift_id"]))
            .await?;
        Ok(())
    }
}
