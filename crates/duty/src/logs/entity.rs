//! Tables `duty_log_entries` and `duty_handovers`.

pub mod entry {
    use sea_orm::entity::prelude::*;

    /// 值班记录 — one thing received, done or reported during a shift.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "duty_log_entries")]
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
        pub kind: String,
        pub at: DateTimeUtc,
        /// 来电单位/人 or 报送来源.
        pub from_party: Option<String>,
        /// 去电对象 or 报送对象.
        pub to_party: Option<String>,
        pub content: String,
        /// 待办 until closed.
        pub is_open: bool,
        pub closed_at: Option<DateTimeUtc>,
        pub closed_by: Option<Uuid>,
        pub outcome: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod handover {
    use sea_orm::entity::prelude::*;

    /// 交接班 — the outgoing shift's note and its open matters as they were, confirmed by
    /// the incoming shift.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "duty_handovers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub region_code: String,
        pub version: i32,
        pub created_at: DateTimeUtc,
        /// The outgoing officer.
        pub created_by: Option<Uuid>,
        pub updated_at: DateTimeUtc,
        pub updated_by: Option<Uuid>,
        pub voided_at: Option<DateTimeUtc>,
        pub void_reason: Option<String>,
        pub period_id: Uuid,
        pub from_shift_id: Uuid,
        pub to_shift_id: Uuid,
        pub note: String,
        /// JSON list of the open entries when handed over (a snapshot, never rewritten).
        pub open_entries: String,
        pub confirmed_by: Option<Uuid>,
        pub confirmed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
