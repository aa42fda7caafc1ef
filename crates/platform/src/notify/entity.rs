//! Tables `notify_messages` (the outbox and the inbox) and `notify_robots`.

pub mod message {
    use sea_orm::entity::prelude::*;

    /// One message to one address on one channel, and where its delivery stands.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "notify_messages")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The region of the record that caused it: staff see the messages of their scope.
        pub region_code: String,
        /// `inbox`, `wecom`, `dingtalk`, `sms`, `email`.
        pub channel: String,
        /// User id (inbox), robot id (wecom/dingtalk), phone (sms) or e-mail address.
        pub address: String,
        /// Who it is for, when they have an account (their inbox, their name in lists).
        pub recipient_user_id: Option<Uuid>,
        /// The person's name as the sender knew it (a contact without an account too).
        pub recipient_name: String,
        /// Mobile number a group robot @-mentions.
        pub mention: Option<String>,
        pub title: String,
        pub body: String,
        /// Path inside Yingji (made absolute for network channels).
        pub link: Option<String>,
        /// What caused it, e.g. `warning_call` and the call's id.
        pub source_kind: String,
        pub source_id: Option<Uuid>,
        /// `pending`, `sending`, `retry`, `sent`, `failed`.
        pub state: String,
        pub attempts: i32,
        pub next_attempt_at: DateTimeUtc,
        /// When a worker took it; a `sending` message whose claim is stale is taken again.
        pub claimed_at: Option<DateTimeUtc>,
        pub last_error: Option<String>,
        pub sent_at: Option<DateTimeUtc>,
        /// Inbox only: when the user opened it.
        pub read_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub created_by: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod robot {
    use sea_orm::entity::prelude::*;

    /// A WeCom or DingTalk group robot (群机器人) of a township or department work group.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "notify_robots")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub region_code: String,
        pub version: i32,
        /// `wecom` or `dingtalk`.
        pub channel: String,
        /// The group's name, e.g. 「XX镇防汛工作群」.
        pub name: String,
        pub webhook_url: String,
        /// DingTalk 加签 secret.
        pub secret: Option<String>,
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
