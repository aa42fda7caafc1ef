//! Tables `fire_checkpoints`, `fire_checkins` and `fire_tours`.

/// A checkpoint; `region_code` is its township.
pub mod checkpoint {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "fire_checkpoints")]
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
        pub name: String,
        /// supervision | patrol
        pub kind: String,
        pub lon: f64,
        pub lat: f64,
        pub note: Option<String>,
        /// The unguessable part of the QR code's link.
        pub token: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One scan of a checkpoint; `region_code` is the checkpoint's township.
pub mod checkin {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "fire_checkins")]
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
        pub checkpoint_id: Uuid,
        pub user_id: Uuid,
        pub checked_at: DateTimeUtc,
        /// The day in China, for ranges.
        pub day: Date,
        pub lon: Option<f64>,
        pub lat: Option<f64>,
        pub accuracy_m: Option<f64>,
        pub distance_m: Option<f64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// 分片包干: a person assigned to a township for a date range; `region_code` is the township.
pub mod tour {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "fire_tours")]
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
        pub user_id: Uuid,
        pub date_from: Date,
        pub date_to: Date,
        pub required: i32,
        /// JSON array of checkpoint ids; empty: any checkpoint of the township.
        pub checkpoints: String,
        pub note: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
