//! Tables `fire_forecasts`, `fire_burn_bans` and `fire_documents`.

/// One county's forecast issue for one day: the townships' levels as JSON.
pub mod forecast {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "fire_forecasts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The county.
        pub region_code: String,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub created_by: Option<Uuid>,
        pub updated_at: DateTimeUtc,
        pub updated_by: Option<Uuid>,
        pub voided_at: Option<DateTimeUtc>,
        pub void_reason: Option<String>,
        pub day: Date,
        /// `[{"township": "510722101000", "level": 4}, …]` in township order.
        pub levels: String,
        /// The highest level of the day, for the list.
        pub max_level: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// 禁火令, numbered per county and year.
pub mod ban {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "fire_burn_bans")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The county.
        pub region_code: String,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub created_by: Option<Uuid>,
        pub updated_at: DateTimeUtc,
        pub updated_by: Option<Uuid>,
        pub voided_at: Option<DateTimeUtc>,
        pub void_reason: Option<String>,
        pub year: i32,
        pub seq: i64,
        pub number: String,
        /// The forecast day it answers, if any.
        pub forecast_day: Option<Date>,
        /// JSON array of township codes.
        pub townships: String,
        pub valid_from: Date,
        pub valid_to: Date,
        pub body: String,
        /// Given when no township was orange or red.
        pub override_reason: Option<String>,
        pub issued_at: DateTimeUtc,
        pub issued_by_name: String,
        pub lifted_at: Option<DateTimeUtc>,
        pub lift_reason: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// 火险预警研判结论 and 督促函, numbered per kind, county and year.
pub mod document {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "fire_documents")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The county.
        pub region_code: String,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub created_by: Option<Uuid>,
        pub updated_at: DateTimeUtc,
        pub updated_by: Option<Uuid>,
        pub voided_at: Option<DateTimeUtc>,
        pub void_reason: Option<String>,
        /// conclusion | urging_letter
        pub kind: String,
        pub year: i32,
        pub seq: i64,
        pub number: String,
        pub title: String,
        pub body: String,
        /// JSON array of township codes addressed.
        pub townships: String,
        pub issued_on: Date,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
