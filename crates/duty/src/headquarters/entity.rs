//! Tables `duty_headquarters` and `duty_hq_members`.

pub mod headquarters {
    use sea_orm::entity::prelude::*;

    /// 指挥部 — one kind for one year, in a county.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "duty_headquarters")]
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
        pub kind: String,
        pub year: i32,
        pub name: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod member {
    use sea_orm::entity::prelude::*;

    /// 指挥长, 副指挥长, or a 成员单位 with its liaison.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "duty_hq_members")]
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
        pub headquarters_id: Uuid,
        /// commander | deputy | member
        pub position: String,
        /// The member unit in `org`, where it is one.
        pub department_id: Option<Uuid>,
        /// The member unit's name (kept also for org units, as published that year).
        pub unit_name: Option<String>,
        /// The leader, or the unit's liaison.
        pub person_name: String,
        pub person_post: Option<String>,
        pub phone: String,
        /// The unit's duties in the headquarters.
        pub duties: Option<String>,
        pub sort: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
