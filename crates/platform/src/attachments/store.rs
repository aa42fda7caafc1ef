//! Saving files into the content-addressed folder and their rows, listing and reading them
//! within the actor's scope.

use std::path::{Path, PathBuf};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::entity::attachment;
use super::upload::Upload;
use crate::access::{Actor, Scope};
use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult};
use crate::web::AppState;

/// The record a file belongs to.
#[derive(Clone, Copy, Debug)]
pub struct Owner<'a> {
    /// The owning table's kind as the audit trail names it, e.g. `safety_inspection`.
    pub kind: &'static str,
    pub id: Uuid,
    pub region_code: &'a str,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Attachment {
    pub id: Uuid,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Where to fetch it: `/files/{id}`.
    pub href: String,
}

impl Attachment {
    pub fn is_image(&self) -> bool {
        // HEIC is kept but browsers other than Safari cannot show it inline.
        self.content_type.starts_with("image/") && self.content_type != "image/heic"
    }

    /// Size for people: `1.2 MB`, `350 KB`.
    pub fn size_label(&self) -> String {
        let kb = self.size_bytes as f64 / 1024.0;
        if kb >= 1024.0 {
            format!("{:.1} MB", kb / 1024.0)
        } else {
            format!("{} KB", kb.ceil() as i64)
        }
    }
}

impl From<attachment::Model> for Attachment {
    fn from(m: attachment::Model) -> Self {
        Self {
            href: format!("/files/{}", m.id),
            id: m.id,
            filename: m.filename,
            content_type: m.content_type,
            size_bytes: m.size_bytes,
            sha256: m.sha256,
            latitude: m.latitude,
            longitude: m.longitude,
        }
    }
}

/// Where content with this digest lives: `<files>/ab/cd/abcd…`.
pub fn path_of(files_dir: &Path, sha256: &str) -> PathBuf {
    files_dir
        .join(&sha256[0..2])
        .join(&sha256[2..4])
        .join(sha256)
}

/// Store `uploads` for `owner`: each file first (once per content), then its row and an audit
/// entry through `db`, which should be the transaction of the change the files belong to.
#[allow(clippy::too_many_arguments)]
pub async fn save<'w>(
    db: &impl ConnectionTrait,
    files_dir: &Path,
    who: impl Into<audit::Who<'w>>,
    now: chrono::DateTime<chrono::Utc>,
    owner: Owner<'_>,
    uploads: &[&Upload],
    location: Option<(f64, f64)>,
) -> AppResult<Vec<Attachment>> {
    let who = who.into();
    let mut saved = Vec::with_capacity(uploads.len());
    for upload in uploads {
        saved.push(save_one(db, files_dir, who, now, owner, upload, location).await?);
    }
    Ok(saved)
}

/// Attach files to an existing record in a transaction of their own: all or none are kept.
/// The caller has checked that the actor may change the record.
pub async fn attach(
    state: &AppState,
    actor: &Actor,
    owner: Owner<'_>,
    uploads: &[&Upload],
    location: Option<(f64, f64)>,
) -> AppResult<Vec<Attachment>> {
    if uploads.is_empty() {
        return Err(AppError::field("files", "请选择要上传的照片或文件"));
    }
    let txn = state.db.begin().await?;
    let saved = save(
        &txn,
        &state.settings.files_dir,
        actor,
        state.now(),
        owner,
        uploads,
        location,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

#[allow(clippy::too_many_arguments)]
async fn save_one(
    db: &impl ConnectionTrait,
    files_dir: &Path,
    who: audit::Who<'_>,
    now: chrono::DateTime<chrono::Utc>,
    owner: Owner<'_>,
    upload: &Upload,
    location: Option<(f64, f64)>,
) -> AppResult<Attachment> {
    let sha256 = hex::encode(Sha256::digest(&upload.bytes));
    write_once(&path_of(files_dir, &sha256), &upload.bytes).await?;
    let row = attachment::ActiveModel {
        id: Set(Uuid::now_v7()),
        region_code: Set(owner.region_code.to_string()),
        owner_kind: Set(owner.kind.to_string()),
        owner_id: Set(owner.id),
        sha256: Set(sha256),
        size_bytes: Set(upload.bytes.len() as i64),
        content_type: Set(upload.content_type.to_string()),
        filename: Set(upload.filename.clone()),
        latitude: Set(location.map(|l| l.0)),
        longitude: Set(location.map(|l| l.1)),
        created_at: Set(now),
        created_by: Set(who.id),
        voided_at: Set(None),
    }
    .insert(db)
    .await?;
    let entry = Entry::new("attach", owner.kind, owner.id, owner.region_code)
        .summary(format!("上传附件 {}", row.filename));
    audit::record(db, who, now, entry).await?;
    Ok(row.into())
}

/// Write through a temporary file and rename, so a reader never sees half a file; content
/// already present is left alone (same digest, same bytes).
async fn write_once(path: &Path, bytes: &[u8]) -> AppResult<()> {
    if tokio::fs::try_exists(path).await.unwrap_or(false) {
        return Ok(());
    }
    let storage = |e: std::io::Error| {
        AppError::Internal(anyhow::anyhow!("附件存储失败 {}: {e}", path.display()))
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    tokio::fs::create_dir_all(dir).await.map_err(storage)?;
    let tmp = dir.join(format!(".{}.tmp", Uuid::now_v7()));
    tokio::fs::write(&tmp, bytes).await.map_err(storage)?;
    tokio::fs::rename(&tmp, path).await.map_err(storage)
}

/// The files of one record, oldest first.
pub async fn list_for(
    db: &impl ConnectionTrait,
    scope: &Scope,
    owner_kind: &str,
    owner_id: Uuid,
) -> AppResult<Vec<Attachment>> {
    use attachment::Column;
    Ok(attachment::Entity::find()
        .filter(Column::OwnerKind.eq(owner_kind))
        .filter(Column::OwnerId.eq(owner_id))
        .filter(Column::VoidedAt.is_null())
        .filter(scope.condition(Column::RegionCode))
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Attachment::from)
        .collect())
}

/// One file's row, if the actor's scope covers it.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> AppResult<Attachment> {
    use attachment::Column;
    attachment::Entity::find_by_id(id)
        .filter(Column::VoidedAt.is_null())
        .filter(scope.condition(Column::RegionCode))
        .one(db)
        .await?
        .map(Attachment::from)
        .ok_or(AppError::NotFound)
}
