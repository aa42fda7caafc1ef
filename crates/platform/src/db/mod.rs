//! Database access shared by every area: connect by URL (SQLite or PostgreSQL), migrations,
//! and the few helpers whose SQL would otherwise differ between the two.

pub mod counters;
pub mod migrations;
pub mod sequence;
mod sqlite_busy;

use std::time::Duration;

use anyhow::Context;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection};

pub use migrations::platform_migrations;

/// Which engine a URL names.
pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// Open a pool. SQLite gets WAL, a finely polling busy handler and foreign keys on every
/// connection, and more than SeaORM's default single connection so readers don't queue behind
/// writers. Commits are synced to disk (`synchronous = FULL`, as PostgreSQL's default): a hazard
/// the township was told is recorded must survive a power cut, not only a crash of the program
/// (the cost, one fsync per commit, is measured in docs/PERFORMANCE.md).
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_string());
    // Every statement with its time at debug (`YINGJI_LOG=info,sqlx::query=debug` to profile a
    // page), and a warning for any statement slower than a user would notice.
    options
        .sqlx_logging(true)
        .sqlx_logging_level(log::LevelFilter::Debug)
        .sqlx_slow_statements_logging_settings(log::LevelFilter::Warn, Duration::from_millis(500))
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    if is_sqlite(url) {
        ensure_sqlite_folder(url)?;
        options.max_connections(8).min_connections(1);
        options.map_sqlx_sqlite_opts(|opts| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
        });
        // Waiting for another connection's write lock: see `sqlite_busy`.
        options.map_sqlx_sqlite_pool_opts(|pool| {
            pool.after_connect(|conn, _| Box::pin(sqlite_busy::install(conn)))
        });
    } else {
        options.max_connections(20).min_connections(1);
    }
    Database::connect(options)
        .await
        .with_context(|| format!("cannot open database {}", redact(url)))
}

/// An aggregate read back as `i64` on both databases: PostgreSQL's SUM of integers is NUMERIC,
/// and SUM over no rows is NULL (`COALESCE(CAST(aggregate AS BIGINT), 0)`).
pub fn as_i64(aggregate: impl Into<sea_orm::sea_query::Expr>) -> sea_orm::sea_query::Expr {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func};
    Func::coalesce([
        aggregate.into().cast_as(Alias::new("BIGINT")),
        Expr::val(0i64),
    ])
    .into()
}

/// Create the folder a SQLite file lives in, so a fresh checkout just works.
fn ensure_sqlite_folder(url: &str) -> anyhow::Result<()> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create folder {}", parent.display()))?;
    }
    Ok(())
}

/// A URL fit for logs: the password replaced.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..])
        }
        _ => url.to_string(),
    }
}

/// True when the database answers a trivial query.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}

/// Consistent online copy of a live SQLite database (`VACUUM INTO`): readers and writers go on
/// while it runs. PostgreSQL deployments use pg_dump / base backups instead.
pub async fn backup_sqlite(db: &DatabaseConnection, out: &std::path::Path) -> anyhow::Result<()> {
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        anyhow::bail!(
            "backup copies SQLite databases; for PostgreSQL use pg_dump or pg_basebackup"
        );
    }
    if out.exists() {
        anyhow::bail!("{} already exists; choose a new file name", out.display());
    }
    let target = out.to_string_lossy().replace('\'', "''");
    db.execute_unprepared(&format!("VACUUM INTO '{target}'"))
        .await
        .context("VACUUM INTO failed")?;
    Ok(())
}

/// Apply `changes` to one record (a [`migrations::record_table`]) only if it is still at the
/// `version` the editor saw: bumps the version and stamps who and when; a stale version is
/// refused naming who changed the record, a missing one is not found.
pub async fn versioned_update<E: sea_orm::EntityTrait>(
    db: &impl ConnectionTrait,
    changes: sea_orm::UpdateMany<E>,
    id: uuid::Uuid,
    version: i32,
    who: uuid::Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::error::AppResult<()> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait};
    use sea_orm::{QueryFilter, QuerySelect};
    let col = |name: &str| Alias::new(name);
    let changed = changes
        .col_expr(col("version"), Expr::value(version + 1))
        .col_expr(col("updated_at"), Expr::value(now))
        .col_expr(col("updated_by"), Expr::value(Some(who)))
        .filter(Expr::col(col("id")).eq(id))
        .filter(Expr::col(col("version")).eq(version))
        .exec(db)
        .await?;
    if changed.rows_affected > 0 {
        return Ok(());
    }
    let current: Option<(Option<uuid::Uuid>, chrono::DateTime<chrono::Utc>)> = E::find()
        .select_only()
        .expr(Expr::col(col("updated_by")))
        .expr(Expr::col(col("updated_at")))
        .filter(Expr::col(col("id")).eq(id))
        .into_tuple()
        .one(db)
        .await?;
    match current {
        Some((by, at)) => Err(stale_edit(db, by, at).await),
        None => Err(crate::error::AppError::NotFound),
    }
}

/// The reason a record is voided with: required, at most 200 characters (longer is cut).
pub fn void_reason(text: &str) -> crate::error::AppResult<String> {
    let reason = text.trim();
    if reason.is_empty() {
        return Err(crate::error::AppError::field("reason", "请填写作废原因"));
    }
    Ok(reason.chars().take(200).collect())
}

/// 作废: records (a [`migrations::record_table`]) are voided with a reason, never deleted.
/// Bumps the version and stamps who and when; a record already voided (or missing) is not
/// found, so two people voiding at once leave one trace.
pub async fn mark_voided<E: sea_orm::EntityTrait>(
    db: &impl ConnectionTrait,
    id: uuid::Uuid,
    reason: &str,
    who: uuid::Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::error::AppResult<()> {
    use sea_orm::QueryFilter;
    use sea_orm::sea_query::{Alias, Expr, ExprTrait};
    let col = |name: &str| Alias::new(name);
    let voided = E::update_many()
        .col_expr(col("voided_at"), Expr::value(Some(now)))
        .col_expr(col("void_reason"), Expr::value(Some(reason.to_string())))
        .col_expr(col("version"), Expr::col(col("version")).add(1))
        .col_expr(col("updated_at"), Expr::value(now))
        .col_expr(col("updated_by"), Expr::value(Some(who)))
        .filter(Expr::col(col("id")).eq(id))
        .filter(Expr::col(col("voided_at")).is_null())
        .exec(db)
        .await?;
    if voided.rows_affected == 0 {
        return Err(crate::error::AppError::NotFound);
    }
    Ok(())
}

/// Lock a record (a [`migrations::record_table`] row) for the rest of the transaction with a
/// write that changes nothing: the row lock on PostgreSQL, the database's write lock on SQLite
/// (which has no `SELECT … FOR UPDATE`). What the transaction reads next cannot change under
/// it; writers of the same row queue. Call it first in the transaction.
pub async fn lock_row<E: sea_orm::EntityTrait>(
    db: &impl ConnectionTrait,
    id: uuid::Uuid,
) -> Result<(), sea_orm::DbErr> {
    use sea_orm::QueryFilter;
    use sea_orm::sea_query::{Alias, Expr, ExprTrait};
    E::update_many()
        .col_expr(Alias::new("version"), Expr::col(Alias::new("version")))
        .filter(Expr::col(Alias::new("id")).eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// A new record (a [`migrations::record_table`] row) with its bookkeeping columns set — id,
/// region, version 1, created and updated `now` by `who`, not voided — for the ledger to add its
/// own columns with struct update syntax:
/// `house::ActiveModel { head: Set(name), ..db::new_record(id, region, who, now) }`.
pub fn new_record<A>(
    id: uuid::Uuid,
    region_code: impl Into<String>,
    who: Option<uuid::Uuid>,
    now: chrono::DateTime<chrono::Utc>,
) -> A
where
    A: sea_orm::ActiveModelTrait,
    <A::Entity as sea_orm::EntityTrait>::Column: std::str::FromStr,
{
    use sea_orm::Value;
    let mut row = <A as sea_orm::ActiveModelTrait>::default();
    let mut set = |name: &str, value: Value| {
        // Every record table has these columns; an entity without one simply keeps it unset.
        if let Ok(column) = name.parse() {
            row.set(column, value);
        }
    };
    set("id", id.into());
    set("region_code", region_code.into().into());
    set("version", 1i32.into());
    set("created_at", now.into());
    set("created_by", who.into());
    set("updated_at", now.into());
    set("updated_by", who.into());
    set(
        "voided_at",
        Option::<chrono::DateTime<chrono::Utc>>::None.into(),
    );
    set("void_reason", Option::<String>::None.into());
    row
}

/// The refusal of a stale edit (optimistic locking): says who changed the record and when.
pub async fn stale_edit(
    db: &impl ConnectionTrait,
    updated_by: Option<uuid::Uuid>,
    updated_at: chrono::DateTime<chrono::Utc>,
) -> crate::error::AppError {
    use sea_orm::EntityTrait;
    let who = match updated_by {
        Some(id) => crate::auth::entity::user::Entity::find_by_id(id)
            .one(db)
            .await
            .ok()
            .flatten()
            .map(|u| u.display_name),
        None => None,
    };
    crate::error::AppError::conflict(
        "stale_edit",
        format!(
            "该记录已被{}于 {} 修改，您看到的不是最新内容。请刷新页面，在最新内容上重新修改。",
            who.map(|w| format!(" {w} "))
                .unwrap_or_else(|| "他人".to_string()),
            crate::clock::format_local(updated_at)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_the_password_only() {
        assert_eq!(
            redact("postgres://yingji:secret@localhost:5432/yj"),
            "postgres://yingji:***@localhost:5432/yj"
        );
        assert_eq!(redact("sqlite://data/yingji.db"), "sqlite://data/yingji.db");
    }
}
