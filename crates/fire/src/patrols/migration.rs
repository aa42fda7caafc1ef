//! The patrols' tables.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Patrols;

// Named by hand: the derive names a migration after its file, which other ledgers' share.
impl MigrationName for Patrols {
    fn name(&self) -> &str {
        "m20261130_000350_fire_patrols"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Patrols {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("fire_checkpoints")
                .col(string_len("name", 100))
                .col(string_len("kind", 20))
                .col(double("lon"))
                .col(double("lat"))
                .col(text_null("note"))
                .col(string_len("token", 64))
                .to_owned(),
        )
        .await?;
        m.create_index(index("fire_checkpoints", &["token"]).unique().to_owned())
            .await?;
        m.create_index(index("fire_checkpoints", &["region_code"]))
            .await?;
        m.create_table(
            record_table("fire_checkins")
                .col(uuid("checkpoint_id"))
                .col(uuid("user_id"))
                .col(timestamp_with_time_zone("checked_at"))
                .col(date("day"))
                .col(double_null("lon"))
                .col(double_null("lat"))
                .col(double_null("accuracy_m"))
                .col(double_null("distance_m"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("fire_checkins", &["region_code", "day"]))
            .await?;
        m.create_index(index(
            "fire_checkins",
            &["user_id", "checkpoint_id", "checked_at"],
        ))
        .await?;
        m.create_table(
            record_table("fire_tours")
                .col(uuid("user_id"))
                .col(date("date_from"))
                .col(date("date_to"))
                .col(integer("required"))
                .col(text("checkpoints"))
                .col(text_null("note"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("fire_tours", &["region_code", "date_from"]))
            .await?;
        Ok(())
    }
}
