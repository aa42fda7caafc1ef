//! The relief tables.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Relief;

// Named by hand: the derive names a migration after its file, which other ledgers' share.
impl MigrationName for Relief {
    fn name(&self) -> &str {
        "m20261201_000420_disaster_relief"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Relief {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("disaster_relief_programmes")
                .col(string_len("kind", 20))
                .col(string_len("name", 100))
                .col(integer("year"))
                .col(string_len("period_label", 50))
                .col(date("starts_on"))
                .col(date("ends_on"))
                .col(big_integer("budget_fen"))
                .col(big_integer_null("cap_fen"))
                .col(uuid_null("process_id"))
                .col(string_len("status", 10))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "disaster_relief_programmes",
            &["region_code", "year"],
        ))
        .await?;
        m.create_table(
            record_table("disaster_relief_rolls")
                .col(uuid("programme_id"))
                .col(string_len("state", 10))
                .col(date_null("posted_from"))
                .col(date_null("posted_to"))
                .col(text_null("return_reason"))
                .col(timestamp_with_time_zone_null("checked_at"))
                .col(uuid_null("checked_by"))
                .col(timestamp_with_time_zone_null("approved_at"))
                .col(uuid_null("approved_by"))
                .to_owned(),
        )
        .await?;
        // One roll per village and programme.
        m.create_index(
            index("disaster_relief_rolls", &["programme_id", "region_code"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            record_table("disaster_relief_households")
                .col(uuid("programme_id"))
                .col(uuid("roll_id"))
                .col(string_len("head_name", 50))
                .col(string_len("id_number", 18))
                .col(string_len_null("live_id_number", 18))
                .col(integer("size"))
                .col(string_len("bank_account", 30))
                .col(string_len_null("phone", 20))
                .col(string_len("reason", 100))
                .col(big_integer("amount_fen"))
                .to_owned(),
        )
        .await?;
        // A household at most once per programme (a programme is one period); voided rows
        // carry NULL, which both databases let repeat.
        m.create_index(
            index(
                "disaster_relief_households",
                &["programme_id", "live_id_number"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_index(index("disaster_relief_households", &["roll_id"]))
            .await?;
        m.create_table(
            record_table("disaster_relief_payments")
                .col(uuid("programme_id"))
                .col(uuid("roll_id"))
                .col(uuid("household_id"))
                .col(big_integer("amount_fen"))
                .col(date("paid_on"))
                .col(string_len("method", 20))
                .col(string_len_null("reference", 100))
                .to_owned(),
        )
        .await?;
        m.create_index(index("disaster_relief_payments", &["household_id"]))
            .await?;
        m.create_index(index(
            "disaster_relief_payments",
            &["region_code", "paid_on"],
        ))
        .await?;
        m.create_table(
            record_table("disaster_relief_corrections")
                .col(uuid("roll_id"))
                .col(uuid("household_id"))
                .col(text("reason"))
                .col(text("before"))
                .col(text("after"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("disaster_relief_corrections", &["roll_id"]))
            .await?;
        Ok(())
    }
}
