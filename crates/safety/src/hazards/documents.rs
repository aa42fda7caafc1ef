//! 执法文书 of the hazard loop: the rectification order (责令限期整改指令书) issued with the
//! notice, and the review opinion (整改复查意见书) issued with every review. Numbered per county
//! per year (三台应急责改〔2026〕13号) and frozen when issued: later edits of the hazard never
//! change a document already served on the unit.

use chrono::NaiveDate;
use platform::access::{Actor, Scope};
use platform::db::sequence;
use platform::error::{AppError, AppResult};
use platform::regions;
use platform::web::letter::{Letter, document_number, written_date};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use uuid::Uuid;

use super::store::Hazard;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    RectificationOrder,
    ReviewOpinion,
}

impl DocumentKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::RectificationOrder => "rectification_order",
            Self::ReviewOpinion => "review_opinion",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::RectificationOrder => "责令限期整改指令书",
            Self::ReviewOpinion => "整改复查意见书",
        }
    }

    /// The series in the number: 三台应急**责改**〔2026〕13号.
    fn series(self) -> &'static str {
        match self {
            Self::RectificationOrder => "责改",
            Self::ReviewOpinion => "复查",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        [Self::RectificationOrder, Self::ReviewOpinion]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

pub mod document {
    use sea_orm::entity::prelude::*;

    /// One issued document of a hazard, with the letter as it was issued (JSON).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "safety_hazard_documents")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub hazard_id: Uuid,
        pub region_code: String,
        pub kind: String,
        pub number: String,
        pub issued_on: Date,
        pub letter: String,
        pub created_at: DateTimeUtc,
        pub created_by: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct HazardDocument {
    pub id: Uuid,
    pub hazard_id: Uuid,
    /// rectification_order | review_opinion
    pub kind: String,
    pub title: String,
    pub number: String,
    pub issued_on: NaiveDate,
    /// The printable page; `{href}/docx` is the Word file.
    pub href: String,
    #[serde(skip)]
    #[schema(ignore)]
    pub letter: Letter,
}

impl HazardDocument {
    fn from_row(m: document::Model) -> AppResult<Self> {
        let letter: Letter = serde_json::from_str(&m.letter)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("document {}: {e}", m.id)))?;
        Ok(Self {
            href: format!("/safety/hazards/{}/documents/{}", m.hazard_id, m.id),
            title: DocumentKind::parse(&m.kind)
                .map(|k| k.title())
                .unwrap_or_default()
                .to_string(),
            id: m.id,
            hazard_id: m.hazard_id,
            kind: m.kind,
            number: m.number,
            issued_on: m.issued_on,
            letter,
        })
    }
}

/// Who issues, as named on the letter: the county bureau and the authorities of appeal.
struct Issuer {
    county_code: String,
    authority: String,
    /// 三台 in 三台应急责改〔2026〕13号.
    short: String,
    county_government: String,
    city_bureau: String,
}

async fn issuer(db: &impl ConnectionTrait, region_code: &str) -> AppResult<Issuer> {
    let county_code = format!("{}000000", region_code.get(..6).unwrap_or_default());
    let county = regions::store::find(db, &county_code)
        .await?
        .ok_or(AppError::NotFound)?;
    let city = match &county.parent_code {
        Some(code) => regions::store::find(db, code).await?.map(|c| c.name),
        None => None,
    };
    Ok(Issuer {
        authority: format!("{}应急管理局", county.name),
        short: regions::model::document_stem(&county.name),
        county_government: format!("{}人民政府", county.name),
        city_bureau: format!("{}应急管理局", city.unwrap_or_else(|| "上一级".to_string())),
        county_code,
    })
}

fn appeal(issuer: &Issuer, what: &str) -> String {
    format!(
        "如果不服本{what}，可以依法在60日内向{}或者{}申请行政复议，或者在6个月内依法向人民法院提起行政诉讼，但本{what}不停止执行，法律另有规定的除外。",
        issuer.county_government, issuer.city_bureau
    )
}

fn problem(h: &Hazard) -> String {
    let place = h
        .location
        .as_deref()
        .map(|l| format!("（位置：{l}）"))
        .unwrap_or_default();
    let mut text = format!("1. {}{place}。", h.description.trim_end_matches('。'));
    if h.is_major() && !h.criterion().is_empty() {
        text.push_str(&format!(
            "依据{}，该隐患判定为重大事故隐患。",
            h.criterion()
        ));
    }
    text
}

fn order_letter(
    issuer: &Issuer,
    h: &Hazard,
    officer: &str,
    number: String,
    day: NaiveDate,
) -> Letter {
    let deadline = h.deadline.map(written_date).unwrap_or_default();
    let mut paragraphs = vec![
        "经查，你单位存在下列问题：".to_string(),
        problem(h),
        format!(
            "现责令你单位对上述第1项问题于{deadline}前整改完毕，达到有关法律法规规章和标准规定的要求。由此造成事故的，依法追究有关人员的责任。"
        ),
    ];
    let five: Vec<String> = [
        h.responsible.as_ref().map(|r| format!("整改责任人：{r}")),
        h.measures.as_ref().map(|m| format!("整改措施：{m}")),
        h.funds_fen
            .map(|_| format!("整改资金：{}元", h.funds_yuan())),
        h.contingency
            .as_ref()
            .map(|c| format!("整改期间的应急措施：{c}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !five.is_empty() {
        paragraphs.push(format!("{}。", five.join("；")));
    }
    paragraphs.push(
        "整改期间，你单位应当采取措施，确保安全生产。对安全生产违法行为，将依法予以行政处罚。"
            .to_string(),
    );
    paragraphs.push(appeal(issuer, "指令"));
    Letter {
        authority: issuer.authority.clone(),
        title: DocumentKind::RectificationOrder.title().to_string(),
        number,
        addressee: h.unit_name.clone(),
        paragraphs,
        signatures: vec![
            format!("安全生产执法人员（签名）：{officer}　　证号：__________"),
            "被检查单位负责人（签名）：__________　　____年__月__日".to_string(),
        ],
        date: written_date(day),
    }
}

fn review_letter(
    issuer: &Issuer,
    h: &Hazard,
    order: Option<&HazardDocument>,
    passed: bool,
    officer: &str,
    number: String,
    day: NaiveDate,
) -> Letter {
    let reference = match order {
        Some(o) => format!(
            "本机关于{}作出了《责令限期整改指令书》（{}），",
            written_date(o.issued_on),
            o.number
        ),
        None => "本机关对你单位下达整改要求后，".to_string(),
    };
    let opinion = if passed {
        format!(
            "经复查，你单位已按要求完成“{}”的整改，整改合格。",
            h.description.trim_end_matches('。')
        )
    } else {
        format!(
            "经复查，你单位未按要求完成“{}”的整改：{}。现责令你单位立即继续整改，整改完成后及时申请复查；逾期未整改的，将依法予以处理。",
            h.description.trim_end_matches('。'),
            h.review_reasons
                .as_deref()
                .unwrap_or("整改不到位")
                .trim_end_matches('。')
        )
    };
    Letter {
        authority: issuer.authority.clone(),
        title: DocumentKind::ReviewOpinion.title().to_string(),
        number,
        addressee: h.unit_name.clone(),
        paragraphs: vec![
            format!("{reference}经对你单位整改情况进行复查，提出如下意见："),
            opinion,
            appeal(issuer, "意见"),
        ],
        signatures: vec![
            format!("安全生产执法人员（签名）：{officer}　　证号：__________"),
            "被复查单位负责人（签名）：__________　　____年__月__日".to_string(),
        ],
        date: written_date(day),
    }
}

/// Issue a document for `hazard` (as it stands after the transition), inside the transition's
/// transaction so the number, the letter and the state change land together.
pub async fn issue(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    day: NaiveDate,
    kind: DocumentKind,
    hazard: &Hazard,
    passed: bool,
) -> AppResult<HazardDocument> {
    let issuer = issuer(txn, &hazard.region_code).await?;
    let year = chrono::Datelike::year(&day);
    let n = sequence::next(txn, &issuer.county_code, kind.series(), year).await?;
    let number = document_number(&format!("{}应急{}", issuer.short, kind.series()), year, n);
    let officer = &actor.display_name;
    let letter = match kind {
        DocumentKind::RectificationOrder => {
            order_letter(&issuer, hazard, officer, number.clone(), day)
        }
        DocumentKind::ReviewOpinion => {
            let order = latest(txn, hazard.id, DocumentKind::RectificationOrder).await?;
            review_letter(
                &issuer,
                hazard,
                order.as_ref(),
                passed,
                officer,
                number.clone(),
                day,
            )
        }
    };
    let row = document::ActiveModel {
        id: Set(Uuid::now_v7()),
        hazard_id: Set(hazard.id),
        region_code: Set(hazard.region_code.clone()),
        kind: Set(kind.code().to_string()),
        number: Set(number),
        issued_on: Set(day),
        letter: Set(serde_json::to_string(&letter)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("letter: {e}")))?),
        created_at: Set(now),
        created_by: Set(Some(actor.user_id)),
    }
    .insert(txn)
    .await?;
    HazardDocument::from_row(row)
}

async fn latest(
    db: &impl ConnectionTrait,
    hazard_id: Uuid,
    kind: DocumentKind,
) -> AppResult<Option<HazardDocument>> {
    use document::Column;
    document::Entity::find()
        .filter(Column::HazardId.eq(hazard_id))
        .filter(Column::Kind.eq(kind.code()))
        .order_by_desc(Column::CreatedAt)
        .one(db)
        .await?
        .map(HazardDocument::from_row)
        .transpose()
}

/// A hazard's documents in the order issued.
pub async fn list_for(
    db: &impl ConnectionTrait,
    scope: &Scope,
    hazard_id: Uuid,
) -> AppResult<Vec<HazardDocument>> {
    use document::Column;
    document::Entity::find()
        .filter(Column::HazardId.eq(hazard_id))
        .filter(scope.condition(Column::RegionCode))
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(HazardDocument::from_row)
        .collect()
}

pub async fn get(
    db: &impl ConnectionTrait,
    scope: &Scope,
    hazard_id: Uuid,
    id: Uuid,
) -> AppResult<HazardDocument> {
    use document::Column;
    document::Entity::find_by_id(id)
        .filter(Column::HazardId.eq(hazard_id))
        .filter(scope.condition(Column::RegionCode))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
        .and_then(HazardDocument::from_row)
}
