//! Tables of the loss reports: reports, their township entries, the figures (narrow: one
//! row per township and indicator) and the 核报's ledgers of persons and houses.

/// A 初报, 续报 or 核报 of a process; `region_code` is the county.
pub mod report {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "disaster_reports")]
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
        pub process_id: Uuid,
        /// initial | update | final
        pub stage: String,
        /// Order within the process (初报 1, 续报 2, 3…).
        pub seq: i32,
        /// 续报: figures to 24:00 of this day (China time).
        pub figures_to: Option<Date>,
        pub due_at: DateTimeUtc,
        /// open | approved | reported
        pub status: String,
        pub approved_at: Option<DateTimeUtc>,
        pub approved_by: Option<Uuid>,
        /// 上报: when the county sent it upward.
        pub reported_at: Option<DateTimeUtc>,
        /// Why the 核报's house counts differ from its ledger, when they do.
        pub ledger_note: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One township's part of a report; `region_code` is the township.
pub mod entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "disaster_entries")]
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
        pub report_id: Uuid,
        /// draft | submitted | returned
        pub status: String,
        /// 零报告: nothing new, the previous cumulative figures carried.
        pub zero: bool,
        pub submitted_at: Option<DateTimeUtc>,
        pub return_reason: Option<String>,
        /// 订正说明: why a cumulative figure fell, or why approved figures were corrected.
        pub correction_reason: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One figure: a township's value of one indicator in one report, scaled by its decimals.
pub mod value {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "disaster_values")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub report_id: Uuid,
        pub township_code: String,
        pub indicator: String,
        pub value: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// 核报 ledger: a dead or missing person; `region_code` is the village (or township).
pub mod person {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "disaster_ledger_persons")]
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
        pub report_id: Uuid,
        /// dead | missing
        pub fate: String,
        pub name: String,
        /// 男 | 女
        pub sex: String,
        pub age: i32,
        pub day: Date,
        pub cause: String,
        pub id_number: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// 核报 ledger: a household's damaged or collapsed house; `region_code` is the village.
pub mod house {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "disaster_ledger_houses")]
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
        pub report_id: Uuid,
        pub head: String,
        /// collapsed | severe | general
        pub degree: String,
        pub rooms: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
