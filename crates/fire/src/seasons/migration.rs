//! The fire seasons' table: one row per county and year.

use platform::db::migrations::record_table;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Seasons;

// Named by hand: the derive names a migration after its file, which other ledgers' share.
impl MigrationName for Seasons {
    fn name(&self) -> &str {
        "m20261130_000320_fire_seasons"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Seasons {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("fire_seasons")
                .col(integer("year"))
                .col(date("fire_from"))
                .col(date("fire_to"))
                .col(date("high_from"))
                .col(date("high_to"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_fire_seasons_region_code_year")
                .table("fire_seasons")
                .col("region_code")
                .col("year")
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
