//! A county's work-safety ledgers over years: supervised units, inspections, hazards that go
//! through their lifecycle as far as their age allows (each step an audit row, each 整改通知 a
//! text message to the unit), numbered from the county's counter so later registrations follow,
//! and counted into the statistics' rollup once the county is written.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use indicatif::ProgressBar;
use platform::audit::entity as audit;
use platform::clock::local_midnight;
use platform::notify::entity::message;
use platform::web::AppState;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use safety::hazards::entity::hazard;
use safety::inspections::entity::inspection;
use safety::units::entity::unit;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, TransactionTrait};
use uuid::Uuid;

use super::{GeneratedCounty, Sizes, Written};

/// Rows per INSERT: SQLite allows 32,766 bound values, a hazard has 38 columns.
const PER_STATEMENT: usize = 500;

const INDUSTRIES: &[(&str, &str)] = &[
    ("hazchem_trading", "化工贸易有限公司"),
    ("fuel_station", "加油站"),
    ("gas_supply", "燃气有限公司"),
    ("elderly_care", "养老服务中心"),
    ("small_workshop", "加工厂"),
    ("shale_brick", "页岩砖厂"),
    ("fireworks_retail", "烟花爆竹零售店"),
    ("machinery", "机械制造有限公司"),
    ("building_materials", "建材有限公司"),
    ("commerce", "商贸有限公司"),
    ("open_pit_mine", "采石场"),
    ("ebike_charging", "电动车充电站"),
];

const TRADE_NAMES: &[&str] = &[
    "鑫源", "恒达", "宏发", "金盛", "永安", "华兴", "川北", "东方", "蜀丰", "天府", "瑞丰", "顺达",
];

const SOURCES: &[&str] = &["self_check", "public_report", "expert"];
const SURNAMES: &[&str] = &["张", "王", "李", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: &[&str] = &["伟", "芳", "强", "敏", "军", "丽", "勇", "静", "磊", "洋"];

/// A hazard's lifecycle steps, in order, with the audit action and its words.
const STEPS: &[(&str, &str, &str)] = &[
    ("notice_issued", "hazard.notice", "下达整改通知"),
    ("rectifying", "hazard.start", "开始整改"),
    ("awaiting_review", "hazard.review_request", "申请复查"),
    ("review_passed", "hazard.review_pass", "复查通过"),
    ("closed", "hazard.close", "销号"),
];

struct Ctx<'a> {
    county: &'a GeneratedCounty,
    today: NaiveDate,
    now: DateTime<Utc>,
    /// The demo county's `safety` account acts in its audit rows; other counties' staff have
    /// no accounts here.
    actor: Option<Uuid>,
}

/// Units once, then each year's inspections and hazards, oldest year first.
pub async fn county(
    state: &AppState,
    county: &GeneratedCounty,
    years: u32,
    sizes: Sizes,
    rng: &mut StdRng,
    written: &mut Written,
    bar: &ProgressBar,
) -> anyhow::Result<()> {
    let ctx = Ctx {
        county,
        today: platform::clock::local_day(state.now()),
        now: state.now(),
        actor: platform::auth::actor_named(&state.db, "safety")
            .await
            .ok()
            .flatten()
            .filter(|_| county.code == crate::demo::COUNTY[..6])
            .map(|a| a.user_id),
    };
    let units = units(&ctx, sizes.units, rng);
    insert(&state.db, units.clone()).await?;
    written.units += units.len() as u64;
    bar.inc(units.len() as u64);
    for year in (0..years).rev() {
        let last = ctx.today - Duration::days(365 * i64::from(year));
        let first = last - Duration::days(364);
        let inspections = inspections(&ctx, &units, sizes.inspections_per_year, first, rng);
        let hazards = hazards(
            &ctx,
            &units,
            &inspections,
            sizes.hazards_per_year,
            first,
            rng,
        );
        let txn = state.db.begin().await?;
        insert(&txn, inspections.clone()).await?;
        let numbered = number(&txn, &ctx, hazards).await?;
        let (audits, messages) = histories(&ctx, &numbered, rng);
        let (h, a, m) = (numbered.len(), audits.len(), messages.len());
        insert(&txn, numbered.into_iter().map(|(row, _)| row).collect()).await?;
        insert(&txn, audits).await?;
        insert(&txn, messages).await?;
        txn.commit().await?;
        written.inspections += inspections.len() as u64;
        written.hazards += h as u64;
        written.audit_rows += a as u64;
        written.messages += m as u64;
        bar.inc((inspections.len() + h + a + m) as u64);
    }
    // The statistics' counters of the rows written directly (people's changes keep them in step).
    safety::hazards::rollup::rebuild(&state.db, &county.code).await?;
    safety::inspections::rollup::rebuild(&state.db, &county.code).await?;
    Ok(())
}

/// Insert rows in statements of [`PER_STATEMENT`].
async fn insert<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> anyhow::Result<()>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(PER_STATEMENT).collect();
        A::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

fn person(rng: &mut StdRng) -> String {
    format!(
        "{}{}",
        SURNAMES.choose(rng).unwrap_or(&"张"),
        GIVEN.choose(rng).unwrap_or(&"伟")
    )
}

fn phone(rng: &mut StdRng) -> String {
    format!("139{:08}", rng.random_range(0..100_000_000u32))
}

/// 09:00–17:00 China time of `day`.
fn working_time(day: NaiveDate, rng: &mut StdRng) -> DateTime<Utc> {
    local_midnight(day) + Duration::minutes(rng.random_range(9 * 60..17 * 60))
}

fn units(ctx: &Ctx, n: usize, rng: &mut StdRng) -> Vec<unit::ActiveModel> {
    (0..n)
        .map(|i| {
            let township = ctx
                .county
                .townships
                .choose(rng)
                .cloned()
                .unwrap_or_default();
            let (industry, kind) = INDUSTRIES.choose(rng).copied().unwrap_or(INDUSTRIES[0]);
            let trade = TRADE_NAMES.choose(rng).unwrap_or(&"鑫源");
            let created =
                working_time(ctx.today - Duration::days(rng.random_range(400..2000)), rng);
            unit::ActiveModel {
                name: Set(format!("{}{trade}{kind}（{}）", ctx.county.name, i + 1)),
                credit_code: Set(None),
                industry_code: Set(industry.into()),
                industry_edition: Set("2024".into()),
                address: Set(Some(format!("{}号", rng.random_range(1..500)))),
                latitude: Set(None),
                longitude: Set(None),
                legal_representative: Set(Some(person(rng))),
                contact_name: Set(Some(person(rng))),
                contact_phone: Set(Some(phone(rng))),
                department_id: Set(None),
                risk_level: Set(Some(
                    ["blue", "yellow", "orange", "red"][rng.random_range(0..4)].into(),
                )),
                status: Set(if rng.random_bool(0.95) {
                    "operating"
                } else {
                    "suspended"
                }
                .into()),
                note: Set(None),
                ..platform::db::new_record(Uuid::now_v7(), township, ctx.actor, created)
            }
        })
        .collect()
}

fn inspections(
    ctx: &Ctx,
    units: &[unit::ActiveModel],
    n: usize,
    first: NaiveDate,
    rng: &mut StdRng,
) -> Vec<inspection::ActiveModel> {
    (0..n)
        .map(|_| {
            let owner = units.choose(rng).expect("a county has units");
            let day = (first + Duration::days(rng.random_range(0..365))).min(ctx.today);
            let kind = ["routine", "routine", "enforcement", "expert"][rng.random_range(0..4)];
            let result = match rng.random_range(0..100) {
                0..55 => "none",
                55..95 => "hazards_found",
                95..98 => "suspended",
                _ => "transferred",
            };
            let inspectors = serde_json::json!([person(rng), person(rng)]).to_string();
            let experts = match kind {
                "expert" => serde_json::json!([person(rng)]).to_string(),
                _ => "[]".into(),
            };
            inspection::ActiveModel {
                kind: Set(kind.into()),
                unit_id: Set(Some(value(&owner.id))),
                target_region_code: Set(None),
                target_department_id: Set(None),
                inspected_on: Set(day),
                campaign_id: Set(None),
                inspectors: Set(inspectors),
                experts: Set(experts),
                checklist_group: Set(None),
                checklist: Set("[]".into()),
                problems: Set("[]".into()),
                result: Set(result.into()),
                summary: Set(None),
                ..platform::db::new_record(
                    Uuid::now_v7(),
                    value(&owner.region_code),
                    ctx.actor,
                    working_time(day, rng),
                )
            }
        })
        .collect()
}

/// The value a generated row was given.
fn value<T: Clone + Into<sea_orm::Value>>(v: &sea_orm::ActiveValue<T>) -> T {
    v.clone().unwrap()
}

/// How far a hazard found on `found` has come by today: the index into [`STEPS`] of its last
/// step (none: still registered), its deadline and the day it was closed.
fn progress(
    found: NaiveDate,
    major: bool,
    today: NaiveDate,
    rng: &mut StdRng,
) -> (Option<usize>, Option<NaiveDate>, Option<NaiveDate>) {
    let age = (today - found).num_days();
    if age < 2 && rng.random_bool(0.6) {
        return (None, None, None);
    }
    let deadline = found + Duration::days(if major { 90 } else { 30 });
    // Most hazards close in time; some run late and a few stay open long past the deadline.
    let took = match rng.random_range(0..100) {
        0..85 => rng.random_range(5..=(deadline - found).num_days()),
        85..97 => (deadline - found).num_days() + rng.random_range(1..30),
        _ => 10_000,
    };
    if took <= age {
        return (
            Some(STEPS.len() - 1),
            Some(deadline),
            Some(found + Duration::days(took)),
        );
    }
    // Still open: as far along as its share of the time taken.
    let step = ((age * (STEPS.len() as i64 - 1)) / took.max(1)) as usize;
    (Some(step.min(STEPS.len() - 2)), Some(deadline), None)
}

fn hazards(
    ctx: &Ctx,
    units: &[unit::ActiveModel],
    inspections: &[inspection::ActiveModel],
    n: usize,
    first: NaiveDate,
    rng: &mut StdRng,
) -> Vec<(hazard::ActiveModel, Option<usize>)> {
    let found_by: Vec<&inspection::ActiveModel> = inspections
        .iter()
        .filter(|i| value(&i.result) == "hazards_found")
        .collect();
    (0..n)
        .map(|_| {
            // A third come from the year's inspections that found hazards.
            let (owner_id, region, found, source, inspection_id) =
                match found_by.choose(rng).filter(|_| rng.random_bool(0.35)) {
                    Some(i) => (
                        value(&i.unit_id).unwrap_or_default(),
                        value(&i.region_code),
                        value(&i.inspected_on),
                        "enforcement",
                        Some(value(&i.id)),
                    ),
                    None => {
                        let u = units.choose(rng).expect("a county has units");
                        let day = (first + Duration::days(rng.random_range(0..365))).min(ctx.today);
                        let source = SOURCES.choose(rng).unwrap_or(&"self_check");
                        (value(&u.id), value(&u.region_code), day, *source, None)
                    }
                };
            let major = rng.random_bool(0.02);
            let (step, deadline, closed_on) = progress(found, major, ctx.today, rng);
            let state = step.map_or("registered", |s| STEPS[s].0);
            let findings = safety::hazards::DEMO_FINDINGS;
            let (category, description, location) =
                findings.choose(rng).copied().unwrap_or(findings[0]);
            let noticed = step.is_some();
            let row = hazard::ActiveModel {
                unit_id: Set(owner_id),
                county_code: Set(ctx.county.code.clone()),
                number: Set(String::new()),
                description: Set(format!("{description}（{}）", rng.random_range(1..100))),
                category_code: Set(category.into()),
                category_edition: Set("2024".into()),
                grade: Set(if major { "major" } else { "general" }.into()),
                criterion_standard: Set(None),
                criterion_item: Set(None),
                discovered_on: Set(found),
                source: Set(source.into()),
                location: Set(Some(location.into())),
                state: Set(state.into()),
                deadline: Set(deadline),
                responsible: Set(noticed.then(|| person(rng))),
                measures: Set(noticed.then(|| "立即整改，落实专人负责".to_string())),
                funds_fen: Set(noticed.then(|| rng.random_range(1..500) * 10_000)),
                contingency: Set(noticed.then(|| "整改期间落实临时管控措施".to_string())),
                evidence: Set(step
                    .filter(|s| *s >= 2)
                    .map(|_| "已整改，附整改前后照片".to_string())),
                review_reasons: Set(None),
                closed_on: Set(closed_on),
                supervision: Set(if major && closed_on.is_none() {
                    "listed"
                } else {
                    "none"
                }
                .into()),
                exposed: Set(rng.random_bool(0.01)),
                exposed_on: Set(None),
                exposure_channel: Set(None),
                inspection_id: Set(inspection_id),
                escalated_deadline: Set(None),
                escalated_at: Set(None),
                ..platform::db::new_record(
                    Uuid::now_v7(),
                    region,
                    ctx.actor,
                    working_time(found, rng),
                )
            };
            (row, step)
        })
        .collect()
}

/// Numbers `YH{year}-NNNN` in order of discovery, taken from the county's counter.
async fn number(
    txn: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    mut hazards: Vec<(hazard::ActiveModel, Option<usize>)>,
) -> anyhow::Result<Vec<(hazard::ActiveModel, Option<usize>)>> {
    use platform::db::sequence;
    hazards.sort_by_key(|(h, _)| value(&h.discovered_on));
    let scope = format!("{}000000", ctx.county.code);
    let mut next: Option<(i32, i64)> = None;
    for (h, _) in hazards.iter_mut() {
        let year = value(&h.discovered_on).year();
        let n = match next {
            Some((y, n)) if y == year => n + 1,
            _ => sequence::next(txn, &scope, safety::hazards::store::NUMBER_SERIES, year).await?,
        };
        next = Some((year, n));
        h.number = Set(format!("YH{year}-{n:04}"));
    }
    if let Some((year, n)) = next {
        sequence::raise_to(txn, &scope, safety::hazards::store::NUMBER_SERIES, year, n).await?;
    }
    Ok(hazards)
}

/// Each hazard's audit rows (registration and every step it took) and the text message its
/// 整改通知 sent to the unit's contact.
fn histories(
    ctx: &Ctx,
    hazards: &[(hazard::ActiveModel, Option<usize>)],
    rng: &mut StdRng,
) -> (Vec<audit::ActiveModel>, Vec<message::ActiveModel>) {
    let mut audits = Vec::with_capacity(hazards.len() * 4);
    let mut messages = Vec::with_capacity(hazards.len());
    for (h, step) in hazards {
        let id = value(&h.id);
        let region = value(&h.region_code);
        let number = value(&h.number);
        let found = value(&h.discovered_on);
        let mut at = value(&h.created_at);
        let grade = match value(&h.grade).as_str() {
            "major" => "重大隐患",
            _ => "一般隐患",
        };
        audits.push(audit_row(
            ctx,
            at,
            "create",
            &id,
            &region,
            format!("登记{grade} {number}"),
        ));
        let Some(last) = *step else { continue };
        let end = value(&h.closed_on).unwrap_or(ctx.today.min(found + Duration::days(60)));
        let span = (end - found).num_minutes().max(60);
        for (i, (state, action, words)) in STEPS.iter().enumerate().take(last + 1) {
            at = (at + Duration::minutes(span / (last as i64 + 2) + rng.random_range(0..60)))
                .min(ctx.now);
            let mut row = audit_row(ctx, at, action, &id, &region, format!("{words} {number}"));
            row.after = Set(Some(
                serde_json::json!({ "state": state, "number": number }).to_string(),
            ));
            audits.push(row);
            if i == 0 {
                messages.push(notice_message(ctx, at, h, rng));
            }
        }
    }
    (audits, messages)
}

fn audit_row(
    ctx: &Ctx,
    at: DateTime<Utc>,
    action: &str,
    id: &Uuid,
    region: &str,
    summary: String,
) -> audit::ActiveModel {
    audit::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(at),
        actor_id: Set(ctx.actor),
        actor_name: Set(format!("{}应急管理局", ctx.county.name)),
        action: Set(action.into()),
        entity: Set(safety::hazards::store::KIND.into()),
        record_id: Set(id.to_string()),
        region_code: Set(region.into()),
        summary: Set(summary),
        before: Set(None),
        after: Set(None),
        ip: Set(None),
    }
}

fn notice_message(
    ctx: &Ctx,
    at: DateTime<Utc>,
    h: &hazard::ActiveModel,
    rng: &mut StdRng,
) -> message::ActiveModel {
    let id = value(&h.id);
    message::ActiveModel {
        id: Set(Uuid::now_v7()),
        region_code: Set(value(&h.region_code)),
        channel: Set("sms".into()),
        address: Set(phone(rng)),
        recipient_user_id: Set(None),
        recipient_name: Set(person(rng)),
        mention: Set(None),
        title: Set("隐患整改通知".into()),
        body: Set(format!(
            "{}：贵单位隐患 {} 须于 {} 前整改完毕。",
            ctx.county.name,
            value(&h.number),
            value(&h.deadline)
                .map(|d| d.to_string())
                .unwrap_or_default()
        )),
        link: Set(Some(format!("/safety/hazards/{id}"))),
        source_kind: Set(safety::hazards::store::KIND.into()),
        source_id: Set(Some(id)),
        state: Set("sent".into()),
        attempts: Set(1),
        next_attempt_at: Set(at),
        claimed_at: Set(None),
        last_error: Set(None),
        sent_at: Set(Some(at + Duration::seconds(rng.random_range(1..30)))),
        read_at: Set(None),
        created_at: Set(at),
        created_by: Set(ctx.actor),
    }
}
