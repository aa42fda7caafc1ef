//! What every full page needs besides its own data: the user, the CSRF token, the navigation
//! they may open, and a notice after a redirect.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::Deserialize;

use super::AppState;
use crate::access::Actor;
use crate::error::AppError;

pub struct NavLink {
    pub label: &'static str,
    pub href: &'static str,
    pub active: bool,
}

pub struct NavGroup {
    pub title: &'static str,
    pub short: &'static str,
    pub icon: &'static str,
    pub links: Vec<NavLink>,
    pub active: bool,
}

impl NavGroup {
    pub fn first_href(&self) -> &'static str {
        self.links.first().map(|l| l.href).unwrap_or("/")
    }
}

pub struct PageCtx {
    pub actor: Actor,
    pub csrf: String,
    pub nav: Vec<NavGroup>,
    pub path: String,
    pub notice: Option<String>,
    /// Unread in-app messages, shown in the top bar.
    pub unread: u64,
}

#[derive(Deserialize)]
struct NoticeQuery {
    done: Option<String>,
    count: Option<u32>,
    skipped: Option<u32>,
}

impl NoticeQuery {
    /// The message; an import also says how many rows went in and how many were skipped.
    fn text(&self) -> Option<String> {
        let base = notice_text(self.done.as_deref()?)?;
        Some(match (self.done.as_deref(), self.count) {
            (Some("imported"), Some(n)) => match self.skipped.filter(|s| *s > 0) {
                Some(s) => format!("{base}：导入 {n} 条，跳过有错误的 {s} 行"),
                None => format!("{base}：导入 {n} 条"),
            },
            _ => base.to_string(),
        })
    }
}

/// Fixed messages for `?done=` after a redirect (fixed, so a link cannot put words in our mouth).
fn notice_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "created" => "已新增",
        "saved" => "已保存",
        "voided" => "已作废",
        "locked" => "账号已锁定",
        "unlocked" => "账号已解锁",
        "reset" => "密码已重置",
        "password" => "密码已修改",
        "imported" => "导入完成",
        "revoked" => "令牌已吊销",
        "reason_missing" => "请填写原因后再提交",
        _ => return None,
    })
}

fn is_active(path: &str, href: &str) -> bool {
    if href == "/" {
        path == "/"
    } else {
        path == href || path.starts_with(&format!("{href}/"))
    }
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let actor = Actor::from_request_parts(parts, state).await?;
        let path = parts.uri.path().to_string();
        let mut seen = std::collections::HashSet::new();
        let nav = state
            .nav
            .iter()
            .filter_map(|section| {
                let links: Vec<NavLink> = section
                    .visible_items(&actor)
                    .into_iter()
                    .filter(|item| seen.insert(item.href))
                    .map(|item| NavLink {
                        label: item.label,
                        href: item.href,
                        active: is_active(&path, item.href),
                    })
                    .collect();
                (!links.is_empty()).then(|| NavGroup {
                    title: section.title,
                    short: section.short,
                    icon: section.icon,
                    active: links.iter().any(|l| l.active),
                    links,
                })
            })
            .collect();
        let notice = serde_urlencoded::from_str::<NoticeQuery>(parts.uri.query().unwrap_or(""))
            .ok()
            .and_then(|q| q.text());
        let unread = crate::notify::inbox::unread_count(&state.db, actor.user_id).await?;
        Ok(Self {
            unread,
            csrf: actor.csrf_token.clone().unwrap_or_default(),
            actor,
            nav,
            path,
            notice,
        })
    }
}
