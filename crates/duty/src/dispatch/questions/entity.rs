//! Table `duty_dispatch_questions`.

use sea_orm::entity::prelude::*;

/// 调度问题 of a county for one season.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "duty_dispatch_questions")]
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
    /// flood | forest_fire | major_event | holiday
    pub period_kind: String,
    /// What answers are keyed by: a default's key when adopted, else the id.
    pub key: String,
    pub position: i32,
    pub text: String,
    /// yes_no | number | text
    pub answer_kind: String,
    pub required: bool,
    /// yes | no | gt_zero
    pub alarm: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
