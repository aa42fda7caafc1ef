//! A user's own account: changing the password (required after an initial or reset password).

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set, TransactionTrait,
};

use super::entity::{session, user};
use super::password;
use crate::access::Actor;
use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::web::AppState;

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct PasswordChange {
    pub current: String,
    pub password: String,
    pub confirm: String,
}

pub async fn change_password(
    state: &AppState,
    actor: &Actor,
    input: &PasswordChange,
) -> AppResult<()> {
    if input.password != input.confirm {
        return Err(AppError::field("confirm", "两次输入的新密码不一致"));
    }
    password::check_strength(&input.password, &actor.username)?;
    if input.password == input.current {
        return Err(AppError::field("password", "新密码不能与当前密码相同"));
    }
    let found = user::Entity::find_by_id(actor.user_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (current, stored) = (input.current.clone(), found.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || password::verify(&current, &stored))
        .await
        .unwrap_or(false);
    if !ok {
        return Err(AppError::field("current", "当前密码不正确"));
    }
    let new_password = input.password.clone();
    let hash = tokio::task::spawn_blocking(move || password::hash(&new_password))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    let now = state.now();
    let txn = state.db.begin().await?;
    let version = found.version;
    let mut active = found.into_active_model();
    active.password_hash = Set(hash);
    active.must_change_password = Set(false);
    active.version = Set(version + 1);
    active.updated_at = Set(now);
    active.updated_by = Set(Some(actor.user_id));
    active.update(&txn).await?;
    // Other browsers logged in as this user must log in again with the new password.
    let mut others =
        session::Entity::delete_many().filter(session::Column::UserId.eq(actor.user_id));
    if let Some(csrf) = &actor.csrf_token {
        others = others.filter(session::Column::CsrfToken.ne(csrf.as_str()));
    }
    others.exec(&txn).await?;
    let entry = Entry::new("password.change", "user", actor.user_id, &actor.region_code)
        .summary("修改本人密码");
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(())
}
