//! Demo relief for 三台县: the 2026–2027 winter–spring programme with approved and paid rolls
//! of two 潼川镇 villages and one 塔山镇 village, and 凤凰村's roll still being filled in by
//! its liaison. Everything goes through the stores, as the people would.

use chrono::{Days, NaiveDate};
use platform::access::Actor;
use platform::web::AppState;
use sea_orm::{EntityTrait, PaginatorTrait};
use uuid::Uuid;

use super::entity::programme::Entity as Programmes;
use super::households::{self, HouseholdInput};
use super::id_number;
use super::payments::{self, PaymentInput};
use super::store::{self, ProgrammeInput, RollInput, StepInput};

const NAMES: &[&str] = &[
    "王德明",
    "李秀英",
    "张国华",
    "刘桂芳",
    "陈建军",
    "杨玉兰",
    "赵文斌",
    "黄淑珍",
    "周永福",
    "吴春梅",
    "徐长贵",
    "孙丽华",
];
const REASONS: &[&str] = &["因灾缺衣少被", "因灾房屋受损", "因灾缺粮", "因灾取暖困难"];

fn household(n: usize) -> HouseholdInput {
    let birth = NaiveDate::from_ymd_opt(
        1950 + (n % 40) as i32,
        1 + (n % 12) as u32,
        1 + (n % 28) as u32,
    )
    .unwrap_or_default();
    HouseholdInput {
        head_name: NAMES[n % NAMES.len()].to_string(),
        id_number: id_number::make("510722", birth, 100 + n as u32),
        size: Some((1 + n % 5).to_string()),
        bank_account: format!("621700{:010}", 1_000_000 + n * 7919),
        phone: None,
        reason: REASONS[n % REASONS.len()].to_string(),
        amount: Some((600 + (n % 4) * 300).to_string()),
        ..HouseholdInput::default()
    }
}

async fn fill(
    state: &AppState,
    actor: &Actor,
    roll: Uuid,
    first: usize,
    count: usize,
) -> anyhow::Result<()> {
    for n in first..first + count {
        households::add(state, actor, roll, &household(n)).await?;
    }
    Ok(())
}

async fn step(
    state: &AppState,
    actor: &Actor,
    roll: Uuid,
    code: &str,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let version = store::get_roll(state, actor, roll).await?.version;
    let input = StepInput {
        step: code.into(),
        posted_from: Some((today - Days::new(20)).to_string()),
        posted_to: Some((today - Days::new(13)).to_string()),
        reason: None,
        version: Some(version),
    };
    store::move_roll(state, actor, roll, &input).await?;
    Ok(())
}

pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    if Programmes::find().count(&state.db).await? > 0 {
        return Ok(());
    }
    let (Some(county), Some(tongchuan), Some(tashan), Some(village)) = (
        platform::auth::actor_named(&state.db, "disaster").await?,
        platform::auth::actor_named(&state.db, "tongchuan").await?,
        platform::auth::actor_named(&state.db, "tashan").await?,
        platform::auth::actor_named(&state.db, "village").await?,
    ) else {
        return Ok(());
    };
    let programme = store::create_programme(
        state,
        &county,
        &ProgrammeInput {
            kind: "winter_spring".into(),
            name: "2026–2027年度冬春临时生活困难救助".into(),
            period_label: "2026–2027年度冬春".into(),
            starts_on: "2026-11-01".into(),
            ends_on: "2027-04-30".into(),
            budget: Some("5000000".into()),
            cap: Some("3000".into()),
            process_id: None,
        },
    )
    .await?;
    let today = store::today(state);
    let pid = programme.id.to_string();
    let mut next = 0;
    for (township, count) in [(&tongchuan, 2usize), (&tashan, 1)] {
        let villages = store::villages(&state.db, township).await?;
        let chosen = villages
            .iter()
            .filter(|v| v.code != village.region_code)
            .skip(5)
            .take(count);
        for v in chosen {
            let input = RollInput {
                programme_id: pid.clone(),
                village: Some(v.code.clone()),
            };
            let roll = store::create_roll(state, township, &input).await?.id;
            fill(state, township, roll, next, 5).await?;
            next += 5;
            step(state, township, roll, "post", today).await?;
            step(state, township, roll, "township_approve", today).await?;
            step(state, &county, roll, "county_approve", today).await?;
            let pay = PaymentInput {
                amount: None,
                paid_on: today.to_string(),
                method: "social_card".into(),
                reference: Some(format!("SB{}{:03}", today.format("%Y%m%d"), next)),
            };
            payments::pay_roll(state, township, roll, &pay).await?;
        }
    }
    let input = RollInput {
        programme_id: pid,
        village: None,
    };
    let draft = store::create_roll(state, &village, &input).await?.id;
    fill(state, &village, draft, next, 2).await?;
    Ok(())
}
