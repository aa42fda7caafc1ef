//! The dispatch questions' table: questions per county and season, in order.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct DispatchQuestions;

// Named by hand: the derive names a migration after its file, which other ledgers' share.
impl MigrationName for DispatchQuestions {
    fn name(&self) -> &str {
        "m20261130_000250_duty_dispatch_questions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for DispatchQuestions {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("duty_dispatch_questions")
                .col(string_len("period_kind", 20))
                .col(string_len("key", 40))
                .col(integer("position"))
                .col(string_len("text", 200))
                .col(string_len("answer_kind", 10))
                .col(boolean("required"))
                .col(string_len_null("alarm", 10))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "duty_dispatch_questions",
            &["region_code", "period_kind", "position"],
        ))
        .await?;
        Ok(())
    }
}
