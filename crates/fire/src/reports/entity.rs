//! Tables `fire_report_schedules` and `fire_report_slots`. Who was asked for a slot and what
//! each township filed are the platform's `calls` of the slot.

/// A county's report times (the defaults until it sets its own).
pub mod schedule {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "fire_report_schedules")]
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
        /// `[{"time": "08:00", "name": "早报"}, …]` in time order.
        pub slots: String,
        pub grace_minutes: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One report time of one county and day, opened when its time came: every township asked.
pub mod slot {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "fire_report_slots")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The county.
        pub region_code: String,
        pub version: i32,
        pub created_at: DateTimeUtc,
        /// Who opened it by hand (none when the job did).
        pub created_by: Option<Uuid>,
        pub updated_at: DateTimeUtc,
        pub updated_by: Option<Uuid>,
        pub voided_at: Option<DateTimeUtc>,
        pub void_reason: Option<String>,
        /// The county-local day.
        pub day: Date,
        /// `HH:MM`, county time.
        pub slot_time: String,
        /// 早报, 午报, 晚报…
        pub slot_name: String,
        /// The slot's time on its day.
        pub due_at: DateTimeUtc,
        pub grace_minutes: i32,
        /// Reports filed after this are late (迟报).
        pub late_after: DateTimeUtc,
        /// Reports are refused from this moment (the county's midnight).
        pub closes_at: DateTimeUtc,
        /// People asked in the first wave.
        pub asked: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
