//! Logging in and out, lockout after repeated failures, and resolving a session cookie.

use std::sync::OnceLock;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set, TransactionTrait,
};

use super::entity::{session, user};
use super::password;
use crate::access::Actor;
use crate::audit::{self, Entry, Who};
use crate::clock::format_local;
use crate::error::{AppError, AppResult};
use crate::web::AppState;

pub const SESSION_COOKIE: &str = "yingji_session";

/// A fresh session: the secret for the cookie and the actor it belongs to.
pub struct LoggedIn {
    pub secret: String,
    pub actor: Actor,
}

fn invalid_credentials() -> AppError {
    AppError::bad_request("invalid_credentials", "用户名或密码错误")
}

/// Check the password off the async runtime (argon2 takes real CPU time).
async fn verify_password(password: &str, stored: Option<&str>) -> bool {
    // Unknown users still cost one verification, so timing does not reveal who exists.
    static DUMMY: OnceLock<String> = OnceLock::new();
    let stored = match stored {
        Some(s) => s.to_string(),
        None => DUMMY
            .get_or_init(|| password::hash("Dummy-password-1").unwrap_or_default())
            .clone(),
    };
    let password = password.to_string();
    tokio::task::spawn_blocking(move || password::verify(&password, &stored))
        .await
        .unwrap_or(false)
}

pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    ip: Option<String>,
) -> AppResult<LoggedIn> {
    let now = state.now();
    let username = username.trim();
    let found = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&state.db)
        .await?;
    let ok = verify_password(password, found.as_ref().map(|u| u.password_hash.as_str())).await;
    let Some(user) = found else {
        let who = Who {
            id: None,
            name: username,
            ip: ip.as_deref(),
        };
        let entry =
            Entry::new("login.failure", "user", username, "000000000000").summary("用户不存在");
        audit::record(&state.db, who, now, entry).await?;
        return Err(invalid_credentials());
    };
    if let Some(message) = refusal(&user, now) {
        let who = Who {
            id: Some(user.id),
            name: &user.display_name,
            ip: ip.as_deref(),
        };
        let entry = Entry::new("login.blocked", "user", user.id, &user.region_code)
            .summary(message.clone());
        audit::record(&state.db, who, now, entry).await?;
        return Err(AppError::Locked { message });
    }
    if !ok {
        return Err(record_failure(state, user, now, ip).await?);
    }
    succeed(state, user, now, ip).await
}

/// Why a known user may not log in now, if they may not.
fn refusal(user: &user::Model, now: DateTime<Utc>) -> Option<String> {
    if !user.enabled {
        return Some("账号已停用，请联系系统管理员".to_string());
    }
    match user.locked_until {
        Some(until) if until > now => Some(format!(
            "账号已锁定（{}），请于 {} 后重试或联系安全管理员解锁",
            user.lock_reason.as_deref().unwrap_or("安全原因"),
            format_local(until)
        )),
        _ => None,
    }
}

/// Count a wrong password; lock the account when the threshold is reached.
async fn record_failure(
    state: &AppState,
    user: user::Model,
    now: DateTime<Utc>,
    ip: Option<String>,
) -> AppResult<AppError> {
    let settings = &state.settings;
    let attempts = user.failed_attempts + 1;
    let locks = attempts >= settings.lockout_threshold;
    let txn = state.db.begin().await?;
    let mut active = user.clone().into_active_model();
    active.failed_attempts = Set(attempts);
    if locks {
        active.locked_until = Set(Some(now + Duration::minutes(settings.lockout_minutes)));
        active.lock_reason = Set(Some(format!("连续 {attempts} 次密码错误")));
    }
    active.update(&txn).await?;
    let who = Who {
        id: Some(user.id),
        name: &user.display_name,
        ip: ip.as_deref(),
    };
    let summary = format!("密码错误（连续第 {attempts} 次）");
    audit::record(
        &txn,
        who,
        now,
        Entry::new("login.failure", "user", user.id, &user.region_code).summary(summary),
    )
    .await?;
    if locks {
        let who = Who {
            id: Some(user.id),
            name: &user.display_name,
            ip: ip.as_deref(),
        };
        let summary = format!(
            "连续 {attempts} 次密码错误，自动锁定 {} 分钟",
            settings.lockout_minutes
        );
        audit::record(
            &txn,
            who,
            now,
            Entry::new("lock", "user", user.id, &user.region_code).summary(summary),
        )
        .await?;
    }
    txn.commit().await?;
    if locks {
        return Ok(AppError::Locked {
            message: format!(
                "连续 {attempts} 次密码错误，账号已锁定 {} 分钟",
                settings.lockout_minutes
            ),
        });
    }
    let left = settings.lockout_threshold - attempts;
    Ok(AppError::bad_request(
        "invalid_credentials",
        format!("用户名或密码错误，再错 {left} 次账号将被锁定"),
    ))
}

async fn succeed(
    state: &AppState,
    user: user::Model,
    now: DateTime<Utc>,
    ip: Option<String>,
) -> AppResult<LoggedIn> {
    let secret = password::random_token();
    let csrf = password::random_token();
    let txn = state.db.begin().await?;
    let mut active = user.clone().into_active_model();
    active.failed_attempts = Set(0);
    active.locked_until = Set(None);
    active.lock_reason = Set(None);
    active.last_login_at = Set(Some(now));
    let user = active.update(&txn).await?;
    session::ActiveModel {
        id: Set(password::sha256_hex(&secret)),
        user_id: Set(user.id),
        csrf_token: Set(csrf.clone()),
        created_at: Set(now),
        last_seen_at: Set(now),
        ip: Set(ip.clone()),
    }
    .insert(&txn)
    .await?;
    let who = Who {
        id: Some(user.id),
        name: &user.display_name,
        ip: ip.as_deref(),
    };
    audit::record(
        &txn,
        who,
        now,
        Entry::new("login.success", "user", user.id, &user.region_code).summary("登录成功"),
    )
    .await?;
    let actor = super::actor_for(&txn, &user, ip, Some(csrf)).await?;
    txn.commit().await?;
    Ok(LoggedIn { secret, actor })
}

/// End the session behind `secret`.
pub async fn logout(state: &AppState, actor: &Actor, secret: &str) -> AppResult<()> {
    let txn = state.db.begin().await?;
    session::Entity::delete_by_id(password::sha256_hex(secret))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        actor,
        state.now(),
        Entry::new("logout", "user", actor.user_id, &actor.region_code).summary("退出登录"),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// End every session of a user (after a lock, a password change or a reset).
pub async fn end_sessions(
    db: &impl sea_orm::ConnectionTrait,
    user_id: uuid::Uuid,
) -> AppResult<()> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The live session and its user behind a cookie secret, read in one statement. Idle sessions
/// end here.
pub async fn resolve_session(
    state: &AppState,
    secret: &str,
) -> AppResult<Option<super::Identified<session::Model>>> {
    let now = state.now();
    let Some(found) = super::identify::<session::Entity>(
        &state.db,
        session::Column::Id.eq(password::sha256_hex(secret)),
        session::Column::UserId,
    )
    .await?
    else {
        return Ok(None);
    };
    let idle = Duration::minutes(state.settings.session_idle_minutes);
    if found.key.last_seen_at + idle < now {
        session::Entity::delete_by_id(found.key.id.clone())
            .exec(&state.db)
            .await?;
        return Ok(None);
    }
    if !super::is_usable(&found.user, now) {
        return Ok(None);
    }
    // Touch at most once a minute: one write per request would make every read a write.
    if now - found.key.last_seen_at > Duration::seconds(60) {
        let mut active = found.key.clone().into_active_model();
        active.last_seen_at = Set(now);
        active.update(&state.db).await?;
    }
    Ok(Some(found))
}
