//! Table `contacts`.

use sea_orm::entity::prelude::*;

/// One responsible person in one role for one region.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "contacts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The region they answer for (a township, a village, or the county).
    pub region_code: String,
    pub version: i32,
    pub name: String,
    /// See [`super::ROLES`].
    pub role: String,
    /// 职务, e.g. 镇长、村支书.
    pub post: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    /// Their Yingji account, for the in-app inbox and confirming in the app.
    pub user_id: Option<Uuid>,
    /// For a department liaison: the member department.
    pub department_id: Option<Uuid>,
    pub note: Option<String>,
    pub sort: i32,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub voided_at: Option<DateTimeUtc>,
    pub void_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
