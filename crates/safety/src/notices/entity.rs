//! Tables `safety_notices` and `safety_notice_recipients`.

pub mod notice {
    use sea_orm::entity::prelude::*;

    /// 函件 — one letter from the bureau; `region_code` is the sender's county.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "safety_notices")]
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
        /// reminder | urging | supervision | rectification
        pub kind: String,
        /// Given when sent: 三台应急提〔2026〕12号.
        pub number: Option<String>,
        pub number_year: Option<i32>,
        pub number_seq: Option<i32>,
        pub title: String,
        pub content: String,
        pub reply_required: bool,
        pub reply_due_on: Option<Date>,
        /// draft | sent | closed
        pub state: String,
        pub sent_at: Option<DateTimeUtc>,
        pub sent_by: Option<Uuid>,
        /// The sending day in UTC+8: numbering year and period filters.
        pub sent_on: Option<Date>,
        pub closed_at: Option<DateTimeUtc>,
        pub closed_by: Option<Uuid>,
        pub note: Option<String>,
        /// Links, as text ids: a supervised unit, a hazard.
        pub unit_id: Option<String>,
        pub hazard_id: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod recipient {
    use sea_orm::entity::prelude::*;

    /// 接收单位 — a township or a member department, and what it did with the letter.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "safety_notice_recipients")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub notice_id: Uuid,
        /// township | department
        pub recipient_kind: String,
        /// The township's code; for a department, the department's region code.
        pub region_code: String,
        pub department_id: Option<Uuid>,
        /// The township's or department's name when chosen.
        pub name: String,
        pub sort: i32,
        /// Copied from the letter when it is sent: recipients' lists are ordered by it.
        pub sent_at: Option<DateTimeUtc>,
        pub read_at: Option<DateTimeUtc>,
        pub read_by: Option<Uuid>,
        pub replied_at: Option<DateTimeUtc>,
        pub replied_by: Option<Uuid>,
        pub reply: Option<String>,
        pub returned_at: Option<DateTimeUtc>,
        pub returned_reason: Option<String>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub updated_by: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
