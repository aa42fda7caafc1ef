//! Migration `m20261129_000005_safety_accidents`: accidents and their casualty revisions.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Accidents;

impl MigrationName for Accidents {
    fn name(&self) -> &str {
        "m20261129_000005_safety_accidents"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Accidents {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("safety_accidents")
                .col(string_len("county_code", 6))
                .col(string_len("number", 20))
                .col(timestamp_with_time_zone("occurred_at"))
                .col(timestamp_with_time_zone("reported_at"))
                .col(string_len("place", 200))
                .col(uuid_null("unit_id"))
                .col(string_len_null("party_name", 100))
                .col(string_null("industry_code"))
                .col(string_null("industry_edition"))
                .col(string("type_code"))
                .col(string("type_edition"))
                .col(integer("deaths"))
                .col(integer("missing"))
                .col(integer("serious_injuries"))
                .col(integer("minor_injuries"))
                .col(big_integer("direct_loss_fen"))
                .col(string_len("summary", 2000))
                .col(string_len_null("cause", 2000))
                .col(string_len("grade", 30))
                .col(boolean("late"))
                .col(string_len("state", 20))
                .col(string_len_null("investigation_lead", 100))
                .col(date_null("investigation_started_on"))
                .col(date_null("approved_on"))
                .col(date_null("published_on"))
                .col(string_len_null("publication_channel", 100))
                .foreign_key(
                    ForeignKey::create()
                        .from("safety_accidents", "unit_id")
                        .to("safety_units", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("safety_accidents", &["county_code", "number"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(index("safety_accidents", &["region_code"]))
            .await?;
        m.create_index(index("safety_accidents", &["occurred_at"]))
            .await?;

        m.create_table(
            Table::create()
                .table("safety_accident_revisions")
                .col(pk_uuid("id"))
                .col(uuid("accident_id"))
                .col(string_len("region_code", 12))
                .col(timestamp_with_time_zone("revised_at"))
                .col(uuid_null("revised_by"))
                .col(string("revised_by_name"))
                .col(integer("deaths_before"))
                .col(integer("deaths_after"))
                .col(integer("missing_before"))
                .col(integer("missing_after"))
                .col(integer("serious_before"))
                .col(integer("serious_after"))
                .col(integer("minor_before"))
                .col(integer("minor_after"))
                .col(string_len("reason", 500))
                .foreign_key(
                    ForeignKey::create()
                        .from("safety_accident_revisions", "accident_id")
                        .to("safety_accidents", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("safety_accident_revisions", &["accident_id"]))
            .await?;
        Ok(())
    }
}
