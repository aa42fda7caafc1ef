//! Table `calls`. Warnings kept theirs in `warning_calls` before dispatches asked too; the
//! warning area's migration moves those rows here.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::db::migrations::index;

pub struct Calls;

impl MigrationName for Calls {
    fn name(&self) -> &str {
        "m20261130_000014_calls"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Calls {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("calls")
                .col(pk_uuid("id"))
                .col(string("subject_kind"))
                .col(uuid("subject_id"))
                .col(string_len("region_code", 12))
                .col(uuid("contact_id"))
                .col(uuid_null("user_id"))
                .col(string("name"))
                .col(string("role"))
                .col(string_null("mobile"))
                .col(integer("wave"))
                .col(uuid_null("escalated_from"))
                .col(string_null("about"))
                .col(string("state"))
                .col(integer("cycle"))
                .col(string("token"))
                .col(timestamp_with_time_zone("first_sent_at"))
                .col(timestamp_with_time_zone("last_sent_at"))
                .col(timestamp_with_time_zone("due_at"))
                .col(timestamp_with_time_zone_null("confirmed_at"))
                .col(string_null("confirmed_via"))
                .col(uuid_null("confirmed_by"))
                .col(timestamp_with_time_zone_null("escalated_at"))
                .col(text_null("answer"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("calls", &["subject_id", "wave"]))
            .await?;
        // The chasing job's query.
        m.create_index(index("calls", &["state", "due_at"])).await?;
        m.create_index(index("calls", &["user_id", "state"]))
            .await?;
        m.create_index(
            Index::create()
                .name("idx_calls_token")
                .table("calls")
                .col("token")
                .unique()
                .to_owned(),
        )
        .await
    }
}
