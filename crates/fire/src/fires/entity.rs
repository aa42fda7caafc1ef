//! Table `fire_fires` (created by the hotspots' migration, which opened the first records).

use sea_orm::entity::prelude::*;

/// 森林火灾: opened by a hotspot judged 林火 (or entered), graded by area and casualties.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "fire_fires")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The township it burned in.
    pub region_code: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub voided_at: Option<DateTimeUtc>,
    pub void_reason: Option<String>,
    pub county_code: String,
    pub hotspot_id: Option<Uuid>,
    pub started_at: DateTimeUtc,
    pub place: String,
    pub area_ha: f64,
    pub deaths: i32,
    pub injured: i32,
    /// A [`super::model::FireGrade`] code.
    pub grade: String,
    pub extinguished_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub note: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
