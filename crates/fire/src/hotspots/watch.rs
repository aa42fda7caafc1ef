//! The watched folder: a FIRMS download script (or the provincial feed) drops CSV files into
//! `<inbox>/firms/<county code>/`; every minute each file is received for that county and moved
//! to `done/`, or to `failed/` beside a `.error.txt` saying why (a file received before, a
//! file that is not FIRMS). Nothing is deleted.

use std::path::{Path, PathBuf};

use platform::audit::Who;
use platform::error::{AppError, AppResult};
use platform::jobs::Job;
use platform::web::AppState;

use super::receive::{self, Channel};

/// Who the trail names for files from the folder.
const WATCHER: &str = "监视目录（FIRMS）";

pub fn job() -> Job {
    Job {
        name: "fire.hotspots.watch",
        label: "接收监视目录中的 FIRMS 火点文件",
        every: chrono::Duration::minutes(1),
        run: |state| Box::pin(take_in(state)),
    }
}

/// The county folders under `<inbox>/firms/`: a name of 6 or 12 digits is a county code.
fn county_folders(root: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let county = match name.len() {
                6 => format!("{name}000000"),
                12 => name,
                _ => return None,
            };
            county
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then_some((county, e.path()))
        })
        .collect()
}

fn csv_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("csv") || x.eq_ignore_ascii_case("txt"))
        })
        .collect();
    files.sort();
    files
}

/// One pass: every waiting file of every county folder.
pub async fn take_in(state: &AppState) -> AppResult<String> {
    let root = state.settings.inbox_dir.join("firms");
    let (mut done, mut failed) = (0, 0);
    for (county, dir) in county_folders(&root) {
        for file in csv_files(&dir) {
            match take_file(state, &county, &file).await? {
                true => done += 1,
                false => failed += 1,
            }
        }
    }
    Ok(format!("接收 {done} 个文件，{failed} 个未能接收"))
}

/// Receive one file and move it away; false when it was refused (moved to `failed/`).
async fn take_file(state: &AppState, county: &str, file: &Path) -> AppResult<bool> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let bytes = tokio::fs::read(file).await.map_err(io)?;
    let who = Who {
        id: None,
        name: WATCHER,
        ip: None,
    };
    let result = receive::receive(state, who, county, &name, &bytes, Channel::Folder).await;
    let dir = file.parent().unwrap_or(Path::new("."));
    match result {
        Ok(_) => {
            move_into(file, &dir.join("done")).await?;
            Ok(true)
        }
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            let failed = dir.join("failed");
            move_into(file, &failed).await?;
            let why = failed.join(format!("{name}.error.txt"));
            tokio::fs::write(why, reason(&e)).await.map_err(io)?;
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

fn reason(e: &AppError) -> String {
    match e {
        AppError::Validation(fields) => fields.values().cloned().collect::<Vec<_>>().join("\n"),
        other => other.body().message,
    }
}

async fn move_into(file: &Path, dir: &Path) -> AppResult<()> {
    tokio::fs::create_dir_all(dir).await.map_err(io)?;
    let target = dir.join(file.file_name().unwrap_or_default());
    tokio::fs::rename(file, target).await.map_err(io)
}

fn io(e: std::io::Error) -> AppError {
    AppError::Internal(anyhow::anyhow!("监视目录读写失败：{e}"))
}
