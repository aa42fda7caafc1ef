//! 责任人通讯录: the people messages reach — township heads, village flood contacts,
//! department liaisons, the county leaders — with their phones and channel addresses, per
//! region and role. Warnings fan out to them; duty and fire reuse them.

pub mod api;
pub mod entity;
pub mod groups;
pub mod pages;
pub mod store;

use crate::access::{Actor, perm};

/// Roles a contact holds, in the order lists show them.
pub const ROLES: &[(&str, &str)] = &[
    (role::COUNTY_LEADER, "县级带班领导"),
    (role::TOWNSHIP_HEAD, "乡镇（街道）主要负责人"),
    (role::TOWNSHIP_DEPUTY, "乡镇分管负责人"),
    (role::TOWNSHIP_DUTY, "乡镇值班室"),
    (role::VILLAGE_HEAD, "村（社区）主要负责人"),
    (role::VILLAGE_FLOOD, "村（社区）防汛联络人"),
    (role::MONITOR, "地灾监测员/网格员"),
    (role::DEPARTMENT_LIAISON, "部门联络员"),
    (role::OTHER, "其他"),
];

pub mod role {
    pub const COUNTY_LEADER: &str = "county_leader";
    pub const TOWNSHIP_HEAD: &str = "township_head";
    pub const TOWNSHIP_DEPUTY: &str = "township_deputy";
    pub const TOWNSHIP_DUTY: &str = "township_duty";
    pub const VILLAGE_HEAD: &str = "village_head";
    pub const VILLAGE_FLOOD: &str = "village_flood";
    pub const MONITOR: &str = "monitor";
    pub const DEPARTMENT_LIAISON: &str = "department_liaison";
    pub const OTHER: &str = "other";
}

pub fn role_label(code: &str) -> &'static str {
    crate::web::form::label_of(ROLES, code)
}

/// Those who keep contacts: organisation admins, warning staff, and the duty staff of a county
/// or township (each inside their own scope).
pub fn may_edit(actor: &Actor) -> bool {
    actor.can(perm::ADMIN_ORG) || actor.can(perm::WARNING_EDIT) || actor.can(perm::DUTY_EDIT)
}

/// Those who read the contacts (names and mobiles): the editors, and whoever works with
/// warnings or duty. Enterprise users, the administrators without `admin.org` and the auditor
/// do not.
pub fn may_view(actor: &Actor) -> bool {
    may_edit(actor) || actor.can(perm::WARNING_VIEW) || actor.can(perm::DUTY_VIEW)
}
