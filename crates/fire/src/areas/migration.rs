//! The areas' table: one live row per county outline or township area.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Areas;

// Named by hand: the derive names a migration after its file, which other ledgers' share.
impl MigrationName for Areas {
    fn name(&self) -> &str {
        "m20261130_000300_fire_areas"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Areas {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("fire_areas")
                .col(string_len("level", 10))
                .col(text("geometry"))
                .col(boolean("approximate"))
                .col(string_len("source", 200))
                .to_owned(),
        )
        .await?;
        m.create_index(index("fire_areas", &["region_code", "voided_at"]))
            .await?;
        Ok(())
    }
}
