//! The consultations' tables: reports, their departments, judgments and judgments' townships.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Consultations;

// Named by hand: the derive names a migration after its file, which other ledgers' share.
impl MigrationName for Consultations {
    fn name(&self) -> &str {
        "m20261129_000101_warning_consultations"
    }
}

fn child(table: &'static str) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(pk_uuid("id"))
        .col(uuid("consultation_id"))
        .foreign_key(
            ForeignKey::create()
                .from(table, "consultation_id")
                .to("warning_consultations", "id"),
        )
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Consultations {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("warning_consultations")
                .col(string_len_null("number", 40))
                .col(integer_null("number_year"))
                .col(integer_null("number_seq"))
                .col(string_len("title", 200))
                .col(date("period_from"))
                .col(date("period_to"))
                .col(date("meeting_on"))
                .col(string_len("convener", 100))
                .col(text_null("experts"))
                .col(text("measures"))
                .col(string_len_null("issuer", 50))
                .col(string_len("state", 20))
                .col(timestamp_with_time_zone_null("issued_at"))
                .col(uuid_null("issued_by"))
                .col(date_null("issued_on"))
                .col(text_null("letter"))
                .to_owned(),
        )
        .await?;
        // A number is given once per county and year, even if the report is voided later.
        m.create_index(
            index(
                "warning_consultations",
                &["region_code", "number_year", "number_seq"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_index(index(
            "warning_consultations",
            &["region_code", "meeting_on"],
        ))
        .await?;

        m.create_table(
            child("warning_consultation_departments")
                .col(uuid("department_id"))
                .col(string_len("name", 100))
                .col(integer("sort"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "warning_consultation_departments",
            &["consultation_id"],
        ))
        .await?;

        m.create_table(
            child("warning_consultation_judgments")
                .col(integer("sort"))
                .col(string_len("hazard_type", 32))
                .col(string_len("hazard_edition", 32))
                .col(string_len("hazard_label", 60))
                .col(string_len("level", 20))
                .col(text("text"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "warning_consultation_judgments",
            &["consultation_id"],
        ))
        .await?;
        m.create_index(index("warning_consultation_judgments", &["hazard_type"]))
            .await?;

        m.create_table(
            child("warning_consultation_areas")
                .col(uuid("judgment_id"))
                .col(string_len("region_code", 12))
                .col(string_len("name", 100))
                .col(integer("sort"))
                .foreign_key(
                    ForeignKey::create()
                        .from("warning_consultation_areas", "judgment_id")
                        .to("warning_consultation_judgments", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("warning_consultation_areas", &["judgment_id"]))
            .await?;
        m.create_index(index(
            "warning_consultation_areas",
            &["region_code", "consultation_id"],
        ))
        .await?;
        Ok(())
    }
}
