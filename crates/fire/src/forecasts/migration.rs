//! The forecasts', burn bans' and documents' tables.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Forecasts;

// Named by hand: the derive names a migration after its file, which other ledgers' share.
impl MigrationName for Forecasts {
    fn name(&self) -> &str {
        "m20261130_000321_fire_forecasts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Forecasts {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("fire_forecasts")
                .col(date("day"))
                .col(text("levels"))
                .col(integer("max_level"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_fire_forecasts_region_code_day")
                .table("fire_forecasts")
                .col("region_code")
                .col("day")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            record_table("fire_burn_bans")
                .col(integer("year"))
                .col(big_integer("seq"))
                .col(string_len("number", 60))
                .col(date_null("forecast_day"))
                .col(text("townships"))
                .col(date("valid_from"))
                .col(date("valid_to"))
                .col(text("body"))
                .col(string_len_null("override_reason", 200))
                .col(timestamp_with_time_zone("issued_at"))
                .col(string_len("issued_by_name", 60))
                .col(timestamp_with_time_zone_null("lifted_at"))
                .col(string_len_null("lift_reason", 200))
                .to_owned(),
        )
        .await?;
        m.create_index(index("fire_burn_bans", &["region_code", "year", "seq"]))
            .await?;
        m.create_table(
            record_table("fire_documents")
                .col(string_len("kind", 20))
                .col(integer("year"))
                .col(big_integer("seq"))
                .col(string_len("number", 60))
                .col(string_len("title", 200))
                .col(text("body"))
                .col(text("townships"))
                .col(date("issued_on"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "fire_documents",
            &["region_code", "kind", "year", "seq"],
        ))
        .await?;
        Ok(())
    }
}
