//! Tables `fire_hotspot_rules`, `fire_hotspot_batches`, `fire_hotspots` and
//! `fire_hotspot_detections` (`fire_fires` is created beside them, read by [`crate::fires`]).

/// 热点核查规则: one live row per county; absent means the defaults.
pub mod rules {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "fire_hotspot_rules")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The county (12 digits).
        pub region_code: String,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub created_by: Option<Uuid>,
        pub updated_at: DateTimeUtc,
        pub updated_by: Option<Uuid>,
        pub voided_at: Option<DateTimeUtc>,
        pub void_reason: Option<String>,
        pub deadline_minutes: i32,
        pub merge_metres: i32,
        pub merge_hours: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A file of detections received (upload, command line, watched folder): its digest refuses
/// the same file twice, its counts and row errors are kept.
pub mod batch {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "fire_hotspot_batches")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The county the file was received for.
        pub region_code: String,
        /// upload | cli | folder
        pub source: String,
        pub file_name: String,
        pub sha256: String,
        pub rows_read: i32,
        pub new_hotspots: i32,
        pub merged: i32,
        pub duplicates: i32,
        pub outside: i32,
        /// JSON list of row errors.
        #[sea_orm(column_type = "Text")]
        pub errors: String,
        pub created_at: DateTimeUtc,
        pub created_by: Option<Uuid>,
        pub created_by_name: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// 卫星热点: one fire seen from space (one or more pixels), and its check on site.
pub mod hotspot {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "fire_hotspots")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The township asked (its staff read it), or the county while none is.
        pub region_code: String,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub created_by: Option<Uuid>,
        pub updated_at: DateTimeUtc,
        pub updated_by: Option<Uuid>,
        pub voided_at: Option<DateTimeUtc>,
        pub void_reason: Option<String>,
        pub county_code: String,
        pub year: i32,
        pub seq: i64,
        /// 热点编号, e.g. `2026-007`.
        pub number: String,
        /// modis | viirs | manual
        pub source: String,
        pub satellite: String,
        pub confidence: String,
        pub frp: Option<f64>,
        /// Where it was first seen (pixel centre).
        pub longitude: f64,
        pub latitude: f64,
        pub pixels: i32,
        pub detected_at: DateTimeUtc,
        pub last_detected_at: DateTimeUtc,
        pub township_code: Option<String>,
        pub asked_at: Option<DateTimeUtc>,
        /// 反馈时限.
        pub due_at: Option<DateTimeUtc>,
        /// People asked (calls of the first wave).
        pub asked: i32,
        /// For manual entries: what the provincial system said (its number, remarks).
        pub note: Option<String>,
        pub answered_at: Option<DateTimeUtc>,
        pub answered_by_name: Option<String>,
        /// A [`super::super::model::Verdict`] code.
        pub verdict: Option<String>,
        pub place: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub measures: Option<String>,
        /// Where the person answering stood (browser geolocation), when given.
        pub answer_longitude: Option<f64>,
        pub answer_latitude: Option<f64>,
        /// The fire record a 林火 verdict opened.
        pub fire_id: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One detected pixel, as the feed gave it.
pub mod detection {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "fire_hotspot_detections")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub hotspot_id: Uuid,
        /// None for a manual entry.
        pub batch_id: Option<Uuid>,
        /// modis | viirs | manual
        pub layout: String,
        pub satellite: String,
        pub acquired_at: DateTimeUtc,
        pub longitude: f64,
        pub latitude: f64,
        pub confidence: String,
        pub brightness: Option<f64>,
        pub frp: Option<f64>,
        pub daynight: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
