//! The hotspots' tables: the county's rules, each file received, each hotspot with its check,
//! each detected pixel, and the forest fires that checks found.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Hotspots;

// Named by hand: the derive names a migration after its file, which other ledgers' share.
impl MigrationName for Hotspots {
    fn name(&self) -> &str {
        "m20261130_000330_fire_hotspots"
    }
}

fn unique(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = index(table, columns);
    stmt.unique();
    stmt
}

#[async_trait::async_trait]
impl MigrationTrait for Hotspots {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("fire_hotspot_rules")
                .col(integer("deadline_minutes"))
                .col(integer("merge_metres"))
                .col(integer("merge_hours"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("fire_hotspot_batches")
                .col(pk_uuid("id"))
                .col(string_len("region_code", 12))
                .col(string_len("source", 20))
                .col(string_len("file_name", 200))
                .col(string_len("sha256", 64))
                .col(integer("rows_read"))
                .col(integer("new_hotspots"))
                .col(integer("merged"))
                .col(integer("duplicates"))
                .col(integer("outside"))
                .col(text("errors"))
                .col(timestamp_with_time_zone("created_at"))
                .col(uuid_null("created_by"))
                .col(string_len("created_by_name", 60))
                .to_owned(),
        )
        .await?;
        m.create_index(unique("fire_hotspot_batches", &["region_code", "sha256"]))
            .await?;
        m.create_table(
            record_table("fire_hotspots")
                .col(string_len("county_code", 12))
                .col(integer("year"))
                .col(big_integer("seq"))
                .col(string_len("number", 40))
                .col(string_len("source", 20))
                .col(string_len("satellite", 20))
                .col(string_len("confidence", 10))
                .col(double_null("frp"))
                .col(double("longitude"))
                .col(double("latitude"))
                .col(integer("pixels"))
                .col(timestamp_with_time_zone("detected_at"))
                .col(timestamp_with_time_zone("last_detected_at"))
                .col(string_len_null("township_code", 12))
                .col(timestamp_with_time_zone_null("asked_at"))
                .col(timestamp_with_time_zone_null("due_at"))
                .col(integer("asked"))
                .col(string_len_null("note", 500))
                .col(timestamp_with_time_zone_null("answered_at"))
                .col(string_len_null("answered_by_name", 60))
                .col(string_len_null("verdict", 20))
                .col(string_len_null("place", 200))
                .col(text_null("measures"))
                .col(double_null("answer_longitude"))
                .col(double_null("answer_latitude"))
                .col(uuid_null("fire_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("fire_hotspots", &["county_code", "last_detected_at"]))
            .await?;
        m.create_index(index("fire_hotspots", &["region_code", "detected_at"]))
            .await?;
        m.create_table(
            Table::create()
                .table("fire_hotspot_detections")
                .col(pk_uuid("id"))
                .col(uuid("hotspot_id"))
                .col(uuid_null("batch_id"))
                .col(string_len("layout", 10))
                .col(string_len("satellite", 20))
                .col(timestamp_with_time_zone("acquired_at"))
                .col(double("longitude"))
                .col(double("latitude"))
                .col(string_len("confidence", 10))
                .col(double_null("brightness"))
                .col(double_null("frp"))
                .col(string_len("daynight", 2))
                .to_owned(),
        )
        .await?;
        m.create_index(unique(
            "fire_hotspot_detections",
            &["satellite", "acquired_at", "longitude", "latitude"],
        ))
        .await?;
        m.create_index(index("fire_hotspot_detections", &["hotspot_id"]))
            .await?;
        m.create_table(
            record_table("fire_fires")
                .col(string_len("county_code", 12))
                .col(uuid_null("hotspot_id"))
                .col(timestamp_with_time_zone("started_at"))
                .col(string_len("place", 200))
                .col(double("area_ha"))
                .col(integer("deaths"))
                .col(integer("injured"))
                .col(string_len("grade", 20))
                .col(timestamp_with_time_zone_null("extinguished_at"))
                .col(text("note"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("fire_fires", &["county_code", "started_at"]))
            .await?;
        Ok(())
    }
}
