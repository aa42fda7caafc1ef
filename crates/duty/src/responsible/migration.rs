//! The responsible persons' tables: the persons and each county's choice of phone display.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Responsible;

// Named by hand: the derive names a migration after its file, which other ledgers' share.
impl MigrationName for Responsible {
    fn name(&self) -> &str {
        "m20261130_000203_duty_responsible"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Responsible {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("duty_responsible_persons")
                .col(integer("year"))
                .col(string_len("kind", 20))
                .col(string_len_null("object_name", 100))
                .col(string_len("role", 20))
                .col(string_len("name", 50))
                .col(string_len_null("post", 100))
                .col(string_len("phone", 20))
                .col(uuid_null("contact_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("duty_responsible_persons", &["region_code", "year"]))
            .await?;
        m.create_index(index("duty_responsible_persons", &["year", "kind"]))
            .await?;

        m.create_table(
            record_table("duty_publication_settings")
                .col(string_len("phone_display", 10))
                .to_owned(),
        )
        .await?;
        // One setting per county.
        m.create_index(
            index("duty_publication_settings", &["region_code"])
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
