//! Who may do what, and where. Roles are fixed in code (so nobody can grant themselves more
//! through data); each role carries `area.action` permissions; scope is a region-code prefix.

mod scope;

pub use scope::Scope;

use serde::Serialize;
use uuid::Uuid;

use crate::error::AppError;

/// Permission strings, `area.action`.
pub mod perm {
    pub const ADMIN_USERS: &str = "admin.users";
    pub const ADMIN_SECURITY: &str = "admin.security";
    pub const ADMIN_ORG: &str = "admin.org";
    pub const AUDIT_VIEW: &str = "audit.view";
    pub const SAFETY_VIEW: &str = "safety.view";
    pub const SAFETY_EDIT: &str = "safety.edit";
    pub const WARNING_VIEW: &str = "warning.view";
    pub const WARNING_EDIT: &str = "warning.edit";
    pub const WARNING_ACK: &str = "warning.ack";
    /// Approve a warning for issue (a leader; never the drafter).
    pub const WARNING_APPROVE: &str = "warning.approve";
    /// See the delivery state of outgoing messages in one's scope, and resend failed ones.
    pub const NOTIFY_VIEW: &str = "notify.view";
    pub const DUTY_VIEW: &str = "duty.view";
    pub const DUTY_EDIT: &str = "duty.edit";
    pub const FIRE_VIEW: &str = "fire.view";
    pub const FIRE_EDIT: &str = "fire.edit";
    pub const FIRE_PATROL: &str = "fire.patrol";
    pub const DISASTER_VIEW: &str = "disaster.view";
    pub const DISASTER_EDIT: &str = "disaster.edit";
    pub const READINESS_VIEW: &str = "readiness.view";
    pub const READINESS_EDIT: &str = "readiness.edit";
    pub const RESPONSE_VIEW: &str = "response.view";
    pub const RESPONSE_EDIT: &str = "response.edit";
    pub const REPORTS_VIEW: &str = "reports.view";
    pub const ENTERPRISE_SELF: &str = "enterprise.self";
}

macro_rules! roles {
    ($($variant:ident = $code:literal, $label:literal, [$($perm:ident),*];)*) => {
        /// 角色. The first three are the separated administrators (三员分立).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum Role { $($variant),* }

        impl Role {
            pub const ALL: &'static [Role] = &[$(Role::$variant),*];

            pub fn code(self) -> &'static str {
                match self { $(Role::$variant => $code),* }
            }

            pub fn label(self) -> &'static str {
                match self { $(Role::$variant => $label),* }
            }

            pub fn permissions(self) -> &'static [&'static str] {
                match self { $(Role::$variant => &[$(perm::$perm),*]),* }
            }

            pub fn parse(code: &str) -> Option<Role> {
                match code { $($code => Some(Role::$variant),)* _ => None }
            }
        }
    };
}

roles! {
    SystemAdmin = "system_admin", "系统管理员", [ADMIN_USERS, ADMIN_ORG, NOTIFY_VIEW];
    SecurityAdmin = "security_admin", "安全管理员", [ADMIN_SECURITY];
    Auditor = "auditor", "安全审计员", [AUDIT_VIEW];
    Leader = "leader", "局领导", [SAFETY_VIEW, WARNING_VIEW, WARNING_APPROVE, WARNING_ACK,
        DUTY_VIEW, FIRE_VIEW, DISASTER_VIEW, READINESS_VIEW, RESPONSE_VIEW, REPORTS_VIEW,
        NOTIFY_VIEW];
    SafetyStaff = "safety_staff", "安全生产业务人员", [SAFETY_VIEW, SAFETY_EDIT, REPORTS_VIEW,
        NOTIFY_VIEW];
    DisasterStaff = "disaster_staff", "防灾减灾业务人员", [WARNING_VIEW, WARNING_EDIT, FIRE_VIEW,
        FIRE_EDIT, DISASTER_VIEW, DISASTER_EDIT, REPORTS_VIEW, NOTIFY_VIEW];
    RescueStaff = "rescue_staff", "应急救援业务人员", [READINESS_VIEW, READINESS_EDIT, RESPONSE_VIEW,
        RESPONSE_EDIT, REPORTS_VIEW];
    DutyOfficer = "duty_officer", "值班人员", [DUTY_VIEW, DUTY_EDIT, WARNING_VIEW, WARNING_ACK,
        FIRE_VIEW, DISASTER_VIEW, NOTIFY_VIEW];
    // NOTIFY_VIEW: a township keeps its own contacts and work-group robots, so it sees which
    // messages of its township failed (a wrong mobile, a removed robot) and can resend them.
    TownshipStaff = "township_staff", "乡镇工作人员", [SAFETY_VIEW, SAFETY_EDIT, WARNING_VIEW,
        WARNING_ACK, DUTY_VIEW, DUTY_EDIT, FIRE_VIEW, FIRE_EDIT, FIRE_PATROL, DISASTER_VIEW,
        DISASTER_EDIT, READINESS_VIEW, READINESS_EDIT, NOTIFY_VIEW];
    // DISASTER_EDIT: a village builds its relief roll (the disaster area keeps loss figures to
    // townships and the county).
    VillageLiaison = "village_liaison", "村（社区）联络员", [WARNING_VIEW, WARNING_ACK, FIRE_VIEW,
        FIRE_PATROL, DISASTER_VIEW, DISASTER_EDIT];
    DepartmentLiaison = "department_liaison", "部门联络员", [SAFETY_VIEW, WARNING_VIEW, WARNING_ACK];
    EnterpriseUser = "enterprise_user", "企业用户", [ENTERPRISE_SELF];
}

impl Role {
    /// The three separated administrators may hold no other role.
    pub fn is_administrator(self) -> bool {
        matches!(
            self,
            Role::SystemAdmin | Role::SecurityAdmin | Role::Auditor
        )
    }

    /// Which permission lets someone grant or revoke this role: the security administrator
    /// manages the administrator roles, the system administrator the business roles.
    pub fn granted_by(self) -> &'static str {
        if self.is_administrator() {
            perm::ADMIN_SECURITY
        } else {
            perm::ADMIN_USERS
        }
    }
}

/// Check a set of roles against the separation of duties.
pub fn validate_roles(roles: &[Role]) -> Result<(), AppError> {
    if roles.is_empty() {
        return Err(AppError::field("roles", "请至少选择一个角色"));
    }
    if roles.len() > 1 && roles.iter().any(|r| r.is_administrator()) {
        return Err(AppError::field(
            "roles",
            "系统管理员、安全管理员、安全审计员三员分立，不能与其他角色兼任",
        ));
    }
    Ok(())
}

/// The person (or API client) behind a request, resolved once by the auth layer.
#[derive(Clone, Debug, Serialize)]
pub struct Actor {
    pub user_id: Uuid,
    pub username: String,
    pub display_name: String,
    pub region_code: String,
    pub region_name: String,
    pub roles: Vec<Role>,
    /// The member department (安委会/防指 member unit) the account belongs to, for liaisons:
    /// what they receive and what they see "of their department" depends on it.
    pub department_id: Option<Uuid>,
    pub must_change_password: bool,
    #[serde(skip)]
    pub ip: Option<String>,
    /// Present for browser sessions; forms and htmx requests must echo it.
    #[serde(skip)]
    pub csrf_token: Option<String>,
}

impl Actor {
    /// The operator at the command line (`yingji user ...`): every account, every region.
    pub fn command_line() -> Self {
        Self {
            user_id: Uuid::nil(),
            username: "cli".to_string(),
            display_name: "命令行（系统运维）".to_string(),
            region_code: Scope::ALL_CODE.to_string(),
            region_name: "全部".to_string(),
            roles: vec![Role::SystemAdmin, Role::SecurityAdmin],
            department_id: None,
            must_change_password: false,
            ip: None,
            csrf_token: None,
        }
    }

    pub fn can(&self, permission: &str) -> bool {
        self.roles
            .iter()
            .any(|r| r.permissions().contains(&permission))
    }

    pub fn require(&self, permission: &str) -> Result<(), AppError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn scope(&self) -> Scope {
        Scope::of(&self.region_code)
    }

    pub fn permissions(&self) -> Vec<&'static str> {
        let mut all: Vec<&'static str> = self
            .roles
            .iter()
            .flat_map(|r| r.permissions().iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    pub fn role_labels(&self) -> String {
        self.roles
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join("、")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrators_cannot_hold_a_second_role() {
        assert!(validate_roles(&[Role::SystemAdmin]).is_ok());
        assert!(validate_roles(&[Role::SystemAdmin, Role::Auditor]).is_err());
        assert!(validate_roles(&[Role::SecurityAdmin, Role::Leader]).is_err());
        assert!(validate_roles(&[Role::SafetyStaff, Role::DutyOfficer]).is_ok());
        assert!(validate_roles(&[]).is_err());
    }

    #[test]
    fn the_three_administrators_share_no_permission() {
        let admins = [Role::SystemAdmin, Role::SecurityAdmin, Role::Auditor];
        for a in admins {
            for b in admins {
                if a != b {
                    assert!(a.permissions().iter().all(|p| !b.permissions().contains(p)));
                }
            }
        }
        assert!(!Role::SystemAdmin.permissions().contains(&perm::AUDIT_VIEW));
    }

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(*role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
