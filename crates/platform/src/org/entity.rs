use sea_orm::entity::prelude::*;

/// 部门 — a member unit with its liaison.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "departments")]
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
    /// Comma-separated committee codes (see `org::COMMITTEES`).
    pub committees: String,
    pub liaison_name: Option<String>,
    pub liaison_phone: Option<String>,
    pub duty_phone: Option<String>,
    pub sort: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
