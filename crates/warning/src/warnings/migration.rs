//! Tables of warnings and 叫应.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Warnings;

impl MigrationName for Warnings {
    fn name(&self) -> &str {
        "m20261129_000102_warnings"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Warnings {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("warnings")
                .col(string_null("number"))
                .col(string("kind"))
                .col(integer("level"))
                .col(string("title"))
                .col(text("content"))
                .col(text("actions"))
                .col(text("area_codes"))
                .col(text("area_desc"))
                .col(text_null("polygon"))
                .col(boolean("include_departments"))
                .col(timestamp_with_time_zone("valid_from"))
                .col(timestamp_with_time_zone("valid_until"))
                .col(string("state"))
                .col(uuid_null("drafted_by"))
                .col(string("drafted_by_name"))
                .col(uuid_null("approved_by"))
                .col(string_null("approved_by_name"))
                .col(timestamp_with_time_zone_null("approved_at"))
                .col(uuid_null("issued_by"))
                .col(string_null("issued_by_name"))
                .col(timestamp_with_time_zone_null("issued_at"))
                .col(integer("revision"))
                .col(timestamp_with_time_zone_null("revised_at"))
                .col(timestamp_with_time_zone_null("lifted_at"))
                .col(string_null("lift_reason"))
                .col(string("source"))
                .col(string_null("cap_identifier"))
                .col(string_null("cap_sender"))
                .col(string_null("cap_sent"))
                .col(string_null("sender_name"))
                .col(uuid_null("relayed_from"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("warnings", &["region_code", "created_at"]))
            .await?;
        m.create_index(index("warnings", &["state"])).await?;

        m.create_table(
            Table::create()
                .table("warning_calls")
                .col(pk_uuid("id"))
                .col(uuid("warning_id"))
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
                .foreign_key(
                    ForeignKey::create()
                        .from("warning_calls", "warning_id")
                        .to("warnings", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("warning_calls", &["warning_id", "wave"]))
            .await?;
        // The escalation job's query.
        m.create_index(index("warning_calls", &["state", "due_at"]))
            .await?;
        m.create_index(index("warning_calls", &["user_id", "state"]))
            .await?;
        m.create_index(
            Index::create()
                .name("idx_warning_calls_token")
                .table("warning_calls")
                .col("token")
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("warning_policies")
                .col(integer("level").primary_key())
                .col(integer("ack_minutes"))
                .col(integer("cycles"))
                .col(timestamp_with_time_zone_null("updated_at"))
                .col(uuid_null("updated_by"))
                .to_owned(),
        )
        .await
    }
}

/// Contact groups a warning also asks (comma-separated ids).
pub struct WarningContactGroups;

impl MigrationName for WarningContactGroups {
    fn name(&self) -> &str {
        "m20261130_000103_warning_contact_groups"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for WarningContactGroups {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("warnings")
                .add_column(text_null("contact_groups"))
                .to_owned(),
        )
        .await
    }
}

/// 叫应 calls moved to the platform's `calls` (dispatches ask too): copy every warning call
/// across, then drop `warning_calls`.
pub struct MoveCallsToPlatform;

impl MigrationName for MoveCallsToPlatform {
    fn name(&self) -> &str {
        "m20261130_000104_move_calls_to_platform"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for MoveCallsToPlatform {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        const COLUMNS: &str = "id, region_code, contact_id, user_id, name, role, mobile, wave, \
            escalated_from, about, state, cycle, token, first_sent_at, last_sent_at, due_at, \
            confirmed_at, confirmed_via, confirmed_by, escalated_at";
        m.get_connection()
            .execute_unprepared(&format!(
                "INSERT INTO calls (subject_kind, subject_id, {COLUMNS}) \
                 SELECT 'warning', warning_id, {COLUMNS} FROM warning_calls"
            ))
            .await?;
        m.drop_table(Table::drop().table("warning_calls").to_owned())
            .await
    }
}
