//! Table `calls`: one row per person asked about a subject (a warning, a day's dispatch).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "calls")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// What is asked about: `warning`, `duty_dispatch`.
    pub subject_kind: String,
    pub subject_id: Uuid,
    /// The person's region (a township or village), for scope and per-township figures.
    pub region_code: String,
    pub contact_id: Uuid,
    pub user_id: Option<Uuid>,
    pub name: String,
    pub role: String,
    pub mobile: Option<String>,
    pub wave: i32,
    /// For an escalation: the silent call it is about.
    pub escalated_from: Option<Uuid>,
    /// For an escalation: who was silent, e.g. 「李四（龙树村防汛联络人）」.
    pub about: Option<String>,
    pub state: String,
    /// Deliveries made so far.
    pub cycle: i32,
    /// The secret in the confirmation link.
    pub token: String,
    pub first_sent_at: DateTimeUtc,
    pub last_sent_at: DateTimeUtc,
    pub due_at: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
    /// `link` (from a message) or `app` (logged in).
    pub confirmed_via: Option<String>,
    pub confirmed_by: Option<Uuid>,
    pub escalated_at: Option<DateTimeUtc>,
    /// What the person answered with the confirmation (JSON), when the subject asks questions.
    pub answer: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
