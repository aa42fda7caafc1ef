//! Table `fire_areas`.

use sea_orm::entity::prelude::*;

/// 乡镇范围 (or a county outline): one live row per region; importing again voids the old row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fire_areas")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The township or county this area outlines (12 digits).
    pub region_code: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub voided_at: Option<DateTimeUtc>,
    pub void_reason: Option<String>,
    /// county | township
    pub level: String,
    /// GeoJSON Polygon or MultiPolygon, lon/lat in EPSG:4490 (≈ WGS84).
    #[sea_orm(column_type = "Text")]
    pub geometry: String,
    /// Approximate (e.g. generated for the demo), to be labelled 近似范围 wherever shown.
    pub approximate: bool,
    /// Where the boundary came from.
    pub source: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
