//! Table `safety_hazards`.

pub mod hazard {
    use sea_orm::entity::prelude::*;

    /// 事故隐患 — one hazard found at a supervised unit.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "safety_hazards")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub region_code: String,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub created_by: Option<Uuid>,
        pub updated_at: DateTimeUtc,
        pub updated_by: Option<Uuid>,
        pub voided_at: Option<DateTimeUtc>,
        pub void_reason: Option<String>,
        pub unit_id: Uuid,
        /// The county's 6-digit code: numbers are unique per county.
        pub county_code: String,
        pub number: String,
        pub description: String,
        pub category_code: String,
        pub category_edition: String,
        pub grade: String,
        pub criterion_standard: Option<String>,
        pub criterion_item: Option<String>,
        pub discovered_on: Date,
        pub source: String,
        pub location: Option<String>,
        pub state: String,
        pub deadline: Option<Date>,
        pub responsible: Option<String>,
        pub measures: Option<String>,
        pub funds_fen: Option<i64>,
        pub contingency: Option<String>,
        pub evidence: Option<String>,
        pub review_reasons: Option<String>,
        pub closed_on: Option<Date>,
        pub supervision: String,
        pub exposed: bool,
        pub exposed_on: Option<Date>,
        pub exposure_channel: Option<String>,
        /// The inspection that found it (column added by the inspections migration).
        pub inspection_id: Option<Uuid>,
        /// The deadline whose overdue episode was escalated by message (逾期升级), and when:
        /// one escalation per deadline; a new deadline re-arms it.
        pub escalated_deadline: Option<Date>,
        pub escalated_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    #[cfg(test)]
    impl Model {
        /// A registered general hazard of 潼川镇 found on 2026-03-01, for unit tests to vary.
        pub fn sample() -> Self {
            Self {
                id: Uuid::nil(),
                region_code: "510722101000".into(),
                version: 1,
                created_at: chrono::Utc::now(),
                created_by: None,
                updated_at: chrono::Utc::now(),
                updated_by: None,
                voided_at: None,
                void_reason: None,
                unit_id: Uuid::nil(),
                county_code: "510722".into(),
                number: "YH2026-0001".into(),
                description: "灭火器过期".into(),
                category_code: "fire_facilities".into(),
                category_edition: "2024".into(),
                grade: "general".into(),
                criterion_standard: None,
                criterion_item: None,
                discovered_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default(),
                source: "enforcement".into(),
                location: None,
                state: "registered".into(),
                deadline: None,
                responsible: None,
                measures: None,
                funds_fen: None,
                contingency: None,
                evidence: None,
                review_reasons: None,
                closed_on: None,
                supervision: "none".into(),
                exposed: false,
                exposed_on: None,
                exposure_channel: None,
                inspection_id: None,
                escalated_deadline: None,
                escalated_at: None,
            }
        }
    }
}
