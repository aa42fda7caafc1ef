//! Tables `jobs` (one row per job: next run and lease) and `job_runs` (every run).

pub mod job {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "jobs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub name: String,
        pub next_run_at: DateTimeUtc,
        pub lease_holder: Option<Uuid>,
        pub lease_until: Option<DateTimeUtc>,
        pub last_started_at: Option<DateTimeUtc>,
        pub last_finished_at: Option<DateTimeUtc>,
        pub last_ok: Option<bool>,
        pub last_summary: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod job_run {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "job_runs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub started_at: DateTimeUtc,
        pub finished_at: DateTimeUtc,
        pub ok: bool,
        pub summary: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
