//! The loss reports' tables.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Losses;

// Named by hand: the derive names a migration after its file, which other ledgers' share.
impl MigrationName for Losses {
    fn name(&self) -> &str {
        "m20261201_000410_disaster_losses"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Losses {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("disaster_reports")
                .col(uuid("process_id"))
                .col(string_len("stage", 10))
                .col(integer("seq"))
                .col(date_null("figures_to"))
                .col(timestamp_with_time_zone("due_at"))
                .col(string_len("status", 10))
                .col(timestamp_with_time_zone_null("approved_at"))
                .col(uuid_null("approved_by"))
                .col(timestamp_with_time_zone_null("reported_at"))
                .col(text_null("ledger_note"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("disaster_reports", &["process_id", "seq"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            record_table("disaster_entries")
                .col(uuid("report_id"))
                .col(string_len("status", 10))
                .col(boolean("zero"))
                .col(timestamp_with_time_zone_null("submitted_at"))
                .col(text_null("return_reason"))
                .col(text_null("correction_reason"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("disaster_entries", &["report_id", "region_code"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("disaster_values")
                .col(pk_uuid("id"))
                .col(uuid("report_id"))
                .col(string_len("township_code", 12))
                .col(string_len("indicator", 40))
                .col(big_integer("value"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "disaster_values",
                &["report_id", "township_code", "indicator"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_table(
            record_table("disaster_ledger_persons")
                .col(uuid("report_id"))
                .col(string_len("fate", 10))
                .col(string_len("name", 50))
                .col(string_len("sex", 4))
                .col(integer("age"))
                .col(date("day"))
                .col(string_len("cause", 200))
                .col(string_len_null("id_number", 18))
                .to_owned(),
        )
        .await?;
        m.create_index(index("disaster_ledger_persons", &["report_id"]))
            .await?;
        m.create_table(
            record_table("disaster_ledger_houses")
                .col(uuid("report_id"))
                .col(string_len("head", 50))
                .col(string_len("degree", 10))
                .col(integer("rooms"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("disaster_ledger_houses", &["report_id"]))
            .await?;
        Ok(())
    }
}
