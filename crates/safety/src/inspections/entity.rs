//! Tables `safety_campaigns` and `safety_inspections`.

pub mod campaign {
    use sea_orm::entity::prelude::*;

    /// 专项行动 / 专项整治.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "safety_campaigns")]
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
        pub kind: String,
        pub starts_on: Date,
        pub ends_on: Date,
        /// `unit_industry` codes, comma-separated; empty = every sector.
        pub sectors: String,
        /// Township codes, comma-separated; empty = the whole county.
        pub townships: String,
        pub department_id: Option<Uuid>,
        pub description: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod inspection {
    use sea_orm::entity::prelude::*;

    /// 检查 — of a supervised unit, or a supervision tour of a township or department.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "safety_inspections")]
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
        pub kind: String,
        pub unit_id: Option<Uuid>,
        pub target_region_code: Option<String>,
        pub target_department_id: Option<Uuid>,
        pub inspected_on: Date,
        pub campaign_id: Option<Uuid>,
        /// JSON array of names.
        pub inspectors: String,
        /// JSON array of names.
        pub experts: String,
        pub checklist_group: Option<String>,
        /// JSON array of `model::Answer`.
        pub checklist: String,
        /// JSON array of problem texts (supervision tours).
        pub problems: String,
        pub result: String,
        pub summary: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
