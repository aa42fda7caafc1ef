//! Tables `safety_accidents` and `safety_accident_revisions`.

pub mod accident {
    use sea_orm::entity::prelude::*;

    /// 生产安全事故 — one accident as reported and investigated.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "safety_accidents")]
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
        /// The county's 6-digit code: numbers are unique per county.
        pub county_code: String,
        pub number: String,
        pub occurred_at: DateTimeUtc,
        pub reported_at: DateTimeUtc,
        pub place: String,
        pub unit_id: Option<Uuid>,
        pub party_name: Option<String>,
        pub industry_code: Option<String>,
        pub industry_edition: Option<String>,
        pub type_code: String,
        pub type_edition: String,
        pub deaths: i32,
        pub missing: i32,
        pub serious_injuries: i32,
        pub minor_injuries: i32,
        pub direct_loss_fen: i64,
        pub summary: String,
        pub cause: Option<String>,
        /// Computed from the casualties on every change.
        pub grade: String,
        /// Computed from the two times on every change.
        pub late: bool,
        pub state: String,
        pub investigation_lead: Option<String>,
        pub investigation_started_on: Option<Date>,
        pub approved_on: Option<Date>,
        pub published_on: Option<Date>,
        pub publication_channel: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod revision {
    use sea_orm::entity::prelude::*;

    /// 续报 — one change of an accident's casualty counts after its first report.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "safety_accident_revisions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub accident_id: Uuid,
        pub region_code: String,
        pub revised_at: DateTimeUtc,
        pub revised_by: Option<Uuid>,
        pub revised_by_name: String,
        pub deaths_before: i32,
        pub deaths_after: i32,
        pub missing_before: i32,
        pub missing_after: i32,
        pub serious_before: i32,
        pub serious_after: i32,
        pub minor_before: i32,
        pub minor_after: i32,
        pub reason: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
