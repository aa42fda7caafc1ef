//! Tables `warnings` and `warning_policies`; a warning's 叫应 calls are in the platform's `calls`.

pub mod warning {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "warnings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The issuing county (or the county that received an incoming warning).
        pub region_code: String,
        pub version: i32,
        /// 三台应急预警〔2026〕5号, assigned on issue.
        pub number: Option<String>,
        pub kind: String,
        pub level: i32,
        pub title: String,
        pub content: String,
        /// 防范措施 and what recipients must do.
        pub actions: String,
        /// Township codes, comma-separated.
        pub area_codes: String,
        /// Their names, as the warning says them.
        pub area_desc: String,
        /// Optional polygon, "lat,lon lat,lon …".
        pub polygon: Option<String>,
        /// Member departments' liaisons are asked too.
        pub include_departments: bool,
        /// Contact groups also asked: comma-separated ids.
        pub contact_groups: Option<String>,
        pub valid_from: DateTimeUtc,
        pub valid_until: DateTimeUtc,
        pub state: String,
        pub drafted_by: Option<Uuid>,
        pub drafted_by_name: String,
        pub approved_by: Option<Uuid>,
        pub approved_by_name: Option<String>,
        pub approved_at: Option<DateTimeUtc>,
        pub issued_by: Option<Uuid>,
        pub issued_by_name: Option<String>,
        pub issued_at: Option<DateTimeUtc>,
        /// Updates after issue (CAP `Update` messages).
        pub revision: i32,
        pub revised_at: Option<DateTimeUtc>,
        pub lifted_at: Option<DateTimeUtc>,
        pub lift_reason: Option<String>,
        /// `local` or `cap` (received from a higher-level system).
        pub source: String,
        /// Incoming: the sender's identifier, sender and sent (for references).
        pub cap_identifier: Option<String>,
        pub cap_sender: Option<String>,
        pub cap_sent: Option<String>,
        pub sender_name: Option<String>,
        /// A local warning relaying an incoming one.
        pub relayed_from: Option<Uuid>,
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

pub mod policy {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "warning_policies")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub level: i32,
        pub ack_minutes: i32,
        pub cycles: i32,
        pub updated_at: Option<DateTimeUtc>,
        pub updated_by: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
