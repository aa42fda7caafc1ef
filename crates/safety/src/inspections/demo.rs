//! Demo campaigns and inspections of 三台县 for the current year: five campaigns (春节前烟花爆竹,
//! 汛期非煤矿山, 安全生产月, 危化品百日攻坚, 岁末年初重大隐患), about 150 inspections of the demo
//! units with their checklists filled, a dozen supervision tours of townships, and a hazard
//! registered from some of the inspections. Load after the units and hazards demos.

use chrono::{Datelike, Duration, NaiveDate};
use platform::access::{Actor, Role, Scope};
use platform::regions::Level;
use platform::web::AppState;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::model::{self, Answer};
use super::store::{self, CampaignInput, FindingInput, InspectionInput};
use crate::units::entity::unit;

const INSPECTORS: &[&str] = &["刘安监", "张伟", "李娜", "王强", "陈静", "杨帆", "赵磊"];
const EXPERTS: &[&str] = &[
    "周工（注册安全工程师）",
    "吴工（化工专家）",
    "郑工（矿山专家）",
];

/// (name, kind, from (month, day), to (month, day), sectors, lead department)
type CampaignPlan = (
    &'static str,
    &'static str,
    (u32, u32),
    (u32, u32),
    &'static [&'static str],
    &'static str,
);

const CAMPAIGNS: &[CampaignPlan] = &[
    (
        "春节前烟花爆竹专项检查",
        "holiday",
        (1, 10),
        (2, 16),
        &["fireworks"],
        "县应急管理局",
    ),
    (
        "汛期非煤矿山专项整治",
        "rectification",
        (5, 15),
        (9, 30),
        &["mining", "shale_brick"],
        "县应急管理局",
    ),
    (
        "安全生产月",
        "publicity",
        (6, 1),
        (6, 30),
        &[],
        "县应急管理局",
    ),
    (
        "危化品百日攻坚",
        "enforcement",
        (8, 1),
        (11, 8),
        &["hazchem"],
        "县应急管理局",
    ),
    (
        "岁末年初安全生产重大隐患专项整治",
        "rectification",
        (11, 15),
        (12, 31),
        &[],
        "县经济和信息化局",
    ),
];

const TOUR_PROBLEMS: &[&str] = &[
    "乡镇安全生产网格员底数不清，部分村未明确网格员",
    "小作坊、小加工点排查台账未及时更新",
    "汛期值班值守记录不完整",
    "“打非治违”工作开展不平衡，个别村未开展",
    "安全生产宣传“五进”活动资料未归档",
];

fn demo_actor() -> Actor {
    Actor {
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
    }
}

fn date(year: i32, (month, day): (u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
}

/// Every item answered; the n-th inspection finds a problem at one item in three.
fn answers(group: &str, n: usize) -> Vec<Answer> {
    let items = model::checklist(group).map(|c| c.items).unwrap_or_default();
    items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let (answer, note) = if n.is_multiple_of(3) && k == n % items.len() {
                ("nonconform", "现场检查发现问题，已当场指出")
            } else if k == items.len() - 1 && n % 5 == 1 {
                ("na", "")
            } else {
                ("conform", "")
            };
            Answer {
                item: item.code.to_string(),
                answer: answer.to_string(),
                note: note.to_string(),
            }
        })
        .collect()
}

pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    let actor = demo_actor();
    let scope = actor.scope();
    let units = unit::Entity::find()
        .filter(scope.condition(unit::Column::RegionCode))
        .filter(unit::Column::VoidedAt.is_null())
        .order_by_asc(unit::Column::Name)
        .all(&state.db)
        .await?;
    if units.is_empty() {
        return Ok(());
    }
    let today = store::today(state);
    let year = today.year();
    let departments = platform::org::store::all(&state.db, &scope).await?;
    let mut campaigns = Vec::new();
    for (name, kind, from, to, sectors, lead) in CAMPAIGNS {
        let input = CampaignInput {
            name: format!("【演示】{year}年{name}"),
            kind: kind.to_string(),
            starts_on: date(year, *from).to_string(),
            ends_on: date(year, *to).to_string(),
            sectors: sectors.iter().map(|s| s.to_string()).collect(),
            townships: Vec::new(),
            department_id: departments
                .iter()
                .find(|d| d.name == *lead)
                .map(|d| d.id.to_string()),
            description: Some(format!(
                "【演示】按照县安委会部署开展{name}，聚焦重点行业领域，督促企业落实主体责任，做到排查全覆盖、整治无死角。"
            )),
            version: None,
        };
        campaigns.push(store::create_campaign(state, &actor, &input).await?);
    }
    let mut n = 0usize;
    for (k, u) in units.iter().cycle().take(150).enumerate() {
        let on = NaiveDate::from_ymd_opt(year, 1, 5).unwrap_or(today)
            + Duration::days(((k * 53) % 330) as i64);
        if on > today {
            continue;
        }
        let group = store::group_of_unit(&state.db, u).await?;
        let campaign = campaigns.iter().find(|c| {
            c.starts_on <= on
                && on <= c.ends_on
                && (c.sectors.is_empty()
                    || c.sectors.iter().any(|s| u.industry_code.starts_with(s))
                    || group == "mining" && c.sectors.iter().any(|s| s == "mining")
                    || group == "hazchem" && c.sectors.iter().any(|s| s == "hazchem")
                    || group == "fireworks" && c.sectors.iter().any(|s| s == "fireworks"))
        });
        let kind = ["routine", "enforcement", "routine", "expert"][k % 4];
        let filled = answers(group, k);
        let finds = filled.iter().any(|a| a.answer == "nonconform");
        let input = InspectionInput {
            kind: kind.to_string(),
            unit_id: Some(u.id.to_string()),
            inspected_on: on.to_string(),
            campaign_id: campaign.map(|c| c.id.to_string()),
            inspectors: format!(
                "{}、{}",
                INSPECTORS[k % INSPECTORS.len()],
                INSPECTORS[(k + 3) % INSPECTORS.len()]
            ),
            experts: (kind == "expert").then(|| EXPERTS[k % EXPERTS.len()].to_string()),
            checklist_group: Some(group.to_string()),
            checklist: filled,
            result: match (finds, k % 27) {
                (true, 0) => "suspended",
                (true, 9) => "transferred",
                (true, _) => "hazards_found",
                (false, _) => "none",
            }
            .to_string(),
            summary: Some(format!(
                "【演示】对{}开展{}，{}",
                u.name,
                model::INSPECTION_KINDS
                    .iter()
                    .find(|(c, _)| *c == kind)
                    .map(|(_, l)| *l)
                    .unwrap_or_default(),
                if finds {
                    "发现问题已责令整改"
                } else {
                    "未发现明显问题"
                }
            )),
            ..Default::default()
        };
        let created = store::create(state, &actor, &input).await?;
        n += 1;
        if finds && k % 2 == 0 {
            let finding = FindingInput {
                description: "【演示】检查中发现：安全管理制度落实不到位，现场存在问题".to_string(),
                category_code: "rules".to_string(),
                grade: "general".to_string(),
                location: Some("生产经营场所".to_string()),
                deadline: Some((on + Duration::days(15)).to_string()),
            };
            store::register_hazard(state, &actor, created.id, &finding, &[], None).await?;
        }
    }
    let townships = platform::regions::store::list_level(
        &state.db,
        &Scope::of("510722000000"),
        Level::Township,
    )
    .await?;
    for (k, t) in townships.iter().take(12).enumerate() {
        let on =
            NaiveDate::from_ymd_opt(year, 3, 1).unwrap_or(today) + Duration::days((k * 23) as i64);
        if on > today {
            continue;
        }
        let problems: Vec<&str> = TOUR_PROBLEMS
            .iter()
            .skip(k % TOUR_PROBLEMS.len())
            .take(1 + k % 3)
            .copied()
            .collect();
        let input = InspectionInput {
            kind: if k % 3 == 2 { "covert" } else { "supervision" }.to_string(),
            target_region_code: Some(t.code.clone()),
            inspected_on: on.to_string(),
            inspectors: "刘安监、张伟、李娜".to_string(),
            problems: Some(problems.join("\n")),
            result: "hazards_found".to_string(),
            summary: Some(format!(
                "【演示】对{}安全生产工作开展{}，发现问题 {} 项，已下发整改通知",
                t.short_name,
                if k % 3 == 2 { "暗访" } else { "督查" },
                problems.len()
            )),
            ..Default::default()
        };
        store::create(state, &actor, &input).await?;
        n += 1;
    }
    tracing::info!(inspections = n, "demo inspections loaded");
    Ok(())
}
