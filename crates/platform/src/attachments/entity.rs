//! Table `attachments`.

pub mod attachment {
    use sea_orm::entity::prelude::*;

    /// One stored file belonging to one record (`owner_kind`, `owner_id`).
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "attachments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The owning record's region: the scope a reader must cover.
        pub region_code: String,
        /// The owning record's kind, e.g. `safety_inspection`.
        pub owner_kind: String,
        pub owner_id: Uuid,
        /// Hex SHA-256 of the content: also its file name under the files folder.
        pub sha256: String,
        pub size_bytes: i64,
        pub content_type: String,
        pub filename: String,
        /// Where a photo was taken, when the phone told us.
        pub latitude: Option<f64>,
        pub longitude: Option<f64>,
        pub created_at: DateTimeUtc,
        pub created_by: Option<Uuid>,
        pub voided_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
