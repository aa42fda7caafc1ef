//! 火险预警研判结论 and 督促函: a numbered document ledger (a number per kind, county and year:
//! 三台火险研判〔2026〕1号, 三台防火督〔2026〕2号) with the townships addressed, printed as an
//! official letter and listed as XLSX.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use platform::access::Actor;
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::web::AppState;
use platform::web::form::date_field;
use platform::web::letter::{Letter, written_date};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::document as entity;
use super::model::DocKind;
use super::store;
use crate::access::{require_reader, require_writer};

pub const KIND_DOCUMENT: &str = "fire_document";

/// Names of this ledger's audit actions.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("fire.document.issue", "印发研判结论/督促函"),
    ("fire.document.void", "作废研判结论/督促函"),
];

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Document {
    pub id: Uuid,
    pub kind: DocKind,
    pub kind_label: &'static str,
    pub number: String,
    pub year: i32,
    pub title: String,
    pub body: String,
    pub townships: Vec<String>,
    pub township_names: Vec<String>,
    pub issued_on: NaiveDate,
    pub county_name: String,
}

impl Document {
    pub fn places(&self) -> String {
        self.township_names.join("、")
    }

    /// The letter as printed: the county's bureau as authority, the townships addressed.
    pub fn letter(&self) -> Letter {
        Letter {
            authority: format!("{}应急管理局", self.county_name),
            title: self.title.clone(),
            number: self.number.clone(),
            addressee: match self.township_names.is_empty() {
                true => "各乡镇（街道）".into(),
                false => self.places(),
            },
            paragraphs: self
                .body
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            signatures: Vec::new(),
            date: written_date(self.issued_on),
        }
    }
}

fn to_document(m: entity::Model, names: &HashMap<String, String>, county_name: &str) -> Document {
    let townships: Vec<String> = serde_json::from_str(&m.townships).unwrap_or_default();
    let kind = DocKind::parse(&m.kind).unwrap_or(DocKind::Conclusion);
    Document {
        id: m.id,
        kind,
        kind_label: kind.label(),
        number: m.number,
        year: m.year,
        title: m.title,
        body: m.body,
        township_names: townships
            .iter()
            .map(|c| names.get(c).cloned().unwrap_or_else(|| c.clone()))
            .collect(),
        townships,
        issued_on: m.issued_on,
        county_name: county_name.to_string(),
    }
}

async fn context(
    db: &impl ConnectionTrait,
    county: &str,
) -> AppResult<(HashMap<String, String>, String)> {
    let names = store::townships(db, county)
        .await?
        .into_iter()
        .map(|r| (r.code, r.short_name))
        .collect();
    let (county_name, _) = platform::regions::store::county_names(db, county).await?;
    Ok((names, county_name))
}

/// The list's filter.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct DocumentFilter {
    pub year: Option<i32>,
    /// conclusion | urging_letter
    pub kind: Option<String>,
}

/// The county's documents of a year (and kind), latest first.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
    kind: Option<DocKind>,
) -> AppResult<Vec<Document>> {
    let county = require_reader(actor)?;
    let (names, county_name) = context(db, &county).await?;
    let mut q = entity::Entity::find()
        .filter(entity::Column::RegionCode.eq(&county))
        .filter(entity::Column::Year.eq(year))
        .filter(entity::Column::VoidedAt.is_null());
    if let Some(k) = kind {
        q = q.filter(entity::Column::Kind.eq(k.code()));
    }
    Ok(q.order_by_desc(entity::Column::IssuedOn)
        .order_by_desc(entity::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| to_document(m, &names, &county_name))
        .collect())
}

pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> AppResult<Document> {
    let county = require_reader(actor)?;
    let (names, county_name) = context(db, &county).await?;
    entity::Entity::find_by_id(id)
        .filter(entity::Column::RegionCode.eq(&county))
        .filter(entity::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .map(|m| to_document(m, &names, &county_name))
        .ok_or(AppError::NotFound)
}

/// A document as typed or sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct DocumentInput {
    /// conclusion | urging_letter
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    /// Paragraphs, one per line.
    #[serde(default)]
    pub body: String,
    /// Township codes (or names) addressed; empty: 各乡镇（街道）.
    #[serde(default)]
    pub townships: Vec<String>,
    /// 2026-03-15; blank: today.
    pub issued_on: Option<String>,
}

/// 印发 a document: numbered within its kind, county and year.
pub async fn issue(state: &AppState, actor: &Actor, input: &DocumentInput) -> AppResult<Document> {
    let county = require_writer(actor)?;
    let all_townships = store::townships(&state.db, &county).await?;
    let mut errors = FieldErrors::new();
    let kind = DocKind::parse(input.kind.trim());
    if kind.is_none() {
        errors.insert("kind".into(), "请选择文书类别（研判结论或督促函）".into());
    }
    let title = input.title.trim().to_string();
    if title.is_empty() || title.chars().count() > 200 {
        errors.insert("title".into(), "请填写标题（不超过 200 个字）".into());
    }
    let body = input.body.trim().to_string();
    if body.is_empty() || body.chars().count() > 10000 {
        errors.insert("body".into(), "请填写正文（不超过 10000 个字）".into());
    }
    let issued_on = date_field(&mut errors, "issued_on", &input.issued_on)
        .unwrap_or_else(|| store::today(state));
    let mut townships = Vec::new();
    for t in input.townships.iter().filter(|t| !t.trim().is_empty()) {
        match store::township_named(&all_townships, t) {
            Some(r) if !townships.contains(&r.code) => townships.push(r.code.clone()),
            Some(_) => {}
            None => {
                errors.insert("townships".into(), format!("「{t}」不是本县的乡镇（街道）"));
            }
        }
    }
    let (Some(kind), true) = (kind, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let now = state.now();
    let year = issued_on.year();
    let (names, county_name) = context(&state.db, &county).await?;
    let stem = platform::regions::model::document_stem(&county_name);
    let txn = state.db.begin().await?;
    let seq = platform::db::sequence::next(&txn, &county, kind.mark(), year).await?;
    let number =
        platform::web::letter::document_number(&format!("{stem}{}", kind.mark()), year, seq);
    let id = Uuid::now_v7();
    let m =
        entity::ActiveModel {
            kind: Set(kind.code().into()),
            year: Set(year),
            seq: Set(seq),
            number: Set(number.clone()),
            title: Set(title),
            body: Set(body),
            townships: Set(
                serde_json::to_string(&townships).map_err(|e| AppError::Internal(e.into()))?
            ),
            issued_on: Set(issued_on),
            ..platform::db::new_record(id, county.clone(), Some(actor.user_id), now)
        }
        .insert(&txn)
        .await?;
    let doc = to_document(m, &names, &county_name);
    let entry = Entry::new("fire.document.issue", KIND_DOCUMENT, id, &county)
        .summary(format!("印发{}{number}「{}」", kind.label(), doc.title))
        .after(&doc);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(doc)
}

/// The XLSX columns of the list.
pub const HEADERS: [&str; 6] = ["文号", "类别", "标题", "主送乡镇", "印发日期", "正文"];

pub fn xlsx_rows(docs: &[Document]) -> Vec<Vec<String>> {
    docs.iter()
        .map(|d| {
            vec![
                d.number.clone(),
                d.kind_label.to_string(),
                d.title.clone(),
                match d.township_names.is_empty() {
                    true => "各乡镇（街道）".into(),
                    false => d.places(),
                },
                d.issued_on.to_string(),
                d.body.clone(),
            ]
        })
        .collect()
}

/// 作废 a document issued by mistake: it leaves the lists and its number is not reused (the
/// next one follows on, as with paper).
pub async fn void(state: &AppState, actor: &Actor, id: Uuid, reason: &str) -> AppResult<()> {
    let county = require_writer(actor)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(AppError::field(
            "reason",
            "请填写作废原因（不超过 200 个字）",
        ));
    }
    let doc = get(&state.db, actor, id).await?;
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::mark_voided::<entity::Entity>(&txn, id, reason, actor.user_id, now).await?;
    let entry = Entry::new("fire.document.void", KIND_DOCUMENT, id, &county)
        .summary(format!("作废 {}：{reason}", doc.number))
        .before(&doc);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(())
}
