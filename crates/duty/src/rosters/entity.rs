//! Tables `duty_periods`, `duty_shifts`, `duty_assignments` and `duty_swaps`.

pub mod period {
    use sea_orm::entity::prelude::*;

    /// 值班期 — e.g. 2026年防汛值班; `region_code` is the county's.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "duty_periods")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub region_code: String,
        pub version: i32,
        pub created_at: DateTimeUtc,
        /// The roster's owner, besides the county's duty editors.
        pub created_by: Option<Uuid>,
        pub updated_at: DateTimeUtc,
        pub updated_by: Option<Uuid>,
        pub voided_at: Option<DateTimeUtc>,
        pub void_reason: Option<String>,
        /// flood | forest_fire | major_event | holiday
        pub kind: String,
        pub name: String,
        pub starts_on: Date,
        pub ends_on: Date,
        /// full_day | day_night
        pub pattern: String,
        /// Handover time, `08:30` (UTC+8).
        pub shift_start: String,
        pub min_officers: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod shift {
    use sea_orm::entity::prelude::*;

    /// 班次 — one shift of a period, made when the period is created.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "duty_shifts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub period_id: Uuid,
        pub region_code: String,
        /// The day it belongs to (UTC+8); a night shift ends the next morning.
        pub day: Date,
        /// full | day | night
        pub slot: String,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        pub version: i32,
        pub updated_at: DateTimeUtc,
        pub updated_by: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod assignment {
    use sea_orm::entity::prelude::*;

    /// One person on one shift, as leader or officer. The shift's times are repeated so that
    /// "who else is on duty then" is one indexed query across periods.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "duty_assignments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub shift_id: Uuid,
        pub period_id: Uuid,
        pub region_code: String,
        pub user_id: Uuid,
        /// leader | officer
        pub post: String,
        pub sort: i32,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        /// When the reminder the day before went out (once per person and shift).
        pub reminded_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod swap {
    use sea_orm::entity::prelude::*;

    /// 换班申请 — someone asks to hand their shift to another person, optionally taking one
    /// of theirs in return; the roster's owner decides.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "duty_swaps")]
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
        pub period_id: Uuid,
        pub shift_id: Uuid,
        pub requester_id: Uuid,
        /// The requester's post on the shift.
        pub post: String,
        pub counterpart_id: Uuid,
        /// The counterpart's shift the requester takes in return, if any.
        pub counterpart_shift_id: Option<Uuid>,
        pub reason: String,
        /// pending | approved | rejected
        pub state: String,
        pub decided_by: Option<Uuid>,
        pub decided_at: Option<DateTimeUtc>,
        pub decision_note: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
