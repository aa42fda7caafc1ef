//! Navigation: each area contributes a section; the layout shows what the user may open.

use crate::access::{Actor, perm};

#[derive(Clone, Debug)]
pub struct NavItem {
    pub label: &'static str,
    pub href: &'static str,
    /// Shown to users holding this permission; `None` for everyone logged in.
    pub permission: Option<&'static str>,
}

#[derive(Clone, Debug)]
pub struct NavSection {
    pub title: &'static str,
    /// A short label for the phone's bottom bar.
    pub short: &'static str,
    pub icon: &'static str,
    pub items: Vec<NavItem>,
}

impl NavSection {
    pub fn visible_items(&self, actor: &Actor) -> Vec<&NavItem> {
        self.items
            .iter()
            .filter(|i| i.permission.is_none_or(|p| actor.can(p)))
            .collect()
    }
}

/// The platform's own sections: the workbench and administration.
pub fn platform_sections() -> Vec<NavSection> {
    let item = |label, href, permission| NavItem {
        label,
        href,
        permission,
    };
    vec![
        NavSection {
            title: "工作台",
            short: "首页",
            icon: "⌂",
            items: vec![
                item("我的工作台", "/", None),
                item("站内消息", "/inbox", None),
                item("消息发送记录", "/notify/messages", Some(perm::NOTIFY_VIEW)),
                item("我的辖区", "/admin/regions", None),
                item("修改密码", "/account/password", None),
                item("API 令牌", "/account/tokens", None),
            ],
        },
        NavSection {
            title: "系统管理",
            short: "管理",
            icon: "⚙",
            items: vec![
                item("用户管理", "/admin/users", Some(perm::ADMIN_USERS)),
                item("账号安全", "/admin/users", Some(perm::ADMIN_SECURITY)),
                item("角色权限", "/admin/roles", Some(perm::ADMIN_USERS)),
                item("行政区划", "/admin/regions", Some(perm::ADMIN_ORG)),
                item("部门单位", "/admin/departments", Some(perm::ADMIN_ORG)),
                item("责任人通讯录", "/contacts", Some(perm::ADMIN_ORG)),
                item("数据字典", "/admin/dicts", Some(perm::ADMIN_ORG)),
                item("审计日志", "/admin/audit", Some(perm::AUDIT_VIEW)),
            ],
        },
    ]
}
