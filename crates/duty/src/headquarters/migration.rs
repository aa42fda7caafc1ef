//! The headquarters' tables: a headquarters per kind and year, and its people (commander,
//! deputies, member units with their liaisons).

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Headquarters;

// Named by hand: the derive names a migration after its file, which other ledgers' share.
impl MigrationName for Headquarters {
    fn name(&self) -> &str {
        "m20261130_000204_duty_headquarters"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Headquarters {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("duty_headquarters")
                .col(string_len("kind", 20))
                .col(integer("year"))
                .col(string_len("name", 100))
                .to_owned(),
        )
        .await?;
        m.create_index(index("duty_headquarters", &["region_code", "kind", "year"]))
            .await?;

        m.create_table(
            record_table("duty_hq_members")
                .col(uuid("headquarters_id"))
                .col(string_len("position", 20))
                .col(uuid_null("department_id"))
                .col(string_len_null("unit_name", 100))
                .col(string_len("person_name", 50))
                .col(string_len_null("person_post", 100))
                .col(string_len("phone", 20))
                .col(text_null("duties"))
                .col(integer("sort"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("duty_hq_members", &["headquarters_id", "sort"]))
            .await?;
        Ok(())
    }
}
