//! Demo hazards of 三台县: about sixty over the demo units, in every state, some overdue, a few
//! major (one 挂牌督办, one 管控) and a few publicly exposed.

use chrono::Duration;
use platform::access::{Actor, Role};
use platform::web::AppState;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use uuid::Uuid;

use super::entity::hazard;
use super::rollup;
use super::store::{self, HazardInput, NoticeInput, ReviewInput, ReviewRequestInput};
use crate::units::entity::unit;

/// (category, description, location)
pub const FINDINGS: &[(&str, &str, &str)] = &[
    ("fire_facilities", "灭火器压力不足，部分已过期", "仓库"),
    ("electrical", "私拉乱接电线，配电箱未上锁", "生产车间"),
    ("site_environment", "安全出口被货物堵塞", "一楼通道"),
    ("dangerous_goods", "危险化学品未分类分区存放", "危化品库房"),
    ("special_equipment", "叉车未按期检验", "装卸区"),
    ("protective_devices", "传动部位防护罩缺失", "机加工车间"),
    ("ppe", "作业人员未佩戴安全帽", "施工现场"),
    (
        "unlicensed_operation",
        "电焊作业人员无特种作业操作证",
        "维修车间",
    ),
    ("training", "新员工未经三级安全教育上岗", "办公室"),
    ("rules", "未制定受限空间作业操作规程", "污水池"),
    ("emergency", "应急预案未演练，应急物资不足", "值班室"),
    ("responsibility", "全员安全生产责任制未落实到岗位", "办公室"),
    ("equipment", "储罐液位计失灵", "罐区"),
    ("licences", "许可证已过期仍在经营", "经营场所"),
    ("hazard_control", "隐患排查台账未建立", "安全管理部门"),
];

const SOURCES: &[&str] = &["self_check", "enforcement", "expert", "public_report"];

/// Load the demo hazards. Call once, after [`crate::units::load_demo`].
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
    // A year of findings: the old ones mostly closed, the recent ones at every stage.
    for i in 0..HAZARDS {
        let owner = &units[(i * 7) % units.len()];
        let (category, description, location) = FINDINGS[i % FINDINGS.len()];
        let major = i % 15 == 0;
        let discovered = today - Duration::days(3 + ((i * 37) % 330) as i64);
        let age = (today - discovered).num_days();
        let input = HazardInput {
            unit_id: Some(owner.id.to_string()),
            description: if major {
                format!("{description}（构成重大事故隐患）")
            } else {
                description.to_string()
            },
            category_code: category.to_string(),
            grade: if major { "major" } else { "general" }.to_string(),
            criterion_standard: major
                .then(|| "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准".to_string()),
            criterion_item: major
                .then(|| format!("第（{}）项", ["一", "三", "七", "十"][(i / 15) % 4])),
            discovered_on: discovered.to_string(),
            source: SOURCES[i % SOURCES.len()].to_string(),
            location: Some(location.to_string()),
            supervision: Some(
                match i {
                    0 => "listed",
                    15 => "under_control",
                    _ => "none",
                }
                .to_string(),
            ),
            exposed: Some(i % 10 == 7),
            exposed_on: (i % 10 == 7).then(|| (discovered + Duration::days(2)).to_string()),
            exposure_channel: (i % 10 == 7).then(|| "县融媒体中心".to_string()),
            inspection_id: None,
            version: None,
        };
        let h = store::create(state, &actor, &input).await?;
        // How far along: registered … closed; majors stay in rectification.
        let stage = match (major, age) {
            (true, _) => 2,
            (false, 91..) if i % 13 != 0 => 5,
            _ => i % 6,
        };
        if stage == 0 {
            continue;
        }
        let deadline = discovered + Duration::days(15 + (i % 3) as i64 * 30);
        let notice = NoticeInput {
            deadline: deadline.to_string(),
            responsible: major.then(|| "主要负责人".to_string()),
            measures: major.then(|| "停产整改，委托专业机构治理".to_string()),
            funds_yuan: major.then(|| format!("{}", 50_000 + i * 1_000)),
            contingency: major.then(|| "设置警戒区，落实专人值守和应急物资".to_string()),
            criterion_standard: None,
            criterion_item: None,
            version: h.version,
        };
        let h = store::issue_notice(state, &actor, h.id, &notice).await?;
        if stage == 1 {
            continue;
        }
        let mut h = store::start(state, &actor, h.id, h.version).await?;
        if stage == 2 && i % 4 == 2 {
            // A failed review sends it back to rectification.
            let asked = ReviewRequestInput {
                evidence: "已整改，附现场照片".to_string(),
                version: h.version,
            };
            h = store::request_review(state, &actor, h.id, &asked).await?;
            let failed = ReviewInput {
                passed: false,
                reasons: "整改不彻底，仍有问题".to_string(),
                version: h.version,
            };
            store::review(state, &actor, h.id, &failed).await?;
            continue;
        }
        if stage == 2 {
            continue;
        }
        let asked = ReviewRequestInput {
            evidence: "已按要求整改完毕，附整改前后照片".to_string(),
            version: h.version,
        };
        let h = store::request_review(state, &actor, h.id, &asked).await?;
        if stage == 3 {
            continue;
        }
        let passed = ReviewInput {
            passed: true,
            reasons: String::new(),
            version: h.version,
        };
        let h = store::review(state, &actor, h.id, &passed).await?;
        if stage == 4 {
            continue;
        }
        let h = store::close(state, &actor, h.id, h.version).await?;
        // Transitions happen today; a demo year needs its closures spread over the year.
        // The daily counters move with it, in the same transaction.
        let closed_on = Ord::min(deadline - Duration::days(3), today);
        let txn = state.db.begin().await?;
        let old = rollup::locked(&txn, h.id).await?;
        hazard::Entity::update_many()
            .col_expr(hazard::Column::ClosedOn, Expr::value(Some(closed_on)))
            .filter(hazard::Column::Id.eq(h.id))
            .exec(&txn)
            .await?;
        let new = rollup::current(&txn, h.id).await?;
        rollup::apply(&txn, old.as_ref(), new.as_ref()).await?;
        txn.commit().await?;
    }
    Ok(())
}

/// How many hazards the demo year holds.
const HAZARDS: usize = 200;
