//! Table `duty_dispatches`: one 每日调度 per county and day. Who was asked and what they
//! answered are the platform's `calls` of the dispatch.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "duty_dispatches")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The county dispatching.
    pub region_code: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    /// Who started it (none when the morning job did).
    pub created_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub voided_at: Option<DateTimeUtc>,
    pub void_reason: Option<String>,
    /// The county-local day dispatched.
    pub day: Date,
    /// The duty period running when it started, if any.
    pub period_id: Option<Uuid>,
    /// The season whose questions were asked.
    pub kind: String,
    /// JSON snapshot of the questions asked.
    pub questions: String,
    pub include_departments: bool,
    /// Contact groups also asked (comma-separated ids).
    pub contact_groups: String,
    pub ack_minutes: i32,
    pub cycles: i32,
    /// Answers are refused from this moment (the day's end, or when closed early).
    pub closes_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    pub closed_by: Option<Uuid>,
    /// People asked in the first wave.
    pub asked: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
