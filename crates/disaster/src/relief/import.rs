//! 导入名册 from our XLSX template: each row checked like the form (ID number, size, account,
//! amount against the cap), duplicates inside the file and households already in the
//! programme named by row; all rows or — when asked — only the valid ones, in one transaction.

use std::collections::HashMap;

use platform::access::Actor;
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult};
use platform::web::AppState;
use platform::web::import::{RowError, row_errors};
use sea_orm::TransactionTrait;
use serde::Serialize;
use uuid::Uuid;

use super::households::{self, HouseholdInput};
use super::model::CheckedHousehold;
use super::store::KIND_ROLL;

/// Columns of the template, in order.
pub const HEADERS: [&str; 7] = [
    "户主姓名",
    "身份证号",
    "家庭人口",
    "银行账号（社保卡号）",
    "联系电话",
    "救助原因",
    "救助金额（元）",
];

/// An example row for the template.
pub fn example() -> Vec<String> {
    [
        "张大明",
        "510722196803091238",
        "3",
        "6217000000001234",
        "13800000000",
        "因灾缺衣少被",
        "1200",
    ]
    .map(str::to_string)
    .to_vec()
}

/// What an import did, or the rows that stopped it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Imported {
    pub imported: usize,
    pub skipped: usize,
    /// Rows with problems (skipped when `valid_only`).
    pub errors: Vec<RowError>,
}

fn column(field: &str) -> &'static str {
    match field {
        "head_name" => "户主姓名",
        "id_number" => "身份证号",
        "size" => "家庭人口",
        "bank_account" => "银行账号",
        "phone" => "联系电话",
        "reason" => "救助原因",
        "amount" => "救助金额",
        _ => "",
    }
}

fn input_of(cells: &[String]) -> HouseholdInput {
    HouseholdInput {
        head_name: cells[0].clone(),
        id_number: cells[1].clone(),
        size: Some(cells[2].clone()),
        bank_account: cells[3].clone(),
        phone: Some(cells[4].clone()),
        reason: cells[5].clone(),
        amount: Some(cells[6].clone()),
        ..HouseholdInput::default()
    }
}

/// Import `rows` (number, cells) into the roll. Errors and not `valid_only` (or nothing
/// valid): `Err` is not used for row problems — the answer carries them with 0 imported.
pub async fn import(
    state: &AppState,
    actor: &Actor,
    roll_id: Uuid,
    rows: &[(usize, Vec<String>)],
    valid_only: bool,
) -> AppResult<Imported> {
    let (r, p) = households::writable(state, actor, roll_id).await?;
    let mut valid: Vec<CheckedHousehold> = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (row, cells) in rows {
        let h = match households::check(&input_of(cells), &p) {
            Ok(h) => h,
            Err(AppError::Validation(fields)) => {
                errors.extend(row_errors(*row, fields, column));
                continue;
            }
            Err(other) => return Err(other),
        };
        if let Some(first) = seen.get(&h.id_number) {
            errors.push(RowError {
                row: *row,
                message: format!("身份证号：与第 {first} 行重复，同一户只能填报一次"),
            });
            continue;
        }
        seen.insert(h.id_number.clone(), *row);
        if let Some(m) =
            households::duplicate_message(&state.db, p.id, &h.id_number, r.id, None).await?
        {
            errors.push(RowError {
                row: *row,
                message: format!("身份证号：{m}"),
            });
            continue;
        }
        valid.push(h);
    }
    if !errors.is_empty() && (!valid_only || valid.is_empty()) {
        errors.sort_by_key(|e| e.row);
        return Ok(Imported {
            imported: 0,
            skipped: rows.len(),
            errors,
        });
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    for h in &valid {
        households::insert(&txn, actor, now, &r, h)
            .await
            .map_err(|e| {
                if households::is_unique_violation(&e) {
                    AppError::conflict(
                        "household_duplicate",
                        "导入期间有人新增了同一户，请重新上传",
                    )
                } else {
                    e.into()
                }
            })?;
    }
    let entry = Entry::new(
        "disaster.relief.roll.import",
        KIND_ROLL,
        r.id,
        &r.region_code,
    )
    .summary(format!(
        "导入救助名册 {} 户，跳过 {} 行",
        valid.len(),
        rows.len() - valid.len()
    ));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    errors.sort_by_key(|e| e.row);
    Ok(Imported {
        imported: valid.len(),
        skipped: rows.len() - valid.len(),
        errors,
    })
}
