//! Tables `disaster_relief_programmes`, `_rolls`, `_households`, `_payments`, `_corrections`.

/// 救助项目; `region_code` is the county's.
pub mod programme {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "disaster_relief_programmes")]
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
        /// emergency | transitional | housing | winter_spring | drought
        pub kind: String,
        pub name: String,
        pub year: i32,
        /// e.g. 2026–2027年度冬春
        pub period_label: String,
        pub starts_on: Date,
        pub ends_on: Date,
        pub budget_fen: i64,
        /// 每户上限; none: no cap.
        pub cap_fen: Option<i64>,
        /// The disaster process it answers (the processes ledger's id; no foreign key).
        pub process_id: Option<Uuid>,
        /// open | closed
        pub status: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
/// 救助名册 of one village for one programme; `region_code` is the village.
pub mod roll {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "disaster_relief_rolls")]
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
        pub programme_id: Uuid,
        /// draft | posted | checked | approved
        pub state: String,
        /// 公示 from and to.
        pub posted_from: Option<Date>,
        pub posted_to: Option<Date>,
        /// Why it was last sent back.
        pub return_reason: Option<String>,
        pub checked_at: Option<DateTimeUtc>,
        pub checked_by: Option<Uuid>,
        pub approved_at: Option<DateTimeUtc>,
        pub approved_by: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
/// A household on a roll; `region_code` is the village.
pub mod household {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "disaster_relief_households")]
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
        pub programme_id: Uuid,
        pub roll_id: Uuid,
        pub head_name: String,
        /// 18 characters, check digit valid, X upper-case.
        pub id_number: String,
        /// The id number while the household is live, NULL once voided: the unique index on
        /// (programme_id, live_id_number) keeps one live household per programme.
        pub live_id_number: Option<String>,
        pub size: i32,
        pub bank_account: String,
        pub phone: Option<String>,
        pub reason: String,
        pub amount_fen: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
/// 发放: money paid to a household; `region_code` is the village.
pub mod payment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "disaster_relief_payments")]
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
        pub programme_id: Uuid,
        pub roll_id: Uuid,
        pub household_id: Uuid,
        pub amount_fen: i64,
        pub paid_on: Date,
        /// social_card | bank | cash
        pub method: String,
        pub reference: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
/// 更正记录: a change of an approved roll's household, with its reason; `region_code` is the village.
pub mod correction {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "disaster_relief_corrections")]
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
        pub roll_id: Uuid,
        pub household_id: Uuid,
        pub reason: String,
        /// JSON of the household before and after.
        pub before: String,
        pub after: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
