//! Tables `warning_consultations`, `warning_consultation_departments`,
//! `warning_consultation_judgments` and `warning_consultation_areas`.

pub mod consultation {
    use sea_orm::entity::prelude::*;

    /// 风险会商报告 — one report; `region_code` is the county that convened it.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "warning_consultations")]
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
        /// Given when issued: 三台应急会商〔2026〕3号.
        pub number: Option<String>,
        pub number_year: Option<i32>,
        pub number_seq: Option<i32>,
        pub title: String,
        /// The period the judgments cover.
        pub period_from: Date,
        pub period_to: Date,
        /// 会商日期.
        pub meeting_on: Date,
        /// 召集单位.
        pub convener: String,
        /// 受邀专家, as written.
        pub experts: Option<String>,
        /// 防范措施建议.
        pub measures: String,
        /// 签发人.
        pub issuer: Option<String>,
        /// draft | issued | voided
        pub state: String,
        pub issued_at: Option<DateTimeUtc>,
        pub issued_by: Option<Uuid>,
        /// The issuing day in UTC+8: the number's year and the date on the letter.
        pub issued_on: Option<Date>,
        /// The letter as issued (JSON of `platform::web::letter::Letter`), never rewritten.
        pub letter: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod department {
    use sea_orm::entity::prelude::*;

    /// 参会部门 — a member department at the meeting, its name kept as it was then.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "warning_consultation_departments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub consultation_id: Uuid,
        pub department_id: Uuid,
        pub name: String,
        pub sort: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod judgment {
    use sea_orm::entity::prelude::*;

    /// 风险研判 — one hazard type's risk over some townships (or the whole county).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "warning_consultation_judgments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub consultation_id: Uuid,
        pub sort: i32,
        /// A code of the `disaster_type` dictionary, with its edition and label at the time.
        pub hazard_type: String,
        pub hazard_edition: String,
        pub hazard_label: String,
        /// high | elevated | moderate | low
        pub level: String,
        pub text: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod area {
    use sea_orm::entity::prelude::*;

    /// A township a judgment concerns; the county's own code means 全县.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "warning_consultation_areas")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub judgment_id: Uuid,
        /// Repeated from the judgment: the township filter is one subquery.
        pub consultation_id: Uuid,
        pub region_code: String,
        pub name: String,
        pub sort: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
