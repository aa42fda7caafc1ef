//! The notices' tables: the letters and their recipients.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Notices;

// Named by hand: the derive names a migration after its file, which other ledgers' share.
impl MigrationName for Notices {
    fn name(&self) -> &str {
        "m20261129_000006_safety_notices"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Notices {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("safety_notices")
                .col(string_len("kind", 20))
                .col(string_len_null("number", 40))
                .col(integer_null("number_year"))
                .col(integer_null("number_seq"))
                .col(string_len("title", 200))
                .col(text("content"))
                .col(boolean("reply_required"))
                .col(date_null("reply_due_on"))
                .col(string_len("state", 20))
                .col(timestamp_with_time_zone_null("sent_at"))
                .col(uuid_null("sent_by"))
                .col(date_null("sent_on"))
                .col(timestamp_with_time_zone_null("closed_at"))
                .col(uuid_null("closed_by"))
                .col(string_len_null("note", 1000))
                .col(string_len_null("unit_id", 40))
                .col(string_len_null("hazard_id", 40))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "safety_notices",
                &["region_code", "kind", "number_year", "number_seq"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_index(index("safety_notices", &["state", "reply_due_on"]))
            .await?;
        m.create_index(index("safety_notices", &["sent_on"]))
            .await?;

        m.create_table(
            Table::create()
                .table("safety_notice_recipients")
                .col(pk_uuid("id"))
                .col(uuid("notice_id"))
                .col(string_len("recipient_kind", 20))
                .col(string_len("region_code", 12))
                .col(uuid_null("department_id"))
                .col(string_len("name", 100))
                .col(integer("sort"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .col(timestamp_with_time_zone_null("read_at"))
                .col(uuid_null("read_by"))
                .col(timestamp_with_time_zone_null("replied_at"))
                .col(uuid_null("replied_by"))
                .col(text_null("reply"))
                .col(timestamp_with_time_zone_null("returned_at"))
                .col(string_len_null("returned_reason", 1000))
                .col(integer("version"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(uuid_null("updated_by"))
                .foreign_key(
                    ForeignKey::create()
                        .from("safety_notice_recipients", "notice_id")
                        .to("safety_notices", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("safety_notice_recipients", &["notice_id"]))
            .await?;
        m.create_index(index(
            "safety_notice_recipients",
            &["region_code", "sent_at"],
        ))
        .await?;
        m.create_index(index(
            "safety_notice_recipients",
            &["department_id", "sent_at"],
        ))
        .await?;
        Ok(())
    }
}
