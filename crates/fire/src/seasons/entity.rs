//! Table `fire_seasons`.

use sea_orm::entity::prelude::*;

/// 防火期 of a county for one year.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fire_seasons")]
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
    pub fire_from: Date,
    pub fire_to: Date,
    pub high_from: Date,
    pub high_to: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
