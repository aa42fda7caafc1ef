//! The enforcement ledger's tables.

use platform::db::migrations::{index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Enforcement;

// Named by hand: the derive names a migration after its file.
impl MigrationName for Enforcement {
    fn name(&self) -> &str {
        "m20261129_000004_safety_enforcement"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Enforcement {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            record_table("safety_enforcement_cases")
                .col(uuid("unit_id"))
                .col(string_len("county_code", 6))
                .col(string_len("number", 20))
                .col(string_len("cause", 500))
                .col(string_len_null("legal_basis", 1000))
                .col(string_len("source", 20))
                // No foreign key yet: the inspections ledger is built in parallel.
                .col(uuid_null("inspection_id"))
                .col(date("filed_on"))
                .col(string_len("officers", 200))
                .col(string_len("state", 20))
                .col(date_null("notified_on"))
                .col(boolean("hearing_requested"))
                .col(date_null("hearing_on"))
                .col(boolean("waived"))
                .col(string_len_null("statement", 1000))
                .col(date_null("decided_on"))
                .col(integer_null("decision_year"))
                .col(integer_null("decision_seq"))
                .col(string_len_null("decision_number", 50))
                .col(big_integer("fine_fen"))
                .col(string_len("measures", 200))
                .col(string_len_null("no_penalty_reason", 1000))
                .col(big_integer("paid_fen"))
                .col(date_null("closed_on"))
                .col(string_len_null("close_reason", 500))
                .col(date_null("dismissed_on"))
                .col(string_len_null("dismiss_reason", 500))
                .col(boolean("typical"))
                .col(date_null("typical_reported_on"))
                .col(string_len_null("typical_note", 500))
                .foreign_key(
                    ForeignKey::create()
                        .from("safety_enforcement_cases", "unit_id")
                        .to("safety_units", "id"),
                )
                .to_owned(),
        )
        .await?;
        let cases = "safety_enforcement_cases";
        m.create_index(index(cases, &["county_code", "number"]).unique().to_owned())
            .await?;
        m.create_index(
            index(cases, &["county_code", "decision_number"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(index(cases, &["region_code"])).await?;
        m.create_index(index(cases, &["unit_id"])).await?;
        m.create_index(index(cases, &["filed_on"])).await?;

        m.create_table(
            Table::create()
                .table("safety_enforcement_payments")
                .col(pk_uuid("id"))
                .col(uuid("case_id"))
                .col(string_len("region_code", 12))
                .col(big_integer("amount_fen"))
                .col(date("paid_on"))
                .col(string_len_null("note", 200))
                .col(timestamp_with_time_zone("created_at"))
                .col(uuid_null("created_by"))
                .foreign_key(
                    ForeignKey::create()
                        .from("safety_enforcement_payments", "case_id")
                        .to(cases, "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("safety_enforcement_payments", &["case_id"]))
            .await?;
        m.create_index(index("safety_enforcement_payments", &["paid_on"]))
            .await?;

        m.create_table(
            Table::create()
                .table("safety_enforcement_case_hazards")
                .col(pk_uuid("id"))
                .col(uuid("case_id"))
                .col(uuid("hazard_id"))
                .col(string_len("region_code", 12))
                .col(timestamp_with_time_zone("created_at"))
                .col(uuid_null("created_by"))
                .foreign_key(
                    ForeignKey::create()
                        .from("safety_enforcement_case_hazards", "case_id")
                        .to(cases, "id"),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("safety_enforcement_case_hazards", "hazard_id")
                        .to("safety_hazards", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("safety_enforcement_case_hazards", &["case_id", "hazard_id"])
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
