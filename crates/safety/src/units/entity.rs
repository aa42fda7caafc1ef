//! Tables `safety_units` and `safety_unit_licences`.

pub mod unit {
    use sea_orm::entity::prelude::*;

    /// 监管对象 — a unit under work-safety supervision.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "safety_units")]
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
        pub credit_code: Option<String>,
        pub industry_code: String,
        pub industry_edition: String,
        pub address: Option<String>,
        pub latitude: Option<f64>,
        pub longitude: Option<f64>,
        pub legal_representative: Option<String>,
        pub contact_name: Option<String>,
        pub contact_phone: Option<String>,
        pub department_id: Option<Uuid>,
        pub risk_level: Option<String>,
        pub status: String,
        pub note: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod licence {
    use sea_orm::entity::prelude::*;

    /// 许可证 of a unit; fireworks retail outlets are licensed per season.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "safety_unit_licences")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub unit_id: Uuid,
        pub region_code: String,
        pub kind: String,
        pub number: String,
        pub valid_from: Option<Date>,
        pub expires_on: Date,
        pub season: Option<String>,
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
}
