//! Table `disaster_processes`; `region_code` is the county.

pub mod process {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "disaster_processes")]
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
        /// e.g. “6·27”洪涝灾害.
        pub name: String,
        /// The main sub-type's code (see `model::TYPES`).
        pub main_type: String,
        /// Other sub-types' codes, comma-separated.
        pub other_types: String,
        pub started_at: DateTimeUtc,
        /// Closed: no more 续报.
        pub ended_at: Option<DateTimeUtc>,
        /// Affected townships' codes, comma-separated.
        pub townships: String,
        pub note: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
