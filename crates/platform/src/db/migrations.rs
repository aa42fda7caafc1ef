//! Platform tables. Each area crate adds its own migrations after these; the app runs them all
//! in one list (`yingji migrate`, and at every start).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// The platform's migrations, in order.
pub fn platform_migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(Foundation),
        Box::new(Attachments),
        Box::new(Sequences),
        Box::new(Notifications),
        Box::new(ContactGroups),
        Box::new(crate::calls::migration::Calls),
        Box::new(AuditByActor),
    ]
}

/// Columns every business record carries: UUIDv7 key, owning region, optimistic-lock version,
/// who/when created and updated, and voiding (作废) instead of deletion.
pub fn record_table(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(pk_uuid("id"))
        .col(string_len("region_code", 12))
        .col(integer("version").default(1))
        .col(timestamp_with_time_zone("created_at"))
        .col(uuid_null("created_by"))
        .col(timestamp_with_time_zone("updated_at"))
        .col(uuid_null("updated_by"))
        .col(timestamp_with_time_zone_null("voided_at"))
        .col(string_null("void_reason"))
        .to_owned()
}

/// An index named after its table and columns.
pub fn index(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("idx_{}_{}", table, columns.join("_")))
        .table(table);
    for column in columns {
        stmt.col(*column);
    }
    stmt.to_owned()
}

#[derive(DeriveMigrationName)]
struct Foundation;

#[async_trait::async_trait]
impl MigrationTrait for Foundation {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("regions")
                .col(string_len("code", 12).primary_key())
                .col(string("name"))
                .col(small_integer("level"))
                .col(string_len_null("parent_code", 12))
                .col(string("kind"))
                .col(integer("edition_year"))
                .col(boolean("retired").default(false))
                .to_owned(),
        )
        .await?;
        m.create_index(index("regions", &["parent_code"])).await?;

        m.create_table(
            record_table("departments")
                .col(string("name"))
                .col(string("committees"))
                .col(string_null("liaison_name"))
                .col(string_null("liaison_phone"))
                .col(string_null("duty_phone"))
                .col(integer("sort").default(0))
                .to_owned(),
        )
        .await?;
        m.create_index(index("departments", &["region_code"]))
            .await?;

        m.create_table(
            Table::create()
                .table("dicts")
                .col(string("code").primary_key())
                .col(string("name"))
                .col(string("current_edition"))
                .col(text("description"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("dict_items")
                .col(pk_uuid("id"))
                .col(string("dict_code"))
                .col(string("edition"))
                .col(string("code"))
                .col(string("label"))
                .col(string_null("parent_code"))
                .col(integer("sort").default(0))
                .col(boolean("enabled").default(true))
                .col(integer("version").default(1))
                .col(timestamp_with_time_zone("updated_at"))
                .col(uuid_null("updated_by"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("dict_items", &["dict_code", "edition", "code"])
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("users")
                .col(pk_uuid("id"))
                .col(string_uniq("username"))
                .col(string("display_name"))
                .col(string_null("phone"))
                .col(string_len("region_code", 12))
                .col(uuid_null("department_id"))
                .col(string("password_hash"))
                .col(boolean("must_change_password").default(true))
                .col(integer("failed_attempts").default(0))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(string_null("lock_reason"))
                .col(boolean("enabled").default(true))
                .col(timestamp_with_time_zone_null("last_login_at"))
                .col(integer("version").default(1))
                .col(timestamp_with_time_zone("created_at"))
                .col(uuid_null("created_by"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(uuid_null("updated_by"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("users", &["region_code"])).await?;
        m.create_table(
            Table::create()
                .table("user_roles")
                .col(uuid("user_id"))
                .col(string("role"))
                .primary_key(Index::create().col("user_id").col("role"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("sessions")
                .col(string("id").primary_key())
                .col(uuid("user_id"))
                .col(string("csrf_token"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("last_seen_at"))
                .col(string_null("ip"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("sessions", &["user_id"])).await?;

        m.create_table(
            Table::create()
                .table("api_tokens")
                .col(pk_uuid("id"))
                .col(uuid("user_id"))
                .col(string("name"))
                .col(string_uniq("token_hash"))
                .col(string("prefix"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("last_used_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("audit_log")
                .col(pk_uuid("id"))
                .col(timestamp_with_time_zone("at"))
                .col(uuid_null("actor_id"))
                .col(string("actor_name"))
                .col(string("action"))
                .col(string("entity"))
                .col(string("record_id"))
                .col(string_len("region_code", 12))
                .col(text("summary"))
                .col(text_null("before"))
                .col(text_null("after"))
                .col(string_null("ip"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("audit_log", &["at"])).await?;
        m.create_index(index("audit_log", &["entity", "record_id"]))
            .await?;
        m.create_index(index("audit_log", &["actor_id"])).await?;
        Ok(())
    }
}

struct Attachments;

impl MigrationName for Attachments {
    fn name(&self) -> &str {
        "m20261129_000010_attachments"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Attachments {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("attachments")
                .col(pk_uuid("id"))
                .col(string_len("region_code", 12))
                .col(string("owner_kind"))
                .col(uuid("owner_id"))
                .col(string_len("sha256", 64))
                .col(big_integer("size_bytes"))
                .col(string("content_type"))
                .col(string("filename"))
                .col(double_null("latitude"))
                .col(double_null("longitude"))
                .col(timestamp_with_time_zone("created_at"))
                .col(uuid_null("created_by"))
                .col(timestamp_with_time_zone_null("voided_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("attachments", &["owner_kind", "owner_id"]))
            .await
    }
}

struct Sequences;

impl MigrationName for Sequences {
    fn name(&self) -> &str {
        "m20261129_000011_sequences"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Sequences {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("sequences")
                .col(string("scope"))
                .col(string("series"))
                .col(integer("year"))
                .col(big_integer("last"))
                .primary_key(Index::create().col("scope").col("series").col("year"))
                .to_owned(),
        )
        .await
    }
}

struct Notifications;

impl MigrationName for Notifications {
    fn name(&self) -> &str {
        "m20261129_000012_notifications_contacts_jobs"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Notifications {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("notify_messages")
                .col(pk_uuid("id"))
                .col(string_len("region_code", 12))
                .col(string("channel"))
                .col(string("address"))
                .col(uuid_null("recipient_user_id"))
                .col(string("recipient_name"))
                .col(string_null("mention"))
                .col(string("title"))
                .col(text("body"))
                .col(string_null("link"))
                .col(string("source_kind"))
                .col(uuid_null("source_id"))
                .col(string("state"))
                .col(integer("attempts"))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(timestamp_with_time_zone_null("claimed_at"))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .col(timestamp_with_time_zone_null("read_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(uuid_null("created_by"))
                .to_owned(),
        )
        .await?;
        // The worker's query, the inbox's unread count, and a record's messages.
        m.create_index(index("notify_messages", &["state", "next_attempt_at"]))
            .await?;
        m.create_index(index(
            "notify_messages",
            &["recipient_user_id", "channel", "read_at"],
        ))
        .await?;
        m.create_index(index("notify_messages", &["source_kind", "source_id"]))
            .await?;
        m.create_index(index("notify_messages", &["region_code", "created_at"]))
            .await?;

        m.create_table(
            record_table("notify_robots")
                .col(string("channel"))
                .col(string("name"))
                .col(string("webhook_url"))
                .col(string_null("secret"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            record_table("contacts")
                .col(string("name"))
                .col(string("role"))
                .col(string_null("post"))
                .col(string_null("mobile"))
                .col(string_null("email"))
                .col(uuid_null("user_id"))
                .col(uuid_null("department_id"))
                .col(string_null("note"))
                .col(integer("sort").default(0))
                .to_owned(),
        )
        .await?;
        m.create_index(index("contacts", &["region_code", "role"]))
            .await?;
        m.create_index(index("contacts", &["user_id"])).await?;

        m.create_table(
            Table::create()
                .table("jobs")
                .col(string("name").primary_key())
                .col(timestamp_with_time_zone("next_run_at"))
                .col(uuid_null("lease_holder"))
                .col(timestamp_with_time_zone_null("lease_until"))
                .col(timestamp_with_time_zone_null("last_started_at"))
                .col(timestamp_with_time_zone_null("last_finished_at"))
                .col(boolean_null("last_ok"))
                .col(text_null("last_summary"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("job_runs")
                .col(pk_uuid("id"))
                .col(string("name"))
                .col(timestamp_with_time_zone("started_at"))
                .col(timestamp_with_time_zone("finished_at"))
                .col(boolean("ok"))
                .col(text("summary"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("job_runs", &["name", "started_at"]))
            .await
    }
}

struct ContactGroups;

impl MigrationName for ContactGroups {
    fn name(&self) -> &str {
        "m20261130_000013_contact_groups"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for ContactGroups {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("contact_groups")
                .col(string("name"))
                .col(string_null("note"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("contact_group_members")
                .col(uuid("group_id"))
                .col(uuid("contact_id"))
                .primary_key(Index::create().col("group_id").col("contact_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("contact_group_members", &["contact_id"]))
            .await
    }
}

struct AuditByActor;

impl MigrationName for AuditByActor {
    fn name(&self) -> &str {
        "m20261201_000016_audit_by_actor_action"
    }
}

/// The home page asks for a user's last login on every load; with only `actor_id` indexed that
/// read every audit row the user ever caused (200 ms for a clerk with 500,000 rows). With the
/// action and time in the index it is one seek.
#[async_trait::async_trait]
impl MigrationTrait for AuditByActor {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("audit_log", &["actor_id", "action", "at"]))
            .await
    }
}
