//! Demo consultation reports of 三台县 for 2026: about one a month, more in the flood season —
//! forest fire in winter and spring, wind and hail in late spring, floods and landslides through
//! the summer, drought in August. One was voided and issued again; the latest is still a draft.
//! Titles are marked 【演示】.
//!
//! Written directly with their historical dates (the store issues "today"); numbers come from
//! the same yearly sequence the store uses, so the next report issued follows them.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use platform::access::Scope;
use platform::db::sequence;
use platform::regions::Level;
use platform::web::AppState;
use platform::web::letter::document_number;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use uuid::Uuid;

use super::entity::{area, consultation, department, judgment};
use super::model::{self, ConsultationState, RiskLevel};
use super::store::{WHOLE_COUNTY, today};

const COUNTY: &str = "510722000000";

/// Where a judgment applies: the whole county, or townships by name.
#[derive(Clone, Copy)]
enum Where {
    County,
    Towns(&'static [&'static str]),
}

type Judged = (&'static str, RiskLevel, Where, &'static str);

/// What happens to a demo report.
#[derive(Clone, Copy, PartialEq)]
enum Fate {
    Issued,
    Voided,
    Draft,
}

struct Plan {
    month: u32,
    day: u32,
    /// The period covered, in days from the meeting.
    days: i64,
    theme: &'static str,
    departments: &'static [&'static str],
    judgments: &'static [Judged],
    fate: Fate,
}

const HILLS: &[&str] = &["郪江镇", "八洞镇", "西平镇", "观桥镇", "灵兴镇"];
const RIVERSIDE: &[&str] = &["潼川镇", "塔山镇", "北坝镇", "芦溪镇", "永明镇"];
const FORESTS: &[&str] = &["郪江镇", "景福镇", "观桥镇", "八洞镇"];

const H: RiskLevel = RiskLevel::High;
const E: RiskLevel = RiskLevel::Elevated;
const M: RiskLevel = RiskLevel::Moderate;
const L: RiskLevel = RiskLevel::Low;

const FIRE_DEPTS: &[&str] = &["气象", "林业", "自然资源", "消防", "公安"];
const FLOOD_DEPTS: &[&str] = &["气象", "水利", "自然资源", "住房", "交通", "农业农村"];

const PLANS: &[Plan] = &[
    Plan {
        month: 1,
        day: 6,
        days: 25,
        theme: "2026年1月自然灾害风险会商报告",
        departments: FIRE_DEPTS,
        judgments: &[
            (
                "forest_fire",
                E,
                Where::Towns(FORESTS),
                "冬季降水偏少，林下可燃物干燥，春节前后祭祀、燃放烟花爆竹等野外用火增多，森林火灾风险较高。",
            ),
            (
                "cold_freeze",
                M,
                Where::County,
                "预计中下旬有一次明显降温过程，最低气温-2℃左右，对设施农业和越冬作物有一定影响。",
            ),
        ],
        fate: Fate::Issued,
    },
    Plan {
        month: 3,
        day: 2,
        days: 30,
        theme: "2026年3月自然灾害风险会商报告",
        departments: FIRE_DEPTS,
        judgments: &[
            (
                "forest_fire",
                H,
                Where::Towns(FORESTS),
                "进入森林草原防火紧要期，气温回升快、大风天气多，清明节前后祭祀用火集中，森林火灾风险高。",
            ),
            (
                "landslide",
                L,
                Where::Towns(HILLS),
                "降水偏少，地质灾害风险总体较低，冻融后个别陡坡地段可能发生小型崩塌。",
            ),
        ],
        fate: Fate::Issued,
    },
    Plan {
        month: 4,
        day: 28,
        days: 31,
        theme: "2026年5月自然灾害风险会商报告",
        departments: FLOOD_DEPTS,
        judgments: &[
            (
                "wind_hail",
                E,
                Where::County,
                "春夏转换季节强对流天气多发，可能出现短时大风、冰雹，对农业生产、临时建筑和户外广告牌影响较大。",
            ),
            (
                "flood",
                M,
                Where::Towns(RIVERSIDE),
                "5月下旬可能出现入汛后首场区域性暴雨，涪江、凯江沿岸低洼地带有一定内涝风险。",
            ),
        ],
        fate: Fate::Issued,
    },
    Plan {
        month: 5,
        day: 29,
        days: 12,
        theme: "2026年6月上旬汛期风险会商报告",
        departments: FLOOD_DEPTS,
        judgments: &[
            (
                "flood",
                E,
                Where::Towns(RIVERSIDE),
                "预计6月3日至5日有一次强降雨过程，累计雨量50～80毫米，局地100毫米以上，中小河流和城区内涝风险较高。",
            ),
            (
                "landslide",
                E,
                Where::Towns(HILLS),
                "强降雨叠加前期土壤含水量偏高，丘陵区切坡建房点、隐患点发生滑坡、崩塌的风险较高。",
            ),
        ],
        fate: Fate::Issued,
    },
    Plan {
        month: 6,
        day: 15,
        days: 15,
        theme: "2026年6月中下旬汛期风险会商报告",
        departments: FLOOD_DEPTS,
        judgments: &[
            (
                "flood",
                H,
                Where::County,
                "进入主汛期，预计有2至3次区域性暴雨过程，全县山洪、中小河流洪水和城乡内涝风险高。",
            ),
            (
                "geological",
                E,
                Where::Towns(HILLS),
                "降雨集中，地质灾害隐患点和切坡建房点风险较高，须落实“三查”和临灾避险。",
            ),
        ],
        fate: Fate::Issued,
    },
    Plan {
        month: 7,
        day: 1,
        days: 15,
        theme: "2026年7月上旬汛期风险会商报告",
        departments: FLOOD_DEPTS,
        judgments: &[("flood", H, Where::County, "（研判时段填写有误，已作废）")],
        fate: Fate::Voided,
    },
    Plan {
        month: 7,
        day: 2,
        days: 14,
        theme: "2026年7月上中旬汛期风险会商报告",
        departments: FLOOD_DEPTS,
        judgments: &[
            (
                "flood",
                H,
                Where::County,
                "上游来水与本地强降雨叠加，涪江三台段可能出现超警戒水位洪水，沿江低洼地带和下穿通道风险高。",
            ),
            (
                "debris_flow",
                M,
                Where::Towns(&["郪江镇", "八洞镇"]),
                "沟谷地带短时强降雨可能引发小型泥石流，须加强沟口住户巡查。",
            ),
        ],
        fate: Fate::Issued,
    },
    Plan {
        month: 8,
        day: 3,
        days: 28,
        theme: "2026年8月自然灾害风险会商报告",
        departments: &["气象", "水利", "农业农村", "自然资源"],
        judgments: &[
            (
                "drought",
                E,
                Where::County,
                "预计8月降水偏少三成、气温偏高，伏旱可能露头，丘陵区人畜饮水和秋粮生产受影响风险较高。",
            ),
            (
                "flood",
                M,
                Where::Towns(RIVERSIDE),
                "局地短时强降雨仍可能造成城区内涝。",
            ),
        ],
        fate: Fate::Issued,
    },
    Plan {
        month: 9,
        day: 1,
        days: 30,
        theme: "2026年9月自然灾害风险会商报告",
        departments: FLOOD_DEPTS,
        judgments: &[
            (
                "flood",
                E,
                Where::Towns(RIVERSIDE),
                "华西秋雨开始偏早，持续性降雨可能造成中小河流涨水，沿河低洼地带风险较高。",
            ),
            (
                "landslide",
                M,
                Where::Towns(HILLS),
                "持续降雨后土体饱和，滞后型滑坡风险上升。",
            ),
        ],
        fate: Fate::Issued,
    },
    Plan {
        month: 10,
        day: 30,
        days: 31,
        theme: "2026年11月自然灾害风险会商报告",
        departments: FIRE_DEPTS,
        judgments: &[
            (
                "forest_fire",
                E,
                Where::Towns(FORESTS),
                "进入森林防火期，秋冬季节干燥，农事用火和野外祭祀用火增多，森林火灾风险较高。",
            ),
            (
                "cold_freeze",
                L,
                Where::County,
                "冷空气活动频繁但强度偏弱，低温冷冻风险较低。",
            ),
        ],
        fate: Fate::Issued,
    },
    Plan {
        month: 11,
        day: 26,
        days: 35,
        theme: "2026年12月自然灾害风险会商报告",
        departments: FIRE_DEPTS,
        judgments: &[(
            "forest_fire",
            E,
            Where::Towns(FORESTS),
            "冬季森林火险等级持续偏高，须严管野外火源。",
        )],
        fate: Fate::Draft,
    },
];

fn measures(plan: &Plan) -> String {
    let first = match plan.departments == FIRE_DEPTS {
        true => {
            "严格落实森林草原防火责任，加强重点时段、重点部位巡山护林和火源管控，严禁违规野外用火。"
        }
        false => {
            "各乡镇严格落实防汛责任人，加强隐患点、危险区巡查，提前转移受威胁群众，做到应转尽转、应转早转。"
        }
    };
    format!(
        "{first}\n各有关部门加强监测预报预警和信息共享，及时发布预警信息，落实“叫应”机制。\n严格执行24小时值班和领导带班制度，遇有险情灾情第一时间报告。\n（演示数据）"
    )
}

/// Load the demo reports. Call once, after the county and its accounts exist.
pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    let db = &state.db;
    let exists = consultation::Entity::find()
        .filter(consultation::Column::RegionCode.eq(COUNTY))
        .count(db)
        .await?;
    if exists > 0 {
        return Ok(());
    }
    let scope = Scope::of(COUNTY);
    let townships = platform::regions::store::list_level(db, &scope, Level::Township).await?;
    if townships.is_empty() {
        return Ok(());
    }
    let departments = platform::org::store::all(db, &scope).await?;
    let writer = platform::auth::entity::user::Entity::find()
        .filter(platform::auth::entity::user::Column::Username.eq("disaster"))
        .one(db)
        .await?
        .map(|u| u.id);
    let hazards = platform::dicts::store::items(db, super::store::HAZARD_DICT, None).await?;
    let today = today(state);
    for (i, plan) in PLANS.iter().enumerate() {
        let Some(meeting) =
            NaiveDate::from_ymd_opt(2026, plan.month, plan.day).filter(|d| *d <= today)
        else {
            continue;
        };
        let at = Utc
            .with_ymd_and_hms(2026, plan.month, plan.day, 7, 30 + (i % 20) as u32, 0)
            .single()
            .unwrap_or_else(Utc::now);
        let id = Uuid::now_v7();
        consultation::ActiveModel {
            number: Set(None),
            number_year: Set(None),
            number_seq: Set(None),
            title: Set(format!("【演示】{}", plan.theme)),
            period_from: Set(meeting + Duration::days(1)),
            period_to: Set(meeting + Duration::days(plan.days)),
            meeting_on: Set(meeting),
            convener: Set("县应急管理局".to_string()),
            experts: Set(Some(
                "市气象台预报员、县自然资源局地质灾害防治专家（演示）".to_string(),
            )),
            measures: Set(measures(plan)),
            issuer: Set(Some("陈局长".to_string())),
            state: Set(ConsultationState::Draft.code().to_string()),
            issued_at: Set(None),
            issued_by: Set(None),
            issued_on: Set(None),
            letter: Set(None),
            ..platform::db::new_record(id, COUNTY.to_string(), writer, at)
        }
        .insert(db)
        .await?;
        for (k, d) in departments
            .iter()
            .filter(|d| plan.departments.iter().any(|n| d.name.contains(n)))
            .enumerate()
        {
            department::ActiveModel {
                id: Set(Uuid::now_v7()),
                consultation_id: Set(id),
                department_id: Set(d.id),
                name: Set(d.name.clone()),
                sort: Set(k as i32),
            }
            .insert(db)
            .await?;
        }
        for (k, (code, level, place, text)) in plan.judgments.iter().enumerate() {
            let Some(item) = hazards.iter().find(|h| h.code == *code) else {
                continue;
            };
            let jid = Uuid::now_v7();
            judgment::ActiveModel {
                id: Set(jid),
                consultation_id: Set(id),
                sort: Set(k as i32),
                hazard_type: Set(item.code.clone()),
                hazard_edition: Set(item.edition.clone()),
                hazard_label: Set(item.label.clone()),
                level: Set(level.code().to_string()),
                text: Set(text.to_string()),
            }
            .insert(db)
            .await?;
            let areas: Vec<(String, String)> = match place {
                Where::County => vec![(COUNTY.to_string(), WHOLE_COUNTY.to_string())],
                Where::Towns(names) => townships
                    .iter()
                    .filter(|t| names.contains(&t.short_name.as_str()))
                    .map(|t| (t.code.clone(), t.short_name.clone()))
                    .collect(),
            };
            for (n, (code, name)) in areas.into_iter().enumerate() {
                area::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    judgment_id: Set(jid),
                    consultation_id: Set(id),
                    region_code: Set(code),
                    name: Set(name),
                    sort: Set(n as i32),
                }
                .insert(db)
                .await?;
            }
        }
        if plan.fate != Fate::Draft {
            issue(state, id, meeting, at, writer, plan.fate).await?;
        }
    }
    Ok(())
}

/// Number, letter and state of a demo report issued on its meeting day.
async fn issue(
    state: &AppState,
    id: Uuid,
    day: NaiveDate,
    at: chrono::DateTime<Utc>,
    writer: Option<Uuid>,
    fate: Fate,
) -> anyhow::Result<()> {
    let db = &state.db;
    let year = chrono::Datelike::year(&day);
    let seq = sequence::next(db, COUNTY, model::SERIES, year).await?;
    let number = document_number(&model::number_prefix("三台"), year, seq);
    let c = super::store::load(db, &Scope::of(COUNTY), true, id).await?;
    let letter = super::document::letter(&c, "三台县", &number, day);
    let issued_at = at + Duration::hours(3);
    let voided = fate == Fate::Voided;
    consultation::ActiveModel {
        id: Set(id),
        version: Set(if voided { 3 } else { 2 }),
        updated_at: Set(if voided {
            issued_at + Duration::hours(20)
        } else {
            issued_at
        }),
        number: Set(Some(number)),
        number_year: Set(Some(year)),
        number_seq: Set(Some(seq as i32)),
        state: Set(match fate {
            Fate::Voided => ConsultationState::Voided,
            _ => ConsultationState::Issued,
        }
        .code()
        .to_string()),
        issued_at: Set(Some(issued_at)),
        issued_by: Set(writer),
        issued_on: Set(Some(day)),
        letter: Set(Some(serde_json::to_string(&letter)?)),
        voided_at: Set(voided.then(|| issued_at + Duration::hours(20))),
        void_reason: Set(voided.then(|| "会商时段填写有误，已重新印发（演示）".to_string())),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}
