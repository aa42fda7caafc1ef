//! Demo accidents of 三台县: eight over the year so far (1 January to yesterday), mostly 一般 with
//! 0–1 deaths, one 较大, one reported late, one revised, some investigated and published. Every
//! summary starts with 【演示】 so nobody mistakes them for real records.

use chrono::{Datelike, Duration, NaiveDate};
use platform::access::{Actor, Role};
use platform::web::AppState;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::store::{
    self, AccidentInput, ApprovalInput, InvestigationInput, PublicationInput, RevisionInput,
};
use crate::units::entity::unit;

/// One demo accident.
struct Plan {
    /// GB 6441-1986 code.
    type_code: &'static str,
    /// How far into the year so far, in percent.
    when: i64,
    /// (deaths, serious, minor)
    casualties: (u32, u32, u32),
    loss_yuan: u32,
    /// Minutes from the accident to the report.
    report_after: i64,
    /// 0 reported, 1 investigating, 2 approved, 3 published.
    stage: u8,
    /// A party that is not a supervised unit (a road accident's vehicle owner).
    party: Option<&'static str>,
    place: &'static str,
    summary: &'static str,
    cause: &'static str,
}

const PLANS: &[Plan] = &[
    Plan {
        type_code: "01",
        when: 6,
        casualties: (1, 0, 1),
        loss_yuan: 1_150_000,
        report_after: 40,
        stage: 3,
        party: None,
        place: "原料堆场",
        summary: "装卸作业中堆垛的钢管滚落，砸中一名作业人员，经抢救无效死亡。",
        cause: "堆垛未设置止挡，作业区域未设警戒。",
    },
    Plan {
        type_code: "09",
        when: 17,
        casualties: (1, 0, 0),
        loss_yuan: 1_380_000,
        report_after: 50,
        stage: 3,
        party: None,
        place: "厂房屋面",
        summary: "维修彩钢瓦屋面时一名工人踏穿采光板坠落，当场死亡。",
        cause: "高处作业未系安全带，屋面未铺设防护板。",
    },
    Plan {
        type_code: "02",
        when: 29,
        casualties: (0, 1, 2),
        loss_yuan: 260_000,
        report_after: 35,
        stage: 2,
        party: Some("三台县某运输个体户"),
        place: "G350 国道乡道交叉口",
        summary: "一辆运砂货车转弯时与农用三轮车相撞，致 1 人重伤、2 人轻伤。",
        cause: "货车驾驶人转弯未减速让行。",
    },
    Plan {
        type_code: "03",
        when: 41,
        casualties: (0, 0, 1),
        loss_yuan: 45_000,
        report_after: 145,
        stage: 2,
        party: None,
        place: "机加工车间",
        summary: "操作工清理皮带输送机时右手被卷入，手部受伤。单位次日才报告。",
        cause: "未停机清理，传动部位防护罩缺失。",
    },
    Plan {
        type_code: "19",
        when: 53,
        casualties: (3, 0, 1),
        loss_yuan: 4_200_000,
        report_after: 45,
        stage: 1,
        party: None,
        place: "污水处理池",
        summary: "一名工人进入污水池清淤时晕倒，两名同事盲目施救相继中毒，3 人死亡、1 人受伤。",
        cause: "有限空间作业未执行审批，未检测通风，盲目施救。",
    },
    Plan {
        type_code: "05",
        when: 66,
        casualties: (1, 0, 0),
        loss_yuan: 980_000,
        report_after: 55,
        stage: 1,
        party: None,
        place: "建筑工地临时配电箱",
        summary: "工人移动振动棒时触碰破损电缆触电，经送医抢救无效死亡。",
        cause: "临时用电未装设漏电保护器，电缆破损未更换。",
    },
    Plan {
        type_code: "10",
        when: 81,
        casualties: (0, 2, 0),
        loss_yuan: 380_000,
        report_after: 30,
        stage: 0,
        party: None,
        place: "挡土墙基槽",
        summary: "基槽开挖时侧壁土方坍塌，掩埋两名作业人员，救出后重伤。",
        cause: "基槽未按规定放坡和支护。",
    },
    Plan {
        type_code: "08",
        when: 100,
        casualties: (0, 0, 1),
        loss_yuan: 520_000,
        report_after: 25,
        stage: 0,
        party: None,
        place: "成品仓库",
        summary: "仓库电气线路短路引燃包装材料，一名员工扑救时烧伤。",
        cause: "电气线路老化，仓库内违规使用大功率电器。",
    },
];

/// Load the demo accidents. Call once, after [`crate::units::load_demo`].
pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    let actor = Actor {
        user_id: Uuid::nil(),
        username: "demo".to_string(),
        display_name: "演示数据".to_string(),
        region_code: "510722000000".to_string(),
        region_name: "三台县".to_string(),
        roles: vec![Role::SafetyStaff],
        department_id: None,
        must_change_password: false,
        ip: None,
        csrf_token: None,
    };
    let units = unit::Entity::find()
        .filter(actor.scope().condition(unit::Column::RegionCode))
        .filter(unit::Column::VoidedAt.is_null())
        .order_by_asc(unit::Column::Name)
        .all(&state.db)
        .await?;
    if units.is_empty() {
        return Ok(());
    }
    let today = store::today(state);
    let start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    // The year so far: 1 January to yesterday.
    let span = (today - start).num_days() - 1;
    for (i, plan) in PLANS.iter().enumerate() {
        let day = if i + 1 == PLANS.len() {
            // Recent enough to be revised within a fire's seven days.
            today - Duration::days(3)
        } else {
            start + Duration::days(span.max(0) * plan.when / 100)
        };
        let occurred = store::parse_time(&format!("{day}T{:02}:{:02}", 9 + i, (i * 7) % 60))
            .ok_or_else(|| anyhow::anyhow!("demo time"))?;
        if day < start || occurred + Duration::minutes(plan.report_after) > state.now() {
            continue;
        }
        let owner = &units[(i * 5 + 3) % units.len()];
        let (deaths, serious, minor) = plan.casualties;
        let input = AccidentInput {
            occurred_at: store::local_input(occurred),
            reported_at: store::local_input(occurred + Duration::minutes(plan.report_after)),
            region_code: owner.region_code.clone(),
            place: plan.place.to_string(),
            unit_id: plan.party.is_none().then(|| owner.id.to_string()),
            party_name: plan.party.map(str::to_string),
            industry_code: plan.party.is_none().then(|| owner.industry_code.clone()),
            type_code: plan.type_code.to_string(),
            type_edition: Some("GB6441-1986".to_string()),
            deaths: Some(deaths.to_string()),
            missing: Some("0".to_string()),
            serious_injuries: Some(serious.to_string()),
            minor_injuries: Some(minor.to_string()),
            direct_loss_yuan: Some(plan.loss_yuan.to_string()),
            summary: format!("【演示】{}", plan.summary),
            cause: Some(plan.cause.to_string()),
            version: None,
        };
        let a = store::create(state, &actor, &input).await?;
        let a = if i + 1 == PLANS.len() {
            // 续报: the burnt worker's injury turned out serious.
            let revision = RevisionInput {
                serious_injuries: Some("1".to_string()),
                minor_injuries: Some("0".to_string()),
                reason: "伤者经医院诊断为重伤".to_string(),
                version: a.version,
                ..Default::default()
            };
            store::revise(state, &actor, a.id, &revision).await?
        } else {
            a
        };
        advance(state, &actor, a, plan.stage, day, today).await?;
    }
    Ok(())
}

/// Take a demo accident through the investigation up to `stage`.
async fn advance(
    state: &AppState,
    actor: &Actor,
    a: store::Accident,
    stage: u8,
    day: NaiveDate,
    today: NaiveDate,
) -> anyhow::Result<()> {
    if stage == 0 {
        return Ok(());
    }
    let started = (day + Duration::days(1)).min(today);
    let investigation = InvestigationInput {
        lead: "县应急管理局".to_string(),
        started_on: started.to_string(),
        version: a.version,
    };
    let a = store::start_investigation(state, actor, a.id, &investigation).await?;
    if stage == 1 {
        return Ok(());
    }
    let approved = (started + Duration::days(14)).min(today);
    let approval = ApprovalInput {
        approved_on: approved.to_string(),
        version: a.version,
    };
    let a = store::approve(state, actor, a.id, &approval).await?;
    if stage == 2 {
        return Ok(());
    }
    let publication = PublicationInput {
        published_on: (approved + Duration::days(5)).min(today).to_string(),
        channel: "县人民政府门户网站".to_string(),
        version: a.version,
    };
    store::publish(state, actor, a.id, &publication).await?;
    Ok(())
}
