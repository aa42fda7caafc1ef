//! A warning as CAP 1.2 (the national warning release system's profile, GB/T 35965.1), and an
//! incoming CAP alert as a received warning staff can relay to townships.

use chrono::{DateTime, Duration, Utc};
use platform::access::Actor;
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult};
use platform::web::AppState;
use sea_orm::TransactionTrait;
use uuid::Uuid;

use super::model::{self, KINDS, state};
use super::store::{self, KIND, Warning};
use crate::cap::{self, Alert, Area, Category, Certainty, MsgType, Reference, Urgency, profile};
use platform::regions::model::county_of;

/// The agency and unit parts of our identifiers: 应急管理部门 (agency 001), the bureau (unit
/// 000), no extension. The national system assigns real codes on connection; change here.
const AGENCY: &str = "001";
const UNIT: &str = "000";
const EXTENSION: &str = "00";

/// Which CAP message of a warning: the issue, its latest update, or its lifting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Alert,
    Update,
    Cancel,
}

impl Which {
    /// The message that describes the warning as it stands.
    pub fn current(w: &Warning) -> Self {
        if w.state == state::LIFTED {
            Which::Cancel
        } else if w.revision > 0 {
            Which::Update
        } else {
            Which::Alert
        }
    }
}

fn division(w: &Warning) -> String {
    county_of(&w.region_code)[..6].to_string()
}

fn sender(w: &Warning) -> String {
    format!("{}{AGENCY}{UNIT}", division(w))
}

fn identifier(w: &Warning, at: DateTime<Utc>) -> AppResult<String> {
    profile::identifier(
        &division(w),
        AGENCY,
        UNIT,
        EXTENSION,
        at.with_timezone(&profile::beijing()),
        0,
    )
    .map_err(|e| AppError::Internal(anyhow::anyhow!("CAP identifier: {e}")))
}

fn category(kind: &str) -> Category {
    match kind {
        "geological" => Category::Geo,
        "forest_fire" => Category::Fire,
        "flood" | "drought" => Category::Env,
        "other" => Category::Other,
        _ => Category::Met,
    }
}

fn polygon(text: &str) -> Vec<(f64, f64)> {
    text.split_whitespace()
        .filter_map(|p| {
            let (lat, lon) = p.split_once(',')?;
            Some((lat.parse().ok()?, lon.parse().ok()?))
        })
        .collect()
}

/// The CAP alert of an issued (or lifted) warning.
pub fn to_alert(w: &Warning, which: Which) -> AppResult<Alert> {
    let issued = w
        .issued_at
        .ok_or_else(|| AppError::conflict("not_issued", "预警尚未发布，不能导出 CAP"))?;
    let at = match which {
        Which::Alert => issued,
        Which::Update => w.revised_at.unwrap_or(issued),
        Which::Cancel => w
            .lifted_at
            .ok_or_else(|| AppError::conflict("not_lifted", "预警尚未解除"))?,
    };
    let bj = profile::beijing();
    let mut alert = Alert::new(identifier(w, at)?, sender(w), at.with_timezone(&bj));
    alert.msg_type = match which {
        Which::Alert => MsgType::Alert,
        Which::Update => MsgType::Update,
        Which::Cancel => MsgType::Cancel,
    };
    if which != Which::Alert {
        alert.references.push(Reference {
            sender: sender(w),
            identifier: identifier(w, issued)?,
            sent: issued.with_timezone(&bj),
        });
    }
    alert.note = w.number.clone();
    let mut info = cap::Info::new(format!("{}预警", w.kind_label), category(&w.kind));
    info.urgency = if which == Which::Cancel {
        Urgency::Past
    } else {
        Urgency::Expected
    };
    info.certainty = Certainty::Likely;
    profile::set_level(&mut info, w.level().0)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("CAP level: {e}")))?;
    info.effective = Some(w.valid_from.with_timezone(&bj));
    info.onset = Some(w.valid_from.with_timezone(&bj));
    info.expires = Some(w.valid_until.with_timezone(&bj));
    info.sender_name = Some(
        w.issued_by_name
            .clone()
            .map_or_else(|| "县应急管理局".into(), |n| format!("县应急管理局（{n}）")),
    );
    info.headline = Some(w.title.clone());
    info.description = Some(match which {
        Which::Cancel => format!("预警已解除。{}", w.lift_reason.clone().unwrap_or_default()),
        _ => w.content.clone(),
    });
    info.instruction = (!w.actions.is_empty()).then(|| w.actions.clone());
    let mut area = Area::new(if w.area_desc.is_empty() {
        "本县".to_string()
    } else {
        w.area_desc.clone()
    });
    for code in w.area_codes.iter().filter(|c| c.len() >= 9) {
        area.geocodes.push(profile::division_geocode(&code[..9]));
    }
    if let Some(p) = w.polygon.as_deref().map(polygon).filter(|p| p.len() >= 3) {
        area.polygons.push(p);
    }
    info.areas.push(area);
    alert.infos.push(info);
    Ok(alert)
}

/// The XML of one of a warning's messages.
pub fn export(w: &Warning, which: Which) -> AppResult<String> {
    let alert = to_alert(w, which)?;
    cap::to_xml(&alert).map_err(|e| AppError::Internal(anyhow::anyhow!("CAP export: {e}")))
}

/// Our kind for an incoming event ("暴雨橙色预警" → rainstorm).
fn kind_of(event: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(code, label)| *code != "other" && event.contains(label))
        .map_or("other", |(code, _)| code)
}

/// The townships of `county` an incoming area names: the county itself means all of them.
fn townships_named(codes: &[&str], county: &str, townships: &[String]) -> Vec<String> {
    let county6 = &county[..6];
    let mut out: Vec<String> = Vec::new();
    for code in codes {
        let code = code.trim();
        if code.len() < 6 || !code.starts_with(county6) {
            continue;
        }
        let named: Vec<String> = if code.len() == 6 || code[6..].bytes().all(|b| b == b'0') {
            townships.to_vec()
        } else {
            vec![model::township_of(&format!("{code:0<12}"))]
        };
        for t in named {
            if townships.contains(&t) && !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out.sort();
    out
}

/// 接收上级预警: parse an alert from a higher-level system and keep it as a received warning
/// of the actor's county. Malformed CAP and alerts that do not concern the county are refused.
pub async fn import(state: &AppState, actor: &Actor, xml: &str) -> AppResult<Warning> {
    store::require_writer(actor)?;
    let alert = cap::parse(xml)
        .map_err(|e| AppError::bad_request("invalid_cap", format!("CAP 文件无法导入：{e}")))?;
    if matches!(alert.msg_type, MsgType::Ack | MsgType::Error) {
        return Err(AppError::bad_request(
            "invalid_cap",
            "这是回执或错误消息，不是预警",
        ));
    }
    let info = alert
        .infos
        .first()
        .ok_or_else(|| AppError::bad_request("invalid_cap", "CAP 文件中没有预警信息（info）"))?;
    let county = county_of(&actor.region_code);
    let townships: Vec<String> = store::townships(&state.db, actor)
        .await?
        .into_iter()
        .map(|t| t.code)
        .collect();
    let codes: Vec<&str> = info
        .areas
        .iter()
        .flat_map(profile::division_codes)
        .collect();
    let area = townships_named(&codes, &county, &townships);
    if area.is_empty() {
        return Err(AppError::bad_request(
            "not_our_area",
            "该预警的发布区域不包含本县，无需接收",
        ));
    }
    let now = state.now();
    let sent = alert.sent.with_timezone(&Utc);
    let from = info
        .effective
        .or(info.onset)
        .map_or(sent, |t| t.with_timezone(&Utc));
    let until = info
        .expires
        .map_or(sent + Duration::hours(24), |t| t.with_timezone(&Utc));
    if until <= now {
        return Err(AppError::bad_request(
            "expired",
            "该预警已过有效期，无需接收",
        ));
    }
    let level = profile::level_of(info).unwrap_or(4);
    let desc = info
        .areas
        .iter()
        .map(|a| a.desc.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let valid = store::Valid {
        kind: kind_of(&info.event).to_string(),
        level: i32::from(level),
        title: info.headline.clone().unwrap_or_else(|| info.event.clone()),
        content: info.description.clone().unwrap_or_default(),
        actions: info.instruction.clone().unwrap_or_default(),
        area_codes: area,
        area_desc: desc,
        polygon: None,
        include_departments: false,
        contact_groups: Vec::new(),
        valid_from: from,
        valid_until: until,
    };
    let source = store::CapSource {
        identifier: alert.identifier.clone(),
        sender: alert.sender.clone(),
        sent_text: alert.sent.to_rfc3339(),
        sent,
        sender_name: info.sender_name.clone(),
    };
    let txn = state.db.begin().await?;
    let received = store::insert(
        &txn,
        actor,
        &county,
        valid,
        now,
        store::Origin::Received(source),
    )
    .await?;
    let entry =
        Entry::new("warning.import", KIND, received.id, &received.region_code).summary(format!(
            "接收上级预警「{}」（{}）",
            received.title,
            received.sender_name.clone().unwrap_or_default()
        ));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(received)
}

/// 转发: a draft of our own from a received warning, to be reviewed and issued to townships.
pub async fn relay(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<Warning> {
    store::require_writer(actor)?;
    let received = store::get(&state.db, actor, id).await?;
    if !received.is(state::RECEIVED) {
        return Err(AppError::conflict(
            "transition_refused",
            "只有上级来文可以转发",
        ));
    }
    let now = state.now();
    let input = store::WarningInput {
        kind: Some(received.kind.clone()),
        level: Some(received.level.to_string()),
        title: Some(received.title.clone()),
        content: Some(format!(
            "{}（转发{}预警）",
            received.content,
            received.sender_name.clone().unwrap_or_default()
        )),
        actions: Some(received.actions.clone()),
        area_codes: received.area_codes.clone(),
        polygon: None,
        include_departments: Some(false),
        contact_groups: Vec::new(),
        valid_from: Some(platform::web::form::local_input(
            received.valid_from.max(now),
        )),
        valid_until: Some(platform::web::form::local_input(received.valid_until)),
        version: None,
    };
    store::create_relay(state, actor, &input, id).await
}
