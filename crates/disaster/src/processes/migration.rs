//! The processes' table.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Processes;

// Named by hand: the derive names a migration after its file, which other ledgers' share.
impl MigrationName for Processes {
    fn name(&self) -> &str {
        "m20261201_000400_disaster_processes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Processes {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("disaster_processes")
                .col(string_len("name", 100))
                .col(string_len("main_type", 20))
                .col(string_len("other_types", 200))
                .col(timestamp_with_time_zone("started_at"))
                .col(timestamp_with_time_zone_null("ended_at"))
                .col(text("townships"))
                .col(text_null("note"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("disaster_processes", &["region_code", "started_at"]))
            .await?;
        Ok(())
    }
}
