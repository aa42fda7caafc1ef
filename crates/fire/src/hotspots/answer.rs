//! Answering a check: the person asked, through the link in their message (no login) or in the
//! app. The first answer settles the hotspot and stops the chase of the others, in the same
//! transaction as its photos and, for 林火, the fire record it opens.

use chrono::{DateTime, Utc};
use platform::access::Actor;
use platform::attachments::{self, Owner, Upload};
use platform::audit::Who;
use platform::calls::{self, Subject, Via, entity::Model as Call};
use platform::clock::format_local;
use platform::error::{AppError, AppResult, FieldErrors};
use platform::web::AppState;
use platform::web::form::{de_number, optional, text_field};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::hotspot;
use super::model::Verdict;
use super::store::{Asked, Hotspot, KIND, find};
use crate::fires;
// ---- Answering ----

/// 核查反馈: what the township found. Numbers may come as text (forms) or numbers (JSON).
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct AnswerInput {
    /// forest | farming | industrial | land_clearing | other | false_alarm
    pub verdict: Option<String>,
    /// 具体位置 (village, landmark).
    pub place: Option<String>,
    /// 处置措施.
    pub measures: Option<String>,
    /// 林火: hectares burned so far.
    #[serde(default, deserialize_with = "de_number")]
    pub area_ha: Option<String>,
    #[serde(default, deserialize_with = "de_number")]
    pub deaths: Option<String>,
    #[serde(default, deserialize_with = "de_number")]
    pub injured: Option<String>,
    /// Where the person stood (browser geolocation), optional.
    #[serde(default, deserialize_with = "de_number")]
    pub longitude: Option<String>,
    #[serde(default, deserialize_with = "de_number")]
    pub latitude: Option<String>,
}

/// An answer that passed its checks.
#[derive(Clone, Debug, Serialize)]
struct Checked {
    verdict: Verdict,
    verdict_label: &'static str,
    place: Option<String>,
    measures: Option<String>,
    area_ha: f64,
    deaths: i32,
    injured: i32,
    longitude: Option<f64>,
    latitude: Option<f64>,
}

fn check_answer(input: &AnswerInput) -> Result<Checked, FieldErrors> {
    let mut errors = FieldErrors::new();
    let verdict = optional(&input.verdict).and_then(|v| Verdict::parse(&v));
    if verdict.is_none() {
        errors.insert("verdict".into(), "请选择核查结果类型".into());
    }
    let place = text_field(&mut errors, "place", &input.place, 200, "具体位置");
    let measures = text_field(&mut errors, "measures", &input.measures, 2000, "处置措施");
    if measures.is_none() && verdict.is_some_and(|v| v != Verdict::FalseAlarm) {
        errors.insert("measures".into(), "请填写处置措施".into());
    }
    let (area_ha, deaths, injured) =
        fires::store::burned(&mut errors, &input.area_ha, &input.deaths, &input.injured);
    // Location is a courtesy of the phone: an odd one is left out, not refused.
    let lon = optional(&input.longitude).and_then(|t| t.parse::<f64>().ok());
    let lat = optional(&input.latitude).and_then(|t| t.parse::<f64>().ok());
    let (longitude, latitude) = match (lon, lat) {
        (Some(x), Some(y)) if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) => {
            (Some(x), Some(y))
        }
        _ => (None, None),
    };
    match verdict {
        Some(verdict) if errors.is_empty() => Ok(Checked {
            verdict,
            verdict_label: verdict.label(),
            place,
            measures,
            area_ha,
            deaths,
            injured,
            longitude,
            latitude,
        }),
        _ => Err(errors),
    }
}

/// The call behind a link, with its hotspot.
pub async fn by_token(state: &AppState, token: &str) -> AppResult<(Call, Hotspot)> {
    let found = calls::by_token(&state.db, KIND, token).await?;
    let h = find(&state.db, found.subject_id, state.now()).await?;
    Ok((found, h))
}

/// What answering did.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Answered {
    pub hotspot: Hotspot,
    /// The fire record a 林火 verdict opened.
    pub fire_id: Option<Uuid>,
}

async fn answer(
    state: &AppState,
    found: Call,
    spot: Hotspot,
    via: Via<'_>,
    input: &AnswerInput,
    photos: &[&Upload],
) -> AppResult<Answered> {
    let asked = Asked::new(spot);
    if found.about.is_some() {
        // An escalation is acknowledged, not answered: the township still answers.
        calls::confirm(state, &asked, found, via, None).await?;
        return Ok(Answered {
            fire_id: asked.spot.fire_id,
            hotspot: asked.spot,
        });
    }
    let now = state.now();
    if let Some(at) = asked.spot.answered_at {
        return Err(AppError::conflict(
            "already_answered",
            format!(
                "该热点已由 {} 于 {} 反馈核查结果",
                asked.spot.answered_by_name.clone().unwrap_or_default(),
                format_local(at)
            ),
        ));
    }
    if !asked.in_force(now) {
        return Err(AppError::conflict("link_expired", asked.ended_message()));
    }
    let checked = check_answer(input).map_err(AppError::Validation)?;
    if photos.iter().any(|p| !p.is_image()) {
        return Err(AppError::field("photos", "现场照片应为图片（JPG、PNG 等）"));
    }
    let value = serde_json::to_value(&checked).map_err(anyhow::Error::from)?;
    let who = via.who(&found);
    let txn = state.db.begin().await?;
    calls::confirm_in(&txn, &asked, &found, via, Some(&value), now).await?;
    let settled = settle(&txn, &asked.spot, &checked, who.name, now).await?;
    if !settled {
        return Err(AppError::conflict(
            "already_answered",
            "该热点已由他人反馈核查结果",
        ));
    }
    calls::close_pending(&txn, asked.spot.id).await?;
    let region = asked.region_code().to_string();
    let owner = Owner {
        kind: KIND,
        id: asked.spot.id,
        region_code: &region,
    };
    let location = checked.latitude.zip(checked.longitude);
    attachments::save(
        &txn,
        &state.settings.files_dir,
        who,
        now,
        owner,
        photos,
        location,
    )
    .await?;
    let fire_id = match checked.verdict {
        Verdict::Forest => Some(open_fire(&txn, who, &asked.spot, &checked, now).await?),
        _ => None,
    };
    txn.commit().await?;
    Ok(Answered {
        hotspot: find(&state.db, asked.spot.id, state.now()).await?,
        fire_id,
    })
}

/// Write the answer onto the hotspot; false when another answer got there first.
async fn settle(
    db: &impl ConnectionTrait,
    spot: &Hotspot,
    c: &Checked,
    by: &str,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    use hotspot::Column;
    let done = hotspot::Entity::update_many()
        .col_expr(Column::AnsweredAt, Expr::value(Some(now)))
        .col_expr(
            Column::AnsweredByName,
            Expr::value(Some(by.chars().take(60).collect::<String>())),
        )
        .col_expr(Column::Verdict, Expr::value(Some(c.verdict.code())))
        .col_expr(Column::Place, Expr::value(c.place.clone()))
        .col_expr(Column::Measures, Expr::value(c.measures.clone()))
        .col_expr(Column::AnswerLongitude, Expr::value(c.longitude))
        .col_expr(Column::AnswerLatitude, Expr::value(c.latitude))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::Id.eq(spot.id))
        .filter(Column::AnsweredAt.is_null())
        .filter(Column::VoidedAt.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// 林火立档: the fire record a 林火 answer opens, graded from what is known so far.
async fn open_fire(
    db: &impl ConnectionTrait,
    who: Who<'_>,
    spot: &Hotspot,
    c: &Checked,
    now: DateTime<Utc>,
) -> AppResult<Uuid> {
    let opening = fires::store::Opening {
        region_code: spot
            .township_code
            .clone()
            .unwrap_or_else(|| spot.county_code.clone()),
        county_code: spot.county_code.clone(),
        hotspot_id: Some(spot.id),
        started_at: spot.detected_at,
        place: c
            .place
            .clone()
            .unwrap_or_else(|| format!("{}（{}）", spot.township_name, spot.coordinates())),
        area_ha: c.area_ha,
        deaths: c.deaths,
        injured: c.injured,
        note: c.measures.clone().unwrap_or_default(),
        why: format!("{} 核查为林火", spot.title()),
    };
    let id = fires::store::open(db, who, &opening, now).await?;
    hotspot::Entity::update_many()
        .col_expr(hotspot::Column::FireId, Expr::value(Some(id)))
        .filter(hotspot::Column::Id.eq(spot.id))
        .exec(db)
        .await?;
    Ok(id)
}

/// Answer through the link in the message (no login: the link is the credential).
pub async fn answer_by_token(
    state: &AppState,
    token: &str,
    input: &AnswerInput,
    photos: &[&Upload],
) -> AppResult<Answered> {
    let (found, spot) = by_token(state, token).await?;
    answer(state, found, spot, Via::Link, input, photos).await
}

/// Answer in the app, logged in as the person asked.
pub async fn answer_in_app(
    state: &AppState,
    actor: &Actor,
    call_id: Uuid,
    input: &AnswerInput,
    photos: &[&Upload],
) -> AppResult<Answered> {
    let found = calls::own(&state.db, KIND, actor, call_id).await?;
    let spot = find(&state.db, found.subject_id, state.now()).await?;
    answer(state, found, spot, Via::App(actor), input, photos).await
}
