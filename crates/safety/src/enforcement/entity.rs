//! Tables `safety_enforcement_cases`, `safety_enforcement_payments` and
//! `safety_enforcement_case_hazards`.

pub mod case {
    use sea_orm::entity::prelude::*;

    /// 行政执法案件 — one administrative penalty case against a supervised unit.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "safety_enforcement_cases")]
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
        /// The county's 6-digit code: case and decision numbers run per county and year.
        pub county_code: String,
        pub number: String,
        /// 案由
        pub cause: String,
        pub legal_basis: Option<String>,
        pub source: String,
        /// The inspection that found it (the inspections ledger is built separately).
        pub inspection_id: Option<Uuid>,
        pub filed_on: Date,
        /// Officers' names joined by 、.
        pub officers: String,
        pub state: String,
        pub notified_on: Option<Date>,
        pub hearing_requested: bool,
        pub hearing_on: Option<Date>,
        pub waived: bool,
        pub statement: Option<String>,
        pub decided_on: Option<Date>,
        pub decision_year: Option<i32>,
        pub decision_seq: Option<i32>,
        pub decision_number: Option<String>,
        pub fine_fen: i64,
        /// Measure codes joined by commas.
        pub measures: String,
        pub no_penalty_reason: Option<String>,
        pub paid_fen: i64,
        pub closed_on: Option<Date>,
        pub close_reason: Option<String>,
        pub dismissed_on: Option<Date>,
        pub dismiss_reason: Option<String>,
        pub typical: bool,
        pub typical_reported_on: Option<Date>,
        pub typical_note: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod payment {
    use sea_orm::entity::prelude::*;

    /// 缴款 — one payment towards a case's fine.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "safety_enforcement_payments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        pub region_code: String,
        pub amount_fen: i64,
        pub paid_on: Date,
        pub note: Option<String>,
        pub created_at: DateTimeUtc,
        pub created_by: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod case_hazard {
    use sea_orm::entity::prelude::*;

    /// A hazard of the same unit that the case concerns.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "safety_enforcement_case_hazards")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        pub hazard_id: Uuid,
        pub region_code: String,
        pub created_at: DateTimeUtc,
        pub created_by: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
